package e2e

import (
	"os/exec"
	"strings"
	"testing"
)

// TestCopyIDsReachTheClipboard: in tmux with set-clipboard on, y sends the
// marked threads' ids with OSC 52 and tmux takes them into its buffer, as
// the agent's terminal would into the clipboard.
func TestCopyIDsReachTheClipboard(t *testing.T) {
	s := start(t, 80, 24, nil, "--demo", "--demo-threads", "30")
	s.tmux("set-option", "-s", "set-clipboard", "on")
	s.waitText("[1 Inbox", "1/")
	s.literal("xjx")
	s.waitText("2 marked")
	s.keys("y")
	s.waitText("Copied 2 ids to the clipboard")
	var buf string
	s.waitFor("the ids in tmux's buffer", func(string) bool {
		out, err := exec.Command("tmux", "-L", s.socket, "show-buffer").Output() // fails until there is a buffer
		buf = string(out)
		return err == nil && strings.HasPrefix(buf, "th_")
	})
	ids := strings.Split(buf, "\n")
	if len(ids) != 2 || ids[0] == ids[1] || !strings.HasPrefix(ids[1], "th_") {
		t.Errorf("tmux's buffer holds %q", buf)
	}
	s.keys("q")
	s.waitExit()
}
