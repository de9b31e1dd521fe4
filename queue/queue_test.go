package queue

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"triage/api"
)

func threads(n int) []*api.Thread {
	out := make([]*api.Thread, n)
	for i := range out {
		out[i] = &api.Thread{ID: fmt.Sprintf("t%d", i), Title: fmt.Sprintf("Thread %d", i)}
	}
	return out
}

func lookupOf(ts []*api.Thread) Lookup {
	return func(id string) *api.Thread {
		for _, t := range ts {
			if t.ID == id {
				return t
			}
		}
		return nil
	}
}

func body(t *testing.T, p Plan) string {
	t.Helper()
	b, err := json.Marshal(p.Items)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestToggleTwiceLeavesNothing(t *testing.T) {
	q := New()
	ts := threads(3)
	q.Toggle(Resolved, ts)
	if q.Len() != 3 || q.Fields() != 3 {
		t.Fatalf("after one toggle: %d threads %d fields", q.Len(), q.Fields())
	}
	q.Toggle(Resolved, ts)
	if q.Len() != 0 {
		t.Fatalf("toggle twice left %d edits", q.Len())
	}
	if p := q.Build(lookupOf(ts)); len(p.Items) != 0 {
		t.Errorf("empty queue builds %s", body(t, p))
	}
}

func TestToggleMixedSetsUniformFlips(t *testing.T) {
	q := New()
	ts := threads(3)
	ts[1].Escalated = true
	if got := q.Toggle(Escalated, ts); !got {
		t.Fatal("mixed targets were not set")
	}
	if q.Len() != 2 || q.Get("t1") != nil {
		t.Fatalf("t1 already escalated must not be queued: %v", q.IDs())
	}
	if got := q.Toggle(Escalated, ts); got {
		t.Fatal("uniformly escalated targets were not cleared")
	}
	if e := q.Get("t1"); e == nil || e.Flags[Escalated].Want != false {
		t.Fatalf("t1 should be queued to false: %+v", e)
	}
	if q.Len() != 1 {
		t.Errorf("t0 and t2 toggled back to their server value should leave: %v", q.IDs())
	}
}

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

func TestUndoRedoWholeAction(t *testing.T) {
	q := New()
	ts := threads(5000)
	q.Toggle(Important, ts)
	q.Toggle(Resolved, ts[:1])
	if q.Len() != 5000 || q.Fields() != 5001 {
		t.Fatalf("%d threads %d fields", q.Len(), q.Fields())
	}
	if label, ok := q.Undo(); !ok || label != "toggle resolved" || q.Fields() != 5000 {
		t.Fatalf("undo: %q %v, %d fields", label, ok, q.Fields())
	}
	if _, ok := q.Undo(); !ok || q.Len() != 0 {
		t.Fatalf("undoing the 5000-thread action left %d", q.Len())
	}
	if _, ok := q.Undo(); ok {
		t.Error("undo past the start")
	}
	q.Redo()
	if q.Len() != 5000 {
		t.Fatalf("redo gave %d", q.Len())
	}
	q.Toggle(Archived, ts[:1]) // a new action drops the redo branch
	if _, ok := q.Redo(); ok {
		t.Error("redo survived a new action")
	}
}

func TestNoOpActionIsNotAnUndoStep(t *testing.T) {
	q := New()
	q.Revert("t0")
	q.Discard()
	q.Toggle(Resolved, nil)
	if _, ok := q.Undo(); ok {
		t.Error("actions that changed nothing were recorded")
	}
}

func TestDiscardAndRevertAreUndoable(t *testing.T) {
	q := New()
	ts := threads(3)
	q.Toggle(Resolved, ts)
	q.Toggle(Escalated, ts[:1])
	q.RevertField("t0", FieldEscalated)
	if e := q.Get("t0"); e.Flags[Escalated] != nil || e.Flags[Resolved] == nil {
		t.Fatalf("revert field: %+v", e)
	}
	q.Revert("t1")
	if q.Len() != 2 {
		t.Fatalf("revert thread: %v", q.IDs())
	}
	q.Discard()
	if q.Len() != 0 {
		t.Fatal("discard left edits")
	}
	q.Undo()
	if q.Len() != 2 {
		t.Errorf("undo of discard: %v", q.IDs())
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

func ptr(s string) *string { return &s }

func TestRebaseAndConflicts(t *testing.T) {
	ts := threads(2)
	q := New()
	q.Toggle(Resolved, ts)
	q.SetTitle(ptr("Mine"), ts)
	// Another agent resolved t0 (satisfied) and retitled t1 (conflict).
	t0, t1 := *ts[0], *ts[1]
	t0.Resolved = true
	t1.Title = "Theirs"
	if !q.Rebase(&t0) || !q.Rebase(&t1) {
		t.Fatal("rebases that changed edits reported no change")
	}
	if q.Rebase(&t1) {
		t.Error("a second rebase on the same state reported a change")
	}
	if e := q.Get("t0"); e.Flags[Resolved] != nil || e.Title == nil || e.Title.Conflict {
		t.Fatalf("t0: %+v", e)
	}
	e := q.Get("t1")
	if e.Title == nil || !e.Title.Conflict || e.Conflicts() != 1 {
		t.Fatalf("t1 title should conflict: %+v", e.Title)
	}
	p := q.Build(lookupOf([]*api.Thread{&t0, &t1}))
	if got := body(t, p); got != `[{"threadId":"t0","title":"Mine"},{"threadId":"t1","resolved":true}]` || p.HeldBack != 1 {
		t.Fatalf("conflicted field sent: %s held %d", got, p.HeldBack)
	}
	q.Settle(&t1, true)
	if got := body(t, q.Build(lookupOf([]*api.Thread{&t0, &t1}))); got != `[{"threadId":"t0","title":"Mine"},{"threadId":"t1","resolved":true,"title":"Mine"}]` {
		t.Fatalf("keep mine: %s", got)
	}
	q.Undo()
	q.Settle(&t1, false)
	if e := q.Get("t1"); e.Title != nil || e.Flags[Resolved] == nil {
		t.Fatalf("take theirs: %+v", e)
	}
}

func TestTagsResolvedAgainstLatestServerTags(t *testing.T) {
	ts := threads(3)
	ts[0].Tags = []string{"billing", "refund"}
	ts[1].Tags = []string{"vip"}
	ts[2].Tags = []string{"shipping"}
	q := New()
	q.EditTags([]string{"vip"}, []string{"billing"}, ts)
	if q.Get("t1") != nil {
		t.Fatal("t1 already has vip and no billing: nothing to change")
	}
	// Another agent adds "urgent" to t0 before the flush.
	latest := []*api.Thread{{ID: "t0", Tags: []string{"billing", "refund", "urgent"}}, ts[1], ts[2]}
	got := body(t, q.Build(lookupOf(latest)))
	want := `[{"threadId":"t0","tags":["refund","urgent","vip"]},{"threadId":"t2","tags":["shipping","vip"]}]`
	if got != want {
		t.Errorf("body\n got %s\nwant %s", got, want)
	}
	// An exact list replaces everything; an empty one clears.
	q.SetTags([]string{}, ts[2:])
	if got := body(t, q.Build(lookupOf(latest))); got != `[{"threadId":"t0","tags":["refund","urgent","vip"]},{"threadId":"t2","tags":[]}]` {
		t.Errorf("exact: %s", got)
	}
	// A later add cancels an earlier remove.
	q.EditTags([]string{"billing"}, nil, ts[:1])
	if e := q.Get("t0"); len(e.Tags.Remove) != 0 {
		t.Errorf("remove not cancelled: %+v", e.Tags)
	}
}

func TestTriStateTitleAndNotes(t *testing.T) {
	ts := threads(2)
	ts[1].Title = ""
	q := New()
	q.SetTitle(nil, ts[:1])
	q.SetTitle(nil, ts[1:]) // already empty: nothing to clear
	q.SetNotes(ptr("called back"), ts[1:])
	q.SetNotes(nil, ts[:1]) // notes unknown: clearing is queued
	got := body(t, q.Build(lookupOf(ts)))
	want := `[{"threadId":"t0","title":null,"internalNotes":null},{"threadId":"t1","internalNotes":"called back"}]`
	if got != want {
		t.Errorf("body\n got %s\nwant %s", got, want)
	}
}

func TestModeEdit(t *testing.T) {
	ts := threads(2)
	ts[1].Mode = api.ModeHuman
	q := New()
	q.SetMode(api.ModeHuman, ts)
	if got := body(t, q.Build(lookupOf(ts))); got != `[{"threadId":"t0","mode":"HUMAN"}]` {
		t.Errorf("mode: %s", got)
	}
}

func TestSnapshotRestoreRoundTrip(t *testing.T) {
	ts := threads(2)
	q := New()
	q.Toggle(Resolved, ts)
	q.SetTitle(nil, ts[:1])
	q.EditTags([]string{"vip"}, nil, ts[1:])
	b, err := json.Marshal(q.Snapshot())
	if err != nil {
		t.Fatal(err)
	}
	var edits []*Edit
	if err := json.Unmarshal(b, &edits); err != nil {
		t.Fatal(err)
	}
	r := New()
	r.Restore(edits)
	if body(t, r.Build(lookupOf(ts))) != body(t, q.Build(lookupOf(ts))) {
		t.Errorf("restored queue differs:\n%s\n%s", body(t, r.Build(lookupOf(ts))), body(t, q.Build(lookupOf(ts))))
	}
	// Not loaded: the edit's own record of the server is used.
	if got := body(t, r.Build(func(string) *api.Thread { return nil })); got != body(t, q.Build(lookupOf(ts))) {
		t.Errorf("without server state: %s", got)
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

func TestChangesForReview(t *testing.T) {
	ts := threads(1)
	q := New()
	q.Toggle(Escalated, ts)
	q.SetNotes(ptr("x"), ts)
	ch := q.Get("t0").Changes(ts[0])
	if len(ch) != 2 || ch[0].Field != FieldEscalated || ch[0].Old != "false" || ch[0].New != "true" ||
		ch[1].Old != "(not returned by the server)" || ch[1].New != `"x"` {
		t.Errorf("changes %+v", ch)
	}
}

func TestParseTagInput(t *testing.T) {
	tests := []struct {
		in      string
		want    TagInput
		wantErr string
	}{
		{in: "+vip -billing", want: TagInput{Add: []string{"vip"}, Remove: []string{"billing"}}},
		{in: "  vip  vip +vip ", want: TagInput{Add: []string{"vip"}}},
		{in: "= a b a", want: TagInput{Exact: true, List: []string{"a", "b"}}},
		{in: "=a b", want: TagInput{Exact: true, List: []string{"a", "b"}}},
		{in: "=", want: TagInput{Exact: true, List: []string{}}},
		{in: "", wantErr: "type tags"},
		{in: "   ", wantErr: "type tags"},
		{in: "+ vip", wantErr: `"+" alone`},
		{in: "vip -", wantErr: `"-" alone`},
		{in: "+vip -vip", wantErr: "both added and removed"},
		{in: "= +vip", wantErr: "without + or -"},
		{in: "way-too-long-tag", wantErr: "16 characters long; the limit is 10"},
	}
	for _, tt := range tests {
		got, err := ParseTagInput(tt.in, 10)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%q: err %v, want %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%q: %+v %v, want %+v", tt.in, got, err, tt.want)
		}
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
