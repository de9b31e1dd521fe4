package ui

import (
	"slices"
	"time"

	tea "charm.land/bubbletea/v2"

	"triage/api"
	"triage/keymap"
	"triage/session"
)

// Reading threads as the agent looks at them: the thread under the
// cursor is read once the cursor rests on it while the pane or the reader
// shows it (a burst of j reads only where it stops), its neighbours next.
// The session keeps what was read and reads again only what changed.

// restDelay is how long the cursor must rest before its thread is read.
const restDelay = 150 * time.Millisecond

// readMsg is the cursor resting on a thread: time to read it.
type readMsg struct {
	id  string
	seq int
}

// readLater starts the rest timer when the thread under the cursor
// changed while the pane or the reader shows it.
func (m *Model) readLater() tea.Cmd {
	d := &m.detail
	if !d.open && !d.reader.open {
		d.watching = "" // read again when the pane opens
		return nil
	}
	t := m.table.current()
	if t == nil || t.ID == d.watching {
		return nil
	}
	d.watching = t.ID
	d.seq++
	msg := readMsg{id: t.ID, seq: d.seq}
	return m.opts.Tick(restDelay, func(time.Time) tea.Msg { return msg })
}

// readNow reads the thread the cursor rests on, unless it was read at its
// current state; its neighbours are read once it is (the Read event), so
// a refusal of the messages endpoint is learnt from one request.
func (m *Model) readNow(msg readMsg) tea.Cmd {
	if msg.seq != m.detail.seq {
		return nil // the cursor moved on
	}
	if cmd := m.readAt(m.table.cursor); cmd != nil {
		return cmd
	}
	return m.readNeighbours()
}

// readAt reads the thread of row i if it needs reading.
func (m *Model) readAt(i int) tea.Cmd {
	if i < 0 || i >= len(m.table.rows) {
		return nil
	}
	return m.run(m.sess.Read(m.table.rows[i].ID))
}

// readNeighbours reads the threads above and below the cursor.
func (m *Model) readNeighbours() tea.Cmd {
	return tea.Batch(m.readAt(m.table.cursor+1), m.readAt(m.table.cursor-1))
}

// readAgain reads the thread the reader shows again, now: after a failed
// read, or to see the latest.
func (m *Model) readAgain() tea.Cmd {
	if t := m.table.current(); t != nil {
		return m.run(m.sess.ReadAgain(t.ID))
	}
	return nil
}

// readForForm reads the thread a form waits for, unless it was read at
// its current state (the form then has the answer at once) or a read of
// it is under way (its Read event hands it over).
func (m *Model) readForForm(w threadWaiter) tea.Cmd {
	id := w.waitsFor()
	if t := m.lookup(id); t != nil {
		if r := m.sess.Fresh(t); r != nil {
			w.threadRead(t, r.Err)
			return nil
		}
	}
	return m.run(m.sess.Read(id))
}

// formRead hands a read to the form waiting for it, if one is.
func (m *Model) formRead(e session.Read) {
	if w, ok := m.screen.form.(threadWaiter); ok && m.screen.isOpen(overlayForm) && w.waitsFor() == e.ID {
		w.threadRead(e.Thread, e.Err)
	}
}

// readState is what the pane or the reader shows of a thread's read.
func (m *Model) readState(t *api.Thread) readState {
	if t == nil {
		return readState{}
	}
	retry := "Moving back onto it reads it again."
	if keys := m.opts.Keys.Binding(keymap.Refresh).Keys(); len(keys) > 0 && m.detail.reader.open {
		retry = keys[0] + " reads it again."
	}
	return readState{ReadState: m.sess.ReadOf(t.ID), retry: retry}
}

// prefetchMsg is the time to read the next conversation in the
// background, for the search.
type prefetchMsg struct{}

// prefetchLater schedules the next prefetched read, when prefetching is
// on.
func (m *Model) prefetchLater() tea.Cmd {
	every := m.sess.NextPrefetch()
	if every <= 0 {
		return nil
	}
	return m.opts.Tick(every, func(time.Time) tea.Msg { return prefetchMsg{} })
}

// prefetchFound searches again when the conversation just read makes the
// search shown find a thread it did not.
func (m *Model) prefetchFound(id string) tea.Cmd {
	q := m.search.query
	if !q.SearchesTexts() {
		return nil
	}
	t := m.sess.Current().List().Get(id)
	if t == nil || slices.Contains(m.table.rows, t) || !q.Match(t, m.sess.Queue()) {
		return nil
	}
	if m.far() {
		return m.findLater(afterFind{}, false)
	}
	m.refreshVisible(true)
	return nil
}
