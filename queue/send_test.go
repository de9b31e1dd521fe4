package queue

import (
	"testing"

	"triage/api"
)

func TestBuildSendsAbsoluteValuesOnlyForChanges(t *testing.T) {
	q := New()
	ts := threads(3)
	ts[2].Resolved = true
	q.Toggle(Resolved, ts[:2])
	q.Toggle(Escalated, ts[1:2])
	p := q.Build(lookupOf(ts))
	want := `[{"threadId":"t0","resolved":true},{"threadId":"t1","resolved":true,"escalated":true}]`
	if got := body(t, p); got != want {
		t.Errorf("body\n got %s\nwant %s", got, want)
	}
	if p.Fields != 3 || p.Threads() != 2 {
		t.Errorf("fields %d threads %d", p.Fields, p.Threads())
	}
	q.Toggle(Resolved, ts[2:]) // clear a flag: false is sent, not omitted
	if got := body(t, q.Build(lookupOf(ts))); got != want[:len(want)-1]+`,{"threadId":"t2","resolved":false}]` {
		t.Errorf("clearing: %s", got)
	}
}

func TestConfirmFullPartialAndFailed(t *testing.T) {
	ts := threads(3)
	q := New()
	q.Toggle(Resolved, ts)
	q.Toggle(Important, ts[:1])
	p := q.Build(lookupOf(ts))

	// Failed: the UI never calls Confirm, and nothing changes.
	if q.Fields() != 4 {
		t.Fatal("setup")
	}
	// Partial: the answer lacks t2.
	answer := []api.Thread{*ts[0], *ts[1]}
	answer[0].Resolved, answer[0].Important, answer[1].Resolved = true, true, true
	out := q.Confirm(p.Items, answer)
	if out.Confirmed != 2 || out.NotConfirmed != 1 {
		t.Fatalf("outcome %+v", out)
	}
	if q.Len() != 1 || q.Get("t2") == nil || !q.Get("t2").NotConfirmed {
		t.Fatalf("t2 should stay queued, not confirmed: %v", q.IDs())
	}
	// Full: a resend confirms it.
	p = q.Build(lookupOf(ts))
	if got := body(t, p); got != `[{"threadId":"t2","resolved":true}]` {
		t.Fatalf("resend %s", got)
	}
	t2 := *ts[2]
	t2.Resolved = true
	q.Confirm(p.Items, []api.Thread{t2})
	if q.Len() != 0 {
		t.Errorf("left %v", q.IDs())
	}
}

func TestConfirmKeepsChangesMadeInFlight(t *testing.T) {
	ts := threads(1)
	q := New()
	q.Toggle(Resolved, ts)
	p := q.Build(lookupOf(ts))
	q.SetTitle(ptr("renamed meanwhile"), ts)
	answer := *ts[0]
	answer.Resolved = true
	q.Confirm(p.Items, []api.Thread{answer})
	e := q.Get("t0")
	if e == nil || e.Flags[Resolved] != nil || e.Title == nil || *e.Title.Want != "renamed meanwhile" {
		t.Fatalf("edit after confirm: %+v", e)
	}
	if e.Title.Conflict {
		t.Error("an unsent field became a conflict")
	}
}

func TestConfirmAnswerContradicts(t *testing.T) {
	ts := threads(1)
	q := New()
	q.Toggle(Resolved, ts)
	p := q.Build(lookupOf(ts))
	q.Confirm(p.Items, []api.Thread{*ts[0]}) // server says it is still unresolved
	if e := q.Get("t0"); e == nil || e.Flags[Resolved] == nil {
		t.Fatal("an edit the server did not apply was cleared")
	}
}

func TestChunks(t *testing.T) {
	q := New()
	ts := threads(5)
	q.Toggle(Resolved, ts)
	p := q.Build(lookupOf(ts))
	if c := p.Chunks(0); len(c) != 1 || len(c[0]) != 5 {
		t.Errorf("unlimited: %d chunks", len(c))
	}
	if c := p.Chunks(2); len(c) != 3 || len(c[2]) != 1 {
		t.Errorf("max 2: %v", c)
	}
}

// TestEditsMadeWhileSendingAreKept: toggling a field back while the PATCH
// that sets it is in flight must not be lost, though it equals the value
// last seen from the server.
func TestEditsMadeWhileSendingAreKept(t *testing.T) {
	ts := threads(1)
	q := New()
	q.Toggle(Resolved, ts)
	p := q.Build(lookupOf(ts))
	q.Sending(p.Items)
	q.Toggle(Resolved, ts) // back to false while "resolved: true" is on the wire
	if e := q.Get("t0"); e == nil || e.Flags[Resolved] == nil || e.Flags[Resolved].Want {
		t.Fatalf("the edit made during the send was dropped: %+v", e)
	}
	answer := *ts[0]
	answer.Resolved = true
	q.Confirm(p.Items, []api.Thread{answer})
	e := q.Get("t0")
	if e == nil || e.Flags[Resolved] == nil || e.Flags[Resolved].Conflict {
		t.Fatalf("after the answer: %+v", e)
	}
	if got := body(t, q.Build(lookupOf([]*api.Thread{&answer}))); got != `[{"threadId":"t0","resolved":false}]` {
		t.Errorf("next send %s", got)
	}
	// A failed send leaves the server's values as they were.
	q2 := New()
	q2.Toggle(Escalated, ts)
	p2 := q2.Build(lookupOf(ts))
	q2.Sending(p2.Items)
	q2.SendFailed(p2.Items)
	q2.Toggle(Escalated, ts)
	if q2.Len() != 0 {
		t.Errorf("after a failed send, toggling back should leave nothing: %v", q2.IDs())
	}
}
