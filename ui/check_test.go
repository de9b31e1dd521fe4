package ui

import (
	"net/http"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"triage/api"
	"triage/api/apitest"
	"triage/queue"
	"triage/session"
	"triage/threads"
)

// threadReads counts single-thread reads and list pages (limit > 1)
// among the requests.
func threadReads(srv *apitest.Server) (reads, pages int) {
	for _, r := range srv.RequestsFor(http.MethodGet) {
		switch {
		case strings.Contains(r.Path, "/thread/"):
			reads++
		case r.Query.Get("limit") != "1":
			pages++
		}
	}
	return reads, pages
}

// TestCheckReadsByTheCheaperWay: a few threads are read one request each;
// many threads of a small chatbot are read from the list's pages.
func TestCheckReadsByTheCheaperWay(t *testing.T) {
	for _, c := range []struct {
		name         string
		marks        string
		reads, pages int
	}{
		{"five threads", strings.Repeat(" ", 5), 5, 0},
		{"sixty threads", strings.Repeat(" ", 60), 0, 3},
	} {
		t.Run(c.name, func(t *testing.T) {
			m, srv := liveModel(t, apitest.Options{Threads: 250, Seed: 4})
			m.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
			drain(t, m, m.Init())
			act(t, m, c.marks, "t", "+checked", "<enter>")
			srv.ResetRequests()
			act(t, m, "w", "y")
			reads, pages := threadReads(srv)
			if reads != c.reads || pages != c.pages {
				t.Errorf("%d single reads and %d pages, want %d and %d", reads, pages, c.reads, c.pages)
			}
			if len(srv.RequestsFor(http.MethodPatch)) != 1 || m.sess.Queue().Len() != 0 {
				t.Errorf("not sent: queue %v", m.sess.Queue().IDs())
			}
		})
	}
}

// TestEscCancelsTheCheck: esc while the threads are read before a send
// stops it, and nothing is sent.
func TestEscCancelsTheCheck(t *testing.T) {
	m, srv := liveModel(t, apitest.Options{Threads: 20, Seed: 4})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	drain(t, m, m.Init())
	act(t, m, "t", "+x", "<enter>", "w")
	_, reading := m.Update(key("y"))
	if !m.sess.Busy() || !strings.Contains(screenOf(m), "checking 1 thread before sending") {
		t.Fatalf("no check in progress:\n%s", screenOf(m))
	}
	m.Update(tea.KeyPressMsg{Code: tea.KeyEscape})
	drain(t, m, reading) // the read's late answer is ignored
	if n := len(srv.RequestsFor(http.MethodPatch)); n != 0 || m.sess.Queue().Len() != 1 {
		t.Errorf("%d PATCHes after esc, queue %v", n, m.sess.Queue().IDs())
	}
	if !strings.Contains(m.status.text, "nothing sent") {
		t.Errorf("status %q", m.status.text)
	}
}

// TestConfirmationSaysHowLongTheCheckTakes: a check longer than about ten
// seconds under the rate limit is announced with its cost.
func TestConfirmationSaysHowLongTheCheckTakes(t *testing.T) {
	// A large chatbot: 20 reads cost less than its pages.
	m, _, _ := loadedModelWith(t, 20, &fakeAPI{total: 100_000}, session.Options{RateLimit: 60})
	burst(sendTo(m), "V", "t", "+x", "<enter>", "w")
	if q := m.screen.prompt.question; q != "Send 20 changes to 20 threads? (y/N) · reads 20 threads first (20 requests, about 20s under the rate limit)" {
		t.Errorf("the question: %q", q)
	}
	if !strings.Contains(screenOf(m), "Send 20 changes to 20 threads? (y/N)") {
		t.Errorf("the answer keys are cut at 80 columns:\n%s", screenOf(m))
	}
	m, _, _ = loadedModelWith(t, 20, &fakeAPI{}, session.Options{RateLimit: 60})
	burst(sendTo(m), "t", "+y", "<enter>", "w")
	if q := m.screen.prompt.question; q != "Send 1 change to 1 thread? (y/N) · reads 1 thread first" {
		t.Errorf("a short check needs no estimate: %q", q)
	}
}

// TestRestoredEditOfUnlistedThreadIsChecked: after a restart, an edit of
// a thread the loaded view does not list is read in the background: the
// review shows the server's values, not "(not loaded)", and another
// agent's title is a conflict.
func TestRestoredEditOfUnlistedThreadIsChecked(t *testing.T) {
	srv, base := serve(t, apitest.Options{Threads: 20, Seed: 4})
	var x api.Thread
	for _, th := range srv.Threads() {
		if th.Resolved {
			x = th
			break
		}
	}
	old := queue.New()
	title := "Mine"
	old.SetTitle(&title, []*api.Thread{&x})
	srv.Change(x.ID, func(t *api.Thread) { t.Title = "Theirs" })
	inbox := threads.View{Name: "Inbox", Params: api.ListParams{Resolved: api.Bool(false)}}
	m := consoleWith(t, srv, base, nil, session.Options{Views: []threads.View{inbox}, Restored: old.Snapshot()})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	drain(t, m, m.Init())
	act(t, m, "p")
	scr := screenOf(m)
	if strings.Contains(scr, "(not loaded)") || !strings.Contains(scr, `server now "Theirs", mine "Mine" (conflict)`) {
		t.Errorf("the review after a restart:\n%s", scr)
	}
}
