package cells

import (
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"golang.org/x/text/unicode/norm"
)

// ASCII writes text in ASCII in the same cells, for a terminal whose
// locale is not UTF-8: escape sequences pass (their text made ASCII too),
// a letter with accents is its base letter (unicode/norm decomposes it),
// a few punctuation marks have an ASCII twin, and anything else is one
// '?' per cell it takes, so every row keeps its width.
func ASCII(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r >= utf8.RuneSelf }) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	var state byte
	for len(s) > 0 {
		seq, width, n, newState := ansi.DecodeSequenceWc(s, state, nil)
		state = newState
		switch {
		case strings.HasPrefix(seq, "\x1b"):
			for _, r := range seq { // control sequences are ASCII but for what they carry
				if r < utf8.RuneSelf {
					b.WriteRune(r)
				} else {
					b.WriteByte('?')
				}
			}
		case width == 0: // a line break, or a mark that draws nothing alone: nothing to write in ASCII
			if seq[0] < utf8.RuneSelf {
				b.WriteString(seq)
			}
		default:
			b.WriteString(asciiCells(seq, width))
		}
		s = s[n:]
	}
	return b.String()
}

// punctuation has an ASCII twin of the same width.
var punctuation = map[rune]string{
	'‘': "'", '’': "'", '‚': "'", '“': `"`, '”': `"`, '„': `"`, '–': "-", '—': "-", '−': "-",
	'…': ".", '•': "*", '●': "*", '·': ".", '▶': ">", '→': ">", '▲': "^", '▼': "v", '│': "|",
	'\u00a0': " ", '«': "<", '»': ">",
}

// asciiCells is a grapheme written in ASCII in width cells.
func asciiCells(g string, width int) string {
	if !strings.ContainsFunc(g, func(r rune) bool { return r >= utf8.RuneSelf }) {
		return g
	}
	r, _ := utf8.DecodeRuneInString(g)
	if p, ok := punctuation[r]; ok && width == 1 {
		return p
	}
	var base strings.Builder
	for _, d := range norm.NFD.String(g) {
		switch {
		case d < utf8.RuneSelf:
			base.WriteRune(d)
		case unicode.Is(unicode.Mn, d): // an accent: dropped
		default:
			return strings.Repeat("?", width)
		}
	}
	if s := base.String(); len(s) == width {
		return s
	}
	return strings.Repeat("?", width)
}

// Writer writes what it is given in ASCII (ASCII) to W: the output of a
// program to a terminal whose locale is not UTF-8. A character cut
// between two writes waits for the rest.
type Writer struct {
	W    io.Writer
	held []byte
}

// Write writes p in ASCII; it reports all of p written.
func (a *Writer) Write(p []byte) (int, error) {
	in := append(a.held, p...)
	a.held = nil
	if cut := incomplete(in); cut > 0 {
		a.held = append([]byte(nil), in[len(in)-cut:]...)
		in = in[:len(in)-cut]
	}
	if _, err := io.WriteString(a.W, ASCII(string(in))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// incomplete is the length of a UTF-8 sequence b ends in before it is
// whole, 0 when it ends whole.
func incomplete(b []byte) int {
	for n := 1; n <= min(len(b), utf8.UTFMax-1); n++ {
		c := b[len(b)-n]
		if c < utf8.RuneSelf {
			return 0
		}
		if utf8.RuneStart(c) {
			if utf8.FullRune(b[len(b)-n:]) {
				return 0
			}
			return n
		}
	}
	return 0
}
