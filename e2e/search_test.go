package e2e

import (
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
