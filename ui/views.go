package ui

import (
	"context"
	"fmt"
	"maps"
	"time"

	tea "charm.land/bubbletea/v2"

	"triage/api"
	"triage/queue"
	"triage/threads"
)

// viewState is one view: its definition, the threads loaded for it, where
// the operator was in it, and its load.
type viewState struct {
	def    threads.View
	set    *threads.List
	cursor int
	offset int

	load     *loadStream
	loadID   int
	loading  bool
	complete bool // a load ran to its end: switching back needs no reload
	progress api.Progress
	fetched  map[int]bool    // pages the current load delivered, so it can resume
	seen     map[string]bool // ids seen by the current load, to drop vanished rows
	total    int             // the server's total, -1 until known
}

// countMsg is a view's total, from a one-thread page.
type countMsg struct {
	view  int
	total int
}

// view is the active view.
func (m *Model) view() *viewState { return m.views[m.active] }

// startLoad (re)loads the active view in the background, keeping what it
// has until the load completes. With resume, a load interrupted by a view
// switch goes on from the pages it had instead of starting over.
func (m *Model) startLoad(resume bool) tea.Cmd {
	v := m.view()
	if v.load != nil {
		v.load.cancel()
	}
	m.loadSeq++
	v.loadID = m.loadSeq
	v.loading, v.complete = true, false
	opts := m.opts.Load
	if resume && v.fetched != nil && v.progress.Limit > 0 {
		opts.Resume = &api.Resume{Progress: v.progress, Fetched: maps.Clone(v.fetched)}
	} else {
		v.seen, v.fetched = map[string]bool{}, map[int]bool{}
		v.progress = api.Progress{}
	}
	v.load = startLoad(m.opts.Context, m.opts.API, v.loadID, v.def.Params, opts)
	return tea.Batch(v.load.next(), m.spinner.Tick)
}

// countViews asks the server for the total of every view that is not
// loading (a load reports its own): after a start, a refresh or a send,
// the bar shows every view's total as the server has it.
func (m *Model) countViews() tea.Cmd {
	var cmds []tea.Cmd
	for i, v := range m.views {
		if v.loading {
			continue
		}
		p := v.def.Params
		p.Page, p.Limit = 1, 1
		client, ctx, idx := m.opts.API, m.opts.Context, i
		cmds = append(cmds, func() tea.Msg {
			ctx, cancel := context.WithTimeout(ctx, countTimeout)
			defer cancel()
			page, err := client.ListThreads(ctx, p)
			if err != nil {
				return countMsg{view: idx, total: -1}
			}
			return countMsg{view: idx, total: page.Pagination.Total}
		})
	}
	return tea.Batch(cmds...)
}

// switchView makes view i active: its loaded threads show at once, where
// the operator left them. A load still running in the view left behind is
// cancelled (nobody waits for it); a view never loaded to its end loads.
func (m *Model) switchView(i int) tea.Cmd {
	if i < 0 || i >= len(m.views) || i == m.active {
		return nil
	}
	old := m.view()
	old.cursor, old.offset = m.table.cursor, m.table.offset
	if old.loading {
		old.load.cancel()
		old.loading = false
	}
	m.active = i
	v := m.view()
	m.table.cursor, m.table.offset = v.cursor, v.offset
	m.refreshVisible(false)
	m.setStatus("", false)
	if !v.complete {
		return m.startLoad(true)
	}
	return nil
}

// viewOfLoad finds the view a load message belongs to, or nil for a load
// that was cancelled or replaced.
func (m *Model) viewOfLoad(id int) *viewState {
	for _, v := range m.views {
		if v.loadID == id && v.loading {
			return v
		}
	}
	return nil
}

// mergePage adds a page to its view. Pending edits of the page's threads
// are rebased on what the server now says: satisfied fields leave the
// queue, fields another agent changed become conflicts.
func (m *Model) mergePage(v *viewState, msg pageMsg) {
	rebased := false
	for i := range msg.threads {
		t := &msg.threads[i]
		v.seen[t.ID] = true
		if m.queue.Rebase(t) {
			rebased = true
		}
	}
	v.set.Merge(msg.threads)
	v.progress = msg.progress
	v.fetched[msg.progress.Page] = true
	v.total = msg.progress.Total
	if v == m.view() {
		m.refreshVisible(true)
	}
	if rebased {
		m.queueChanged()
	}
}

// finishLoad ends a load: on success threads the server no longer lists
// in the view are dropped; on failure everything loaded stays.
func (m *Model) finishLoad(v *viewState, err error) {
	v.loading = false
	if err != nil {
		if v == m.view() {
			m.setStatus("Load failed: "+describeError(err), true)
		}
		return
	}
	v.complete = true
	if len(v.seen) < v.set.Len() {
		for _, id := range v.set.Prune(v.seen) {
			if !m.shownInAnyView(id) {
				m.store.Drop(id)
				delete(m.marks, id) // gone from every view: nothing left to act on
			}
		}
	}
	m.record(fmt.Sprintf("Loaded %s: %s", v.def.Name, plural(v.set.Len(), "thread")), false)
	v.seen, v.fetched = nil, nil
	if v != m.view() {
		return
	}
	m.refreshVisible(true)
	if m.status == "Refreshing…" {
		m.setStatus("", false)
	}
	if n := m.queue.Conflicts(); n > 0 {
		m.setStatus(plural(n, "pending field")+" conflict with changes on the server: p to review", true)
	}
}

// refreshVisible recomputes the rows the table shows from the active
// view, the search and the sort. With keepPlace the cursor stays on its
// thread and at its screen row, so streaming pages never move what the
// operator reads.
func (m *Model) refreshVisible(keepPlace bool) {
	v := m.view()
	var curID string
	screenRow := m.table.cursor - m.table.offset
	if t := m.table.current(); t != nil {
		curID = t.ID
	}
	m.table.rows = threads.Visible(v.set.All(), m.query, queueState{m.queue}, v.def.Sort, v.def.Reverse)
	m.placeCursor(curID, screenRow, keepPlace)
	m.updateSortMark()
}

// placeCursor puts the cursor back on thread id at screen row, if asked
// and the thread is still shown.
func (m *Model) placeCursor(id string, screenRow int, keepPlace bool) {
	if keepPlace && id != "" {
		for i, t := range m.table.rows {
			if t.ID == id {
				m.table.cursor = i
				m.table.offset = i - screenRow
				break
			}
		}
	}
	m.table.clamp()
	m.countHidden()
}

// lookup is the latest server state of a thread, or nil when no view
// holds it.
func (m *Model) lookup(id string) *api.Thread { return m.store.Get(id) }

// shownInAnyView reports whether a view still lists the thread.
func (m *Model) shownInAnyView(id string) bool {
	for _, v := range m.views {
		if v.set.Has(id) {
			return true
		}
	}
	return false
}

// queueState tells the search what the queue holds.
type queueState struct{ q *queue.Queue }

// Pending reports a thread with queued edits.
func (s queueState) Pending(id string) bool { return s.q.Get(id) != nil }

// Conflict reports a thread with a field in conflict.
func (s queueState) Conflict(id string) bool {
	e := s.q.Get(id)
	return e != nil && e.Conflicts() > 0
}

// countTimeout bounds the request for a view's total.
const countTimeout = 30 * time.Second
