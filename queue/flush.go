package queue

import (
	"triage/api"
)

// Lookup returns the latest server state of a thread, or nil when it is
// not loaded (the edit's own record of the server values is used then).
type Lookup func(id string) *api.Thread

// Plan is what a flush sends: one item per thread with real changes, each
// holding only its changed fields. Conflicted fields are held back.
type Plan struct {
	Items []api.UpdateItem
	// Fields counts the fields over all items.
	Fields int
	// HeldBack counts conflicted fields left out.
	HeldBack int
}

// Threads is the number of threads the plan changes.
func (p Plan) Threads() int { return len(p.Items) }

// Chunks splits the items into batches of at most size (0: one batch).
func (p Plan) Chunks(size int) [][]api.UpdateItem {
	if size <= 0 || len(p.Items) <= size {
		if len(p.Items) == 0 {
			return nil
		}
		return [][]api.UpdateItem{p.Items}
	}
	var out [][]api.UpdateItem
	for i := 0; i < len(p.Items); i += size {
		out = append(out, p.Items[i:min(i+size, len(p.Items))])
	}
	return out
}

// Build turns the queue into the PATCH items, in thread id order.
func (q *Queue) Build(lookup Lookup) Plan {
	var p Plan
	for _, id := range q.IDs() {
		e := q.edits[id]
		item, fields := e.item(lookup(id))
		p.HeldBack += e.Conflicts()
		if fields > 0 {
			p.Items = append(p.Items, item)
			p.Fields += fields
		}
	}
	return p
}

// item is the PATCH item of one edit against server thread t (nil: not
// loaded), and how many fields it holds.
func (e *Edit) item(t *api.Thread) (api.UpdateItem, int) {
	it := api.UpdateItem{ThreadID: e.ThreadID}
	n := 0
	dst := [numFlags]**bool{&it.Resolved, &it.Archived, &it.Escalated, &it.Important}
	for f, b := range e.Flags {
		if b != nil && !b.Conflict {
			*dst[f] = api.Bool(b.Want)
			n++
		}
	}
	if e.Mode != nil && !e.Mode.Conflict {
		it.Mode = e.Mode.Want
		n++
	}
	if e.Tags != nil {
		base := e.Tags.Base
		if t != nil {
			base = t.Tags
		}
		if result := e.Tags.Result(base); !sameTagSet(result, base) {
			it.Tags = result
			n++
		}
	}
	if e.Title != nil && !e.Title.Conflict {
		it.Title = nullable(e.Title.Want)
		n++
	}
	if e.Notes != nil && !e.Notes.Conflict {
		it.InternalNotes = nullable(e.Notes.Want)
		n++
	}
	return it, n
}

func nullable(s *string) api.Nullable {
	if s == nil {
		return api.Null()
	}
	return api.Value(*s)
}

// Sending records the items of a send about to go out: until the answer,
// edits are compared with the values those items set, not with the
// server's last known ones, so an edit made meanwhile (even back to the
// old value) is kept for the next send.
func (q *Queue) Sending(items []api.UpdateItem) {
	for _, it := range items {
		q.inFlight[it.ThreadID] = it
	}
}

// SendFailed forgets the items of a send that failed: the server kept its
// values.
func (q *Queue) SendFailed(items []api.UpdateItem) {
	for _, it := range items {
		delete(q.inFlight, it.ThreadID)
	}
}

// expected is t as the server will hold it once the send in flight lands.
func (q *Queue) expected(t *api.Thread) *api.Thread {
	it, ok := q.inFlight[t.ID]
	if !ok {
		return t
	}
	c := *t
	dst := [numFlags]*bool{&c.Resolved, &c.Archived, &c.Escalated, &c.Important}
	for f, v := range [numFlags]*bool{it.Resolved, it.Archived, it.Escalated, it.Important} {
		if v != nil {
			*dst[f] = *v
		}
	}
	if it.Mode != "" {
		c.Mode = it.Mode
	}
	if it.Tags != nil {
		c.Tags = it.Tags
	}
	if !it.Title.IsZero() {
		c.Title, _ = it.Title.Get()
	}
	if !it.InternalNotes.IsZero() {
		c.InternalNotes = it.InternalNotes
	}
	return &c
}

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
		e := q.edits[it.ThreadID]
		if e == nil {
			continue // reverted while the flush was in flight
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
			delete(q.edits, it.ThreadID)
		}
	}
	q.undo, q.redo = nil, nil
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
			b.Base = *sent[f] // changed again while in flight: our own flush moved the server
		}
	}
	if m := e.Mode; m != nil && it.Mode != "" && (t.Mode == "" || t.Mode == it.Mode) {
		if m.Want == it.Mode {
			e.Mode = nil // an answer without mode cannot contradict it
		} else {
			m.Base = it.Mode
		}
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
		return true
	}
	return !equalEdits(before, e)
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

// Resolve settles the conflicts of one thread against its server state t:
// keepMine re-queues the operator's values against the new server values;
// otherwise the conflicted fields are dropped and the server's values
// stand. It is one undoable action.
func (q *Queue) Resolve(t *api.Thread, keepMine bool) bool {
	label := "take theirs"
	if keepMine {
		label = "keep mine"
	}
	q.begin(label, 1)
	if e := q.touch(t.ID); e != nil {
		e.resolve(t, keepMine)
	}
	return q.end()
}

func (e *Edit) resolve(t *api.Thread, keepMine bool) {
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
