package commands

import (
	"fmt"
	"strconv"
	"strings"
)

// resolve replaces each placeholder of an executed template with a
// reference to its variable, written for the shell context it stands in:
// "${NAME}" in a command's words (quoted, so the value is one word and no
// pattern), ${NAME} inside double quotes, a here-document or ${…}. The
// shell substitutes a reference by parameter expansion and never parses
// the value. It refuses a value where the shell would not expand it
// (single quotes, $'…', a quoted here-document, after a backslash), where
// it would evaluate it (arithmetic), where the shell itself reads it
// again as code (trap, alias, a variable's name, a prompt, the program
// itself: builtins.go), and where a second parser would read it as code:
// in the words of ssh or watch, in the script of sh -c (or python -c,
// perl -e, awk and sed programs…), and anywhere in a template that feeds
// a shell its input (| sh, sh <<EOF, xargs -I … sh).
func resolve(text string, refs []ref) (string, map[int]bool, error) {
	l := &lexer{s: text, refs: refs, used: map[int]bool{}, anyRef: -1}
	l.push(frame{kind: fCode})
	for l.i < len(l.s) && l.err == nil {
		l.step()
	}
	if l.err == nil {
		l.endCommand()
	}
	if l.err == nil && l.feeder != "" && l.anyRef >= 0 {
		l.err = fmt.Errorf("line %d: %s is in a template that feeds %s its input, which it reads as code: no value may be used in it (refer to \"$%s\" in the code instead)",
			l.anyRefLine, refs[l.anyRef].spelling, l.feeder, refs[l.anyRef].name)
	}
	return l.out.String(), l.used, l.err
}

// frameKind is a context of the shell language.
type frameKind int

const (
	fCode    frameKind = iota // commands: the line itself, $(…), (…), `…`
	fDouble                   // "…"
	fSingle                   // '…'
	fANSI                     // $'…'
	fParam                    // ${…}
	fArith                    // $((…))
	fHeredoc                  // an unquoted here-document's body
)

// frame is one open context; code frames collect the words of the
// command being read.
type frame struct {
	kind    frameKind
	closer  byte // ')' or '`' for nested code, 0 at the top
	depth   int  // nesting of parentheses or braces inside
	words   []word
	cur     word
	inWord  bool
	fed     bool // the command's input comes from a pipe or a redirection
	pending []heredoc
	quoted  bool // an ANSI-C or single frame: nothing is expanded
	start   int  // where a ${…} frame's text starts
	part    part // the part of a ${…} being read
}

// part is a part of ${…}: its name, a subscript ([…]) or an offset
// (:N), which bash evaluates as arithmetic, or the word after an
// operator (a default, a pattern), which it only expands.
type part byte

const (
	partName part = iota
	partSubscript
	partOffset
	partWord
)

// inArith reports the lexer inside an arithmetic expression, quoted or
// not, short of a command substitution in it.
func (l *lexer) inArith() bool {
	for i := len(l.stack) - 1; i >= 0; i-- {
		switch f := l.stack[i]; {
		case f.kind == fArith || f.kind == fParam && (f.part == partSubscript || f.part == partOffset):
			return true
		case f.kind == fCode || f.kind == fHeredoc:
			return false
		}
	}
	return false
}

// word is one word of a command: its text without quotes (references
// left out), and the first reference in it (-1 for none) and where in the
// text it stands.
type word struct {
	text  string
	ref   int
	refAt int
}

// heredoc is a here-document whose body follows the next newline.
type heredoc struct {
	delim       string
	quoted      bool
	stripTabs   bool
	placeholder int
}

type lexer struct {
	s          string
	i          int
	out        strings.Builder
	stack      []frame
	refs       []ref
	used       map[int]bool
	err        error
	anyRef     int // the first reference of the template, -1 for none
	anyRefLine int
	feeder     string          // a command that reads code from its input, fed by the template
	integers   map[string]bool // variables the template declares integers (declare -i)
}

func (l *lexer) push(f frame) {
	f.cur.ref = -1
	l.stack = append(l.stack, f)
}
func (l *lexer) top() *frame { return &l.stack[len(l.stack)-1] }
func (l *lexer) pop()        { l.stack = l.stack[:len(l.stack)-1] }

// line is the line of the template the lexer is at, for errors.
func (l *lexer) line() int { return strings.Count(l.s[:l.i], "\n") + 1 }

func (l *lexer) fail(n int, format string, args ...any) {
	if l.err == nil {
		l.err = fmt.Errorf("line %d: %s %s", l.line(), l.refs[n].spelling, fmt.Sprintf(format, args...))
	}
}

// emit copies n bytes of the template to the command line; in a code
// frame they are also part of the current word.
func (l *lexer) emit(n int) {
	n = min(n, len(l.s)-l.i)
	l.out.WriteString(l.s[l.i : l.i+n])
	l.lit(l.s[l.i : l.i+n])
	l.i += n
}

// lit adds text to the word of the innermost code frame (not across a
// here-document's body, which is no word of a command).
func (l *lexer) lit(s string) {
	for i := len(l.stack) - 1; i >= 0; i-- {
		if f := &l.stack[i]; f.kind == fHeredoc {
			return
		} else if f.kind == fCode {
			f.cur.text += s
			f.inWord = true
			return
		}
	}
}

// isPlaceholder reports a placeholder at s[i].
func (l *lexer) isPlaceholder(i int) bool { return strings.HasPrefix(l.s[i:], openRef) }

// refAt is the index of the placeholder at s[i].
func (l *lexer) refAt(i int) int {
	end := strings.Index(l.s[i:], closeRef)
	n, _ := strconv.Atoi(l.s[i+len(openRef) : i+end])
	return n
}

// placeholder writes the reference of the placeholder at l.i.
func (l *lexer) placeholder() {
	end := strings.Index(l.s[l.i:], closeRef)
	n := l.refAt(l.i)
	f := l.top()
	switch {
	case f.kind == fSingle:
		l.fail(n, "is inside single quotes, where the shell does not expand it: write it outside them (a value is quoted for you), or refer to \"$%s\" in a script another shell runs", l.refs[n].name)
	case f.kind == fANSI:
		l.fail(n, "is inside $'…', where the shell does not expand it: write it outside")
	case l.inArith():
		l.fail(n, "is inside an arithmetic expression ($((…)), ((…)), or a subscript or offset in ${…}), where the shell would evaluate it")
	case f.kind == fCode:
		l.out.WriteString(`"${` + l.refs[n].name + `}"`)
	default:
		l.out.WriteString("${" + l.refs[n].name + "}")
	}
	l.used[n] = true
	if l.anyRef < 0 {
		l.anyRef, l.anyRefLine = n, l.line()
	}
	for i := len(l.stack) - 1; i >= 0 && l.stack[i].kind != fHeredoc; i-- { // the word of every command around it holds a value (a here-document's body is no word)
		if fr := &l.stack[i]; fr.kind == fCode {
			fr.inWord = true
			if fr.cur.ref < 0 {
				fr.cur.ref, fr.cur.refAt = n, len(fr.cur.text)
			}
		}
	}
	l.i += end + len(closeRef)
}

// backslash copies an escaped character; a value cannot be escaped.
func (l *lexer) backslash() {
	if l.i+1 < len(l.s) && l.isPlaceholder(l.i+1) {
		l.fail(l.refAt(l.i+1), "follows a backslash, which would make its reference text: take the backslash away")
		return
	}
	l.out.WriteByte('\\')
	l.i++
	if l.i < len(l.s) {
		l.emit(1)
	}
}

// dollar reads $(, $((, ${ and $' as the contexts they open.
func (l *lexer) dollar(code bool) {
	switch rest := l.s[l.i:]; {
	case strings.HasPrefix(rest, "$(("):
		l.emit(3)
		l.push(frame{kind: fArith})
	case strings.HasPrefix(rest, "$("):
		l.emit(2)
		l.push(frame{kind: fCode, closer: ')'})
	case strings.HasPrefix(rest, "${"):
		l.emit(2)
		l.push(frame{kind: fParam, start: l.i})
	case code && strings.HasPrefix(rest, "$'"):
		l.emit(2)
		l.push(frame{kind: fANSI, quoted: true})
	default:
		l.emit(1)
	}
}

// step reads one character (or placeholder) in the current context.
func (l *lexer) step() {
	if l.isPlaceholder(l.i) {
		l.placeholder()
		return
	}
	c := l.s[l.i]
	switch f := l.top(); f.kind {
	case fSingle:
		l.emit(1)
		if c == '\'' {
			l.pop()
		}
	case fANSI:
		if c == '\\' {
			l.emit(2)
			return
		}
		l.emit(1)
		if c == '\'' {
			l.pop()
		}
	case fDouble, fHeredoc:
		switch {
		case c == '\\':
			l.backslash()
		case c == '"' && f.kind == fDouble:
			l.emit(1)
			l.pop()
		case c == '$':
			l.dollar(false)
		case c == '`':
			l.emit(1)
			l.push(frame{kind: fCode, closer: '`'})
		default:
			l.emit(1)
		}
	case fParam, fArith:
		l.nested(f, c)
	default:
		l.code(f, c)
	}
}

// nested reads ${…} and $((…)), which end at their brace or parentheses.
func (l *lexer) nested(f *frame, c byte) {
	open, closeC := byte('{'), byte('}')
	if f.kind == fArith {
		open, closeC = '(', ')'
	} else if f.depth == 0 {
		l.paramPart(f, c)
	}
	switch {
	case c == closeC && f.depth == 0:
		if f.kind == fArith {
			l.emit(2)
		} else {
			l.emit(1)
		}
		l.pop()
	case c == closeC:
		f.depth--
		l.emit(1)
	case c == open:
		f.depth++
		l.emit(1)
	case c == '\\':
		l.backslash()
	case c == '\'' && f.kind == fParam:
		l.emit(1)
		l.push(frame{kind: fSingle, quoted: true})
	case c == '"':
		l.emit(1)
		l.push(frame{kind: fDouble})
	case c == '$':
		l.dollar(false)
	default:
		l.emit(1)
	}
}

// paramPart follows the parts of ${…} as c is read: a subscript after the
// name, an offset after a colon that no -, =, + or ? follows, the word
// after any other operator.
func (l *lexer) paramPart(f *frame, c byte) {
	switch {
	case f.part == partSubscript && c == ']':
		f.part = partName
	case f.part != partName:
	case c == '[':
		f.part = partSubscript
	case c == ':' && (l.i+1 >= len(l.s) || strings.IndexByte("-=+?", l.s[l.i+1]) < 0):
		f.part = partOffset
	case l.i > f.start && strings.IndexByte(":-=+?#%/^,@", c) >= 0:
		f.part = partWord
	}
}
