package queue

import "triage/api"

// Work is an action on many threads applied in parts, so that no part
// holds its caller for long: a flag on a large selection, the undo or
// redo of such a step. Each part shows in the queue as it is applied
// (Version moves); the action becomes one undo step, or moves between
// undo and redo, when its last part is applied. While a Work runs, the
// caller changes the queue in no other way: answers from the server
// (rebases, confirmations) may come between parts, and a confirmation
// that clears the history keeps the finished action off it.
type Work struct {
	label       string
	done, total int
	// want is the value a flag's work applies, once decided.
	want, decided bool
	// part applies the items from up to about to, and returns where it
	// stopped; finish runs once, after the last part.
	part   func(from, to int) int
	finish func()
}

// Label names the action, as its undo step does.
func (w *Work) Label() string { return w.label }

// Progress is how many of the work's items are applied, of how many.
func (w *Work) Progress() (done, total int) { return w.done, w.total }

// Want is the value a flag's work applies, and whether it is decided yet
// (a toggle decides it in its first parts).
func (w *Work) Want() (want, decided bool) { return w.want, w.decided }

// Next applies about n more items and reports whether the work is done.
// (A part may stop short, as a toggle's scan does when it decides: the
// rest of the n goes to the next.)
func (w *Work) Next(n int) bool {
	for until := w.done + max(n, 1); w.done < min(until, w.total); {
		w.done = w.part(w.done, min(until, w.total))
	}
	if w.done >= w.total && w.finish != nil {
		w.finish()
		w.finish = nil
	}
	return w.finish == nil
}

// Finish applies what is left at once.
func (w *Work) Finish() {
	for !w.Next(w.total) {
	}
}

// ToggleWork is Toggle as a Work. Its first parts decide the value, from
// the targets (set, unless every target already has the flag: a scan
// that ends at the first target without it), its next ones apply it;
// Want says the value once decided. Its items are the targets scanned,
// then the targets applied.
func (q *Queue) ToggleWork(f Flag, targets []*api.Thread) *Work {
	n := len(targets)
	apply := q.flagWork("toggle "+f.String(), f, true, targets)
	w := &Work{label: apply.label, total: 2 * n, want: true, decided: n == 0, finish: apply.finish}
	scanned := 0 // the targets scanned to decide: the items before apply's
	w.part = func(from, to int) int {
		if w.decided {
			return scanned + apply.part(from-scanned, to-scanned)
		}
		for i, t := range targets[from:min(to, n)] {
			if v, _ := q.edits[t.ID].FlagValue(f, q.expected(t)); !v {
				scanned = from + i + 1 // a target without it: set on all
				break
			}
		}
		if scanned == 0 && to < n {
			return to
		}
		if scanned == 0 {
			scanned, w.want, apply.want = n, false, false // every target has it: cleared on all
		}
		w.decided, w.total = true, scanned+n
		return scanned
	}
	return w
}

// flagWork queues a flag's value (Work.want) on the targets in parts, one
// undo step. Inside a Batch, its parts join the Batch's step.
func (q *Queue) flagWork(label string, f Flag, want bool, targets []*api.Thread) *Work {
	nested, era := q.open != nil, q.era
	st := step{label: label}
	w := &Work{label: label, total: len(targets), want: want, decided: true}
	w.part = func(from, to int) int {
		if nested {
			for _, t := range targets[from:to] {
				q.setFlag(t, f, w.want)
			}
			return to
		}
		q.open = &recording{label: label, before: make(map[string]*Edit, to-from)}
		for _, t := range targets[from:to] {
			q.setFlag(t, f, w.want)
		}
		if q.fold(&st) {
			q.changed()
		}
		return to
	}
	w.finish = func() {
		if !nested && q.era == era && len(st.deltas) > 0 {
			q.push(st)
			q.changed()
		}
	}
	return w
}

// UndoWork is Undo as a Work; ok is false when there is nothing to undo.
func (q *Queue) UndoWork() (w *Work, ok bool) { return q.replayWork(&q.undo, &q.redo, true) }

// RedoWork is Redo as a Work.
func (q *Queue) RedoWork() (w *Work, ok bool) { return q.replayWork(&q.redo, &q.undo, false) }

// replayWork takes the last step off one stack, puts its values back in
// parts (never splitting one thread's slots between parts), and puts it
// on the other stack at the end.
func (q *Queue) replayWork(from, to *[]step, undo bool) (*Work, bool) {
	if len(*from) == 0 {
		return nil, false
	}
	st := (*from)[len(*from)-1]
	*from = (*from)[:len(*from)-1]
	era := q.era
	return &Work{label: st.label, total: len(st.deltas),
		part: func(a, b int) int {
			for b < len(st.deltas) && st.deltas[b].id == st.deltas[b-1].id {
				b++
			}
			q.apply(st.deltas[a:b], undo)
			q.changed()
			return b
		},
		finish: func() {
			if q.era == era {
				*to = append(*to, st)
			}
		}}, true
}
