package commands

import (
	"path"
	"strings"
)

// The shell itself reads some words again as code: the arguments of
// builtins such as trap and alias, variables it expands as prompts or
// runs files from, the names of variables (bash evaluates a subscript),
// the operands of [[ … -eq … ]]. A value is refused there as in eval's
// arguments. (Arithmetic contexts are the lexer's: $((…)), ((…)), ${x[…]}
// and ${x:…}.)

// codeArgs says why every argument of a program is code (the variable's
// name fills %s): the shell's eval, trap, alias and the like, and ssh and
// watch, which hand theirs to a shell.
var codeArgs = func() map[string]string {
	parsed := "which would parse it as code: refer to \"$%s\" in what it runs instead"
	file := "which would run or load the file it names: a value may not choose code to run (\"$%s\" holds it)"
	name := "which would take it for a variable's name, whose subscript bash evaluates as code: use \"$%s\" itself"
	m := map[string]string{"source": file, ".": file, "enable": file, "hash": file}
	for _, b := range []string{"eval", "trap", "alias", "bind", "complete", "compgen", "fc", "let", "ssh", "watch"} {
		m[b] = parsed
	}
	for _, b := range []string{"read", "unset", "mapfile", "readarray", "getopts"} {
		m[b] = name
	}
	return m
}()

// declarers set variables from NAME=VALUE arguments: a value may be a
// VALUE, never a NAME, and never the value of an integer or a reference
// (-i, -n), which bash evaluates.
var declarers = map[string]bool{"declare": true, "typeset": true, "local": true, "export": true, "readonly": true}

// codeVars are variables the shell or the programs it starts read as code
// or as where to find code: a value may not be assigned to them.
var codeVars = map[string]string{
	"PS1": "expands as a prompt, running its $(…)", "PS2": "expands as a prompt, running its $(…)",
	"PS3": "expands as a prompt, running its $(…)", "PS4": "expands before each traced command, running its $(…)",
	"PROMPT_COMMAND": "runs as a command", "ENV": "names a file of code a shell runs at start",
	"BASH_ENV": "names a file of code bash runs at start", "PATH": "chooses the programs commands run",
	"LD_PRELOAD": "names libraries every program loads", "LD_LIBRARY_PATH": "chooses the libraries programs load",
	"LD_AUDIT": "names libraries every program loads", "SHELLOPTS": "sets the options of every bash started",
	"BASHOPTS": "sets the options of every bash started",
}

// arithmeticTests are the operators of [[ … ]] whose operands bash
// evaluates as arithmetic, and -v, whose operand is a variable's name.
var arithmeticTests = map[string]bool{"-eq": true, "-ne": true, "-lt": true, "-le": true, "-gt": true, "-ge": true, "-v": true}

// shellReads finds a value the shell itself would read as code in a
// command of words whose program is at cmd (-1: none): its reference and
// why (a format of the variable's name), or -1.
func (l *lexer) shellReads(words []word, cmd int) (int, string) {
	prefix := words
	if cmd >= 0 {
		prefix = words[:cmd]
	}
	for _, w := range prefix {
		if ref, why := l.assigned(w); ref >= 0 {
			return ref, why
		}
	}
	if cmd < 0 {
		return -1, ""
	}
	prog, args := words[cmd], words[cmd+1:]
	if prog.ref >= 0 {
		return prog.ref, "would be the program the command runs: name the program in the template and give it the value as an argument (\"$%s\" holds it)"
	}
	name := path.Base(prog.text)
	switch {
	case codeArgs[name] != "":
		for _, w := range args {
			if w.ref >= 0 {
				return w.ref, "is an argument of " + name + ", " + codeArgs[name]
			}
		}
	case declarers[name]:
		return l.declared(name, args)
	case name == "printf":
		for i, w := range args {
			if w.text == "-v" && i+1 < len(args) && args[i+1].ref >= 0 {
				return args[i+1].ref, "is the variable printf -v sets, whose subscript bash evaluates as code: use \"$%s\" itself"
			}
		}
	case name == "[[" || len(args) > 0 && args[len(args)-1].text == "]]":
		for i, w := range args {
			if !arithmeticTests[w.text] {
				continue
			}
			for _, j := range []int{i - 1, i + 1} {
				if j >= 0 && j < len(args) && args[j].ref >= 0 && (j > i || w.text != "-v") {
					return args[j].ref, "is an operand of " + w.text + " in [[ … ]], which bash evaluates as arithmetic, running what a subscript holds: compare with = instead, or check \"$%s\" is a number first"
				}
			}
		}
	}
	return -1, ""
}

// assigned checks an assignment word: a value may not be assigned to a
// variable the shell reads as code, nor to one declared an integer here.
func (l *lexer) assigned(w word) (int, string) {
	name, ok := assignment(w)
	switch {
	case !ok || w.ref < 0:
		return -1, ""
	case codeVars[name] != "":
		return w.ref, "is assigned to " + name + ", which " + codeVars[name] + ": refer to \"$%s\" where the value is needed instead"
	case l.integers[name]:
		return w.ref, "is assigned to " + name + ", declared an integer, which bash evaluates as arithmetic: use \"$%s\" itself"
	}
	return -1, ""
}

// declared checks the arguments of declare, typeset, local, export or
// readonly, and notes the integers they declare.
func (l *lexer) declared(cmd string, args []word) (int, string) {
	evaluated := false
	for _, w := range args {
		if t := w.text; (strings.HasPrefix(t, "-") || strings.HasPrefix(t, "+")) && w.ref < 0 {
			evaluated = evaluated || strings.ContainsAny(t[1:], "in")
			continue
		}
		name, ok := assignment(w)
		switch {
		case !ok && w.ref >= 0:
			return w.ref, "is a name " + cmd + " is given, whose subscript bash evaluates as code: a value may be the VALUE of NAME=VALUE only (\"$%s\" holds it)"
		case !ok:
			name = w.text
		case evaluated && w.ref >= 0:
			return w.ref, "is the value of an integer or a reference (" + cmd + " -i, -n), which bash evaluates as code: use \"$%s\" itself"
		}
		if ref, why := l.assigned(w); ref >= 0 {
			return ref, why
		}
		if evaluated {
			if l.integers == nil {
				l.integers = map[string]bool{}
			}
			l.integers[name] = true
		}
	}
	return -1, ""
}

// assignment reads NAME=VALUE: the name, and whether the word is one (a
// value in the name makes it no assignment: the shell runs it).
func assignment(w word) (string, bool) {
	name, _, ok := strings.Cut(w.text, "=")
	if !ok || name == "" || w.ref >= 0 && w.refAt <= len(name) {
		return "", false
	}
	for i, c := range name {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return "", false
		}
	}
	return name, true
}
