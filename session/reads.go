package session

import (
	"errors"
	"fmt"
	"time"

	"triage/api"
)

// Reading threads: a thread's notes, its visitor's statistics and its
// conversation, read one thread at a time ahead of background loads in
// the rate limiter. Answers are kept within a byte budget and read again
// only when the thread's updatedAt moved. A server that refuses the
// messages endpoint to API keys is asked once a session.

// DefaultReadBudget is the default byte budget of the reads kept.
const DefaultReadBudget = 32 << 20

// Reading is what is known of one thread beyond the list: its detail and
// its conversation, or why they could not be read.
type Reading struct {
	Detail   api.ThreadDetail
	Messages []api.Message
	Skipped  api.Skipped
	Err      error // the thread could not be read
	MsgErr   error // the thread was read, its conversation was not
}

// entry is a Reading kept, as of the thread's updatedAt when read.
type entry struct {
	Reading
	asOf time.Time
	size int
	used int // when it was last shown, for eviction
}

// reads keeps the reads within a budget.
type reads struct {
	byID    map[string]*entry
	loading map[string]bool
	budget  int
	bytes   int
	clock   int
	refused string // why the server does not let keys read messages
}

func newReads(budget int) reads {
	if budget <= 0 {
		budget = DefaultReadBudget
	}
	return reads{byID: map[string]*entry{}, loading: map[string]bool{}, budget: budget}
}

// fresh returns what is known of t, if it was read at its current
// updatedAt (a failed conversation is read again).
func (r *reads) fresh(t *api.Thread) *entry {
	e := r.byID[t.ID]
	if e == nil || !e.asOf.Equal(t.UpdatedAt) || e.MsgErr != nil {
		return nil
	}
	r.clock++
	e.used = r.clock
	return e
}

// forget drops what was read of a thread, so it is read again.
func (r *reads) forget(id string) {
	if e := r.byID[id]; e != nil {
		r.bytes -= e.size
		delete(r.byID, id)
	}
}

// put keeps a read, evicting the least recently shown beyond the budget.
func (r *reads) put(id string, e *entry) {
	r.forget(id)
	e.size = 512
	for _, m := range e.Messages {
		e.size += 160 + len(m.Content)
	}
	if n, ok := e.Detail.InternalNotes.Get(); ok {
		e.size += len(n)
	}
	r.clock++
	e.used = r.clock
	r.byID[id] = e
	r.bytes += e.size
	for r.bytes > r.budget && len(r.byID) > 1 {
		oldest := ""
		for k, v := range r.byID {
			if k != id && (oldest == "" || v.used < r.byID[oldest].used) {
				oldest = k
			}
		}
		r.forget(oldest)
	}
}

// readDone is a thread read: its detail and its conversation.
type readDone struct {
	id     string
	detail api.ThreadDetail
	msgs   api.Messages
	err    error // the detail could not be read
	msgErr error // the conversation could not be read
}

func (readDone) result() {}

// ReadState is what a front end shows of a thread's read: what was read
// (fresh or not, shown while it is read again; nil when never), whether a
// read is under way, and why the server refuses conversations, if it does.
type ReadState struct {
	Reading *Reading
	Loading bool
	Refused string
}

// ReadOf is the read of a thread as far as it has got.
func (s *Session) ReadOf(id string) ReadState {
	st := ReadState{Loading: s.reads.loading[id], Refused: s.reads.refused}
	if e := s.reads.byID[id]; e != nil {
		st.Reading = &e.Reading
	}
	return st
}

// Fresh is the read of t at its current state, nil when it must be read.
func (s *Session) Fresh(t *api.Thread) *Reading {
	if e := s.reads.fresh(t); e != nil {
		return &e.Reading
	}
	return nil
}

// Read reads a thread and its conversation unless it was read at its
// current state or a read of it is under way (a Read event says when it
// is). Reads go ahead of background loads in the rate limiter.
func (s *Session) Read(id string) []Task {
	if t := s.store.Get(id); t != nil && s.reads.fresh(t) != nil {
		return nil
	}
	if s.reads.loading[id] {
		return nil
	}
	s.reads.loading[id] = true
	client, ctx, messages := s.opts.API, s.opts.Context, s.reads.refused == ""
	return []Task{func() Result {
		done := readDone{id: id}
		ch := make(chan struct{})
		if messages {
			go func() {
				defer close(ch)
				done.msgs, done.msgErr = client.ListMessages(ctx, id)
			}()
		} else {
			close(ch)
		}
		done.detail, done.err = client.GetThread(ctx, id)
		<-ch
		return done
	}}
}

// ReadAgain forgets what was read of a thread and reads it now.
func (s *Session) ReadAgain(id string) []Task {
	s.reads.forget(id)
	return s.Read(id)
}

// readDone takes a thread read: the one copy is updated (its notes are
// known from now on), its edit rebased, and the read kept. A refusal of
// the messages endpoint stops asking for the session.
func (s *Session) readDone(r readDone) []Task {
	delete(s.reads.loading, r.id)
	if r.err != nil {
		s.reads.put(r.id, &entry{Reading: Reading{Err: r.err}})
		s.emit(Read{ID: r.id, Err: r.err})
		return nil
	}
	t := s.store.Put(r.detail.Thread)
	s.changed(t)
	s.q.Rebase(t)
	e := &entry{Reading: Reading{Detail: r.detail, Messages: r.msgs.List, Skipped: r.msgs.Skipped}, asOf: t.UpdatedAt}
	if r.msgErr != nil {
		if why := refusal(r.msgErr); why != "" && s.reads.refused == "" {
			s.reads.refused = why
			s.log(why, true)
		} else if why == "" {
			e.MsgErr = r.msgErr
			s.log("Reading the messages of "+r.id+" failed: "+api.Describe(r.msgErr), true)
		}
	}
	s.reads.put(r.id, e)
	if r.msgErr == nil {
		notes, _ := r.detail.InternalNotes.Get()
		s.keepText(r.id, t.UpdatedAt, r.msgs.List, notes)
	}
	s.emit(Read{ID: r.id, Thread: t})
	return nil
}

// refusal says why a messages error means the server keeps them from
// keys, "" for any other error.
func refusal(err error) string {
	if errors.Is(err, api.ErrUnauthorized) || errors.Is(err, api.ErrForbidden) || errors.Is(err, api.ErrNotFound) {
		e, _ := api.AsError(err)
		return fmt.Sprintf("This server does not let an API key read messages (it answers %d): the console no longer asks this session.", e.Status)
	}
	return ""
}
