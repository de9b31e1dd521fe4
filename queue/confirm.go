package queue

import (
	"triage/api"
)

// Outcome is what a server answer did to the queue.
type Outcome struct {
	// Confirmed counts threads whose sent fields the server confirmed.
	Confirmed int
	// NotConfirmed counts threads sent but missing from the answer; their
	// edits stay queued.
	NotConfirmed int
}

// Confirm merges the server's answer to a PATCH of sent items: each sent
// field the answer confirms is cleared, unless the operator changed it
// since it was sent; threads missing from the answer stay queued and are
// marked not confirmed. Remaining fields are rebased on the answer. The
// undo history is cleared, since it refers to server state that is gone.
func (q *Queue) Confirm(sent []api.UpdateItem, updated []api.Thread) Outcome {
	byID := make(map[string]*api.Thread, len(updated))
	for i := range updated {
		byID[updated[i].ID] = &updated[i]
	}
	var out Outcome
	for _, it := range sent {
		delete(q.inFlight, it.ThreadID)
		q.mark(it.ThreadID)
		e := q.edits[it.ThreadID]
		if e == nil {
			continue // reverted while the send was in flight
		}
		t, ok := byID[it.ThreadID]
		if !ok {
			e.NotConfirmed = true
			out.NotConfirmed++
			continue
		}
		out.Confirmed++
		e.NotConfirmed = false
		e.confirm(it, t)
		e.rebase(t)
		if e.empty() {
			q.drop(it.ThreadID)
		}
	}
	q.clearHistory()
	q.changed()
	return out
}

// confirm clears the fields of e that item sent and t now shows.
func (e *Edit) confirm(it api.UpdateItem, t *api.Thread) {
	sent := [numFlags]*bool{it.Resolved, it.Archived, it.Escalated, it.Important}
	for f, b := range e.Flags {
		if b == nil || sent[f] == nil || Flag(f).Of(t) != *sent[f] {
			continue
		}
		if b.Want == *sent[f] {
			e.Flags[f] = nil
		} else {
			b.Base = *sent[f] // changed again while in flight: our own send moved the server
		}
	}
	if m := e.Mode; m != nil && it.Mode != "" && (t.Mode == "" || t.Mode == it.Mode) {
		if m.Want == it.Mode {
			e.Mode = nil // an answer without mode cannot contradict it
		} else {
			m.Base = it.Mode
		}
	}
	if m := e.Mode; m != nil && m.Base == "" {
		m.Since = t.UpdatedAt // this send moved the thread, not someone else
	}
	if tg := e.Tags; tg != nil && it.Tags != nil && sameTagSet(t.Tags, it.Tags) && sameTagSet(tg.Result(t.Tags), t.Tags) {
		e.Tags = nil
	}
	if ti := e.Title; ti != nil && !it.Title.IsZero() {
		sentTitle, _ := it.Title.Get()
		switch {
		case sameWant(ti.Want, it.Title) && sameText(ti.Want, t.Title):
			e.Title = nil
		case t.Title == sentTitle:
			ti.Base = sentTitle
		}
	}
	if n := e.Notes; n != nil && !it.InternalNotes.IsZero() && sameWant(n.Want, it.InternalNotes) {
		server, known := t.InternalNotes.Get()
		if t.InternalNotes.IsZero() || sameText(n.Want, server) || !known && n.Want == nil {
			e.Notes = nil
		}
	}
}

func sameWant(want *string, sent api.Nullable) bool {
	v, ok := sent.Get()
	if want == nil {
		return sent.IsNull()
	}
	return ok && v == *want
}
