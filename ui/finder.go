package ui

import (
	"context"
	"runtime/debug"

	tea "charm.land/bubbletea/v2"

	"triage/threads"
)

// farRows is the size of a view from which a search or a sort runs off
// the UI goroutine: below it, filtering and sorting take less than a
// frame, and the rows change with the key.
const farRows = 50_000

// finder is the search or sort running off the UI goroutine, if any: the
// rows on screen stay until its answer, and the next key's search
// replaces it (its answer, when it comes, is dropped).
type finder struct {
	seq    int
	cancel context.CancelFunc
}

// running reports a search or sort under way.
func (f *finder) running() bool { return f.cancel != nil }

// stop cancels the one under way.
func (f *finder) stop() {
	if f.cancel != nil {
		f.cancel()
		f.cancel = nil
	}
}

// afterFind is what to do with the cursor once the rows are found.
type afterFind struct {
	first bool   // to the first row (a new query)
	back  string // back to this thread (the search was left)
}

// foundMsg is the answer of a search or sort off the UI goroutine.
type foundMsg struct {
	seq    int
	view   int
	found  threads.Found
	err    error
	after  afterFind
	sorted bool // in another order than the list's
}

// far reports whether the active view is large enough to search and sort
// off the UI goroutine.
func (m *Model) far() bool { return m.sess.Current().List().Len() >= farRows }

// findLater filters and sorts the active view off the UI goroutine, over
// a snapshot of its rows, reading the threads under the store's lock a
// chunk at a time. A query that only narrows the one whose rows are on
// screen filters those rows alone, in their order.
func (m *Model) findLater(after afterFind, narrow bool) tea.Cmd {
	v := m.sess.Current()
	f := &m.find
	f.stop()
	f.seq++
	ctx, cancel := context.WithCancel(m.opts.Context)
	f.cancel = cancel
	q, key, reverse := m.search.query, v.Def().Sort, v.Def().Reverse
	var st threads.State
	if q.UsesQueue() {
		st = m.sess.Queue().Freeze()
	}
	snap := v.List().Snapshot()
	if narrow {
		snap, key, reverse = v.List().SnapshotOf(m.table.rows), threads.SortUpdated, false
	}
	lock, seq, view := m.sess.Store().ReadLocker(), f.seq, v.Index()
	return func() tea.Msg {
		found, err := snap.Search(ctx, lock, q, st, key, reverse)
		return foundMsg{seq: seq, view: view, found: found, err: err, after: after, sorted: key != threads.SortUpdated || reverse}
	}
}

// found shows what a search or sort off the UI goroutine found, unless a
// newer one or a view switch replaced it. When the view changed while it
// ran (a page, an answer), it runs again over the view as it is now,
// its answer on screen meanwhile.
func (m *Model) found(msg foundMsg) tea.Cmd {
	if msg.seq != m.find.seq || msg.view != m.sess.Current().Index() || msg.err != nil {
		return nil
	}
	m.find.stop()
	v := m.sess.Current()
	v.List().Keep(msg.found)
	m.table.show(msg.found.Rows, true)
	m.table.sortBy(sortColumn(v.Def().Sort, v.Def().Reverse, m.look.g))
	m.marks.recount(m.table.rows)
	m.place(msg.after)
	if !v.List().Current(msg.found) {
		return m.findLater(afterFind{}, false)
	}
	if msg.sorted && v.List().Len() >= releaseRows {
		return releaseMemory
	}
	return nil
}

// releaseRows is the size of a view from which the copies a sort made of
// it (its keys, its rows) are worth handing back to the system once it
// answered: at a million threads about 60 MB that would stay resident
// until the heap grew as large again. A search, which may answer at every
// key typed, leaves little garbage and releases nothing.
const releaseRows = 250_000

// releaseMemory returns the free heap to the system, off the UI
// goroutine.
func releaseMemory() tea.Msg {
	debug.FreeOSMemory()
	return nil
}

// place puts the cursor where a search wants it.
func (m *Model) place(after afterFind) {
	switch {
	case after.first:
		m.table.moveTo(0)
	case after.back != "":
		m.table.moveToThread(after.back)
	}
}
