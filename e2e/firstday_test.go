package e2e

import (
	"strings"
	"testing"

	"triage/api"
)

// cursorRow is the screen's cursor row (the line starting with the cursor
// glyph), without its gutter.
func cursorRow(scr string) string {
	for _, l := range strings.Split(scr, "\n") {
		if strings.HasPrefix(l, "▶") {
			return strings.TrimSpace(l[len("▶"):])
		}
	}
	return ""
}

// TestFirstDayAt80x24 walks what a first-day agent tripped on, at 80x24
// with keys in bursts: the active view in the bar, the search cursor and
// esc, esc then a key in one read, the detail pane's esc and q, the
// cursor after r, and the footer's ? help.
func TestFirstDayAt80x24(t *testing.T) {
	srv, base := server(t, 300)
	s := start(t, 80, 24, []string{"CONTEXTGPT_API_KEY=e2e-key", "XDG_STATE_HOME=" + t.TempDir()},
		"--base-url", base, "--chatbot", "361628903185318481")
	scr := s.waitText("[1 Inbox", "1/")
	lines := strings.Split(strings.TrimRight(scr, "\n"), "\n")
	if footer := strings.TrimSpace(lines[len(lines)-1]); !strings.HasSuffix(footer, "? help") {
		t.Errorf("the footer %q does not end with ? help", footer)
	}

	s.literal("6") // item 2: the last view is active and shown whole
	s.waitText("[6 All ")
	s.literal("1")
	s.waitText("[1 Inbox ")

	s.literal("jjjjjjjjjj") // item 1: the search puts the cursor on the first match
	s.waitText(" 11/")
	was := cursorRow(s.screen())
	s.literal("/tag:refund -is:esc")
	s.waitFor("the cursor on the first match", func(scr string) bool {
		return strings.Contains(scr, "/tag:refund -is:esc") && strings.Contains(scr, " 1/")
	})
	s.keys("Escape")
	scr = s.waitText(" 11/")
	if got := cursorRow(scr); got != was {
		t.Errorf("esc brought the cursor to %q, not back to %q", got, was)
	}

	s.literal("/refund")
	s.waitText("/refund")
	s.keys("Escape", "j") // item 8: one read, esc then j
	s.waitText(" 12/")
	s.literal("/refund")
	s.waitText("/refund")
	s.keys("Escape", "R") // one read as alt+shift+r: esc, then the reader (not r, refresh)
	s.waitFor("the reader", func(scr string) bool { return strings.Contains(scr, "· lines ") && !strings.Contains(scr, "/refund") })
	s.keys("Escape")
	s.waitFor("the reader closed", func(scr string) bool { return !strings.Contains(scr, "· lines ") })

	s.keys("Enter") // item 4: the detail pane closes with esc, and with q
	s.waitText("Detail")
	s.keys("Escape")
	s.waitFor("the pane closed", func(scr string) bool { return !strings.Contains(scr, "Detail") })
	s.keys("Enter")
	s.waitText("Detail")
	s.literal("q")
	s.waitFor("the pane closed by q", func(scr string) bool { return !strings.Contains(scr, "Detail") })

	was = cursorRow(s.screen()) // item 7: r keeps the cursor on its thread
	for _, th := range inbox(srv.Threads())[20:24] {
		srv.Change(th.ID, func(t *api.Thread) { t.Important = !t.Important })
	}
	s.literal("r")
	scr = s.waitText(" 16/") // four threads from below moved above it
	if got := cursorRow(scr); got != was {
		t.Errorf("after r the cursor is on %q, not %q", got, was)
	}
	s.literal("q")
	if st := s.waitExit(); st != "0" {
		t.Errorf("exit status %s", st)
	}
}
