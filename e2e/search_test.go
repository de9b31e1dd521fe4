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
