package queue

import (
	"triage/api"
)

// Conflicts: when the server's value of a field moves away from the value
// an edit was queued against, the field is a conflict, held back from sends
// until the operator settles it (keeps theirs or takes the server's).

// Notice is a field that became a conflict: what the event log and the
// status line say of it, once.
type Notice struct {
	ThreadID string
	// Label names the thread: its title as the server holds it, else the
	// title it had when the edit was queued.
	Label  string
	Change Change
}

// Rebase updates the edit of t after the server state of t changed (a
// refresh): fields the server now has as wanted leave the queue; fields
// whose server value moved away from the value they were queued against
// become conflicts, and each new one is noted for TakeNotices. It reports
// whether the edit changed.
func (q *Queue) Rebase(t *api.Thread) bool {
	e := q.edits[t.ID]
	if e == nil {
		return false
	}
	before := e.clone()
	e.rebase(t)
	if e.empty() {
		q.drop(t.ID)
	} else if equalEdits(before, e) {
		return false
	}
	q.noteConflicts(before, e, t)
	q.mark(t.ID)
	q.changed()
	return true
}

// noteConflicts notes the fields of after in conflict that were not in
// before.
func (q *Queue) noteConflicts(before, after *Edit, t *api.Thread) {
	if after.Conflicts() == before.Conflicts() && after.Conflicts() == 0 {
		return
	}
	was := map[Field]bool{}
	for _, c := range before.Changes(t) {
		was[c.Field] = c.Conflict
	}
	label := t.Title
	if label == "" {
		label = after.Label
	}
	for _, c := range after.Changes(t) {
		if c.Conflict && !was[c.Field] {
			q.notices = append(q.notices, Notice{ThreadID: t.ID, Label: label, Change: c})
		}
	}
}

// TakeNotices returns the fields that became conflicts since the last
// call.
func (q *Queue) TakeNotices() []Notice {
	out := q.notices
	q.notices = nil
	return out
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
	if m := e.Mode; m != nil {
		switch {
		case t.Mode == "":
			if m.Base == "" && !m.Since.IsZero() && t.UpdatedAt.After(m.Since) {
				m.Conflict = true // the server shows no mode, and the thread changed since it was queued
			}
		case t.Mode == m.Want:
			e.Mode = nil
		case m.Base == "":
			m.Base = t.Mode // unknown when queued: nobody can be said to have changed it
		case t.Mode != m.Base:
			m.Conflict = true // moved to a third value
		}
	}
	if tg := e.Tags; tg != nil {
		switch {
		case sameTagSet(tg.Result(t.Tags), t.Tags):
			e.Tags = nil
		case tg.Exact && !sameTagSet(t.Tags, tg.Base):
			tg.Conflict = true // the list would replace tags the agent never saw
		case tg.claimTaken(t.Tags):
			tg.Conflict = true // another agent claimed it since
		}
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
		case !n.BaseKnown && server != "":
			n.Conflict = true // notes the agent never saw: never overwritten blind
		case !n.BaseKnown:
			n.Base, n.BaseKnown = "", true // none: now it is known
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
			m.Base, m.Since, m.Conflict = t.Mode, t.UpdatedAt, false
		} else {
			e.Mode = nil
		}
	}
	if tg := e.Tags; tg != nil && tg.Conflict {
		if keepMine {
			tg.takeOver(t.Tags)
			tg.Base, tg.Conflict = append([]string(nil), t.Tags...), false
		} else {
			e.Tags = nil
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
			n.BaseKnown, n.Conflict = true, false
		} else {
			e.Notes = nil
		}
	}
}
