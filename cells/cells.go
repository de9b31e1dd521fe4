// Package cells measures, cuts and writes text in the cells of a
// terminal as the console's renderer counts them: by wcwidth, which it
// keeps in tmux and over SSH. The console and the command line both use
// it, so a table lines up the same in either, and both write ASCII of the
// same widths to a terminal whose locale is not UTF-8.
package cells

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Width is how many cells s takes; escape sequences take none.
func Width(s string) int { return ansi.StringWidthWc(s) }

// Truncate cuts s to at most w cells, rune by rune, ending in tail when
// it cuts (s as it is when it fits); escape sequences (styles) pass
// through at no width, and a style cut short is reset. (The ansi
// package's TruncateWc does not cut some emoji sequences: a thumbs up
// with a skin tone kept its full width.)
func Truncate(s string, w int, tail string) string {
	if Width(s) <= w {
		return s
	}
	limit := w - Width(tail)
	if limit < 0 {
		return ""
	}
	var b strings.Builder
	used, styled := 0, false
	for i := 0; i < len(s); {
		if s[i] == 0x1b { // a style: copy it whole
			n := escapeLen(s[i:])
			b.WriteString(s[i : i+n])
			i, styled = i+n, true
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		rw := Width(string(r))
		if used+rw > limit {
			b.WriteString(tail)
			if styled {
				b.WriteString(ansi.ResetStyle)
			}
			return b.String()
		}
		b.WriteRune(r)
		used += rw
		i += size
	}
	return b.String()
}

// escapeLen is the length of the escape sequence s starts with: a CSI up
// to its final byte, or an OSC up to its terminator.
func escapeLen(s string) int {
	if len(s) < 2 {
		return len(s)
	}
	switch s[1] {
	case '[':
		for i := 2; i < len(s); i++ {
			if s[i] >= 0x40 && s[i] <= 0x7e {
				return i + 1
			}
		}
	case ']':
		for i := 2; i < len(s); i++ {
			if s[i] == 0x07 {
				return i + 1
			}
			if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
		}
	default:
		return 2
	}
	return len(s)
}
