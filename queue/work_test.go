package queue

import (
	"testing"

	"triage/api"
)

// TestWorkInPartsIsOneStep: a toggle applied 7 threads at a time shows
// each part as it goes, ends as the one undo step a toggle at once makes,
// and its undo and redo in parts put every thread back.
func TestWorkInPartsIsOneStep(t *testing.T) {
	ts := threads(100)
	q := New()
	q.Toggle(Escalated, ts[:10]) // an earlier step, for undo to reach
	w := q.ToggleWork(Resolved, ts)
	v := q.Version()
	w.Next(7) // the first target is not resolved: one scanned decides, six applied
	if want, ok := w.Want(); !ok || !want || q.Fields() != 10+6 || q.Version() == v {
		t.Fatalf("after the first part: want %v, decided %v, %d fields, version %d (was %d)", want, ok, q.Fields(), q.Version(), v)
	}
	if w.Next(7) || q.Fields() != 10+13 {
		t.Fatalf("after a second part of 7: %d fields", q.Fields())
	}
	for !w.Next(7) {
	}
	if done, total := w.Progress(); done != 101 || total != 101 || len(q.undo) != 2 || q.Fields() != 110 {
		t.Fatalf("done %d/%d, %d undo steps, %d fields", done, total, len(q.undo), q.Fields())
	}
	u, ok := q.UndoWork()
	if !ok || u.Label() != "toggle resolved" {
		t.Fatalf("undo: %v %q", ok, u.Label())
	}
	for !u.Next(13) {
	}
	if q.Fields() != 10 || len(q.redo) != 1 {
		t.Fatalf("after undo in parts: %d fields, %d redo steps", q.Fields(), len(q.redo))
	}
	r, _ := q.RedoWork()
	r.Next(1)
	if q.Fields() != 11 {
		t.Fatalf("a part of redo applies one thread: %d fields", q.Fields())
	}
	r.Finish()
	if q.Fields() != 110 || len(q.undo) != 2 {
		t.Fatalf("after redo: %d fields, %d undo steps", q.Fields(), len(q.undo))
	}
}

// TestUndoInPartsKeepsAThreadWhole: a part never splits one thread's
// slots, so a thread whose edit undo empties and refills is rebuilt
// whole.
func TestUndoInPartsKeepsAThreadWhole(t *testing.T) {
	ts := threads(3)
	q := New()
	q.Batch("two flags", 3, func() {
		q.SetFlag(Resolved, true, ts)
		q.SetFlag(Archived, true, ts)
	})
	u, _ := q.UndoWork()
	if u.Next(1); q.Len() != 2 {
		t.Fatalf("one part of 1 must undo one whole thread (2 slots): %d threads left", q.Len())
	}
	u.Finish()
	r, _ := q.RedoWork()
	r.Next(1)
	ids := q.IDs()
	if len(ids) != 1 {
		t.Fatalf("one part of redo brings one thread back: %v", ids)
	}
	if e := q.Get(ids[0]); e.Flags[Resolved] == nil || e.Flags[Archived] == nil {
		t.Fatalf("one part of redo brings the thread back whole: %+v", e)
	}
}

// TestWorkAcrossAConfirmationStaysOffTheHistory: when an answer of the
// server clears the history between parts, the finished action is not
// pushed onto the new history, where undo would apply it to edits it
// never saw.
func TestWorkAcrossAConfirmationStaysOffTheHistory(t *testing.T) {
	ts := threads(20)
	q := New()
	w := q.ToggleWork(Important, ts)
	w.Next(10)
	w.Next(10)
	q.Confirm(nil, []api.Thread{})
	w.Finish()
	if q.Fields() != 20 || len(q.undo) != 0 {
		t.Fatalf("%d fields, %d undo steps; want the 20 values kept and no step", q.Fields(), len(q.undo))
	}
}

// TestAToggleDecidesInParts: when every target has the flag, the parts
// that decide scan them all before any is cleared, and the toggle then
// clears it on all; the first target without it decides at once.
func TestAToggleDecidesInParts(t *testing.T) {
	ts := threads(30)
	for _, th := range ts {
		th.Important = true
	}
	q := New()
	w := q.ToggleWork(Important, ts)
	for range 3 {
		if w.Next(10); q.Len() != 0 {
			t.Fatalf("a part that decides changed the queue: %d edits", q.Len())
		}
	}
	if want, ok := w.Want(); !ok || want {
		t.Fatalf("every target has the flag: want %v, decided %v", want, ok)
	}
	w.Finish()
	if q.Fields() != 30 || q.Get(ts[0].ID).Flags[Important].Want {
		t.Errorf("%d fields; the first thread's %+v", q.Fields(), q.Get(ts[0].ID).Flags[Important])
	}
	ts[20].Important = false
	q = New()
	w = q.ToggleWork(Important, ts)
	w.Next(25)
	if want, ok := w.Want(); !ok || !want {
		t.Fatalf("the 21st target has not the flag: want %v, decided %v", want, ok)
	}
	if done, total := w.Progress(); done != 25 || total != 51 {
		t.Errorf("progress %d/%d, want the 21 scanned and 4 applied of 21+30", done, total)
	}
	if w.Finish(); q.Len() != 1 || q.Get(ts[20].ID) == nil {
		t.Errorf("set on all, the one without it queued: %v", q.IDs())
	}
	if !q.Toggle(Escalated, nil) {
		t.Error("a toggle on no thread sets, as it did")
	}
}
