package e2e

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestMacroOnThreeMarkedThreads: an agent with a Spam macro marks three
// threads, presses its key, undoes and redoes it as one step, sends, and
// the server holds the macro's changes on exactly those three; where a
// thread already held notes the agent never read, those notes stay and
// the send says it held the macro's back.
func TestMacroOnThreeMarkedThreads(t *testing.T) {
	_, key, base, bot := runDemoServer(t, "--threads", "40")
	cfg := filepath.Join(t.TempDir(), "config.toml")
	macro := "agent_name = \"ana\"\n[[macros]]\nname = \"Spam\"\nkey = \"D\"\nresolved = true\narchived = true\n" +
		"tags = [\"+spam\", \"-vip\"]\nnotes = \"Closed as spam by {{.Agent}} on {{.Date}}.\"\n"
	if err := os.WriteFile(cfg, []byte(macro), 0o600); err != nil {
		t.Fatal(err)
	}
	var page struct {
		Data struct {
			Threads []struct {
				ID string `json:"id"`
			} `json:"threads"`
		} `json:"data"`
	}
	getJSON(t, key, base+"/chatting/"+bot+"/threads?resolved=false&archived=false&limit=3", &page)
	type detail struct {
		Data struct {
			Thread struct {
				Resolved      bool     `json:"resolved"`
				Archived      bool     `json:"archived"`
				Tags          []string `json:"tags"`
				InternalNotes string   `json:"internalNotes"`
			} `json:"thread"`
		} `json:"data"`
	}
	notes := map[string]string{} // what each held before
	for _, th := range page.Data.Threads {
		var d detail
		getJSON(t, key, base+"/chatting/"+bot+"/thread/"+th.ID, &d)
		notes[th.ID] = d.Data.Thread.InternalNotes
	}
	s := start(t, 80, 24, []string{"CONTEXTGPT_API_KEY=" + key, "XDG_STATE_HOME=" + t.TempDir()},
		"--config", cfg, "--base-url", base, "--chatbot", bot)
	s.waitText("[1 Inbox", "1/")
	s.literal("xjxjxD") // one burst, as keys arrive over SSH
	s.waitText("Macro Spam on 3 threads")
	s.literal("u")
	s.waitText("Undone: macro Spam")
	s.keys("C-r")
	s.waitText("Redone: macro Spam")
	s.send()
	s.waitText("to 3 threads", "Sent ")
	held := 0
	for _, th := range page.Data.Threads {
		var got detail
		getJSON(t, key, base+"/chatting/"+bot+"/thread/"+th.ID, &got)
		g := got.Data.Thread
		if !g.Resolved || !g.Archived || !slices.Contains(g.Tags, "spam") || slices.Contains(g.Tags, "vip") {
			t.Errorf("%s on the server: %+v", th.ID, g)
		}
		switch before := notes[th.ID]; {
		case before != "" && g.InternalNotes != before:
			t.Errorf("%s: notes the agent never saw were overwritten: %q, were %q", th.ID, g.InternalNotes, before)
		case before != "":
			held++
		case !strings.HasPrefix(g.InternalNotes, "Closed as spam by ana on "):
			t.Errorf("%s: notes %q", th.ID, g.InternalNotes)
		}
	}
	if held > 0 {
		s.waitText("conflict held back")
		s.keys("q")
		s.waitText("keep for next time")
		s.keys("k")
	} else {
		s.keys("q")
	}
	if st := s.waitExit(); st != "0" {
		t.Errorf("exit status %s", st)
	}
}
