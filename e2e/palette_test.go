package e2e

import "testing"

// TestPaletteInOneBurst: the palette opened, filtered and run in one
// burst of keys, as they arrive over SSH, switches the view by name and
// then sorts it.
func TestPaletteInOneBurst(t *testing.T) {
	s := start(t, 80, 24, nil, "--demo", "--demo-threads", "60")
	s.waitText("[1 Inbox", "1/")
	s.literal(":view esc")
	s.keys("Enter")
	s.waitText("[2 Escalated")
	s.literal(":sort title")
	s.keys("Enter")
	s.waitText("sort: title, A to Z")
	s.keys("q")
	if st := s.waitExit(); st != "0" {
		t.Errorf("exit status %s", st)
	}
}
