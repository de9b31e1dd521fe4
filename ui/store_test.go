package ui

import (
	"net/http"
	"testing"

	tea "charm.land/bubbletea/v2"

	"triage/api"
	"triage/api/apitest"
	"triage/threads"
)

// TestOneCopyAcrossViews: a thread shown by two views that load their own
// pages (no view without filters to draw them from) is one copy. A PATCH
// answer and a refresh of one view show in the other at once, with no
// request for the other view's pages; the other views' totals are counted
// again after the send.
func TestOneCopyAcrossViews(t *testing.T) {
	inbox := threads.View{Name: "Inbox", Params: api.ListParams{Resolved: api.Bool(false), Archived: api.Bool(false)}}
	open := threads.View{Name: "Open", Params: api.ListParams{Resolved: api.Bool(false)}}
	m, srv := liveModel(t, apitest.Options{Threads: 30, Seed: 7}, inbox, open)
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	drain(t, m, m.Init())
	drain(t, m, m.switchView(1))
	drain(t, m, m.switchView(0))
	x := m.table.current()
	if x == nil || m.sess.Views()[1].List().Get(x.ID) != x {
		t.Fatal("the inbox's first thread is not the Open view's copy")
	}
	inboxBefore := m.sess.Views()[0].Total()
	srv.ResetRequests()

	// A send: the answer updates the one copy.
	press(m, "d", "w")
	drain(t, m, press(m, "y"))
	if th := m.sess.Views()[1].List().Get(x.ID); th == nil || !th.Resolved {
		t.Errorf("the Open view does not show the thread resolved by the send: %+v", th)
	}
	for _, r := range srv.RequestsFor(http.MethodGet) {
		if r.Query.Get("limit") != "1" {
			t.Errorf("a send loaded pages: %v", r.Query)
		}
	}
	if counts := len(srv.RequestsFor(http.MethodGet)); counts != len(m.sess.Views()) {
		t.Errorf("%d count requests after the send, want one per view (%d)", counts, len(m.sess.Views()))
	}
	if m.sess.Views()[0].Total() != inboxBefore-1 {
		t.Errorf("the inbox total is %d after resolving one of its %d threads: not counted again", m.sess.Views()[0].Total(), inboxBefore)
	}

	// Another agent renames a thread; a refresh of the inbox shows it in Open.
	y := m.sess.Views()[0].List().All()[1]
	renamed, _ := srv.Thread(y.ID)
	renamed.Title = "Renamed by another agent"
	renamed.UpdatedAt = renamed.UpdatedAt.Add(1)
	srv.Put(renamed, renamed.Mode, renamed.InternalNotes)
	srv.ResetRequests()
	drain(t, m, press(m, "r"))
	if got := m.sess.Views()[1].List().Get(y.ID); got == nil || got.Title != "Renamed by another agent" {
		t.Errorf("the Open view shows %+v after a refresh of the inbox", got)
	}
	counted := false
	for _, r := range srv.RequestsFor(http.MethodGet) {
		if r.Query.Get("archived") == "" && r.Query.Get("limit") != "1" {
			t.Errorf("refreshing the inbox loaded the Open view: %v", r.Query)
		}
		counted = counted || r.Query.Get("archived") == "" && r.Query.Get("limit") == "1"
	}
	if !counted {
		t.Error("r did not count the Open view's total again")
	}
}
