package ui

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"triage/api"
	"triage/api/apitest"
	"triage/threads"
)

// Two agents, A and B, each with a console on one chatbot: two consoles'
// worth of state against one apitest server. Each test asserts what the
// server holds at the end.

// twoConsoles starts two loaded consoles on one server with views.
func twoConsoles(t *testing.T, views ...threads.View) (a, b *Model, srv *apitest.Server) {
	t.Helper()
	srv, base := serve(t, apitest.Options{Threads: 30, Seed: 12})
	a, b = consoleOn(t, srv, base, nil, views...), consoleOn(t, srv, base, nil, views...)
	for _, m := range []*Model{a, b} {
		m.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
		drain(t, m, m.Init())
	}
	return a, b, srv
}

// act sends keys in one burst and runs what they start (a send, say) to
// its end.
func act(t *testing.T, m *Model, keys ...string) {
	t.Helper()
	var cmds []tea.Cmd
	burst(func(msg tea.Msg) {
		_, cmd := m.Update(msg)
		cmds = append(cmds, cmd)
	}, keys...)
	drain(t, m, tea.Batch(cmds...))
}

// patchesFrom counts the PATCH requests since n were recorded.
func patchesFrom(srv *apitest.Server, n int) int { return len(srv.RequestsFor(http.MethodPatch)) - n }

func TestTwoAgentsTagsBothSurvive(t *testing.T) {
	a, b, srv := twoConsoles(t)
	x := a.table.current().ID
	before, _ := srv.Thread(x)
	act(t, a, "t", "+alpha", "<enter>", "w", "y")
	act(t, b, "t", "+beta", "<enter>", "w", "y") // B loaded x before A's send
	got, _ := srv.Thread(x)
	want := append(slices.Clone(before.Tags), "alpha", "beta")
	if !slices.Equal(got.Tags, want) {
		t.Errorf("server tags %v, want %v: one agent's tag was lost", got.Tags, want)
	}
	if b.sess.Queue().Len() != 0 {
		t.Errorf("B still has %v queued", b.sess.Queue().IDs())
	}
}

func TestTwoAgentsTitleConflictHeldBackRestGoes(t *testing.T) {
	a, b, srv := twoConsoles(t)
	x := a.table.current()
	wasImportant := x.Important
	act(t, a, "T", "<ctrl+u>", "Mine", "<enter>", "i") // A renames and toggles important
	act(t, b, "T", "<ctrl+u>", "Theirs", "<enter>", "w", "y")
	n := len(srv.RequestsFor(http.MethodPatch))
	act(t, a, "w", "y")
	got, _ := srv.Thread(x.ID)
	if got.Title != "Theirs" {
		t.Errorf("A's send overwrote B's title: %q", got.Title)
	}
	if got.Important == wasImportant {
		t.Error("A's other field of the thread was held back with the conflict")
	}
	if patchesFrom(srv, n) != 1 || strings.Contains(string(srv.RequestsFor(http.MethodPatch)[n].Body), "title") {
		t.Errorf("A's PATCH: %s", srv.RequestsFor(http.MethodPatch)[n].Body)
	}
	e := a.sess.Queue().Get(x.ID)
	if e == nil || e.Title == nil || !e.Title.Conflict {
		t.Fatalf("A's title is not a conflict: %+v", e)
	}
	act(t, a, "p")
	if scr := screenOf(a); !strings.Contains(scr, `title: server now "Theirs", mine "Mine" (conflict)`) {
		t.Errorf("the review does not show the conflict:\n%s", scr)
	}
	act(t, a, "t") // take theirs
	if a.sess.Queue().Len() != 0 {
		t.Errorf("taking theirs left %v", a.sess.Queue().IDs())
	}
}

func TestTwoAgentsEditAlreadyOnServerIsNotSent(t *testing.T) {
	a, b, srv := twoConsoles(t)
	x := a.table.current().ID
	act(t, a, "t", "+vip", "<enter>", "T", "<ctrl+u>", "Same", "<enter>")
	act(t, b, "t", "+vip", "<enter>", "T", "<ctrl+u>", "Same", "<enter>", "w", "y")
	n := len(srv.RequestsFor(http.MethodPatch))
	act(t, a, "w", "y")
	if patchesFrom(srv, n) != 0 {
		t.Errorf("A sent what the server already holds: %s", srv.RequestsFor(http.MethodPatch)[n].Body)
	}
	if a.sess.Queue().Len() != 0 || !strings.Contains(a.status.text, "Nothing left to send") {
		t.Errorf("A's queue %v, status %q", a.sess.Queue().IDs(), a.status.text)
	}
	if th, _ := srv.Thread(x); th.Title != "Same" || !slices.Contains(th.Tags, "vip") {
		t.Errorf("server %+v", th)
	}
}

// TestThreadGoneFromViewIsChecked: B renames and resolves a thread A has
// renamed too; A's refresh drops it from A's inbox, and A's console reads
// it in the background: the review shows the conflict, not "(not
// loaded)", and A's send does not overwrite B's title.
func TestThreadGoneFromViewIsChecked(t *testing.T) {
	inbox := threads.View{Name: "Inbox", Params: api.ListParams{Resolved: api.Bool(false), Archived: api.Bool(false)}}
	a, b, srv := twoConsoles(t, inbox)
	x := a.table.current().ID
	act(t, a, "T", "<ctrl+u>", "Mine", "<enter>")
	act(t, b, "T", "<ctrl+u>", "Theirs", "<enter>", "d", "w", "y")
	srv.ResetRequests()
	act(t, a, "r")
	if a.sess.Current().List().Has(x) {
		t.Fatal("the resolved thread is still in A's inbox")
	}
	gets := 0
	for _, r := range srv.RequestsFor(http.MethodGet) {
		if strings.HasSuffix(r.Path, "/thread/"+x) {
			gets++
		}
	}
	if gets != 1 {
		t.Errorf("%d reads of the thread that left the view, want 1", gets)
	}
	act(t, a, "p")
	scr := screenOf(a)
	if strings.Contains(scr, "(not loaded)") || !strings.Contains(scr, "(conflict)") {
		t.Errorf("the review after the refresh:\n%s", scr)
	}
	act(t, a, "p", "w", "y")
	if th, _ := srv.Thread(x); th.Title != "Theirs" {
		t.Errorf("A's send overwrote B's title: %q", th.Title)
	}
}

// TestDeletedThreadIsKeptAndReported: a thread deleted on the server
// answers 404 to the read before the send: its edit is kept (marked gone)
// and reported, and the rest of the send goes ahead.
func TestDeletedThreadIsKeptAndReported(t *testing.T) {
	a, _, srv := twoConsoles(t)
	rows := a.table.rows
	x, y := rows[0].ID, rows[1].ID
	act(t, a, " ", " ", "t", "+followup", "<enter>")
	srv.Delete(x)
	act(t, a, "w", "y")
	if th, _ := srv.Thread(y); !slices.Contains(th.Tags, "followup") {
		t.Errorf("the other thread was not sent: %v", th.Tags)
	}
	e := a.sess.Queue().Get(x)
	if e == nil || !e.Gone || a.sess.Queue().Len() != 1 {
		t.Fatalf("the deleted thread's edit: %+v (queue %v)", e, a.sess.Queue().IDs())
	}
	if !strings.Contains(strings.Join(logTexts(a), "\n"), x+" no longer exists on the server") {
		t.Errorf("the 404 is not reported: %v", logTexts(a))
	}
	act(t, a, "p")
	if !strings.Contains(screenOf(a), "gone from the server") {
		t.Errorf("the review does not say it is gone:\n%s", screenOf(a))
	}
}

func logTexts(m *Model) []string {
	var out []string
	for _, e := range m.screen.log.events {
		out = append(out, e.text)
	}
	return out
}
