package queue

import (
	"triage/api"
)

// Conflicts: when the server's value of a field moves away from the value
// an edit was queued against, the field is a conflict, held back from sends
// until the operator settles it (keeps theirs or takes the server's).

// Rebase updates the edit of t after the server state of t changed (a
// refresh): fields the server now has as wanted leave the queue; fields
// whose server value moved away from the value they were queued against
// become conflicts. It reports whether the edit changed.
func (q *Queue) Rebase(t *api.Thread) bool {
	e := q.edits[t.ID]
	if e == nil {
		return false
	}
	before := e.clone()
	e.rebase(t)
	if e.empty() {
		delete(q.edits, t.ID)
	} else if equalEdits(before, e) {
		return false
	}
	q.mark(t.ID)
	q.changed()
	return true
}

func (e *Edit) rebase(t *api.Thread) {
	for f, b := range e.Flags {
		server := Flag(f).Of(t)
		switch {
		case b == nil:
		case server == b.Want:
			e.Flags[f] = nil
		case server != b.Base:
			b.Conflict = true
		}
	}
	if m := e.Mode; m != nil && t.Mode != "" {
		switch {
		case t.Mode == m.Want:
			e.Mode = nil
		case t.Mode != m.Base:
			m.Conflict = true
		}
	}
	if tg := e.Tags; tg != nil && sameTagSet(tg.Result(t.Tags), t.Tags) {
		e.Tags = nil
	}
	if ti := e.Title; ti != nil {
		switch {
		case sameText(ti.Want, t.Title):
			e.Title = nil
		case t.Title != ti.Base:
			ti.Conflict = true
		}
	}
	if n := e.Notes; n != nil && !t.InternalNotes.IsZero() {
		server, _ := t.InternalNotes.Get()
		switch {
		case sameText(n.Want, server):
			e.Notes = nil
		case n.BaseKnown && server != n.Base:
			n.Conflict = true
		}
	}
}

// Settle settles the conflicts of one thread against its server state t:
// keepMine re-queues the operator's values against the new server values;
// otherwise the conflicted fields are dropped and the server's values
// stand. It is one undoable action.
func (q *Queue) Settle(t *api.Thread, keepMine bool) bool {
	label := "take theirs"
	if keepMine {
		label = "keep mine"
	}
	q.begin(label, 1)
	if e := q.touch(t.ID); e != nil {
		e.settle(t, keepMine)
	}
	return q.end()
}

func (e *Edit) settle(t *api.Thread, keepMine bool) {
	for f, b := range e.Flags {
		if b != nil && b.Conflict {
			if keepMine {
				b.Base, b.Conflict = Flag(f).Of(t), false
			} else {
				e.Flags[f] = nil
			}
		}
	}
	if m := e.Mode; m != nil && m.Conflict {
		if keepMine {
			m.Base, m.Conflict = t.Mode, false
		} else {
			e.Mode = nil
		}
	}
	if ti := e.Title; ti != nil && ti.Conflict {
		if keepMine {
			ti.Base, ti.Conflict = t.Title, false
		} else {
			e.Title = nil
		}
	}
	if n := e.Notes; n != nil && n.Conflict {
		if keepMine {
			n.Base, _ = t.InternalNotes.Get()
			n.Conflict = false
		} else {
			e.Notes = nil
		}
	}
}
