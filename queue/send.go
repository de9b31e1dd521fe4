package queue

import (
	"triage/api"
)

// Lookup returns the latest server state of a thread, or nil when it is
// not loaded (the edit's own record of the server values is used then).
type Lookup func(id string) *api.Thread

// Plan is what a send carries: one item per thread with real changes, each
// holding only its changed fields. Conflicted fields are held back.
type Plan struct {
	Items []api.UpdateItem
	// Fields counts the fields over all items.
	Fields int
	// HeldBack counts conflicted fields left out.
	HeldBack int
	// Gone counts edits of threads the server no longer has, left out.
	Gone int
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
		if e.Gone {
			p.Gone++
			continue
		}
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
	if tags, changes := e.Tags.onto(t); changes {
		it.Tags = tags
		n++
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

// Sending records the items of a send about to go out and forgets the
// refusals of the last one: until the answer,
// edits are compared with the values those items set, not with the
// server's last known ones, so an edit made meanwhile (even back to the
// old value) is kept for the next send.
func (q *Queue) Sending(items []api.UpdateItem) {
	clear(q.refused) // the refusals of the last send are answered by this one
	q.changed()
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
