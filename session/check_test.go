package session

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	"triage/api"
	"triage/api/apitest"
	"triage/queue"
	"triage/threads"
)

// restoredEdit is a journal's edit of thread id: resolved, queued against
// unresolved.
func restoredEdit(id string) *queue.Edit {
	e := &queue.Edit{ThreadID: id}
	e.Flags[queue.Resolved] = &queue.BoolEdit{Want: true}
	return e
}

// unlistedSession is a session showing the escalated threads, with an
// edit restored for a thread no view lists, and the id of that thread.
func unlistedSession(t *testing.T) (*Session, *apitest.Server, string) {
	t.Helper()
	srv, base := serve(t, apitest.Options{Threads: 30, Seed: 3})
	var id string
	for _, th := range srv.Threads() {
		if !th.Escalated {
			id = th.ID
			break
		}
	}
	s := on(t, srv, base, Options{Views: []threads.View{{Name: "Escalated", Params: api.ListParams{Escalated: api.Bool(true)}}},
		Restored: []*queue.Edit{restoredEdit(id)}})
	return s, srv, id
}

// TestAFailedCheckIsSaidNotGone: the background read of an edit no view
// lists fails: it is said, with its cause, and the thread is not taken
// for one the server does not have.
func TestAFailedCheckIsSaidNotGone(t *testing.T) {
	s, srv, id := unlistedSession(t)
	srv.Inject(apitest.Fault{Kind: apitest.FaultStatus, Status: http.StatusUnauthorized, PathSuffix: "/thread/" + id, Times: -1})
	var said *Said
	var checked *Checked
	for _, e := range drive(t, s, s.Start()) {
		switch e := e.(type) {
		case Said:
			if e.Err {
				said = &e
			}
		case Checked:
			checked = &e
		}
	}
	if said == nil || !strings.Contains(said.Text, "Reading 1 thread from the server failed: 401") || !errors.Is(said.Cause, api.ErrUnauthorized) {
		t.Errorf("the failure is not said with its cause: %+v", said)
	}
	if checked == nil || len(checked.Gone) != 0 || s.Queue().Get(id).Gone {
		t.Errorf("a failed read taken for a thread gone: %+v, gone %v", checked, s.Queue().Get(id).Gone)
	}
}

// TestACheckNamesTheThreadsGone: a thread deleted on the server is
// named in Checked and its edit marked gone.
func TestACheckNamesTheThreadsGone(t *testing.T) {
	s, srv, id := unlistedSession(t)
	srv.Delete(id)
	var gone []string
	for _, e := range drive(t, s, s.Start()) {
		if c, ok := e.(Checked); ok {
			gone = c.Gone
		}
		if said, ok := e.(Said); ok && said.Err {
			t.Errorf("said as a failure: %q", said.Text)
		}
	}
	if !slices.Equal(gone, []string{id}) || !s.Queue().Get(id).Gone {
		t.Errorf("gone %v, the edit's mark %v", gone, s.Queue().Get(id).Gone)
	}
}
