package ui

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"triage/api"
	"triage/sanitize"
)

// thousands formats n with separators: 12,345.
func thousands(n int) string {
	s := strconv.Itoa(n)
	if n < 0 || len(s) <= 3 {
		return s
	}
	var b strings.Builder
	lead := len(s) % 3
	if lead > 0 {
		b.WriteString(s[:lead])
	}
	for i := lead; i < len(s); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

// plural is "1 thread", "2 threads", "1,234 threads".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return thousands(n) + " " + noun + "s"
}

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
			s = truncateWc(s, w, ellipsis)
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

// truncateWc cuts s to at most w cells by wcwidth, rune by rune, ending
// in tail; escape sequences (styles) pass through at no width. (The ansi
// package's TruncateWc does not cut some emoji sequences: a thumbs up
// with a skin tone kept its full width.)
func truncateWc(s string, w int, tail string) string {
	limit := w - ansi.StringWidthWc(tail)
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
		rw := ansi.StringWidthWc(string(r))
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

// age is a compact relative time: now, 5m, 3h, 2d, 4w, 3mo, 2y.
func age(now, t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "now"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + "m"
	case d < 24*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + "h"
	case d < 14*24*time.Hour:
		return strconv.Itoa(int(d/(24*time.Hour))) + "d"
	case d < 60*24*time.Hour:
		return strconv.Itoa(int(d/(7*24*time.Hour))) + "w"
	case d < 365*24*time.Hour:
		return strconv.Itoa(int(d/(30*24*time.Hour))) + "mo"
	}
	return strconv.Itoa(int(d/(365*24*time.Hour))) + "y"
}

// when is an absolute time with its age: "2026-11-23 14:05 UTC (3h ago)".
func when(t, now time.Time) string {
	if t.IsZero() {
		return "-"
	}
	rel := age(now, t) + " ago"
	if rel == "now ago" {
		rel = "just now"
	}
	return t.UTC().Format("2006-01-02 15:04 UTC") + " (" + rel + ")"
}

func tooSmall(w, h int) string {
	return fmt.Sprintf("Terminal too small: %dx%d.\nNeed at least %dx%d.", w, h, minWidth, minHeight)
}

func restoredText(threads, fields int) string {
	return fmt.Sprintf("Restored %s on %s (p to review)", plural(fields, "change"), plural(threads, "thread"))
}

// describeError is an error for the status line: what the server said
// first, then what to check, then the details that are cut first when the
// line is short.
func describeError(err error) string {
	e, ok := api.AsError(err)
	if !ok {
		return sanitize.Line(err.Error())
	}
	var b strings.Builder
	if e.Status != 0 {
		b.WriteString(strconv.Itoa(e.Status) + " ")
	}
	switch {
	case e.Snippet != "" || e.Err != nil && e.Message == "":
		ct := e.ContentType
		if ct == "" {
			ct = "a body"
		}
		b.WriteString("answered with " + ct + ", not the API's JSON")
		if e.Err != nil {
			b.WriteString(" (" + e.Err.Error() + ")")
		}
	case e.Message != "":
		b.WriteString(e.Message)
		if e.Code != "" {
			b.WriteString(" (" + e.Code + ")")
		}
	default:
		b.WriteString(e.StatusText())
	}
	switch {
	case errors.Is(err, api.ErrUnauthorized):
		b.WriteString(", check the API key")
	case errors.Is(err, api.ErrForbidden):
		b.WriteString(", the key's plan does not allow this chatbot")
	case errors.Is(err, api.ErrNotFound):
		b.WriteString(", check the chatbot id and base URL")
	case errors.Is(err, api.ErrNotJSON):
		b.WriteString(", a proxy or the wrong base URL?")
	}
	for i, f := range e.Fields {
		if i == 2 {
			b.WriteString(fmt.Sprintf("; %d more", len(e.Fields)-2))
			break
		}
		b.WriteString("; " + f.String())
	}
	if e.Snippet != "" {
		b.WriteString(": " + strconv.Quote(e.Snippet))
	}
	if e.RetryAfter > 0 {
		b.WriteString(" (retry after " + e.RetryAfter.Round(time.Second).String() + ")")
	}
	if e.Attempts > 1 {
		b.WriteString(fmt.Sprintf(" (after %d attempts)", e.Attempts))
	}
	return sanitize.Line(b.String())
}
