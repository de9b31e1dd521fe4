package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var loadingRE = regexp.MustCompile(`loading ([0-9,]+)/([0-9,]+)`)

// loaded reads "loading N/M" from the status line; ok is false when the
// view is not loading.
func loaded(screen string) (n int, ok bool) {
	m := loadingRE.FindStringSubmatch(screen)
	if m == nil {
		return 0, false
	}
	n, _ = strconv.Atoi(strings.ReplaceAll(m[1], ",", ""))
	return n, true
}

// TestHundredThousandThreads is issue 5's acceptance run: with 100,000
// demo threads the inbox shows rows while loading goes on, the search
// narrows as it is typed, views switch and come back without a reload, the
// detail shows, and nothing freezes.
func TestHundredThousandThreads(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 100,000 threads")
	}
	// Columns with room for the tags, which the search below checks.
	cfg := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(cfg, []byte(`columns = ["flags", "title", "tags", "updated"]`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := start(t, 120, 40, nil, "--demo", "--demo-threads", "100000", "--config", cfg)
	scr := s.waitFor("rows while loading", func(scr string) bool {
		_, loading := loaded(scr)
		return loading && strings.Contains(scr, "[1 Inbox") && strings.Contains(scr, "GDPR data deletion request")
	})
	first, _ := loaded(scr)

	// Keys work while loading: move, then search as it is typed.
	s.literal("jjj")
	s.waitText("4/")
	s.literal("/tag:vip")
	s.waitText("/tag:vip")
	s.literal(" -is:escalated")
	s.keys("Enter")
	scr = s.waitText("/tag:vip -is:escalated: ")
	rows := tableRows(scr)
	if len(rows) == 0 {
		t.Fatalf("the search shows no rows:\n%s", scr)
	}
	for _, r := range rows {
		if !strings.Contains(r, "vip") || strings.Contains(r[5:10], "E") {
			t.Errorf("row does not match tag:vip -is:escalated: %q", r)
		}
	}

	// Views switch; the inbox comes back at once with what it had.
	s.literal("]")
	s.waitText("[2 Escalated")
	s.literal("[")
	scr = s.waitText("[1 Inbox")
	if n, loading := loaded(scr); loading && n < first {
		t.Errorf("coming back, the inbox shows %d loaded, fewer than the %d it had", n, first)
	}
	s.keys("Escape") // clear the search; wait, or esc and enter read as alt+enter
	s.waitFor("the search cleared", func(scr string) bool { return !strings.Contains(scr, "/tag:vip") })
	// The detail pane reads the thread under the cursor.
	s.keys("Enter")
	s.waitText("Detail", "Started", "Conversation (")

	// Nothing froze: the load advances (or ends) while we work.
	s.waitFor("the load to advance", func(scr string) bool {
		n, loading := loaded(scr)
		return !loading || n > first
	})
	s.keys("q", "q") // the first closes the detail pane, the second quits
	if st := s.waitExit(); st != "0" {
		t.Errorf("exit status %s", st)
	}
}

// tableRows are the screen's thread rows (after the bar and the header,
// before the status and hint lines).
func tableRows(screen string) []string {
	lines := strings.Split(strings.TrimRight(screen, "\n"), "\n")
	var rows []string
	for _, l := range lines[2 : len(lines)-2] {
		if strings.TrimSpace(l) != "" {
			rows = append(rows, l)
		}
	}
	return rows
}
