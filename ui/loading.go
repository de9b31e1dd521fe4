package ui

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	tea "charm.land/bubbletea/v2"

	"triage/api"
	"triage/threads"
	"triage/words"
)

// loadKind says how a view's threads are (re)read.
type loadKind int

const (
	// loadRefresh reads only what changed when the view has rows and the
	// server's pages keep update order, else the whole view.
	loadRefresh loadKind = iota
	// loadResume goes on with a load a view switch interrupted.
	loadResume
	// loadFull reads every page, behind the rows already shown.
	loadFull
)

// refreshRun is an incremental refresh: pages read one after the other,
// newest update first, until one reaches threads the view holds as the
// server has them.
type refreshRun struct {
	ctx    context.Context
	cancel context.CancelFunc
	last   time.Time       // the update of the last thread read, for the order check
	seen   map[string]bool // the threads its pages listed, for a load that takes over
}

// refreshPageMsg is one page of an incremental refresh.
type refreshPageMsg struct {
	id   int
	n    int
	page api.Page
	err  error
}

// startRefresh reads the view's first page; refreshPageArrived decides
// whether to read on.
func (m *Model) startRefresh(v *viewState) tea.Cmd {
	ctx, cancel := context.WithCancel(m.opts.Context)
	v.refresh = &refreshRun{ctx: ctx, cancel: cancel, seen: map[string]bool{}}
	v.progress, v.skipped = api.Progress{}, 0
	v.seen, v.fetched = nil, nil
	return m.refreshPage(v, 1)
}

// refreshPage reads page n of the view's refresh, as large as the server
// grants.
func (m *Model) refreshPage(v *viewState, n int) tea.Cmd {
	p := v.def.Params
	p.Page, p.Limit = n, m.opts.Load.PageLimit
	if p.Limit <= 0 {
		p.Limit = api.DefaultPageLimit
	}
	client, ctx, id := m.opts.API, v.refresh.ctx, v.loadID
	return func() tea.Msg {
		page, err := client.ListThreads(ctx, p)
		return refreshPageMsg{id: id, n: n, page: page, err: err}
	}
}

// refreshPageArrived takes a page of a refresh. It stops at the page that
// reaches a thread the view holds unchanged and older than the view's
// mark (everything after it is as it was), then compares the view's count
// with the server's total. A page out of update order, or a count that
// disagrees (threads left), and the whole view is read again behind the
// rows; so many changes that a load would be faster, and the pages after
// the last one read are read as a load.
func (m *Model) refreshPageArrived(msg refreshPageMsg) tea.Cmd {
	v := m.views.ofLoad(msg.id)
	if v == nil || v.refresh == nil {
		return nil
	}
	r := v.refresh
	if msg.err != nil {
		v.stop()
		return m.finishLoad(v, msg.err, 0)
	}
	ts, pg := msg.page.Threads, msg.page.Pagination
	last, ordered := threads.InUpdateOrder(r.last, ts)
	if !ordered {
		v.unordered = true
		m.log.add(m.opts.Now(), "The server's pages of "+v.def.Name+" are not in update order: every refresh reads the whole view", false)
		return m.startLoad(loadFull)
	}
	r.last = last
	for i := range ts {
		r.seen[ts[i].ID] = true
	}
	reached := m.reachesKnown(v, ts)
	if msg.n == 1 {
		v.nextMark = newest(ts)
	}
	limit := max(pg.Limit, len(ts), 1)
	v.progress = api.Progress{Loaded: v.progress.Loaded + len(ts), Total: pg.Total, Pages: msg.n, Page: msg.n,
		TotalPages: max(pg.TotalPages, 1), Limit: limit, Skipped: msg.page.Skipped}
	m.takePage(v, ts, msg.page.Skipped)
	if !reached && len(ts) > 0 && msg.n < pg.TotalPages {
		if msg.n >= max(2, pg.TotalPages/max(m.opts.Load.Concurrency, api.DefaultConcurrency)) {
			m.log.add(m.opts.Now(), "Most of "+v.def.Name+" changed: reading the rest of it at once", false)
			return m.goOnAsLoad(v, msg.n)
		}
		return m.refreshPage(v, msg.n+1)
	}
	m.dropUnmatched(v)
	if n := v.set.Len(); n != pg.Total {
		m.log.add(m.opts.Now(), fmt.Sprintf("%s: %s here, %s on the server; reading all of it to find what left",
			v.def.Name, words.Thousands(n), words.Thousands(pg.Total)), false)
		return m.startLoad(loadFull)
	}
	v.refresh.cancel()
	v.refresh = nil
	return m.finishLoad(v, nil, msg.n)
}

// reachesKnown reports whether a page holds a thread the view shows at
// the same update, older than the view's mark: every change since the
// view was last read has a newer update, so the pages after it hold
// nothing new.
func (m *Model) reachesKnown(v *viewState, ts []api.Thread) bool {
	if v.mark.IsZero() {
		return false
	}
	for i := range ts {
		t := &ts[i]
		if held := v.set.Get(t.ID); held != nil && held.UpdatedAt.Equal(t.UpdatedAt) && t.UpdatedAt.Before(v.mark) {
			return true
		}
	}
	return false
}

// dropUnmatched drops from the view the threads whose state, as the
// store knows it, no longer fits the view's filter (resolved by a send,
// by another agent in another view): they would make its count disagree
// with the server's.
func (m *Model) dropUnmatched(v *viewState) {
	m.prune(v, func(t *api.Thread) bool {
		ok, known := threads.Matches(v.def.Params, t)
		return ok || !known
	})
}

// goOnAsLoad hands a refresh that read pages 1 to n over to a load of
// the pages after them, several at a time: the pages read are not read
// again, and the threads they listed count as seen when the load drops
// what the server no longer lists.
func (m *Model) goOnAsLoad(v *viewState, n int) tea.Cmd {
	v.seen, v.fetched = v.refresh.seen, map[int]bool{}
	for p := 1; p <= n; p++ {
		v.fetched[p] = true
	}
	return m.startLoad(loadResume)
}

// newest is the latest update of a page.
func newest(ts []api.Thread) time.Time {
	var at time.Time
	for i := range ts {
		if ts[i].UpdatedAt.After(at) {
			at = ts[i].UpdatedAt
		}
	}
	return at
}

// startLoad (re)reads the active view (or the view it is drawn from) in
// the background, keeping what it
// shows until the read completes: a refresh reads only what changed when
// it can, a resume goes on from the pages an interrupted load had.
func (m *Model) startLoad(kind loadKind) tea.Cmd {
	v := m.views.current().loader()
	v.stop()
	m.views.seq++
	v.loadID = m.views.seq
	v.loading, v.complete = true, false
	if !v.announce && !v.readAt.IsZero() { // read to its end before: what it brings is news (a load that takes over keeps the count)
		v.announce, v.since = true, v.readAt
		for _, d := range m.views.served(v) {
			d.news = news{}
		}
	}
	if kind == loadRefresh && v.set.Len() > 0 && !v.unordered && !v.mark.IsZero() {
		return tea.Batch(m.startRefresh(v), m.status.spinner.Tick)
	}
	opts := m.opts.Load
	if kind == loadResume && v.fetched != nil && v.progress.Limit > 0 {
		opts.Resume = &api.Resume{Progress: v.progress, Fetched: maps.Clone(v.fetched)}
	} else {
		v.seen, v.fetched = map[string]bool{}, map[int]bool{}
		v.progress, v.skipped = api.Progress{}, 0
	}
	v.load = startLoad(m.opts.Context, m.opts.API, v.loadID, v.def.Params, opts)
	return tea.Batch(v.load.next(), m.status.spinner.Tick)
}

// pageArrived adds a page of a load to its view and waits for the next.
func (m *Model) pageArrived(msg pageMsg) tea.Cmd {
	v := m.views.ofLoad(msg.id)
	if v == nil {
		return nil
	}
	for i := range msg.threads {
		v.seen[msg.threads[i].ID] = true
	}
	if w := msg.progress.Warning; w != "" && msg.progress.Page == 1 {
		m.setStatus(w, true)
	}
	if msg.progress.Page == 1 {
		v.nextMark = newest(msg.threads)
	}
	v.progress = msg.progress
	v.fetched[msg.progress.Page] = true
	m.takePage(v, msg.threads, msg.progress.Skipped)
	if v.load == nil {
		return nil
	}
	return v.load.next()
}

// takePage adds a page to its view and the views drawn from it. Pending edits of the page's threads
// are rebased on what the server now says: satisfied fields leave the
// queue, fields another agent changed become conflicts.
//
// Behind rows already shown (a refresh, a reload), the threads a view did
// not hold are arrivals, shown or counted above the screen, and with the
// threads whose update moved they are the news the end of the load tells.
func (m *Model) takePage(v *viewState, ts []api.Thread, skipped api.Skipped) {
	var moved []string
	for i := range ts {
		m.out.q.Rebase(&ts[i])
		if old := m.views.store.Get(ts[i].ID); v.announce && old != nil && !old.UpdatedAt.Equal(ts[i].UpdatedAt) {
			moved = append(moved, ts[i].ID)
		}
	}
	ps := m.views.store.PutAll(ts)
	for _, d := range m.views.served(v) {
		fresh, onlyAdded := d.set.Include(d.filter(ps))
		if v.announce {
			d.news.added += len(fresh)
			for _, id := range moved {
				if d.set.Has(id) && !slices.ContainsFunc(fresh, func(t *api.Thread) bool { return t.ID == id }) {
					d.news.changed++
				}
			}
		}
		if d == m.views.current() {
			if v.announce {
				m.table.arrive(fresh)
			}
			m.showAdded(fresh, onlyAdded)
		} else if v.announce {
			d.addUnseen(fresh)
		}
	}
	if skipped.Count > v.skipped {
		if v.skipped == 0 {
			m.log.add(m.opts.Now(), "Loading "+v.def.Name+": a malformed thread was skipped, the load goes on; "+skipped.First, true)
		}
		v.skipped = skipped.Count
	}
	v.total = v.progress.Total
}

// finishLoad ends a load, or a refresh that read refreshed pages: on
// success the view is as the server lists it (a whole load drops the
// threads it no longer lists), edits of threads no view lists any more are
// checked in the background, and the cache is written; on failure
// everything loaded stays.
func (m *Model) finishLoad(v *viewState, err error, refreshed int) tea.Cmd {
	v.loading = false
	if err != nil {
		if m.views.shown(v) {
			m.setStatus("Load failed: "+api.Describe(err), true)
		}
		return nil
	}
	v.complete, v.fromCache = true, false
	v.readAt, v.mark, v.heardAt = m.opts.Now(), v.nextMark, m.opts.Now()
	cur := m.views.current()
	found := ""
	if v.announce && m.views.shown(v) {
		if found = cur.news.text(v.since); found != "" {
			found = cur.def.Name + ": " + found
		}
	}
	v.announce = false
	if v.seen != nil && len(v.seen) < v.set.Len() {
		m.prune(v, func(t *api.Thread) bool { return v.seen[t.ID] })
	}
	for _, d := range m.views.served(v)[1:] {
		m.derive(d, v)
	}
	loaded := fmt.Sprintf("Loaded %s: %s", v.def.Name, words.Plural(v.set.Len(), "thread"))
	if v.skipped > 0 {
		loaded += fmt.Sprintf("; %s the server sent could not be read and %s skipped (L shows the first)",
			words.Plural(v.skipped, "thread"), pick(v.skipped == 1, "was", "were"))
	}
	switch {
	case refreshed > 0 && found != "":
		m.log.add(m.opts.Now(), fmt.Sprintf("Refreshed %s: read %s, the rest as it was; %s", v.def.Name, words.Plural(refreshed, "page"), found), false)
	case refreshed > 0:
		m.log.add(m.opts.Now(), fmt.Sprintf("Refreshed %s: read %s, the rest as it was", v.def.Name, words.Plural(refreshed, "page")), false)
	case found != "":
		m.log.add(m.opts.Now(), loaded+"; "+found, false)
	default:
		m.log.add(m.opts.Now(), loaded, false)
	}
	v.seen, v.fetched = nil, nil
	save := m.saveCache()
	if v.progress.Loaded >= bigLoad { // a refresh that read a page or two left no garbage to speak of
		save = tea.Batch(save, releaseMemory)
	}
	if !m.views.shown(v) {
		return save
	}
	m.refreshVisible(true)
	if m.status.text == "Refreshing…" {
		m.setStatus("", false)
	}
	if found != "" {
		m.status.set(found, false) // the event log has it already
	}
	if v.skipped > 0 {
		m.setStatus(loaded, false)
	}
	if ids := unlisted(m.out.q, m.lookup); len(ids) > 0 && m.out.check == nil && m.out.run == nil {
		return tea.Batch(save, m.startCheck(ids, false, false))
	}
	return save
}

// derive brings a view drawn from src in step with it, once src was read
// to its end: threads src no longer lists, or that no longer fit the
// filter (a send resolved them, another agent archived them), leave;
// threads that fit and were missing (changed by a send) join.
func (m *Model) derive(d, src *viewState) {
	m.prune(d, func(t *api.Thread) bool {
		ok, _ := threads.Matches(d.def.Params, t)
		return ok && src.set.Has(t.ID)
	})
	d.set.Include(d.filter(src.set.All()))
}

// prune drops the threads keep refuses from the view, and from the store
// and the marks when no view shows them any more.
func (m *Model) prune(v *viewState, keep func(*api.Thread) bool) {
	for _, id := range v.set.Prune(keep) {
		if !m.views.shows(id) {
			m.views.store.Drop(id)
			m.marks.forget(id) // gone from every view: nothing left to act on
		}
	}
}
