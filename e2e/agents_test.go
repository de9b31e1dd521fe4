package e2e

import (
	"slices"
	"testing"
)

// TestTwoAgentsOnOneDemoServer is the two-agent case by hand: agents A
// and B each run a console on one `triage demo-server`; both loaded the
// same thread; A adds +alpha and sends, then B adds +beta and sends. The
// server keeps both tags.
func TestTwoAgentsOnOneDemoServer(t *testing.T) {
	_, key, base, bot := runDemoServer(t, "--threads", "40")
	a, b := agentOn(t, key, base, bot), agentOn(t, key, base, bot)
	a.waitText("[1 Inbox", "1/")
	b.waitText("[1 Inbox", "1/")
	var page struct {
		Data struct {
			Threads []struct {
				ID   string   `json:"id"`
				Tags []string `json:"tags"`
			} `json:"threads"`
		} `json:"data"`
	}
	inbox := base + "/chatting/" + bot + "/threads?resolved=false&archived=false&limit=1"
	getJSON(t, key, inbox, &page)
	x := page.Data.Threads[0]

	a.literal("t+alpha")
	a.keys("Enter")
	a.waitText("Tags +alpha queued on 1 thread")
	a.send()
	a.waitText("Sent 1 change to 1 thread")

	b.literal("t+beta") // B still shows the thread as it was before A's send
	b.keys("Enter")
	b.waitText("Tags +beta queued on 1 thread")
	b.send()
	b.waitText("Sent 1 change to 1 thread")

	getJSON(t, key, inbox, &page)
	got := page.Data.Threads[0]
	if got.ID != x.ID || !slices.Contains(got.Tags, "alpha") || !slices.Contains(got.Tags, "beta") {
		t.Errorf("the server holds %s with %v; want %s with alpha and beta besides %v", got.ID, got.Tags, x.ID, x.Tags)
	}
	for _, s := range []*session{a, b} {
		s.keys("q")
		if st := s.waitExit(); st != "0" {
			t.Errorf("exit status %s", st)
		}
	}
}
