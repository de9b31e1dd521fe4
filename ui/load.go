package ui

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"triage/api"
)

// Loader is what the console needs of the API client to list threads.
type Loader interface {
	LoadAll(ctx context.Context, p api.ListParams, opt api.LoadOptions, onPage func([]api.Thread, api.Progress)) error
}

// pageMsg carries one page of a load; id ties it to the load that asked,
// so pages of a cancelled load are dropped.
type pageMsg struct {
	id       int
	threads  []api.Thread
	progress api.Progress
}

// loadDoneMsg ends a load, with its error if it failed.
type loadDoneMsg struct {
	id  int
	err error
}

// loadStream is a running load: its pages arrive on ch.
type loadStream struct {
	id     int
	ch     chan tea.Msg
	cancel context.CancelFunc
}

// startLoad runs LoadAll in the background. Its messages are read one at
// a time by next(); cancelling stops the load and its goroutine.
func startLoad(parent context.Context, l Loader, id int, p api.ListParams, opt api.LoadOptions) *loadStream {
	ctx, cancel := context.WithCancel(parent)
	s := &loadStream{id: id, ch: make(chan tea.Msg, 1), cancel: cancel}
	go func() {
		defer close(s.ch)
		err := l.LoadAll(ctx, p, opt, func(ts []api.Thread, pr api.Progress) {
			select {
			case s.ch <- pageMsg{id: id, threads: ts, progress: pr}:
			case <-ctx.Done():
			}
		})
		select {
		case s.ch <- loadDoneMsg{id: id, err: err}:
		case <-ctx.Done():
		}
	}()
	return s
}

// next is the command that waits for the stream's next message.
func (s *loadStream) next() tea.Cmd {
	ch := s.ch
	return func() tea.Msg {
		msg, ok := <-ch
		if !ok {
			return nil
		}
		return msg
	}
}

// mergePage adds a page, keeping the cursor on the same thread and at the
// same screen row, so streaming pages never move what the operator reads.
// Pending edits of the page's threads are rebased on what the server now
// says: satisfied fields leave the queue, moved ones become conflicts.
func (m *Model) mergePage(msg pageMsg) {
	var curID string
	screenRow := m.table.cursor - m.table.offset
	if t := m.table.current(); t != nil {
		curID = t.ID
	}
	rebased := false
	for i := range msg.threads {
		t := &msg.threads[i]
		m.seen[t.ID] = true
		if m.queue.Get(t.ID) != nil {
			m.queue.Rebase(t)
			rebased = true
		}
	}
	m.rows.merge(msg.threads)
	m.progress = msg.progress
	if curID != "" {
		if i := m.rows.position(curID); i >= 0 {
			m.table.cursor = i
			m.table.offset = i - screenRow
		}
	}
	m.table.clamp()
	if rebased {
		m.saveJournal()
	}
}

// finishLoad ends a load: on success rows the server no longer lists in
// this view are dropped; on failure everything loaded stays.
func (m *Model) finishLoad(err error) {
	m.loading = false
	if err != nil {
		m.setStatus("Load failed: "+describeError(err), true)
		return
	}
	if len(m.seen) < m.rows.len() {
		m.prune()
	}
	if m.status == "Refreshing…" {
		m.setStatus("", false)
	}
	if n := m.queue.Conflicts(); n > 0 {
		m.setStatus(thousands(n)+" pending fields conflict with changes on the server: p to review", true)
	}
}

// prune removes rows the last complete load did not return. Their marks
// go with them; their pending edits stay queued.
func (m *Model) prune() {
	var curID string
	if t := m.table.current(); t != nil {
		curID = t.ID
	}
	kept := m.rows.rows[:0]
	for _, t := range m.rows.rows {
		if m.seen[t.ID] {
			kept = append(kept, t)
		} else {
			delete(m.rows.index, t.ID)
			delete(m.marks, t.ID)
		}
	}
	clear(m.rows.rows[len(kept):])
	m.rows.rows = kept
	if i := m.rows.position(curID); i >= 0 {
		m.table.cursor = i
	}
	m.table.clamp()
}
