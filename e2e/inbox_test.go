package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"triage/api"
	"triage/api/apitest"
)

// The inbox tells the truth: arrivals reach the view on screen and are
// seen, a restart says what is new, and two agents never overwrite each
// other's notes or titles without being told. The server caps pages at
// 50 and lists threads without mode or notes, as the API documents.

// cappedServer is an in-process server of n threads that grants pages of
// at most 50.
func cappedServer(t *testing.T, n int) (*apitest.Server, string) {
	t.Helper()
	return serverWith(t, apitest.Options{Threads: n, MaxLimit: 50})
}

// pollingConsole starts a console at 80x24 that polls every 5 s, with
// its state and cache in dir.
func pollingConsole(t *testing.T, base, dir string) *session {
	t.Helper()
	cfg := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(cfg, []byte("poll_interval = \"5s\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return start(t, 80, 24, []string{"CONTEXTGPT_API_KEY=e2e-key", "XDG_STATE_HOME=" + filepath.Join(dir, "state"),
		"XDG_CACHE_HOME=" + filepath.Join(dir, "cache")}, "--config", cfg, "--base-url", base, "--chatbot", "361628903185318481")
}

// arrive adds n new conversations titled "Arrival 1"… and returns them.
func arrive(srv *apitest.Server, n int) []string {
	ids := srv.AddThreads(n)
	var titles []string
	for i, id := range ids {
		title := "Arrival " + string(rune('1'+i))
		srv.Change(id, func(th *api.Thread) { th.Title = title })
		titles = append(titles, title)
	}
	return titles
}

// TestArrivalsAtTheTopAreOnScreen: the agent waits at the top of the
// Inbox; two conversations arrive; within a poll they are on screen above
// the cursor, which stays on its thread, and the status line names them
// (new threads ring the default alert, which has the last word).
func TestArrivalsAtTheTopAreOnScreen(t *testing.T) {
	srv, base := cappedServer(t, 80)
	s := pollingConsole(t, base, t.TempDir())
	scr := s.waitText("[1 Inbox", "1/", "as of")
	cur := cursorRow(scr)
	titles := arrive(srv, 2)
	scr = s.waitText(append(titles, "New thread: Arrival", "(and 1 more): a goes there")...) // the default alert names them
	if got := cursorRow(scr); got != cur {
		t.Errorf("the cursor left its thread: %q, was %q", got, cur)
	}
	if !strings.Contains(scr, "3/") {
		t.Errorf("the counter does not count the rows above the cursor:\n%s", scr)
	}
	s.keys("q")
	if st := s.waitExit(); st != "0" {
		t.Errorf("exit status %s", st)
	}
}

// TestArrivalsAboveTheScreenAreCounted: scrolled down a page, the rows
// stay put and the status line counts what arrived above; g shows them.
func TestArrivalsAboveTheScreenAreCounted(t *testing.T) {
	srv, base := cappedServer(t, 80)
	s := pollingConsole(t, base, t.TempDir())
	s.waitText("[1 Inbox", "1/", "as of")
	s.keys("PgDn", "j")
	cur := cursorRow(s.waitText("22/"))
	titles := arrive(srv, 2)
	scr := s.waitText("↑ 2 new: g")
	if got := cursorRow(scr); got != cur {
		t.Errorf("the rows moved under the agent: %q, was %q", got, cur)
	}
	s.literal("g")
	scr = s.waitText(titles...)
	if strings.Contains(scr, "new: g") {
		t.Errorf("the marker stays once they are seen:\n%s", scr)
	}
	s.keys("q")
	s.waitExit()
}

// TestRestartSaysWhatIsNew: a console loads and quits; three
// conversations arrive and a thread changes; the next start, from the
// cache, says so and shows the new ones at the top.
func TestRestartSaysWhatIsNew(t *testing.T) {
	srv, base := cappedServer(t, 80)
	dir := t.TempDir()
	first := pollingConsole(t, base, dir)
	first.waitText("[1 Inbox", "1/", "as of")
	first.keys("q")
	if st := first.waitExit(); st != "0" {
		t.Fatalf("exit status %s", st)
	}
	titles := arrive(srv, 3)
	srv.Change(inbox(srv.Threads())[5].ID, func(th *api.Thread) { th.Important = !th.Important })
	second := pollingConsole(t, base, dir)
	second.waitText(append(titles, "Inbox: 3 new since", ", 1 changed")...)
	second.keys("q")
	second.waitExit()
}

// notesOf reads a thread's notes from the demo server.
func notesOf(t *testing.T, key, base, bot, id string) string {
	t.Helper()
	var d struct {
		Data struct {
			Thread struct {
				Title         string `json:"title"`
				InternalNotes string `json:"internalNotes"`
			} `json:"thread"`
		} `json:"data"`
	}
	getJSON(t, key, base+"/chatting/"+bot+"/thread/"+id, &d)
	return d.Data.Thread.Title + "|" + d.Data.Thread.InternalNotes
}

// firstInbox is the id of the Inbox's first thread on the demo server.
func firstInbox(t *testing.T, key, base, bot string) string {
	t.Helper()
	var page struct {
		Data struct {
			Threads []struct {
				ID string `json:"id"`
			} `json:"threads"`
		} `json:"data"`
	}
	getJSON(t, key, base+"/chatting/"+bot+"/threads?resolved=false&archived=false&limit=1", &page)
	return page.Data.Threads[0].ID
}

// TestTwoConsolesNeverOverwriteNotes: agents A and B on one demo server
// each write notes on the same thread without opening the pane; A sends,
// then B. The server keeps A's notes; B's send holds its notes back and
// says so, and B's event log names the field.
func TestTwoConsolesNeverOverwriteNotes(t *testing.T) {
	_, key, base, bot := runDemoServer(t, "--threads", "40")
	a, b := agentOn(t, key, base, bot), agentOn(t, key, base, bot)
	x := firstInbox(t, key, base, bot)
	for _, s := range []*session{a, b} {
		s.waitText("[1 Inbox", "1/", "as of")
	}
	for _, c := range []struct {
		s    *session
		text string
	}{{a, "Called back, A"}, {b, "Called back, B"}} {
		c.s.literal("n")
		c.s.waitText("Internal notes of")
		c.s.literal(c.text)
		c.s.keys("Tab", "Enter")
		c.s.waitText("Notes set on 1 thread")
	}
	a.send()
	a.waitText("Sent 1 change to 1 thread")
	b.send()
	b.waitText("1 conflict held back")
	if got := notesOf(t, key, base, bot, x); !strings.HasSuffix(got, "|Called back, A") {
		t.Errorf("the server holds %q: B overwrote A's notes", got)
	}
	b.keys("L")
	b.waitText("Held back from the send: internalNotes")
	quitKeeping(t, a, b)
}

// TestTwoConsolesTitleConflictIsSaid: A and B rename the same thread; A
// sends first; B's send says it held the title back, the server keeps
// A's, and B's review shows both values.
func TestTwoConsolesTitleConflictIsSaid(t *testing.T) {
	_, key, base, bot := runDemoServer(t, "--threads", "40")
	a, b := agentOn(t, key, base, bot), agentOn(t, key, base, bot)
	x := firstInbox(t, key, base, bot)
	for _, c := range []struct {
		s     *session
		title string
	}{{a, "Title of A"}, {b, "Title of B"}} {
		c.s.waitText("[1 Inbox", "1/", "as of")
		c.s.literal("T")
		c.s.keys("C-u")
		c.s.literal(c.title)
		c.s.keys("Enter")
		c.s.waitText("Title set on 1 thread")
	}
	a.send()
	a.waitText("Sent 1 change to 1 thread")
	b.send() // B has not heard of A's send: the read before it finds the conflict
	b.waitText("Nothing sent: 1 conflict held back: p to review")
	if got := notesOf(t, key, base, bot, x); !strings.HasPrefix(got, "Title of A|") {
		t.Errorf("the server holds %q", got)
	}
	b.literal("p")
	b.waitText(`title: server now "Title of A", mine "Title of B" (conflict)`)
	quitKeeping(t, a, b)
}

// quitKeeping ends both consoles: a with nothing pending, b keeping its
// held-back edits for next time; both must exit 0.
func quitKeeping(t *testing.T, a, b *session) {
	t.Helper()
	b.keys("Escape", "q")
	b.waitText("keep for next time")
	b.keys("k")
	a.keys("q")
	for _, s := range []*session{a, b} {
		if st := s.waitExit(); st != "0" {
			t.Errorf("exit status %s", st)
		}
	}
}
