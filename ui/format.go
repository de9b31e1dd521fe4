package ui

import (
	"fmt"
	"strings"
	"time"
	"triage/cells"
	"triage/words"

	"github.com/charmbracelet/x/ansi"
)

// fit pads or truncates s to exactly w cells, measured as the renderer
// measures them: by wcwidth, its default, which it keeps in tmux and over
// SSH (it measures grapheme clusters only for terminals that report
// mode 2027). Measured by clusters, a ZWJ sequence or a skin tone reads
// narrower than it draws and pushes the row past the edge.
func fit(s string, w int, right bool, ellipsis string) string {
	sw, plain := plainWidth(s)
	if !plain {
		sw = ansi.StringWidthWc(s)
	}
	if sw > w {
		if plain && w >= len(ellipsis) && isASCII(ellipsis) {
			s = s[:w-len(ellipsis)] + ellipsis
		} else {
			s = cells.Truncate(s, w, ellipsis)
		}
		sw = ansi.StringWidthWc(s)
	}
	if sw == w {
		return s
	}
	pad := strings.Repeat(" ", max(0, w-sw))
	if right {
		return pad + s
	}
	return s + pad
}

// plainWidth is the width of printable ASCII text, which is its length;
// plain is false when s holds anything else and needs the full measure.
func plainWidth(s string) (int, bool) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return 0, false
		}
	}
	return len(s), true
}

// isASCII reports whether s is plain ASCII.
func isASCII(s string) bool {
	_, plain := plainWidth(s)
	return plain
}

// wrapLines wraps text to width for an info block.
func wrapLines(text string, width int) []string {
	return strings.Split(ansi.WordwrapWc(text, width, ""), "\n")
}

func pick(cond bool, yes, no string) string {
	if cond {
		return yes
	}
	return no
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// when is an absolute time with its age: "2026-11-23 14:05 UTC (3h ago)".
func when(t, now time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04 UTC") + " (" + words.Ago(now, t) + ")"
}

func tooSmall(w, h int) string {
	return fmt.Sprintf("Terminal too small: %dx%d.\nNeed at least %dx%d.", w, h, minWidth, minHeight)
}

func restoredText(threads, fields int) string {
	return fmt.Sprintf("Restored %s on %s (p to review)", words.Plural(fields, "change"), words.Plural(threads, "thread"))
}
