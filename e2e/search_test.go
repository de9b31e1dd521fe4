package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestSearchFindsWordForms: at 80x24, /refunds finds the demo's "Refund
// for order …" threads, by the word's stem.
func TestSearchFindsWordForms(t *testing.T) {
	s := start(t, 80, 24, nil, "--demo")
	s.waitText("[1 Inbox", "1/")
	s.literal("/refunds")
	s.keys("Enter")
	scr := s.waitText("/refunds: ")
	if !strings.Contains(scr, "Refund for order") || strings.Contains(scr, "No threads match") {
		t.Errorf("/refunds did not find the refund threads:\n%s", scr)
	}
	for _, r := range tableRows(scr) {
		if !strings.Contains(strings.ToLower(r), "refu") { // a cut tag cell still shows its start
			t.Errorf("a row without any form of refund: %q", r)
		}
	}
	s.keys("q")
	if st := s.waitExit(); st != "0" {
		t.Errorf("exit status %s", st)
	}
}

// TestASavedViewOpensWithView: a search saved as a view from the palette
// is there at the next start, and --view opens it.
func TestASavedViewOpensWithView(t *testing.T) {
	env := []string{"XDG_CONFIG_HOME=" + t.TempDir(), "XDG_STATE_HOME=" + t.TempDir()}
	s := start(t, 80, 24, env, "--demo")
	s.waitText("[1 Inbox", "1/")
	s.literal("/refunds")
	s.keys("Enter")
	s.waitText("/refunds: ")
	s.literal(":save view Refunds")
	s.keys("Enter")
	s.waitText("Saved the view “Refunds” (9)")
	s.keys("q")
	if st := s.waitExit(); st != "0" {
		t.Fatalf("exit status %s", st)
	}
	again := start(t, 80, 24, env, "--demo", "--view", "refunds")
	scr := again.waitText("Refund for order", "1/")
	if !strings.Contains(scr, "[9 Refunds") && !strings.Contains(scr, "[9 Refu") {
		t.Errorf("--view refunds did not open the saved view:\n%s", scr)
	}
	again.keys("q")
	if st := again.waitExit(); st != "0" {
		t.Errorf("exit status %s", st)
	}
}

// TestAPhraseSaidOnlyInAConversationIsFound: at 80x24, with the
// conversations prefetched (a large share, so the demo's 30 are read in
// seconds), a phrase no title holds finds the threads whose visitor said
// it, and the search line says every conversation of the view was
// searched; the next start, prefetching off, finds them from the
// conversations kept on disk.
func TestAPhraseSaidOnlyInAConversationIsFound(t *testing.T) {
	dir := t.TempDir()
	config := func(share int) string {
		path := filepath.Join(dir, fmt.Sprintf("share-%d.toml", share))
		if err := os.WriteFile(path, []byte(fmt.Sprintf("prefetch_share = %d\n", share)), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	env := []string{"XDG_CACHE_HOME=" + t.TempDir(), "XDG_STATE_HOME=" + t.TempDir()}
	covered := regexp.MustCompile(`conversations of (\d+) of (\d+)`)
	everyOne := func(scr string) bool {
		m := covered.FindStringSubmatch(scr)
		return m != nil && m[1] == m[2] && len(tableRows(scr)) > 0
	}
	search := func(s *session) string {
		s.literal(`/"charged twice"`)
		s.keys("Enter")
		return s.waitFor("the phrase found in every conversation of the view", everyOne)
	}
	s := start(t, 80, 24, env, "--demo", "--demo-threads", "30", "--config", config(50))
	s.waitText("[1 Inbox", "1/")
	scr := search(s)
	for _, r := range tableRows(scr) {
		if strings.Contains(strings.ToLower(r), "charged") {
			t.Errorf("a title holds the phrase, so it proves nothing: %q", r)
		}
	}
	found := len(tableRows(scr))
	s.keys("q")
	if st := s.waitExit(); st != "0" {
		t.Fatalf("exit status %s", st)
	}
	again := start(t, 80, 24, env, "--demo", "--demo-threads", "30", "--config", config(0))
	again.waitText("[1 Inbox", "1/")
	if scr := search(again); len(tableRows(scr)) != found {
		t.Errorf("from the conversations kept: %d rows, before %d:\n%s", len(tableRows(scr)), found, scr)
	}
	again.keys("q")
	if st := again.waitExit(); st != "0" {
		t.Errorf("exit status %s", st)
	}
}
