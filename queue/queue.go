package queue

import (
	"slices"
	"sort"

	"triage/api"
)

// Queue holds the pending edits and the undo history. It is not safe for
// concurrent use: the UI owns it.
type Queue struct {
	edits map[string]*Edit
	undo  []step
	redo  []step
	// open is the step being recorded by the current operation; nested
	// counts the operations begun inside it (a Batch), which join it.
	open   *recording
	nested int
	// era counts the times the history was cleared, so that a Work that
	// spans a clearing keeps its step off the new history.
	era int
	// history is about the bytes undo and redo hold; budget bounds it;
	// dropped counts the oldest steps dropped for it.
	history, budget, dropped int
	// inFlight holds the items of the send in flight, by thread: until
	// the answer comes, they are what the server is about to hold.
	inFlight map[string]api.UpdateItem
	// refused holds the server's field errors of the last send, by thread.
	refused map[string][]string
	// version counts changes, so everything derived from the queue (the
	// journal, the review, the status line) can tell it is out of date.
	version int
	// totals are the pending fields and conflicts over every edit, as
	// each edit was counted last (Edit.counted); recount holds the threads
	// marked since, to count again, and all says to count every edit
	// instead (after a Restore, or more marks than edits). The status
	// line asks at every frame, and a queue may hold 100,000 edits.
	totals  tally
	recount []string
	all     bool
	// dirty holds the threads whose edit changed since TakeChanges.
	dirty map[string]struct{}
	// notices are the fields that became conflicts since TakeNotices.
	notices []Notice
}

// New returns an empty queue.
func New() *Queue {
	return &Queue{edits: map[string]*Edit{}, inFlight: map[string]api.UpdateItem{}, refused: map[string][]string{},
		dirty: map[string]struct{}{}, budget: DefaultHistoryBudget}
}

// mark records that a thread's edit changed, for TakeChanges and the
// totals. Every change of an edit is marked.
func (q *Queue) mark(id string) {
	q.dirty[id] = struct{}{}
	switch {
	case q.all:
	case len(q.recount) > 2*len(q.edits)+1024:
		q.all, q.recount = true, q.recount[:0]
	default:
		q.recount = append(q.recount, id)
	}
}

// drop removes a thread's edit, and its fields from the totals.
func (q *Queue) drop(id string) {
	if e := q.edits[id]; e != nil {
		q.totals.add(e.counted, -1)
		delete(q.edits, id)
	}
}

// TakeChanges returns the edits changed since the last call, as copies,
// and the threads whose edit is gone: what the journal must write.
func (q *Queue) TakeChanges() (puts []*Edit, dels []string) {
	for id := range q.dirty {
		if e := q.edits[id]; e != nil {
			puts = append(puts, e.clone())
		} else {
			dels = append(dels, id)
		}
	}
	clear(q.dirty)
	return puts, dels
}

// Version changes whenever the edits, or the send results shown with them,
// change. Callers compare it with the version they last acted on.
func (q *Queue) Version() int { return q.version }

// changed records a change for Version.
func (q *Queue) changed() { q.version++ }

// Refuse files the server's refusals of a thread's fields (from a failed
// send), shown with the edit until the next send.
func (q *Queue) Refuse(id string, problems ...string) {
	q.refused[id] = append(q.refused[id], problems...)
	q.changed()
}

// MarkGone records whether the server still has a thread with an edit: a
// gone thread's edit stays queued, is shown as such and is never sent.
func (q *Queue) MarkGone(id string, gone bool) {
	if e := q.edits[id]; e != nil && e.Gone != gone {
		e.Gone = gone
		q.mark(id)
		q.changed()
	}
}

// Refused returns what the server refused of a thread's edit in the last
// send.
func (q *Queue) Refused(id string) []string { return q.refused[id] }

// Len is the number of threads with a pending edit.
func (q *Queue) Len() int { return len(q.edits) }

// tally is a number of pending fields and of conflicts.
type tally struct{ fields, conflicts int }

func (t *tally) add(u tally, sign int) {
	t.fields += sign * u.fields
	t.conflicts += sign * u.conflicts
}

// count brings the totals up to date: the edits marked since the last
// count are counted again.
func (q *Queue) count() tally {
	recount := func(e *Edit) {
		now := tally{e.Fields(), e.Conflicts()}
		q.totals.add(e.counted, -1)
		q.totals.add(now, 1)
		e.counted = now
	}
	if q.all {
		q.totals = tally{}
		for _, e := range q.edits {
			e.counted = tally{}
			recount(e)
		}
	}
	for _, id := range q.recount {
		if e := q.edits[id]; e != nil {
			recount(e)
		}
	}
	q.all, q.recount = false, q.recount[:0]
	return q.totals
}

// Fields is the number of pending fields over all threads.
func (q *Queue) Fields() int { return q.count().fields }

// Conflicts is the number of fields in conflict over all threads.
func (q *Queue) Conflicts() int { return q.count().conflicts }

// Get returns the pending edit of a thread, or nil. Callers must not
// modify it.
func (q *Queue) Get(id string) *Edit { return q.edits[id] }

// FieldsByThread returns the threads with pending edits and the fields
// each has queued, in no order: sorting is left to the caller, off the
// UI goroutine if it likes.
func (q *Queue) FieldsByThread() (ids []string, fields []int) {
	ids, fields = make([]string, 0, len(q.edits)), make([]int, 0, len(q.edits))
	for id, e := range q.edits {
		ids, fields = append(ids, id), append(fields, e.Fields())
	}
	return ids, fields
}

// IDs returns the ids of the threads with pending edits, sorted.
func (q *Queue) IDs() []string {
	ids := make([]string, 0, len(q.edits))
	for id := range q.edits {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// begin opens an undo step for about n threads; end closes it.
func (q *Queue) begin(label string, n int) {
	if q.open != nil {
		q.nested++ // inside a Batch: part of its step
		return
	}
	q.open = &recording{label: label, before: make(map[string]*Edit, n)}
}

// Batch runs several operations as one action: one undo step. It reports
// whether the queue changed.
func (q *Queue) Batch(label string, n int, ops func()) bool {
	q.begin(label, n)
	ops()
	return q.end()
}

// SetFlag queues a flag's value on the targets as one action: an
// absolute value, not a toggle; a value the server holds leaves the
// queue.
func (q *Queue) SetFlag(f Flag, want bool, targets []*api.Thread) {
	q.flagWork("set "+f.String(), f, want, targets).Finish()
}

// edit returns the edit of a thread for changing, recording its state
// before the change in the open step and creating it if needed.
func (q *Queue) edit(t *api.Thread) *Edit {
	e := q.touch(t.ID)
	if e == nil {
		e = &Edit{ThreadID: t.ID, Label: t.Title}
		q.edits[t.ID] = e
		q.mark(t.ID)
	}
	return e
}

// touch records the thread's edit before the change and returns it.
func (q *Queue) touch(id string) *Edit {
	q.mark(id)
	e := q.edits[id]
	if q.open != nil {
		if _, seen := q.open.before[id]; !seen {
			q.open.before[id] = e.clone()
		}
	}
	return e
}

// end closes the open step: edits left empty are dropped, and the step is
// pushed on the undo stack if anything changed. It returns whether it did.
func (q *Queue) end() bool {
	if q.nested > 0 {
		q.nested--
		return false // the Batch around it closes the step
	}
	st := step{label: q.open.label}
	if !q.fold(&st) {
		return false
	}
	q.push(st)
	q.changed()
	return true
}

// fold closes the open recording into st: edits left empty are dropped,
// and the slots that changed are added to the step. It reports whether
// any were.
func (q *Queue) fold(st *step) bool {
	r := q.open
	q.open = nil
	for id := range r.before {
		if e := q.edits[id]; e != nil && e.empty() {
			q.drop(id)
		}
	}
	n := len(st.deltas)
	q.compact(r, st)
	return len(st.deltas) > n
}

// Undo reverts the last action and returns its label; ok is false when
// there is nothing to undo.
func (q *Queue) Undo() (label string, ok bool) { return finished(q.UndoWork()) }

// Redo reapplies the last undone action.
func (q *Queue) Redo() (label string, ok bool) { return finished(q.RedoWork()) }

// finished runs a work to its end at once.
func finished(w *Work, ok bool) (string, bool) {
	if !ok {
		return "", false
	}
	w.Finish()
	return w.label, true
}

// Toggle flips a flag on the targets as one action: if every target
// already has it (as the operator sees it, pending edits included) it is
// cleared on all, otherwise set on all. Values are queued as absolute
// values; a value equal to the server's leaves the queue. It returns the
// value applied.
func (q *Queue) Toggle(f Flag, targets []*api.Thread) bool {
	w := q.ToggleWork(f, targets)
	w.Finish()
	want, _ := w.Want()
	return want
}

func (q *Queue) setFlag(t *api.Thread, f Flag, want bool) {
	t = q.expected(t)
	server := f.Of(t)
	if want == server {
		if e := q.touch(t.ID); e != nil {
			e.Flags[f] = nil
		}
		return
	}
	q.edit(t).Flags[f] = &BoolEdit{Want: want, Base: server}
}

// SetMode queues a mode on the targets as one action.
func (q *Queue) SetMode(mode api.Mode, targets []*api.Thread) {
	q.begin("set mode "+string(mode), len(targets))
	for _, t := range targets {
		t = q.expected(t)
		if t.Mode != "" && t.Mode == mode {
			if e := q.touch(t.ID); e != nil {
				e.Mode = nil
			}
			continue
		}
		q.edit(t).Mode = &ModeEdit{Want: mode, Base: t.Mode, Since: t.UpdatedAt}
	}
	q.end()
}

// SetTitle queues a title (nil clears it) on the targets as one action.
func (q *Queue) SetTitle(title *string, targets []*api.Thread) {
	q.begin("set title", len(targets))
	for _, t := range targets {
		t = q.expected(t)
		if sameText(title, t.Title) {
			if e := q.touch(t.ID); e != nil {
				e.Title = nil
			}
			continue
		}
		q.edit(t).Title = &TextEdit{Want: clonePtr(title), Base: t.Title, BaseKnown: true}
	}
	q.end()
}

// SetNotes queues internal notes (nil clears them) on the targets as one
// action. The server usually does not return notes; then the edit is
// always queued, since it cannot be compared.
func (q *Queue) SetNotes(notes *string, targets []*api.Thread) {
	q.begin("set notes", len(targets))
	for _, t := range targets {
		t = q.expected(t)
		server, known := t.InternalNotes.Get()
		known = known || t.InternalNotes.IsNull()
		if known && sameText(notes, server) {
			if e := q.touch(t.ID); e != nil {
				e.Notes = nil
			}
			continue
		}
		q.edit(t).Notes = &TextEdit{Want: clonePtr(notes), Base: server, BaseKnown: known}
	}
	q.end()
}

// sameText compares a wanted text (nil: cleared) with a server value, for
// which "" and null are the same.
func sameText(want *string, server string) bool {
	if want == nil {
		return server == ""
	}
	return *want == server
}

func clonePtr(s *string) *string {
	if s == nil {
		return nil
	}
	v := *s
	return &v
}

// Revert drops the whole edit of one thread, as one action.
func (q *Queue) Revert(id string) bool {
	q.begin("revert thread", 1)
	if q.touch(id) != nil {
		q.drop(id)
	}
	return q.end()
}

// RevertField drops one field of one thread's edit, as one action.
func (q *Queue) RevertField(id string, f Field) bool {
	q.begin("revert "+string(f), 1)
	if e := q.touch(id); e != nil {
		f.clear(e)
	}
	return q.end()
}

// Discard drops every pending edit, as one action that undo brings back.
func (q *Queue) Discard() bool {
	q.begin("discard all", len(q.edits))
	for _, id := range q.IDs() {
		q.touch(id)
		q.drop(id)
	}
	return q.end()
}

// Restore replaces the queue with edits read from a journal. The undo
// history starts empty.
func (q *Queue) Restore(edits []*Edit) {
	q.edits = make(map[string]*Edit, len(edits))
	q.all = true
	q.clearHistory()
	for _, e := range edits {
		if e != nil && e.ThreadID != "" && !e.empty() {
			q.edits[e.ThreadID] = e.clone()
		}
	}
	clear(q.dirty) // they come from the journal: nothing to write
	q.changed()
}

// Snapshot returns copies of every edit, sorted by thread id, for the
// journal.
func (q *Queue) Snapshot() []*Edit {
	out := make([]*Edit, 0, len(q.edits))
	for _, id := range q.IDs() {
		out = append(out, q.edits[id].clone())
	}
	return out
}

func equalEdits(a, b *Edit) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	for i := range a.Flags {
		if !equalPtrVal(a.Flags[i], b.Flags[i]) {
			return false
		}
	}
	return equalPtrVal(a.Mode, b.Mode) && equalTags(a.Tags, b.Tags) && equalText(a.Title, b.Title) &&
		equalText(a.Notes, b.Notes) && a.NotConfirmed == b.NotConfirmed && a.Gone == b.Gone
}

func equalPtrVal[T comparable](a, b *T) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

func equalText(a, b *TextEdit) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return equalPtrVal(a.Want, b.Want) && a.Base == b.Base && a.BaseKnown == b.BaseKnown && a.Conflict == b.Conflict
}

func equalTags(a, b *TagsEdit) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Exact == b.Exact && a.Conflict == b.Conflict && slices.Equal(a.Add, b.Add) && slices.Equal(a.Remove, b.Remove) &&
		slices.Equal(a.List, b.List) && slices.Equal(a.Base, b.Base)
}

// Pending reports a thread with queued edits: the queue answers the
// search's is:pending.
func (q *Queue) Pending(id string) bool { return q.edits[id] != nil }

// Conflict reports a thread with a field in conflict (is:conflict).
func (q *Queue) Conflict(id string) bool {
	e := q.edits[id]
	return e != nil && e.Conflicts() > 0
}

// Frozen is what the queue holds, copied for a search on another
// goroutine.
type Frozen struct{ pending, conflict map[string]bool }

// Freeze copies what Pending and Conflict answer.
func (q *Queue) Freeze() Frozen {
	s := Frozen{pending: make(map[string]bool, len(q.edits)), conflict: map[string]bool{}}
	for id, e := range q.edits {
		s.pending[id] = true
		if e.Conflicts() > 0 {
			s.conflict[id] = true
		}
	}
	return s
}

// Pending reports a thread with queued edits.
func (s Frozen) Pending(id string) bool { return s.pending[id] }

// Conflict reports a thread with a field in conflict.
func (s Frozen) Conflict(id string) bool { return s.conflict[id] }
