package e2e

import (
	"fmt"
	"strings"
	"testing"
)

// TestReadDecideNext: at 80x24 and 200x50, open the pane (the thread is
// read: its conversation shows), open the reader, act on the thread it
// shows, go to the next, come back with esc, and send: the server holds
// the change on the thread that was read.
func TestReadDecideNext(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {200, 50}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			srv, base := server(t, 40)
			s := start(t, size[0], size[1], []string{"CONTEXTGPT_API_KEY=e2e-key", "XDG_STATE_HOME=" + t.TempDir()},
				"--base-url", base, "--chatbot", "361628903185318481")
			s.waitText("[1 Inbox", "1/")
			first := inbox(srv.Threads())[0]
			s.keys("Enter")
			s.waitText("Detail", "Conversation (", "Internal notes")
			s.keys("Enter")
			scr := s.waitText("lines ", "J next thread")
			if !strings.Contains(scr, "Visitor ·") && !strings.Contains(scr, "Bot ·") {
				t.Errorf("the reader shows no message:\n%s", scr)
			}
			s.literal("i") // important, on the thread shown
			s.waitText("important set on 1 thread")
			s.literal("J")
			s.waitText("2/")
			s.keys("Escape")
			s.waitFor("the list", func(scr string) bool { return !strings.Contains(scr, "J next thread") })
			s.send()
			waitPatches(t, srv, 1)
			s.waitText("Sent ")
			if got, _ := srv.Thread(first.ID); got.Important == first.Important {
				t.Errorf("the thread read was not changed: important %v", got.Important)
			}
			s.keys("q", "q")
			if st := s.waitExit(); st != "0" {
				t.Errorf("exit status %s", st)
			}
		})
	}
}
