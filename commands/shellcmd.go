package commands

import (
	"path"
	"strconv"
	"strings"
)

// code reads one character of a command: quotes, substitutions, words,
// the operators that end a command, redirections and here-documents.
func (l *lexer) code(f *frame, c byte) {
	switch {
	case c == ' ' || c == '\t':
		l.endWord()
		l.out.WriteByte(c)
		l.i++
	case c == '\n':
		l.endCommand()
		l.out.WriteByte(c)
		l.i++
		l.heredocs(f)
	case c == ';' || c == '&' || c == '|':
		l.endCommand()
		piped := c == '|' && !strings.HasPrefix(l.s[l.i:], "||")
		for l.i < len(l.s) && (l.s[l.i] == ';' || l.s[l.i] == '&' || l.s[l.i] == '|') {
			l.out.WriteByte(l.s[l.i])
			l.i++
		}
		l.top().fed = piped
	case strings.HasPrefix(l.s[l.i:], "(("): // bash's arithmetic command
		l.endCommand()
		l.out.WriteString("((")
		l.i += 2
		l.push(frame{kind: fArith})
	case c == '(':
		l.endCommand()
		l.out.WriteByte(c)
		l.i++
		l.push(frame{kind: fCode, closer: ')'})
	case c == f.closer && c != 0:
		l.endCommand()
		l.out.WriteByte(c)
		l.i++
		l.pop()
	case c == '`':
		l.emit(1)
		l.push(frame{kind: fCode, closer: '`'})
	case c == '\'':
		l.emit(1)
		l.push(frame{kind: fSingle, quoted: true})
	case c == '"':
		l.emit(1)
		l.push(frame{kind: fDouble})
	case c == '\\':
		l.backslash()
	case c == '$':
		l.dollar(true)
	case c == '#' && !f.inWord:
		for l.i < len(l.s) && l.s[l.i] != '\n' && l.err == nil { // a comment: nothing in it runs
			if l.isPlaceholder(l.i) {
				l.placeholder()
				continue
			}
			l.out.WriteByte(l.s[l.i])
			l.i++
		}
	case strings.HasPrefix(l.s[l.i:], "<<"):
		l.endWord()
		l.hereOperator(f)
	case c == '<' || c == '>':
		l.endWord()
		if c == '<' {
			f.fed = true
		}
		for l.i < len(l.s) && strings.IndexByte("<>&|", l.s[l.i]) >= 0 {
			l.out.WriteByte(l.s[l.i])
			l.i++
		}
		l.top().words = append(l.top().words, word{text: "<redirect>", ref: -1})
	default:
		l.emit(1)
	}
}

// endWord ends the word being read in the innermost code frame.
func (l *lexer) endWord() {
	f := l.top()
	if f.kind != fCode || !f.inWord {
		return
	}
	f.words = append(f.words, f.cur)
	f.cur, f.inWord = word{ref: -1}, false
}

// endCommand ends the command being read and checks it.
func (l *lexer) endCommand() {
	l.endWord()
	f := l.top()
	if f.kind != fCode {
		return
	}
	words, fed := withoutRedirections(f.words), f.fed
	f.words, f.fed = nil, false
	if len(words) == 0 || l.err != nil {
		return
	}
	cmd, args := command(words)
	if ref, why := l.shellReads(words, cmd); ref >= 0 {
		l.fail(ref, why, l.refs[ref].name)
		return
	}
	if cmd < 0 {
		return
	}
	name := path.Base(words[cmd].text)
	if p := parsers[name]; p.program != nil {
		script, ok := p.program(args)
		switch {
		case ok && script >= 0 && args[script].ref >= 0:
			w := args[script]
			l.fail(w.ref, "is in the program %s runs, where it would be parsed as code: pass it as an argument (sh -c '… \"$1\"' sh {{…}}), or refer to \"$%s\" in the program", name, l.refs[w.ref].name)
		case !ok && fed && l.feeder == "":
			l.feeder = name + " (line " + strconv.Itoa(l.line()) + ")"
		}
	}
	if xargsFeeds(words[:cmd]) && l.feeder == "" {
		l.feeder = "xargs -I with " + name + " (line " + strconv.Itoa(l.line()) + ")"
	}
}

// withoutRedirections drops the redirections and their targets.
func withoutRedirections(words []word) []word {
	var out []word
	for i := 0; i < len(words); i++ {
		if words[i].text == "<redirect>" {
			i++ // its target
			continue
		}
		out = append(out, words[i])
	}
	return out
}

// wrappers run the command that follows their options; skip counts the
// option arguments they take apart.
var wrappers = map[string]bool{"env": true, "nice": true, "nohup": true, "time": true, "timeout": true, "command": true,
	"exec": true, "stdbuf": true, "setsid": true, "sudo": true, "doas": true, "xargs": true, "builtin": true,
	"ionice": true, "busybox": true, "!": true, "{": true, "then": true, "do": true, "else": true, "if": true, "while": true, "until": true}

// command finds the program a command runs, past assignments and
// wrappers, and returns its index and its arguments (-1: none).
func command(words []word) (int, []word) {
	i := 0
	for i < len(words) {
		name := path.Base(words[i].text)
		_, assigns := assignment(words[i])
		switch {
		case assigns:
			i++
		case wrappers[name] && words[i].ref < 0:
			i++
			for i < len(words) && (strings.HasPrefix(words[i].text, "-") || isAssignment(words[i]) ||
				name == "timeout" && isDuration(words[i].text)) {
				if opt := words[i].text; name == "xargs" && (opt == "-I" || opt == "-n" || opt == "-L" || opt == "-P" ||
					opt == "-d" || opt == "-s" || opt == "-E" || opt == "-a") || name == "nice" && opt == "-n" {
					i++
				}
				i++
			}
		default:
			return i, words[i+1:]
		}
	}
	return -1, nil
}

// xargsFeeds reports xargs -I (or -i, -J, --replace) before a command:
// xargs writes its input into that command's words.
func xargsFeeds(before []word) bool {
	seen := false
	for _, w := range before {
		t := w.text
		switch {
		case path.Base(t) == "xargs":
			seen = true
		case seen && (strings.HasPrefix(t, "-I") || strings.HasPrefix(t, "-i") || strings.HasPrefix(t, "-J") || strings.HasPrefix(t, "--replace")):
			return true
		}
	}
	return false
}

// isAssignment reports a NAME=VALUE word.
func isAssignment(w word) bool {
	_, ok := assignment(w)
	return ok
}

func isDuration(w string) bool {
	return w != "" && strings.Trim(w, "0123456789.smhd") == ""
}

// parser is what a program makes of its arguments: a program among them
// (sh -c SCRIPT); program reports ok=false when the program reads its
// code from its input. (Programs whose every argument is code are
// codeArgs.)
type parser struct {
	program func(args []word) (script int, ok bool)
}

// flagProgram is the argument after one of flags (sh -c, python -c,
// perl -e), or the first argument that is not an option (a script file),
// or none: the code comes from the input.
func flagProgram(flags ...string) func([]word) (int, bool) {
	return func(args []word) (int, bool) {
		for i, a := range args {
			t := a.text
			switch {
			case t == "--":
				return -1, i+1 < len(args)
			case t == "-o" || t == "+o" || t == "-O" || t == "+O":
				if i+1 >= len(args) {
					return -1, false
				}
				args[i+1].text = "-" // an option's argument, not a script file
			case strings.HasPrefix(t, "--"):
				for _, f := range flags {
					if t == f {
						return i + 1, true
					}
				}
			case strings.HasPrefix(t, "-") || strings.HasPrefix(t, "+"):
				for _, f := range flags {
					if len(f) == 2 && strings.ContainsRune(t[1:], rune(f[1])) {
						if i+1 < len(args) {
							return i + 1, true
						}
						return -1, true
					}
				}
			default:
				return -1, true // a script file: its arguments are plain values
			}
		}
		return -1, false
	}
}

// firstProgram is the first argument that is not an option, or the one
// after -e (awk, sed): the program.
func firstProgram(args []word) (int, bool) {
	for i, a := range args {
		switch t := a.text; {
		case t == "-e" || t == "--expression":
			return i + 1, true
		case t == "-f" || t == "--file":
			return -1, true
		case !strings.HasPrefix(t, "-"):
			return i, true
		}
	}
	return -1, true
}

// parsers are the programs that read code: a value in their program is
// refused, and so is any value in a template that feeds them their input.
var parsers = func() map[string]parser {
	m := map[string]parser{}
	for _, sh := range []string{"sh", "bash", "dash", "zsh", "ksh", "mksh", "ash", "yash", "posh", "fish", "su"} {
		m[sh] = parser{program: flagProgram("-c")}
	}
	for _, py := range []string{"python", "python2", "python3", "pypy", "pypy3"} {
		m[py] = parser{program: flagProgram("-c")}
	}
	for _, e := range []string{"perl", "ruby", "lua", "Rscript"} {
		m[e] = parser{program: flagProgram("-e", "-E")}
	}
	m["node"] = parser{program: flagProgram("-e", "-p", "--eval", "--print")}
	m["nodejs"] = m["node"]
	m["php"] = parser{program: flagProgram("-r")}
	for _, a := range []string{"awk", "gawk", "mawk", "nawk", "sed", "gsed"} {
		m[a] = parser{program: firstProgram}
	}
	return m
}()

// hereOperator reads << or <<- and the delimiter after it.
func (l *lexer) hereOperator(f *frame) {
	h := heredoc{placeholder: -1}
	l.out.WriteString("<<")
	l.i += 2
	if l.i < len(l.s) && l.s[l.i] == '-' {
		h.stripTabs = true
		l.out.WriteByte('-')
		l.i++
	}
	for l.i < len(l.s) && (l.s[l.i] == ' ' || l.s[l.i] == '\t') {
		l.out.WriteByte(l.s[l.i])
		l.i++
	}
	var delim strings.Builder
	for l.i < len(l.s) && strings.IndexByte(" \t\n;&|<>()", l.s[l.i]) < 0 {
		c := l.s[l.i]
		switch {
		case l.isPlaceholder(l.i):
			l.fail(l.refAt(l.i), "cannot be a here-document's delimiter")
			return
		case c == '\'' || c == '"':
			h.quoted = true
			end := strings.IndexByte(l.s[l.i+1:], c)
			if end < 0 {
				end = len(l.s) - l.i - 1
			}
			delim.WriteString(l.s[l.i+1 : l.i+1+end])
			l.out.WriteString(l.s[l.i : l.i+min(end+2, len(l.s)-l.i)])
			l.i += end + 2
			continue
		case c == '\\':
			h.quoted = true
			l.out.WriteByte(c)
			l.i++
			continue
		}
		delim.WriteByte(c)
		l.out.WriteByte(c)
		l.i++
	}
	h.delim = delim.String()
	f.pending = append(f.pending, h)
	f.fed = true
}

// heredocs reads the bodies of the here-documents of the line just ended:
// an unquoted body is read as double-quoted text (its values become
// references), a quoted one is left alone and may hold no value.
func (l *lexer) heredocs(f *frame) {
	pending := f.pending
	f.pending = nil
	for _, h := range pending {
		body := l.s[l.i:]
		for n := 0; ; {
			line, _, found := strings.Cut(body[n:], "\n")
			check := line
			if h.stripTabs {
				check = strings.TrimLeft(line, "\t")
			}
			if check == h.delim || !found {
				body = body[:n] // the delimiter's line is read as a command, which it is not, harmlessly
				break
			}
			n += len(line) + 1
		}
		start := l.i
		if h.quoted {
			if i := strings.Index(body, openRef); i >= 0 {
				l.i = start + i
				l.fail(l.refAt(l.i), "is inside a quoted here-document (<<'%s'), where the shell expands nothing: write <<%s", h.delim, h.delim)
				return
			}
			l.out.WriteString(body)
			l.i += len(body)
		} else {
			l.push(frame{kind: fHeredoc})
			end := start + len(body)
			for l.i < end && l.err == nil {
				l.step()
			}
			for len(l.stack) > 0 && l.top().kind != fHeredoc { // a substitution left open in the body
				l.pop()
			}
			l.pop()
		}
	}
}
