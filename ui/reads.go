package ui

import (
	"context"
	"errors"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

	"triage/api"
)

// Reading threads: the pane and the reader show a thread's notes, its
// visitor's statistics and its conversation. The thread under the cursor
// is read once the cursor rests on it (a burst of j reads only where it
// stops), its neighbours next; answers are kept within a byte budget and
// read again only when the thread's updatedAt moved. A server that
// refuses the messages endpoint to API keys is asked once a session.

// restDelay is how long the cursor must rest before its thread is read.
const restDelay = 150 * time.Millisecond

// DefaultReadBudget is the default byte budget of the reads kept.
const DefaultReadBudget = 32 << 20

// MessageReader reads a thread's conversation.
type MessageReader interface {
	ListMessages(ctx context.Context, threadID string) (api.Messages, error)
}

// read is what is known of one thread beyond the list: its detail and its
// conversation, as of the thread's updatedAt when it was read.
type read struct {
	detail  api.ThreadDetail
	msgs    []api.Message
	skipped api.Skipped
	err     error // the read failed
	msgErr  error // the thread was read, its conversation was not
	asOf    time.Time
	size    int
	used    int // when it was last shown, for eviction
}

// reads keeps the reads within a budget.
type reads struct {
	byID     map[string]*read
	loading  map[string]bool
	budget   int
	bytes    int
	clock    int
	refused  string // why the server does not let keys read messages
	watching string // the thread the rest timer is for
	seq      int
}

func newReads(budget int) reads {
	if budget <= 0 {
		budget = DefaultReadBudget
	}
	return reads{byID: map[string]*read{}, loading: map[string]bool{}, budget: budget}
}

// fresh returns what is known of t, if it was read at its current
// updatedAt.
func (r *reads) fresh(t *api.Thread) *read {
	e := r.byID[t.ID]
	if e == nil || !e.asOf.Equal(t.UpdatedAt) || e.msgErr != nil {
		return nil // a failed conversation is read again when the cursor rests on it again
	}
	r.clock++
	e.used = r.clock
	return e
}

// any returns what is known of a thread, fresh or not (shown while it is
// read again).
func (r *reads) any(id string) *read { return r.byID[id] }

// forget drops what was read of a thread, so it is read again.
func (r *reads) forget(id string) {
	if e := r.byID[id]; e != nil {
		r.bytes -= e.size
		delete(r.byID, id)
	}
}

// put keeps a read, evicting the least recently shown beyond the budget.
func (r *reads) put(id string, e *read) {
	if old := r.byID[id]; old != nil {
		r.bytes -= old.size
	}
	e.size = 512
	for _, m := range e.msgs {
		e.size += 160 + len(m.Content)
	}
	if n, ok := e.detail.InternalNotes.Get(); ok {
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
		r.bytes -= r.byID[oldest].size
		delete(r.byID, oldest)
	}
}

// readMsg is the cursor resting on a thread: time to read it.
type readMsg struct {
	id  string
	seq int
}

// readDoneMsg is a thread read: its detail and its conversation.
type readDoneMsg struct {
	id     string
	detail api.ThreadDetail
	msgs   api.Messages
	err    error // the detail could not be read
	msgErr error // the conversation could not be read
}

// fetch reads a thread's detail and, unless the server refuses them, its
// messages, at once.
func fetch(ctx context.Context, c API, id string, messages bool) tea.Cmd {
	return func() tea.Msg {
		done := readDoneMsg{id: id}
		ch := make(chan struct{})
		if messages {
			go func() {
				defer close(ch)
				done.msgs, done.msgErr = c.ListMessages(ctx, id)
			}()
		} else {
			close(ch)
		}
		done.detail, done.err = c.GetThread(ctx, id)
		<-ch
		return done
	}
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
