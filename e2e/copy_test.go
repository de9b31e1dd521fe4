package e2e

import (
	"os/exec"
	"strings"
	"testing"
)

// TestCopyIDsReachTheClipboard: in tmux with its default set-clipboard
// (external), where a program's OSC 52 is ignored, y copies the marked
// threads' ids with tmux's own buffer command, which also hands them to
// the terminal tmux runs in; with set-clipboard off the console says the
// ids are in tmux's buffer only, and what to set.
func TestCopyIDsReachTheClipboard(t *testing.T) {
	for _, c := range []struct{ setClipboard, says string }{
		{"", "Copied 2 ids to tmux's buffer and your terminal's clipboard"},
		{"off", "set -g set-clipboard external"},
	} {
		s := start(t, 120, 24, nil, "--demo", "--demo-threads", "30")
		if c.setClipboard != "" {
			s.tmux("set-option", "-s", "set-clipboard", c.setClipboard)
		}
		s.waitText("[1 Inbox", "1/")
		s.literal("xjx")
		s.waitText("2 marked")
		s.keys("y")
		s.waitText(c.says)
		out, err := exec.Command("tmux", "-L", s.socket, "show-buffer").Output()
		ids := strings.Split(string(out), "\n")
		if err != nil || len(ids) != 2 || ids[0] == ids[1] || !strings.HasPrefix(ids[0], "th_") || !strings.HasPrefix(ids[1], "th_") {
			t.Errorf("set-clipboard %q: tmux's buffer holds %q (%v)", c.setClipboard, out, err)
		}
		s.keys("q")
		s.waitExit()
	}
}
