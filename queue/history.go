package queue

import (
	"slices"
)

// The undo history. Each operator action is one step, however many
// threads it touched; a step is stored as the fields it changed, thread
// by thread (a flag's values inline, other fields as copies that nothing
// changes), not as two copies of every edit, and the history keeps within
// a byte budget, dropping its oldest steps when it must.

// DefaultHistoryBudget is the undo history's default budget in bytes.
const DefaultHistoryBudget = 256 << 20

// slot is a field a step records: the four flags (their Flag values),
// then mode, tags, title, notes, and the edit's status (not confirmed,
// gone).
type slot uint8

// The slots after the flags.
const (
	slotMode slot = slot(numFlags) + iota
	slotTags
	slotTitle
	slotNotes
	slotStatus
	numSlots
)

// value is one slot of an edit: unset, a flag (or the status, as Want
// and Base) inline, or a copy of a mode, tags or text edit.
type value struct {
	set  bool
	flag BoolEdit
	ptr  any
}

// delta is one slot of one thread's edit before and after a step.
type delta struct {
	id     string
	label  string // to recreate the edit when undo brings it back
	slot   slot
	before value
	after  value
}

// step is one operator action: its label and the slots it changed.
type step struct {
	label  string
	deltas []delta
	size   int
}

// recording is a step being recorded: each thread's edit before the
// operation, copied the first time the operation touches it.
type recording struct {
	label  string
	before map[string]*Edit
}

// get reads a slot of an edit (nil: no edit).
func get(e *Edit, s slot) value {
	if e == nil {
		return value{}
	}
	switch {
	case s < slot(numFlags):
		if b := e.Flags[s]; b != nil {
			return value{set: true, flag: *b}
		}
	case s == slotMode && e.Mode != nil:
		return value{set: true, ptr: e.Mode}
	case s == slotTags && e.Tags != nil:
		return value{set: true, ptr: e.Tags}
	case s == slotTitle && e.Title != nil:
		return value{set: true, ptr: e.Title}
	case s == slotNotes && e.Notes != nil:
		return value{set: true, ptr: e.Notes}
	case s == slotStatus && (e.NotConfirmed || e.Gone):
		return value{set: true, flag: BoolEdit{Want: e.NotConfirmed, Base: e.Gone}}
	}
	return value{}
}

// put writes a copy of v into a slot of e.
func put(e *Edit, s slot, v value) {
	switch {
	case s < slot(numFlags):
		e.Flags[s] = nil
		if v.set {
			b := v.flag
			e.Flags[s] = &b
		}
	case s == slotMode:
		e.Mode = nil
		if v.set {
			m := *v.ptr.(*ModeEdit)
			e.Mode = &m
		}
	case s == slotTags:
		e.Tags = nil
		if v.set {
			e.Tags = cloneTags(v.ptr.(*TagsEdit))
		}
	case s == slotTitle:
		e.Title = nil
		if v.set {
			e.Title = v.ptr.(*TextEdit).clone()
		}
	case s == slotNotes:
		e.Notes = nil
		if v.set {
			e.Notes = v.ptr.(*TextEdit).clone()
		}
	case s == slotStatus:
		e.NotConfirmed, e.Gone = v.set && v.flag.Want, v.set && v.flag.Base
	}
}

// frozen is a copy of v that nothing will change, for the history.
func frozen(s slot, v value) value {
	if !v.set || v.ptr == nil {
		return v
	}
	var e Edit
	put(&e, s, v)
	return get(&e, s)
}

func cloneTags(t *TagsEdit) *TagsEdit {
	c := *t
	c.Add, c.Remove, c.List, c.Base = slices.Clone(t.Add), slices.Clone(t.Remove), slices.Clone(t.List), slices.Clone(t.Base)
	return &c
}

// same reports whether two values of a slot are equal.
func same(s slot, a, b value) bool {
	if a.set != b.set {
		return false
	}
	if !a.set {
		return true
	}
	switch s {
	case slotMode:
		return *a.ptr.(*ModeEdit) == *b.ptr.(*ModeEdit)
	case slotTags:
		return equalTags(a.ptr.(*TagsEdit), b.ptr.(*TagsEdit))
	case slotTitle, slotNotes:
		return equalText(a.ptr.(*TextEdit), b.ptr.(*TextEdit))
	}
	return a.flag == b.flag
}

// size is about the bytes a delta holds.
func (d delta) size() int {
	n := 96
	for _, v := range []value{d.before, d.after} {
		switch p := v.ptr.(type) {
		case *ModeEdit:
			n += 32
		case *TextEdit:
			n += 48
			if p.Want != nil {
				n += len(*p.Want)
			}
		case *TagsEdit:
			n += 104 + 24*(len(p.Add)+len(p.Remove)+len(p.List)+len(p.Base))
		}
	}
	return n
}

// compact adds to a step the slots that differ between each thread's
// edit before (recorded) and now.
func (q *Queue) compact(r *recording, st *step) {
	for id, before := range r.before {
		after := q.edits[id]
		label := ""
		for _, e := range []*Edit{before, after} {
			if e != nil && label == "" {
				label = e.Label
			}
		}
		for s := slot(0); s < numSlots; s++ {
			b, a := get(before, s), get(after, s)
			if !same(s, b, a) {
				d := delta{id: id, label: label, slot: s, before: b, after: frozen(s, a)}
				st.deltas = append(st.deltas, d)
				st.size += d.size()
			}
		}
	}
}

// apply puts each delta's before (undo) or after (redo) value back, and
// drops edits left with nothing to send.
func (q *Queue) apply(deltas []delta, undo bool) {
	touched := map[string]bool{}
	for _, d := range deltas {
		v := d.after
		if undo {
			v = d.before
		}
		e := q.edits[d.id]
		if e == nil {
			if !v.set {
				continue
			}
			e = &Edit{ThreadID: d.id, Label: d.label}
			q.edits[d.id] = e
		}
		put(e, d.slot, v)
		touched[d.id] = true
	}
	for id := range touched {
		q.mark(id)
		if q.edits[id].empty() {
			q.drop(id)
		}
	}
}

// push puts a new step on the undo stack, clears redo, and keeps the
// history within its budget.
func (q *Queue) push(st step) {
	q.undo = append(q.undo, st)
	q.history += st.size
	for _, r := range q.redo {
		q.history -= r.size
	}
	q.redo = nil
	q.trim()
}

// trim drops the oldest steps while the history is over its budget,
// keeping at least the last one, and counts what it dropped.
func (q *Queue) trim() {
	for q.history > q.budget && len(q.undo) > 1 {
		q.history -= q.undo[0].size
		q.undo = slices.Delete(q.undo, 0, 1)
		q.dropped++
	}
}

// SetHistoryBudget bounds the undo history to about this many bytes.
func (q *Queue) SetHistoryBudget(bytes int) {
	q.budget = bytes
	q.trim()
}

// TakeDropped returns how many of the oldest undo steps were dropped to
// keep the history within its budget since the last call.
func (q *Queue) TakeDropped() int {
	n := q.dropped
	q.dropped = 0
	return n
}

// clearHistory forgets undo and redo (after an answer from the server,
// to which they no longer apply).
func (q *Queue) clearHistory() {
	q.undo, q.redo, q.history = nil, nil, 0
	q.era++
}
