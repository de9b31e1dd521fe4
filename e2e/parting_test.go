package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTheLastFrameKeepsTheEditsWord: what the console says as it leaves
// is drawn in its last frame and kept in a file under the state
// directory, so a terminal that drops what comes after the full screen
// (mosh) loses nothing. tmux is told to keep the full screen's last frame
// in the pane (alternate-screen off), where the test reads it.
func TestTheLastFrameKeepsTheEditsWord(t *testing.T) {
	_, base := server(t, 30)
	state := t.TempDir()
	s := startKeepingTheLastFrame(t, []string{"CONTEXTGPT_API_KEY=e2e-key", "XDG_STATE_HOME=" + state}, "--base-url", base, "--chatbot", "361628903185318481")
	s.waitText("[1 Inbox", "1/")
	s.keys("d")
	s.waitText("1 pending")
	s.keys("q")
	s.waitText("send now")
	s.keys("k")
	if st := s.waitExit(); st != "0" {
		t.Errorf("exit status %s", st)
	}
	file := filepath.Join(state, "triage", "last-exit.txt")
	b, err := os.ReadFile(file)
	if err != nil || !strings.Contains(string(b), "1 thread with edits kept for next time") {
		t.Fatalf("the parting words are not in %s: %q, %v", file, b, err)
	}
	// The frame's line says where the words are kept; the same words on
	// standard error, after the frame, do not.
	if scr := s.scrollback(); !strings.Contains(scr, "1 thread with edits kept for next time") || !strings.Contains(scr, ") (also in /") {
		t.Errorf("the last frame did not say it:\n%s", s.scrollback())
	}
}

// startKeepingTheLastFrame starts triage with args at 120x30 and tmux
// keeping the full screen's last frame in the pane after it leaves
// (alternate-screen off), so the test reads what that frame said.
func startKeepingTheLastFrame(t *testing.T, env []string, args ...string) *session {
	t.Helper()
	line := "read -r _ &&"
	for _, a := range append([]string{triageBin}, args...) {
		line += " " + shellQuote(a)
	}
	s := startShell(t, 120, 30, env, line)
	s.tmux("set-option", "-w", "-t", "main", "alternate-screen", "off")
	s.keys("Enter")
	return s
}

// TestASecondConsoleTakesOverTheFirst: an agent whose first console was
// left behind (a dropped connection) starts another; it offers to take
// over, the first saves its edits and quits, saying so in its last frame,
// and the second opens them.
func TestASecondConsoleTakesOverTheFirst(t *testing.T) {
	_, base := server(t, 30)
	env := []string{"CONTEXTGPT_API_KEY=e2e-key", "XDG_STATE_HOME=" + t.TempDir()}
	args := []string{"--base-url", base, "--chatbot", "361628903185318481"}
	first := startKeepingTheLastFrame(t, env, args...)
	first.waitText("[1 Inbox", "1/")
	first.keys("d", "j", "d")
	first.waitText("2 pending")
	second := start(t, 120, 30, env, args...)
	second.waitText("it last wrote the journal", "[t]ake over, [q]uit or [r]ead-only?")
	second.keys("t")
	if st := first.waitExit(); st != "0" {
		t.Errorf("the first console's exit status %s", st)
	}
	if scr := first.scrollback(); !strings.Contains(scr, "2 threads with edits kept for next time") || !strings.Contains(scr, ") (also in /") {
		t.Errorf("the first console's last frame did not say it kept its edits:\n%s", scr)
	}
	second.waitText("[1 Inbox", "2 pending")
	second.keys("q")
	second.waitText("send now")
	second.keys("k")
	if st := second.waitExit(); st != "0" {
		t.Errorf("the second console's exit status %s", st)
	}
}
