// Package sanitize makes text from the server safe to draw in a terminal:
// it removes C0 and C1 control characters, escape sequences (CSI, OSC, DCS
// and the rest), bidirectional overrides and invisible format characters,
// so no title, name or error message can move the cursor, retitle the
// window, reorder the screen or be measured narrower than it draws.
package sanitize

import (
	"strings"
	"unicode/utf8"
)

// Line returns s made safe for a single line: newlines and tabs become
// spaces, everything that could control the terminal is removed. A string
// that needs no change is returned as is, without allocating.
func Line(s string) string { return clean(s, false) }

// Text is Line for multi-line text: newlines are kept, tabs become spaces.
func Text(s string) string { return clean(s, true) }

func clean(s string, keepNewlines bool) string {
	if isSafe(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			b.WriteRune(utf8.RuneError)
			i++
			continue
		case r == 0x1b:
			i = skipEscape(s, i+1)
			continue
		case r == 0x9b: // C1 CSI
			i = skipCSI(s, i+size)
			continue
		case r == 0x90 || r == 0x9d || r == 0x98 || r == 0x9e || r == 0x9f: // C1 DCS, OSC, SOS, PM, APC
			i = skipString(s, i+size)
			continue
		case keepNewlines && r == '\n':
			b.WriteByte('\n')
		case keepNewlines && r == '\t':
			b.WriteString("    ")
		case !keepNewlines && (r == '\n' || r == '\t' || r == '\r'):
			b.WriteByte(' ')
		case isControl(r) || isBidi(r) || isFormat(r):
			// dropped
		default:
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}

// isSafe is the fast path: printable ASCII only.
func isSafe(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return isSafeSlow(s[i:])
		}
	}
	return true
}

func isSafeSlow(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError || isControl(r) || isBidi(r) || isFormat(r) {
			return false
		}
	}
	return utf8.ValidString(s)
}

func isControl(r rune) bool {
	return r < 0x20 || r >= 0x7f && r < 0xa0
}

// isBidi reports the characters that override or isolate text direction,
// with which a string can display differently from what it is.
func isBidi(r rune) bool {
	switch {
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	case r == 0x200e || r == 0x200f || r == 0x061c:
		return true
	}
	return false
}

// isFormat reports invisible format characters: zero-width spaces and
// joiners, the byte-order mark, line and paragraph separators, the soft
// hyphen, tag characters and interlinear annotations. They draw nothing,
// yet terminals and width tables disagree about them, so a row measured
// one way is drawn another.
func isFormat(r rune) bool {
	switch {
	case r >= 0x200b && r <= 0x200d, r == 0xfeff, r == 0x2028, r == 0x2029, r == 0x00ad:
		return true
	case r >= 0xe0000 && r <= 0xe007f, r >= 0xfff9 && r <= 0xfffb:
		return true
	}
	return false
}

// skipEscape skips the sequence after an ESC at s[i-1] and returns the
// index of the first byte after it.
func skipEscape(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch s[i] {
	case '[':
		return skipCSI(s, i+1)
	case ']', 'P', 'X', '^', '_':
		return skipString(s, i+1)
	}
	// Two-byte sequences (ESC 7, ESC c, ...) and intermediates (ESC ( B).
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
		i++
	}
	if i < len(s) && s[i] >= 0x30 && s[i] <= 0x7e {
		i++
	}
	return i
}

// skipCSI skips parameter and intermediate bytes and the final byte.
func skipCSI(s string, i int) int {
	for i < len(s) {
		c := s[i]
		i++
		if c >= 0x40 && c <= 0x7e {
			return i
		}
		if c < 0x20 || c > 0x3f && c < 0x40 {
			return i
		}
	}
	return i
}

// skipString skips an OSC/DCS/APC/PM/SOS body up to its terminator: BEL,
// ESC \ or the C1 ST, or to the end of s.
func skipString(s string, i int) int {
	for i < len(s) {
		switch {
		case s[i] == 0x07:
			return i + 1
		case s[i] == 0x1b:
			if i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
			return i + 1
		case strings.HasPrefix(s[i:], "\u009c"):
			return i + len("\u009c")
		}
		i++
	}
	return i
}
