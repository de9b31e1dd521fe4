package ui

import (
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"triage/api"
	"triage/api/apitest"
	"triage/session"
	"triage/threads"
)

// TestLivePollInsertsNewThreadsWithoutMovingTheCursor: new threads appear
// at their place, announced and on screen, with the cursor still on its
// thread and the rows shown still beginning at the top; another
// agent's change shows in place and a collision with a queued edit is a
// conflict at once; one poll costs one page (the view's total comes with
// it).
func TestLivePollInsertsNewThreadsWithoutMovingTheCursor(t *testing.T) {
	m, srv := liveConsole(t, apitest.Options{Threads: 40, Seed: 8}, session.Options{PollInterval: 30 * time.Second, RateLimit: 500})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	drain(t, m, m.Init()) // polls run by hand below
	act(t, m, "j", "j", "j", "T", "<ctrl+u>", "Mine", "<enter>")
	cur := m.table.current().ID
	other := m.table.rows[5].ID
	srv.AddThreads(3)
	srv.Change(other, func(t *api.Thread) { t.Important = true })
	srv.Change(cur, func(t *api.Thread) { t.Title = "Theirs" })
	srv.ResetRequests()
	drain(t, m, m.run(m.sess.Poll()))
	if got := m.table.current().ID; got != cur {
		t.Errorf("the cursor moved from %s to %s", cur, got)
	}
	if m.table.offset != 0 || m.table.newAbove() != 0 {
		t.Errorf("the new threads are above the screen: offset %d, %d new above", m.table.offset, m.table.newAbove())
	}
	if !strings.Contains(m.status.text, "3 new in All") || m.sess.Current().List().Len() != 43 {
		t.Errorf("status %q, %d threads", m.status.text, m.sess.Current().List().Len())
	}
	if th := m.lookup(other); th == nil || !th.Important {
		t.Error("another agent's change did not show")
	}
	if e := m.sess.Queue().Get(cur); e == nil || e.Title == nil || !e.Title.Conflict {
		t.Errorf("the colliding title is not a conflict: %+v", e)
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("one poll cost %d requests, want its page", n)
	}
	if !strings.Contains(screenOf(m), "as of 12:00:00") {
		t.Errorf("the status line does not say when the list was refreshed:\n%s", screenOf(m))
	}
}

// visibleIDs are the ids of the rows on screen.
func visibleIDs(m *Model) []string {
	var out []string
	tb := &m.table
	for _, r := range tb.rows[tb.offset:min(len(tb.rows), tb.offset+tb.height)] {
		out = append(out, r.ID)
	}
	return out
}

// TestArrivalsReachTheInboxOnScreen: a server that caps pages at 50 and
// lists threads without mode or notes, the console in the Inbox (drawn
// from All), untouched at the top: two new conversations arrive and the
// poll shows them on screen, in the Inbox, with the cursor still on its
// thread.
func TestArrivalsReachTheInboxOnScreen(t *testing.T) {
	srv, base := serve(t, apitest.Options{Threads: 80, MaxLimit: 50, Seed: 3})
	m := consoleWith(t, srv, base, nil, session.Options{Views: threads.DefaultViews(), PollInterval: 30 * time.Second})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	drain(t, m, m.Init())
	cur := m.table.current().ID
	ids := srv.AddThreads(2)
	drain(t, m, m.run(m.sess.Poll()))
	if m.sess.Current().Def().Name != "Inbox" || m.table.current().ID != cur {
		t.Fatalf("view %s, cursor on %s (was %s)", m.sess.Current().Def().Name, m.table.current().ID, cur)
	}
	shown := visibleIDs(m)
	for _, id := range ids {
		if !slices.Contains(shown, id) {
			t.Errorf("arrival %s is not on screen (offset %d): %v", id, m.table.offset, shown[:5])
		}
	}
	if !strings.Contains(screenOf(m), "2 new in Inbox") {
		t.Errorf("the arrivals are not announced:\n%s", screenOf(m))
	}
}

// TestArrivalsAboveTheScreenAreCounted: scrolled down, the rows stay
// where they are and the status line counts what arrived above until it
// is seen; g goes there.
func TestArrivalsAboveTheScreenAreCounted(t *testing.T) {
	srv, base := serve(t, apitest.Options{Threads: 80, MaxLimit: 50, Seed: 3})
	m := consoleOn(t, srv, base, nil, threads.DefaultViews()...)
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	drain(t, m, m.Init())
	press(m, "pgdown", "j")
	cur, row := m.table.current().ID, m.table.cursor-m.table.offset
	srv.AddThreads(6)
	drain(t, m, m.run(m.sess.Poll()))
	if m.table.current().ID != cur || m.table.cursor-m.table.offset != row {
		t.Fatalf("the rows moved under the agent: cursor on %s at row %d (was %s at %d)",
			m.table.current().ID, m.table.cursor-m.table.offset, cur, row)
	}
	if !strings.Contains(screenOf(m), "^ 6 new: g") {
		t.Errorf("the arrivals above are not counted:\n%s", screenOf(m))
	}
	press(m, "g")
	if strings.Contains(screenOf(m), "new: g") || m.table.cursor != 0 {
		t.Errorf("after g the marker stays or the cursor is not at the top:\n%s", screenOf(m))
	}
}

// TestPollRefreshesWhenThePageCannotExplainTheTotal: more threads arrive
// than the poll's page holds, and one is deleted: the server's total then
// differs from the threads held, and the view is refreshed to match it.
func TestPollRefreshesWhenThePageCannotExplainTheTotal(t *testing.T) {
	srv, base := serve(t, apitest.Options{Threads: 80, MaxLimit: 50, Seed: 3})
	m := consoleOn(t, srv, base, nil)
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	drain(t, m, m.Init())
	gone := srv.Threads()[70].ID
	srv.Delete(gone)
	srv.AddThreads(120)
	drain(t, m, m.run(m.sess.Poll()))
	waitIdle(t, srv)
	if v := m.sess.Current(); v.List().Len() != 199 || v.List().Has(gone) || v.Loading() {
		t.Errorf("after the poll: %d threads (want 199), the deleted one held %v, loading %v", v.List().Len(), v.List().Has(gone), v.Loading())
	}
	sameAsServer(t, m, srv)
	srv.ResetRequests()
	drain(t, m, m.run(m.sess.Poll())) // nothing changed now: no refresh
	if n := pageRequests(srv); n != 1 {
		t.Errorf("a quiet poll after it read %d pages", n)
	}
}

// TestSwitchingToAViewNotPolledForAnIntervalPollsIt: the agent comes back
// to a view after a poll interval elsewhere (a view on mode, which loads
// its own pages): its threads are polled at once.
func TestSwitchingToAViewNotPolledForAnIntervalPollsIt(t *testing.T) {
	now := fixedNow
	srv, base := serve(t, apitest.Options{Threads: 40, Seed: 3, ExposeModeAndNotes: true})
	m := consoleWith(t, srv, base, nil, session.Options{Views: []threads.View{{Name: "All"}, {Name: "Humans", Params: api.ListParams{Mode: api.ModeHuman}}},
		Now: func() time.Time { return now }, PollInterval: 30 * time.Second})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	drain(t, m, m.Init())
	drain(t, m, m.switchView(1))
	srv.AddThreads(1)
	now = now.Add(31 * time.Second)
	srv.ResetRequests()
	drain(t, m, m.switchView(0))
	if n := pageRequests(srv); n != 1 || m.sess.Current().List().Len() != 41 {
		t.Errorf("back in All after an interval: %d page requests, %d threads", n, m.sess.Current().List().Len())
	}
	drain(t, m, m.switchView(1))
	srv.ResetRequests()
	drain(t, m, m.switchView(0)) // back within the interval: nothing to read
	if n := pageRequests(srv); n != 0 {
		t.Errorf("back within the interval: %d page requests", n)
	}
}
