package sanitize

import (
	"strings"
	"testing"
)

// introducers open the sequences whose bodies must never reach the screen.
var introducers = []string{"\x1b]", "\x1bP", "\x1bX", "\x1b^", "\x1b_", "\u009d", "\u0090", "\u0098", "\u009e", "\u009f", "\x1b[", "\u009b"}

// stringTerminators end an OSC, DCS, SOS, PM or APC body.
var stringTerminators = []string{"\x07", "\x1b\\", "\u009c"}

// sequence is intro, a body made fit for it, and a terminator chosen by k:
// a string's body holds no terminator, ESC or C1 (the UTF-8 lead 0xC2 is
// left out), a CSI's only parameter and intermediate bytes and the C0
// controls a terminal executes among them.
func sequence(intro, body string, k uint8) (open, term string) {
	isCSI := strings.HasSuffix(intro, "[") || intro == "\u009b"
	var b strings.Builder
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case c == 0x07 || c == 0x18 || c == 0x1a || c == 0x1b || c == 0xc2:
		case isCSI && c >= 0x40:
		default:
			b.WriteByte(c)
		}
	}
	if isCSI {
		return intro + b.String(), string(rune(0x40 + k%63))
	}
	return intro + b.String(), stringTerminators[int(k)%len(stringTerminators)]
}

// FuzzSequenceBodies: whatever surrounds a control sequence, Line drops
// it whole: no ESC, no C1 and none of the bytes between its introducer and
// its terminator are left, also when the sequence is cut short by the next
// one or by the end of the text.
func FuzzSequenceBodies(f *testing.F) {
	f.Add("a", "APC ", "0;PWN", "b", uint8(9), uint8(0), uint8(1))
	f.Add("", "1;2", "2;title", "tail", uint8(10), uint8(0), uint8(0))
	f.Add("x", "q#0;2", "", "", uint8(1), uint8(3), uint8(2))
	f.Fuzz(func(t *testing.T, before, body1, body2, after string, k1, k2, shape uint8) {
		p, q := Line(before), Line(after)
		open1, term1 := sequence(introducers[int(k1)%len(introducers)], body1, k2)
		var s, want string
		switch shape % 3 {
		case 0: // terminated
			s, want = p+open1+term1+q, p+q
		case 1: // cut short by the next sequence, itself terminated
			open2, term2 := sequence(introducers[int(k2)%5], body2, k1) // ESC-introduced, as terminals start one
			s, want = p+open1+open2+term2+q, p+q
		default: // cut short by the end of the text
			s, want = p+open1, p
		}
		out := Line(s)
		if out != want {
			t.Fatalf("Line(%q) = %q, want %q", s, out, want)
		}
		for _, r := range out {
			if r == 0x1b || r >= 0x80 && r <= 0x9f {
				t.Fatalf("Line(%q) kept %U", s, r)
			}
		}
	})
}
