package sanitize

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLine(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain title", "plain title"},
		{"Chloé Müller", "Chloé Müller"},
		{"a\nb\tc\r", "a b c "},
		{"evil\x1b]0;pwned\x07title", "eviltitle"},
		{"evil\x1b]2;pwned\x1b\\title", "eviltitle"},
		{"red\x1b[31mtext\x1b[0m", "redtext"},
		{"clear\x1b[2J\x1b[Hscreen", "clearscreen"},
		{"dcs\x1bPq#0;2;0;0;0\x1b\\end", "dcsend"},
		{"c1\u009b31mcsi", "c1csi"},
		{"c1\u009d0;x\u009cosc", "c1osc"},
		{"bell\x07nul\x00del\x7f", "bellnuldel"},
		{"bidi \u202eevil\u202c \u2066x\u2069", "bidi evil x"},
		{"bad \xff utf8", "bad \uFFFD utf8"},
		{"unterminated \x1b]0;title", "unterminated "},
		{"trailing esc\x1b", "trailing esc"},
		{"charset \x1b(Bok", "charset ok"},
		// An unterminated string ends at the next sequence, which is skipped too.
		{"a\u009fAPC \x1b]0;PWN\x07b", "ab"},
		{"a\x1b]0;x\x1b[31mb", "ab"},
		{"a\x1b[1\x1b]0;PWN\x07b", "ab"},
		{"a\x1bPq\u009d0;PWN\u009cb", "ab"},
		{"a\x1b[3\n1mb", "ab"},
		{"a\x1b]0;x\x18b", "ab"},
	}
	for _, tt := range tests {
		if got := Line(tt.in); got != tt.want {
			t.Errorf("Line(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTextKeepsNewlines(t *testing.T) {
	if got := Text("one\ntwo\tthree\x1b[1m"); got != "one\ntwo    three" {
		t.Errorf("Text = %q", got)
	}
}

func TestCleanStringIsNotCopied(t *testing.T) {
	s := strings.Repeat("clean ", 10)
	if allocs := testing.AllocsPerRun(100, func() { _ = Line(s) }); allocs != 0 {
		t.Errorf("%v allocations for a clean string", allocs)
	}
}

func FuzzLine(f *testing.F) {
	for _, s := range []string{"a\x1b]0;x\x07b", "\u009b1m", "\u202e", "\xff\xfe", "ok",
		"👨\u200d👩\u200d👧\u200d👦 family", "👍🏽 skin", "e\u0301 combining", "\u0e01\u0e33 thai", "\u1100\u1161 jamo",
		"\ufeffbom\u00adsoft\u2028sep\U000e0041tag\ufff9ann"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Line(s)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 out of %q", s)
		}
		for _, r := range out {
			if isControl(r) || isBidi(r) || isFormat(r) {
				t.Fatalf("Line(%q) kept control or format character %U", s, r)
			}
		}
		if Line(out) != out {
			t.Fatalf("not idempotent on %q", s)
		}
	})
}
