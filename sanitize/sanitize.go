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
		case isC1Introducer(s[i:]): // C1 DCS, OSC, SOS, PM, APC
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

// A sequence ends at its final byte or terminator; CAN and SUB abort it.
// An ESC or a C1 introducer inside one also ends it, as terminals do, and
// starts the next sequence: so an unterminated string never leaves the
// body of the sequence after it on screen.
const (
	can = 0x18
	sub = 0x1a
)

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

// skipCSI skips parameter and intermediate bytes (and the C0 controls a
// terminal would execute among them) up to the final byte.
func skipCSI(s string, i int) int {
	for i < len(s) {
		c := s[i]
		switch {
		case c >= 0x40 && c <= 0x7e, c == can, c == sub:
			return i + 1
		case c == 0x1b || isC1Introducer(s[i:]):
			return i // the next sequence starts here
		}
		i++
	}
	return i
}

// skipString skips an OSC/DCS/APC/PM/SOS body up to its terminator: BEL,
// ESC \ or the C1 ST, or to the end of s.
func skipString(s string, i int) int {
	for i < len(s) {
		switch c := s[i]; {
		case c == 0x07, c == can, c == sub:
			return i + 1
		case c == 0x1b:
			if i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
			return i // the next sequence starts here
		case strings.HasPrefix(s[i:], "\u009c"):
			return i + len("\u009c")
		case isC1Introducer(s[i:]):
			return i
		}
		i++
	}
	return i
}

// isC1Introducer reports whether s starts with a C1 control that opens a
// sequence (CSI, DCS, OSC, SOS, PM, APC) in UTF-8: inside a sequence, it
// starts the next one.
func isC1Introducer(s string) bool {
	if len(s) < 2 || s[0] != 0xc2 {
		return false
	}
	switch s[1] {
	case 0x9b, 0x90, 0x9d, 0x98, 0x9e, 0x9f:
		return true
	}
	return false
}
