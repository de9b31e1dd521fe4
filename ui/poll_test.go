package ui

import (
	"net/http"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"triage/api"
	"triage/api/apitest"
)

// TestLivePollInsertsNewThreadsWithoutMovingTheCursor: new threads appear
// at their place, announced, with the cursor still on its thread; another
// agent's change shows in place and a collision with a queued edit is a
// conflict at once; one poll costs one page and the views' totals.
func TestLivePollInsertsNewThreadsWithoutMovingTheCursor(t *testing.T) {
	m, srv := liveModel(t, apitest.Options{Threads: 40, Seed: 8})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	drain(t, m, m.Init())
	m.opts.PollInterval, m.opts.RateLimit = 30*time.Second, 500 // polls run by hand below
	act(t, m, "j", "j", "j", "T", "<ctrl+u>", "Mine", "<enter>")
	cur := m.table.current().ID
	row := m.table.cursor - m.table.offset
	other := m.table.rows[5].ID
	srv.AddThreads(3)
	srv.Change(other, func(t *api.Thread) { t.Important = true })
	srv.Change(cur, func(t *api.Thread) { t.Title = "Theirs" })
	srv.ResetRequests()
	drain(t, m, m.poll())
	if got := m.table.current().ID; got != cur || m.table.cursor-m.table.offset != row {
		t.Errorf("the cursor moved from %s to %s", cur, got)
	}
	if !strings.Contains(m.status.text, "3 new in All") || m.views.current().set.Len() != 43 {
		t.Errorf("status %q, %d threads", m.status.text, m.views.current().set.Len())
	}
	if th := m.lookup(other); th == nil || !th.Important {
		t.Error("another agent's change did not show")
	}
	if e := m.out.q.Get(cur); e == nil || e.Title == nil || !e.Title.Conflict {
		t.Errorf("the colliding title is not a conflict: %+v", e)
	}
	if n := len(srv.Requests()); n != 1+len(m.views.all) {
		t.Errorf("one poll cost %d requests, want a page and %d totals", n, len(m.views.all))
	}
	if !strings.Contains(screenOf(m), "as of 12:00:00") {
		t.Errorf("the status line does not say when the list was refreshed:\n%s", screenOf(m))
	}
}

// TestPollWaitsForSendsAndKeepsToTheBudget: no poll while a send is in
// flight, and the totals are counted only as often as a tenth of the rate
// limit allows.
func TestPollWaitsForSendsAndKeepsToTheBudget(t *testing.T) {
	m, srv := liveModel(t, apitest.Options{Threads: 10, Seed: 8})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	drain(t, m, m.Init())
	m.opts.PollInterval = 30 * time.Second
	m.out.run = &sendRun{}
	if m.poll() != nil {
		t.Error("a poll ran while a send was in flight")
	}
	m.out.run = nil
	for _, c := range []struct {
		views      int
		every      time.Duration
		perMinute  int
		interval   time.Duration
		countEvery int
	}{{6, 30 * time.Second, 500, 30 * time.Second, 1}, {6, 5 * time.Second, 60, 20 * time.Second, 6}, {20, 10 * time.Second, 100, 12 * time.Second, 20}} {
		interval, k := pollPlan(c.views, c.every, c.perMinute)
		if interval != c.interval || k != c.countEvery {
			t.Errorf("pollPlan(%d, %s, %d) = %s, %d; want %s, %d", c.views, c.every, c.perMinute, interval, k, c.interval, c.countEvery)
		}
		perMinute := (1 + float64(c.views)/float64(k)) * time.Minute.Seconds() / interval.Seconds()
		if perMinute > float64(c.perMinute)/10+0.001 {
			t.Errorf("%v: %.1f requests a minute, more than a tenth of %d", c, perMinute, c.perMinute)
		}
	}
	srv.ResetRequests()
	drain(t, m, m.poll())
	if n := len(srv.RequestsFor(http.MethodGet)); n != 1+len(m.views.all) {
		t.Errorf("%d requests", n)
	}
}
