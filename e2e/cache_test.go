package e2e

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestRestartShowsTheCachedRowsBeforeAnyAnswer: a console loads the
// Inbox of a 100,000-thread demo and quits; the next start draws the
// cached rows as it reads the cache, marked as from the cache, before
// any answer from the server, and then
// says it is fresh. Everything the second console wrote to the terminal
// is recorded from its first byte. Five j typed as it starts, before
// the cache's first rows or after them, all move the cursor.
func TestRestartShowsTheCachedRowsBeforeAnyAnswer(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(cfg, []byte("rate_limit = 6000\nconcurrency = 8\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{"XDG_CACHE_HOME=" + filepath.Join(dir, "cache"), "XDG_STATE_HOME=" + filepath.Join(dir, "state")}
	args := []string{"--demo", "--demo-threads", "100000", "--config", cfg}

	first := start(t, 120, 30, env, args...)
	loaded := func(scr string) bool { return strings.Contains(scr, "as of") && strings.Contains(scr, "1/43,850") }
	first.waitWithin(5*time.Minute, "the whole load (a limit only a hang reaches)", loaded)
	firstScreen := first.screen()
	first.keys("q")
	if st := first.waitExit(); st != "0" {
		t.Fatalf("exit status %s", st)
	}

	raw := filepath.Join(dir, "terminal.out")
	second := startRecorded(t, 120, 30, env, raw, args...)
	second.literal("jjjjj")
	// The refresh may find threads arrived above the cursor's: it stays
	// on its thread, a few rows further down.
	at := regexp.MustCompile(`([0-9,]+)/43,[0-9]{3}`)
	scr := second.waitWithin(5*time.Minute, "the refresh behind the cached rows", func(scr string) bool {
		return strings.Contains(scr, "as of") && at.MatchString(scr)
	})
	if row, _ := strconv.Atoi(at.FindStringSubmatch(scr)[1]); row < 6 || row > 20 {
		t.Errorf("five j typed at the start left the cursor on row %d, want 6:\n%s", row, scr)
	}
	second.keys("q")
	if st := second.waitExit(); st != "0" {
		t.Fatalf("exit status %s", st)
	}
	out, err := os.ReadFile(raw)
	if err != nil {
		t.Fatal(err)
	}
	// A frame is drawn top to bottom: the header, the rows, then the status
	// line, which says what the rows are from at the latest at the
	// spinner's next turn.
	row := bytes.Index(out, []byte("GDPR data deletion request")) // the newest thread of the demo's Inbox
	cached := bytes.Index(out, []byte("from the cache"))
	fresh := bytes.Index(out, []byte("as of"))
	// A restart in another hour than the first start finds the demo's
	// threads changed and reads them again behind the cached rows: its
	// status may say so later, never first.
	switch loading := bytes.Index(out, []byte("oading threads")); {
	case loading >= 0 && (cached < 0 || loading < cached):
		files, _ := os.ReadDir(filepath.Join(dir, "cache", "triage"))
		t.Fatalf("the second start waited for the server: its first status was Loading threads…\ncache files: %v\nfirst console's last screen:\n%s\nsecond's:\n%s",
			files, firstScreen, second.scrollback())
	case row < 0 || cached < 0 || fresh < 0:
		t.Fatalf("row at %d, cache mark at %d, fresh at %d: one never appeared", row, cached, fresh)
	case !(row < cached && cached < fresh):
		t.Fatalf("want the row (%d), then the cache mark (%d), then fresh (%d)", row, cached, fresh)
	}
}

// TestAnotherAgentsSendReachesARefresh: agents A and B run consoles on
// one `triage demo-server`; A resolves the first thread of the Inbox and
// sends; B's r reads one page, and B's Inbox no longer lists it.
func TestAnotherAgentsSendReachesARefresh(t *testing.T) {
	_, key, base, bot := runDemoServer(t, "--threads", "2000")
	a, b := agentOn(t, key, base, bot), agentOn(t, key, base, bot)
	scr := b.waitText("[1 Inbox", "as of")
	total := regexp.MustCompile(`1/([0-9,]+)`).FindStringSubmatch(scr)
	if total == nil {
		t.Fatalf("no row count on screen:\n%s", scr)
	}
	n, _ := strconv.Atoi(strings.ReplaceAll(total[1], ",", ""))
	a.waitText("[1 Inbox", "as of")
	a.keys("d")
	a.send()
	a.waitText("Sent 1 change to 1 thread")

	b.keys("r")
	b.waitText("1/" + thousandsOf(n-1))
	b.keys("L")
	b.waitText("Refreshed All: read 1 page, the rest as it was")
	for _, s := range []*session{a, b} {
		s.keys("Escape", "q")
		if st := s.waitExit(); st != "0" {
			t.Errorf("exit status %s", st)
		}
	}
}

// thousandsOf writes n as the console does: 1,234.
func thousandsOf(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
