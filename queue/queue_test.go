package queue

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
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

func ptr(s string) *string { return &s }

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

// TestTakeChangesReportsWhatTheJournalMustWrite: every change names its
// threads once, as copies; a thread whose edit is gone is a deletion.
func TestTakeChangesReportsWhatTheJournalMustWrite(t *testing.T) {
	ts := threads(3)
	q := New()
	q.Toggle(Resolved, ts[:2])
	puts, dels := q.TakeChanges()
	if len(puts) != 2 || len(dels) != 0 {
		t.Fatalf("after a toggle: %d puts, %d dels", len(puts), len(dels))
	}
	puts[0].Flags[Resolved].Want = false // a copy: the queue is untouched
	if !q.Get(puts[0].ThreadID).Flags[Resolved].Want {
		t.Error("TakeChanges returned the queue's own edit")
	}
	if p, d := q.TakeChanges(); len(p)+len(d) != 0 {
		t.Errorf("nothing changed, yet %d puts, %d dels", len(p), len(d))
	}
	q.Undo()
	if p, d := q.TakeChanges(); len(p) != 0 || len(d) != 2 {
		t.Errorf("after undo: %d puts, %d dels", len(p), len(d))
	}
	q.Redo()
	q.TakeChanges()
	q.Confirm([]api.UpdateItem{{ThreadID: ts[0].ID, Resolved: api.Bool(true)}}, []api.Thread{{ID: ts[0].ID, Resolved: true}})
	if p, d := q.TakeChanges(); len(p) != 0 || len(d) != 1 || d[0] != ts[0].ID {
		t.Errorf("after a confirmed send: %v puts, %v dels", p, d)
	}
	q.Restore(q.Snapshot())
	if p, d := q.TakeChanges(); len(p)+len(d) != 0 {
		t.Errorf("a restore from the journal needs no write: %d, %d", len(p), len(d))
	}
}

// TestTotalsFollowEveryChange: the fields and conflicts the queue counts
// as edits change (kept up to date by the threads marked, not counted
// again over every edit) equal a count over every edit after each of a
// long run of random actions, server answers and rebases included.
func TestTotalsFollowEveryChange(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	ts := threads(60)
	q := New()
	some := func() []*api.Thread {
		from := rng.IntN(len(ts))
		return ts[from:min(len(ts), from+1+rng.IntN(20))]
	}
	for i := range 3000 {
		switch rng.IntN(12) {
		case 0, 1:
			q.Toggle(Flag(rng.IntN(int(numFlags))), some())
		case 2:
			q.SetMode(api.Mode([]string{"ai", "human"}[rng.IntN(2)]), some())
		case 3:
			q.EditTags([]string{"x"}, nil, some())
		case 4:
			q.SetTags([]string{"a", "b"}, some())
		case 5:
			q.Revert(ts[rng.IntN(len(ts))].ID)
		case 6:
			q.RevertField(ts[rng.IntN(len(ts))].ID, FlagField(Flag(rng.IntN(int(numFlags)))))
		case 7:
			q.Undo()
		case 8:
			q.Redo()
		case 9: // someone else changed threads: rebases, conflicts, settlements
			for _, th := range some() {
				th.Resolved, th.Tags = !th.Resolved, append(th.Tags, fmt.Sprint(i))
				q.Rebase(th)
				if rng.IntN(2) == 0 {
					q.Settle(th, rng.IntN(2) == 0)
				}
			}
		case 10:
			plan := q.Build(lookupOf(ts))
			var answer []api.Thread
			for _, it := range plan.Items[:len(plan.Items)/2] {
				answer = append(answer, *lookupOf(ts)(it.ThreadID))
			}
			q.Sending(plan.Items)
			q.Confirm(plan.Items, answer)
		case 11:
			if rng.IntN(10) == 0 {
				q.Discard()
			} else if rng.IntN(10) == 0 {
				q.Restore(q.Snapshot())
			}
		}
		fields, conflicts := 0, 0
		for _, e := range q.edits {
			fields += e.Fields()
			conflicts += e.Conflicts()
		}
		if q.Fields() != fields || q.Conflicts() != conflicts {
			t.Fatalf("after action %d: counted %d fields and %d conflicts, there are %d and %d", i, q.Fields(), q.Conflicts(), fields, conflicts)
		}
	}
}
