package session

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"triage/api"
	"triage/api/apitest"
	"triage/queue"
)

// Two agents, A and B, each with a session of their own on one chatbot,
// through the engine alone: no terminal. Each test asserts what the
// server holds at the end.

// twoSessions are two loaded sessions on one server that caps pages at
// 50, and the thread both start on (the newest).
func twoSessions(t *testing.T) (a, b *Session, srv *apitest.Server, x string) {
	t.Helper()
	srv, base := serve(t, apitest.Options{Threads: 80, Seed: 12, MaxLimit: 50})
	a, b = on(t, srv, base, Options{}), on(t, srv, base, Options{})
	for _, s := range []*Session{a, b} {
		drive(t, s, s.Start())
	}
	return a, b, srv, a.Current().List().All()[0].ID
}

// send sends s's queue to the end and returns what it said.
func send(t *testing.T, s *Session) []Said {
	t.Helper()
	var said []Said
	for _, e := range drive(t, s, s.Send(false)) {
		if e, ok := e.(Said); ok {
			said = append(said, e)
		}
	}
	return said
}

func TestTwoAgentsTagsBothSurvive(t *testing.T) {
	a, b, srv, x := twoSessions(t)
	before, _ := srv.Thread(x)
	a.Queue().EditTags([]string{"alpha"}, nil, []*api.Thread{a.Lookup(x)})
	send(t, a)
	b.Queue().EditTags([]string{"beta"}, nil, []*api.Thread{b.Lookup(x)}) // B loaded x before A's send
	send(t, b)
	got, _ := srv.Thread(x)
	if want := append(slices.Clone(before.Tags), "alpha", "beta"); !slices.Equal(got.Tags, want) {
		t.Errorf("server tags %v, want %v: one agent's tag was lost", got.Tags, want)
	}
	if b.Queue().Len() != 0 {
		t.Errorf("B still has %v queued", b.Queue().IDs())
	}
}

func TestTwoAgentsTitleConflictHeldBackRestGoes(t *testing.T) {
	a, b, srv, x := twoSessions(t)
	mine, theirs := "Mine", "Theirs"
	wasImportant := a.Lookup(x).Important
	a.Queue().SetTitle(&mine, []*api.Thread{a.Lookup(x)})
	a.Queue().Toggle(queue.Important, []*api.Thread{a.Lookup(x)})
	b.Queue().SetTitle(&theirs, []*api.Thread{b.Lookup(x)})
	send(t, b)
	n := len(srv.RequestsFor(http.MethodPatch))
	said := send(t, a)
	got, _ := srv.Thread(x)
	if got.Title != "Theirs" || got.Important == wasImportant {
		t.Errorf("the server holds %q, important %v: A overwrote B's title, or A's flag was held back with it", got.Title, got.Important)
	}
	if p := srv.RequestsFor(http.MethodPatch); len(p) != n+1 || strings.Contains(string(p[n].Body), "title") {
		t.Errorf("A's PATCH: %s", p[n].Body)
	}
	if e := a.Queue().Get(x); e == nil || e.Title == nil || !e.Title.Conflict {
		t.Fatalf("A's title is not a conflict: %+v", e)
	}
	if len(said) == 0 || said[len(said)-1].Conflicts != 1 || !strings.Contains(said[len(said)-1].Text, "1 conflict held back") {
		t.Errorf("A's send said %+v", said)
	}
}

func TestTwoAgentsEditAlreadyOnServerIsNotSent(t *testing.T) {
	a, b, srv, x := twoSessions(t)
	same := "Same"
	for _, s := range []*Session{a, b} {
		s.Queue().EditTags([]string{"vip"}, nil, []*api.Thread{s.Lookup(x)})
		s.Queue().SetTitle(&same, []*api.Thread{s.Lookup(x)})
	}
	send(t, b)
	n := len(srv.RequestsFor(http.MethodPatch))
	said := send(t, a)
	if p := srv.RequestsFor(http.MethodPatch); len(p) != n {
		t.Errorf("A sent what the server already holds: %s", p[n].Body)
	}
	if a.Queue().Len() != 0 || len(said) == 0 || !strings.Contains(said[0].Text, "Nothing left to send") {
		t.Errorf("A's queue %v, said %+v", a.Queue().IDs(), said)
	}
	if th, _ := srv.Thread(x); th.Title != "Same" || !slices.Contains(th.Tags, "vip") {
		t.Errorf("server %+v", th)
	}
}

// TestTwoAgentsNotesConflictSaysTheServersNotes: both read the thread's
// notes (none), A sends a note, then B sends another: B's is held back,
// and what B is told the server holds is A's note, not the empty notes
// B read.
func TestTwoAgentsNotesConflictSaysTheServersNotes(t *testing.T) {
	a, b, srv, x := twoSessions(t)
	for _, s := range []*Session{a, b} {
		drive(t, s, s.Read(x))
	}
	fromA, fromB := "note from A", "note from B"
	a.Queue().SetNotes(&fromA, []*api.Thread{a.Lookup(x)})
	send(t, a)
	b.Queue().SetNotes(&fromB, []*api.Thread{b.Lookup(x)})
	var held []string
	for _, e := range drive(t, b, b.Send(false)) {
		if l, ok := e.(Logged); ok && strings.HasPrefix(l.Text, "Held back") {
			held = append(held, l.Text)
		}
	}
	if got, _ := srv.Thread(x); got.InternalNotes != api.Value(fromA) {
		t.Errorf("the server holds %v", got.InternalNotes)
	}
	if len(held) != 1 || !strings.Contains(held[0], `server now "note from A", mine "note from B"`) {
		t.Errorf("B is told %q", held)
	}
	for _, c := range b.Queue().Get(x).Changes(b.Lookup(x)) {
		if c.Field == queue.FieldNotes && c.Old != `"note from A"` {
			t.Errorf("B's review says the server holds %s", c.Old)
		}
	}
}
