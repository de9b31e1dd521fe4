package ui

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	tea "charm.land/bubbletea/v2"

	"triage/api"
	"triage/keymap"
	"triage/threads"
	"triage/words"
)

// countTimeout bounds the request for a view's total.
const countTimeout = 30 * time.Second

// pollLimit is the page the live poll reads: the newest threads, not the
// largest page the server grants, which loads and refreshes ask for.
const pollLimit = 100

// lookup is the latest server state of a thread, or nil when the store
// does not hold it.
func (m *Model) lookup(id string) *api.Thread { return m.views.store.Get(id) }

// countViews asks the server for the total of every view that is not
// loading (a load reports its own): after a start, a refresh or a send,
// the bar shows every view's total as the server has it.
func (m *Model) countViews() tea.Cmd {
	var cmds []tea.Cmd
	for i, v := range m.views.all {
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
// the operator left them, with what arrived meanwhile. A load still
// running for the view left behind is cancelled (nobody waits for it)
// unless it fills the new view too; a view never loaded to its end loads;
// one whose threads have not been polled for a poll interval is polled at
// once, so what arrived is on screen without waiting for the next poll.
func (m *Model) switchView(i int) tea.Cmd {
	vs := m.views
	if i < 0 || i >= len(vs.all) || i == vs.active {
		return nil
	}
	old := vs.current()
	old.cursor, old.offset = m.table.cursor, m.table.offset
	old.unseen = m.table.takeUnseen()
	m.find.stop() // its rows were the view left behind's
	vs.active = i
	v := vs.current()
	if old.loader() != v.loader() {
		old.loader().stop()
	}
	m.table.cursor, m.table.offset = v.cursor, v.offset
	m.table.rows = nil
	m.table.arrive(slices.Collect(maps.Keys(v.unseen)))
	v.unseen = nil
	m.refreshVisible(false)
	m.setStatus("", false)
	l := v.loader()
	switch {
	case !l.complete && !l.loading:
		return m.startLoad(loadResume)
	case l.complete && m.opts.PollInterval > 0 && m.opts.Now().Sub(l.heardAt) >= m.opts.PollInterval:
		return m.poll()
	}
	return nil
}

// pollLater schedules the next re-read, when the live list is on.
func (m *Model) pollLater() tea.Cmd {
	if m.opts.PollInterval <= 0 {
		return nil
	}
	every, _ := pollPlan(len(m.views.all), m.opts.PollInterval, m.opts.RateLimit)
	return m.opts.Tick(every, func(time.Time) tea.Msg { return pollMsg{} })
}

// poll re-reads the first page of the view on screen, and the views'
// totals as often as the budget allows; it waits while a load, a send or
// a check runs.
func (m *Model) poll() tea.Cmd {
	v := m.views.current().loader()
	if v.loading || !v.complete || m.out.run != nil || m.out.check != nil {
		return nil
	}
	p := v.def.Params
	p.Page, p.Limit = 1, min(m.pageLimit(), pollLimit)
	client, ctx, idx := m.opts.API, m.opts.Context, slices.Index(m.views.all, v)
	read := func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, countTimeout)
		defer cancel()
		page, err := client.ListThreads(ctx, p)
		return polledMsg{view: idx, page: page, err: err}
	}
	m.views.polls++
	if _, k := pollPlan(len(m.views.all), m.opts.PollInterval, m.opts.RateLimit); m.views.polls%k != 0 {
		return read
	}
	return tea.Batch(read, m.countViews())
}

// polled takes a re-read first page: threads new to a view are inserted
// at their place without moving the cursor off its thread (and shown, or
// counted above the screen), changed ones change in place in every view,
// and a change that collides with a queued edit becomes a conflict at
// once. When the server's total then differs from the threads held, the
// page did not show everything that arrived or left (more than a page
// changed, a server whose pages are not in update order, a deletion):
// the view is refreshed.
func (m *Model) polled(msg polledMsg) tea.Cmd {
	v := m.views.all[msg.view]
	if msg.err != nil {
		m.log.add(m.opts.Now(), "Live update of "+v.def.Name+" failed: "+api.Describe(msg.err), true)
		return nil
	}
	if v.loading {
		return nil // a load is under way and brings the same
	}
	for i := range msg.page.Threads {
		m.out.q.Rebase(&msg.page.Threads[i])
	}
	ps := m.views.store.PutAll(msg.page.Threads)
	v.total, v.heardAt = msg.page.Pagination.Total, m.opts.Now()
	added := 0
	for _, d := range m.views.served(v) {
		fresh := d.set.Add(d.filter(ps))
		if d == m.views.current() {
			added = len(fresh)
			m.table.arrive(fresh)
		} else {
			d.addUnseen(fresh)
		}
	}
	var refresh tea.Cmd
	if total := msg.page.Pagination.Total; total != v.set.Len() && total != v.polledTotal && m.views.shown(v) {
		v.polledTotal = total
		m.log.add(m.opts.Now(), fmt.Sprintf("%s: %s on the server, %s here after the live update: refreshing it",
			v.def.Name, words.Thousands(total), words.Thousands(v.set.Len())), false)
		refresh = m.startLoad(loadRefresh)
	}
	if !m.views.shown(v) {
		return refresh
	}
	m.refreshVisible(true)
	if added > 0 {
		m.setStatus(fmt.Sprintf("%d new in %s", added, m.views.current().def.Name), false)
	}
	return refresh
}

// refreshVisible recomputes the rows the table shows from the active
// view, the search and the sort.
func (m *Model) refreshVisible(keepPlace bool) {
	v := m.views.current()
	m.table.show(v.set.Visible(m.search.query, queueState{m.out.q}, v.def.Sort, v.def.Reverse), keepPlace)
	m.table.sortBy(sortColumn(v.def.Sort, v.def.Reverse, m.look.g))
	m.marks.recount(m.table.rows)
}

// showAdded brings the rows shown up to date after a page: threads only
// added to the view are merged into the searched, sorted rows in their
// place, so a page costs O(page·log rows) comparisons and a copy of the
// rows, not a filter and sort of everything loaded so far; a page that changed threads already shown
// starts over.
func (m *Model) showAdded(fresh []*api.Thread, onlyAdded bool) {
	v := m.views.current()
	if !onlyAdded || m.search.query.Empty() && v.def.Sort == threads.SortUpdated && !v.def.Reverse {
		m.refreshVisible(true) // (unsorted and unsearched, the rows are the list itself: nothing to redo)
		return
	}
	m.table.show(threads.MergeVisible(m.table.rows, fresh, m.search.query, queueState{m.out.q}, v.def.Sort, v.def.Reverse), true)
	m.marks.recount(m.table.rows)
}

// searched shows the rows of a query the search line took. A query that
// only narrows the last one filters the rows already shown instead of
// every thread; in a large view the search runs off the UI goroutine.
func (m *Model) searched(in searchIntent) tea.Cmd {
	after := afterFind{first: in.first, back: in.back}
	m.search.note = ""
	if m.search.query.UsesMode() && !anyMode(m.views.current().set.All()) {
		m.search.note = "the server sends no modes: mode: matches nothing"
	}
	switch {
	case in.quit:
		return m.quit()
	case !in.changed:
	case m.far(): // the rows on screen stay until it answers; they are in.prev's unless a search runs
		return m.findLater(after, !in.prev.Empty() && m.search.query.Narrows(in.prev) && !m.find.running())
	case !in.prev.Empty() && m.search.query.Narrows(in.prev):
		m.table.show(threads.Visible(m.table.rows, m.search.query, queueState{m.out.q}, threads.SortUpdated, false), true)
		m.marks.recount(m.table.rows)
	default:
		m.refreshVisible(true)
	}
	m.place(after)
	return nil
}

// cycleSort moves the active view to the next sort field, or reverses its
// order, keeping the cursor on its thread.
func (m *Model) cycleSort(reverse bool) tea.Cmd {
	d := m.views.current().def
	if reverse {
		return m.sortView(sortChoice{d.Sort, !d.Reverse})
	}
	return m.sortView(sortChoice{d.Sort.Next(), false})
}

// sortView puts the active view in an order, keeping the cursor on its
// thread; in a large view the sort runs off the UI goroutine.
func (m *Model) sortView(c sortChoice) tea.Cmd {
	v := m.views.current()
	v.def.Sort, v.def.Reverse = c.key, c.reverse
	m.setStatus("Sorted by "+sortText(c.key, c.reverse), false)
	if m.far() {
		return m.findLater(afterFind{}, false)
	}
	m.refreshVisible(true)
	return nil
}

// readLater starts the rest timer when the thread under the cursor
// changed while the pane or the reader shows it: the thread is read only
// once the cursor rests on it.
func (m *Model) readLater() tea.Cmd {
	if !m.detail.open && !m.detail.reader.open {
		m.detail.reads.watching = "" // read again when the pane opens
		return nil
	}
	t := m.table.current()
	if t == nil || t.ID == m.detail.reads.watching {
		return nil
	}
	r := &m.detail.reads
	r.watching = t.ID
	r.seq++
	msg := readMsg{id: t.ID, seq: r.seq}
	return m.opts.Tick(restDelay, func(time.Time) tea.Msg { return msg })
}

// readNow reads the thread the cursor rests on, unless it was read at its
// current state; its neighbours are read once it is (readDone), so a
// refusal of the messages endpoint is learnt from one request.
func (m *Model) readNow(msg readMsg) tea.Cmd {
	if msg.seq != m.detail.reads.seq {
		return nil // the cursor moved on
	}
	if cmd := m.readAt(m.table.cursor); cmd != nil {
		return cmd
	}
	return m.readNeighbours()
}

// readAt reads the thread of row i if it needs reading.
func (m *Model) readAt(i int) tea.Cmd {
	r := &m.detail.reads
	if i < 0 || i >= len(m.table.rows) {
		return nil
	}
	t := m.table.rows[i]
	if r.fresh(t) != nil || r.loading[t.ID] {
		return nil
	}
	r.loading[t.ID] = true
	return fetch(m.opts.Context, m.opts.API, t.ID, r.refused == "")
}

// readNeighbours reads the threads above and below the cursor.
func (m *Model) readNeighbours() tea.Cmd {
	return tea.Batch(m.readAt(m.table.cursor+1), m.readAt(m.table.cursor-1))
}

// readDone takes a thread read: the one copy is updated (its notes are
// known from now on), its edit rebased, and the read kept. A refusal of
// the messages endpoint stops asking for the session.
func (m *Model) readDone(msg readDoneMsg) tea.Cmd {
	r := &m.detail.reads
	delete(r.loading, msg.id)
	if msg.err != nil {
		r.put(msg.id, &read{err: msg.err})
		m.formRead(msg.id, nil, msg.err)
		return nil
	}
	t := m.views.store.Put(msg.detail.Thread)
	defer m.formRead(msg.id, t, nil)
	m.out.q.Rebase(t)
	e := &read{detail: msg.detail, msgs: msg.msgs.List, skipped: msg.msgs.Skipped, asOf: t.UpdatedAt}
	if msg.msgErr != nil {
		if why := refusal(msg.msgErr); why != "" && r.refused == "" {
			r.refused = why
			m.log.add(m.opts.Now(), why, true)
		} else if why == "" {
			e.msgErr = msg.msgErr
			m.log.add(m.opts.Now(), "Reading the messages of "+msg.id+" failed: "+api.Describe(msg.msgErr), true)
		}
	}
	r.put(msg.id, e)
	if msg.id == r.watching {
		return m.readNeighbours() // then the threads the agent reads next
	}
	return nil
}

// formRead hands a read to the form waiting for it, if one is.
func (m *Model) formRead(id string, t *api.Thread, err error) {
	if w, ok := m.form.(threadWaiter); ok && m.screen.isOpen(overlayForm) && w.waitsFor() == id {
		w.threadRead(t, err)
	}
}

// readAgain reads the thread the reader shows again, now: after a failed
// read, or to see the latest.
func (m *Model) readAgain() tea.Cmd {
	t := m.table.current()
	if t == nil {
		return nil
	}
	m.detail.reads.forget(t.ID)
	return m.readAt(m.table.cursor)
}

// readState is what the pane or the reader shows of a thread's read.
func (m *Model) readState(t *api.Thread) readState {
	if t == nil {
		return readState{}
	}
	r := &m.detail.reads
	retry := "Moving back onto it reads it again."
	if keys := m.opts.Keys.Binding(keymap.Refresh).Keys(); len(keys) > 0 && m.detail.reader.open {
		retry = keys[0] + " reads it again."
	}
	return readState{read: r.any(t.ID), loading: r.loading[t.ID], refused: r.refused, retry: retry}
}
