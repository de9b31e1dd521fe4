package cells

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestASCIIKeepsWidths(t *testing.T) {
	for in, want := range map[string]string{
		"Émile Müller":           "Emile Muller",
		"naïve café":             "naive cafe",
		"e\u0301 combining":      "e combining",
		"🚀 launch":               "?? launch",
		"漢字":                     "????",
		"“quotes” — and… ’s":     `"quotes" - and. 's`,
		"👨\u200d👩\u200d👧 family": strings.Repeat("?", ansi.StringWidthWc("👨\u200d👩\u200d👧")) + " family",
		"Ærø ß":                  "?r? ?",
		"\x1b[1mbold é\x1b[m":    "\x1b[1mbold e\x1b[m",
		"plain ASCII":            "plain ASCII",
	} {
		got := ASCII(in)
		if got != want {
			t.Errorf("ASCII(%q) = %q, want %q", in, got, want)
		}
		if ansi.StringWidthWc(got) != ansi.StringWidthWc(in) {
			t.Errorf("%q: width %d, was %d", in, ansi.StringWidthWc(got), ansi.StringWidthWc(in))
		}
	}
}

// TestWriterWaitsForACutCharacter: a character cut between two writes
// is written whole, in ASCII, and nothing of 0x80 or above goes out.
func TestWriterWaitsForACutCharacter(t *testing.T) {
	var out strings.Builder
	w := &Writer{W: &out}
	text := []byte("Émile → 🚀 done\n")
	for i := range text {
		if n, err := w.Write(text[i : i+1]); n != 1 || err != nil {
			t.Fatalf("wrote %d, %v", n, err)
		}
	}
	if got := out.String(); got != "Emile > ?? done\n" {
		t.Errorf("%q", got)
	}
}

func TestTruncateCutsInCells(t *testing.T) {
	for _, c := range []struct {
		in   string
		w    int
		want string
	}{
		{"plain text", 6, "plain…"},
		{"🚀🚀🚀", 5, "🚀🚀…"},
		{"short", 9, "short"},
		{"\x1b[1mbold text\x1b[m", 5, "\x1b[1mbold…\x1b[m"},
	} {
		if got := Truncate(c.in, c.w, "…"); got != c.want || Width(got) > c.w {
			t.Errorf("Truncate(%q, %d) = %q, want %q", c.in, c.w, got, c.want)
		}
	}
}
