package e2e

import (
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Two agents on one host and one `triage demo-server`, each with a HOME
// of their own, sharing the presence directory: they see each other on
// the rows, a claim reaches the other's owner column, and an escalated
// arrival rings.

// teamConsole starts agent name's console at 120x30 on a demo server,
// polling every 5 s, with presence in dir; with record set, everything
// it writes to the terminal goes there.
func teamConsole(t *testing.T, key, base, bot, name, dir, record string) *session {
	t.Helper()
	home := t.TempDir()
	cfg := filepath.Join(home, "config.toml")
	body := "agent_name = \"" + name + "\"\npresence_dir = \"" + dir + "\"\npoll_interval = \"5s\"\n"
	if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{"HOME=" + home, "CONTEXTGPT_API_KEY=" + key}
	args := []string{"--config", cfg, "--base-url", base, "--chatbot", bot}
	if record != "" {
		return startRecorded(t, 120, 30, env, record, args...)
	}
	return start(t, 120, 30, env, args...)
}

// bells counts the BEL bytes of a terminal's output that ring: not the
// ones that end an OSC sequence (a title).
func bells(out string) int {
	return strings.Count(regexp.MustCompile(`\x1b\][^\x07\x1b]*(\x07|\x1b\\)`).ReplaceAllString(out, ""), "\a")
}

// post sends a POST to the demo server.
func post(t *testing.T, key, url string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, nil)
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST %s: %s", url, resp.Status)
	}
}

// since logs how long a wait took, for the figures of presence.
func since(t *testing.T, what string, t0 time.Time) {
	t.Logf("%s after %s", what, time.Since(t0).Round(10*time.Millisecond))
}

func TestTwoAgentsOnOneHostSeeEachOther(t *testing.T) {
	_, key, base, bot := runDemoServer(t, "--threads", "40")
	dir := filepath.Join(t.TempDir(), "presence")
	out := filepath.Join(t.TempDir(), "bo.out")
	ana := teamConsole(t, key, base, bot, "ana", dir, "")
	bo := teamConsole(t, key, base, bot, "bo", dir, out)
	ana.waitText("[1 Inbox", "1/", "Owner")
	bo.waitText("[1 Inbox", "1/", "Owner")

	// ana reads the first thread in the pane: bo sees her on its row.
	t0 := time.Now()
	ana.keys("Enter")
	bo.waitFor("ana's mark on the cursor's row", func(scr string) bool { return strings.Contains(cursorRow(scr), "◉") })
	since(t, "bo saw ana on the row", t0)
	bo.keys("Enter")
	bo.waitText("ana (", "is reading")

	// bo claims it: ana's owner column shows bo after her next poll.
	bo.keys("c")
	bo.waitText("Claimed 1 thread for bo")
	bo.send("1 is open by ana (")
	bo.waitText("Sent 1 change to 1 thread")
	t0 = time.Now()
	ana.waitFor("bo in ana's owner column", func(scr string) bool { return strings.Contains(cursorRow(scr), " bo ") })
	since(t, "ana's owner column showed bo", t0)

	// An escalated conversation starts: bo's console rings, once.
	post(t, key, base+"/chatting/"+bot+"/_demo/new-thread?escalated=true")
	bo.waitText("New escalated: ", "a goes there")
	ana.waitText("New escalated: ")
	b, _ := os.ReadFile(out)
	if n := bells(string(b)); n != 1 {
		t.Errorf("bo's terminal got %d bells for one arrival, want 1", n)
	}

	// ana leaves: her mark goes from bo's screen.
	t0 = time.Now()
	ana.keys("Escape", "q")
	if st := ana.waitExit(); st != "0" {
		t.Errorf("ana's exit status %s", st)
	}
	bo.waitFor("ana's mark gone", func(scr string) bool {
		return !strings.Contains(cursorRow(scr), "◉") && !strings.Contains(scr, "is reading")
	})
	since(t, "ana's mark left bo's screen", t0)
	if b, _ := os.ReadFile(out); bells(string(b)) != 1 {
		t.Errorf("bo's terminal rang again: %d bells", bells(string(b)))
	}
	bo.keys("Escape", "q")
	if st := bo.waitExit(); st != "0" {
		t.Errorf("bo's exit status %s", st)
	}
	if files, _ := os.ReadDir(dir); len(files) != 0 {
		t.Errorf("the consoles left files in the presence directory: %v", files)
	}
}

// TestTheConsoleStartsOnTheViewNamed: --view opens the console on a view
// by name; an unknown one lists the views and exits 2.
func TestTheConsoleStartsOnTheViewNamed(t *testing.T) {
	s := start(t, 120, 30, nil, "--demo", "--view", "unowned")
	s.waitText("[8 Unowned", "1/")
	s.keys("q")
	if st := s.waitExit(); st != "0" {
		t.Errorf("exit status %s", st)
	}
	bad := start(t, 120, 30, nil, "--demo", "--view", "Nope")
	if st := bad.waitExit(); st != "2" {
		t.Errorf("an unknown view: exit status %s", st)
	}
	if scr := bad.scrollback(); !strings.Contains(scr, `unknown view "Nope": the views are Inbox, Escalated, Important, Resolved, Archived, All, Mine, Unowned`) {
		t.Errorf("an unknown view:\n%s", scr)
	}
}
