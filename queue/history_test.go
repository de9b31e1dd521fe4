package queue

import (
	"fmt"
	"runtime"
	"testing"

	"triage/api"
)

// TestHistoryKeepsWithinItsBudget: over its budget the history drops its
// oldest steps (never the last), says how many, and undo still works.
func TestHistoryKeepsWithinItsBudget(t *testing.T) {
	ts := threads(1000)
	q := New()
	q.Toggle(Resolved, ts)
	one := q.history
	q.SetHistoryBudget(3 * one)
	for _, f := range []Flag{Archived, Escalated, Important} {
		q.Toggle(f, ts)
	}
	if len(q.undo) != 3 || q.history > 3*one || q.TakeDropped() != 1 {
		t.Fatalf("%d steps, %d bytes (one step %d)", len(q.undo), q.history, one)
	}
	for range 3 {
		q.Undo()
	}
	if _, ok := q.Undo(); ok || q.Fields() != 1000 {
		t.Errorf("after undoing every kept step %d fields remain, want the first toggle's 1000", q.Fields())
	}
	q.SetHistoryBudget(1)
	q.Redo()
	q.Toggle(Important, ts)
	if len(q.undo) != 1 {
		t.Errorf("the last step must stay whatever the budget: %d", len(q.undo))
	}
}

// BenchmarkHistoryOf25BulkToggles: 25 toggles on 300,000 threads, the
// heap the queue holds after them against the budget (and one step's
// size), as it was measured at 2.37 GB before the history was compacted
// and bounded.
func BenchmarkHistoryOf25BulkToggles(b *testing.B) {
	ts := make([]*api.Thread, 300_000)
	for i := range ts {
		ts[i] = &api.Thread{ID: fmt.Sprintf("t%06d", i)}
	}
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		q := New()
		for i := range 25 {
			q.Toggle(Flag(i%int(numFlags)), ts)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "heap-MiB")
		b.ReportMetric(float64(DefaultHistoryBudget)/(1<<20), "ref-budget-MiB")
		b.ReportMetric(float64(len(q.undo)), "steps-kept")
		runtime.KeepAlive(q)
	}
}

// TestBatchIsOneStep: several operations in a Batch are one undo step.
func TestBatchIsOneStep(t *testing.T) {
	ts := threads(3)
	q := New()
	title := "Spam"
	changed := q.Batch("macro Spam", len(ts), func() {
		q.SetFlag(Resolved, true, ts)
		q.SetFlag(Archived, true, ts)
		q.EditTags([]string{"spam"}, nil, ts)
		q.SetTitle(&title, ts[:1])
	})
	if !changed || len(q.undo) != 1 || q.Fields() != 10 {
		t.Fatalf("changed %v, %d steps, %d fields", changed, len(q.undo), q.Fields())
	}
	if label, _ := q.Undo(); label != "macro Spam" || q.Len() != 0 {
		t.Errorf("one undo left %d threads (%q)", q.Len(), label)
	}
	q.Redo()
	if q.Fields() != 10 {
		t.Errorf("redo gave %d fields", q.Fields())
	}
	q.SetFlag(Resolved, false, ts) // absolute: the server holds false, so it leaves the queue
	if q.Fields() != 7 {
		t.Errorf("set false on threads the server holds false: %d fields", q.Fields())
	}
}
