package session

import (
	"context"
	"fmt"
	"time"

	"triage/api"
	"triage/threads"
	"triage/words"
)

// refreshRun is an incremental refresh: pages read one after the other,
// newest update first, until one reaches threads the view holds as the
// server has them.
type refreshRun struct {
	ctx    context.Context
	cancel context.CancelFunc
	last   time.Time       // the update of the last thread read, for the order check
	seen   map[string]bool // the threads its pages listed, for a load that takes over
	pages  int             // the pages it read, once it ended
}

// refreshPage is one page of an incremental refresh.
type refreshPage struct {
	id   int
	n    int
	page api.Page
	err  error
}

func (refreshPage) result() {}

// startRefresh reads the view's first page; refreshPageArrived decides
// whether to read on.
func (s *Session) startRefresh(v *View) Task {
	ctx, cancel := context.WithCancel(s.opts.Context)
	v.refresh = &refreshRun{ctx: ctx, cancel: cancel, seen: map[string]bool{}}
	v.progress, v.skipped = api.Progress{}, 0
	v.seen, v.fetched = nil, nil
	return s.readRefreshPage(v, 1)
}

// readRefreshPage reads page n of the view's refresh, as large as the
// server grants.
func (s *Session) readRefreshPage(v *View, n int) Task {
	p := v.def.Params
	p.Page, p.Limit = n, s.opts.Load.PageLimit
	if p.Limit <= 0 {
		p.Limit = api.DefaultPageLimit
	}
	client, ctx, id := s.opts.API, v.refresh.ctx, v.loadID
	return func() Result {
		page, err := client.ListThreads(ctx, p)
		return refreshPage{id: id, n: n, page: page, err: err}
	}
}

// refreshPageArrived takes a page of a refresh. It stops at the page that
// reaches a thread the view holds unchanged and older than the view's
// mark (everything after it is as it was), then compares the view's count
// with the server's total. A page out of update order, or a count that
// disagrees (threads left), and the whole view is read again behind the
// rows; so many changes that a load would be faster, and the pages after
// the last one read are read as a load.
func (s *Session) refreshPageArrived(r refreshPage) []Task {
	v := s.ofLoad(r.id)
	if v == nil || v.refresh == nil {
		return nil
	}
	run := v.refresh
	if r.err != nil {
		v.stop()
		return s.finishLoad(v, r.err, nil)
	}
	ts, pg := r.page.Threads, r.page.Pagination
	last, ordered := threads.InUpdateOrder(run.last, ts)
	if !ordered {
		v.unordered = true
		s.log("The server's pages of "+v.def.Name+" are not in update order: every refresh reads the whole view", false)
		return s.startLoad(loadFull)
	}
	run.last = last
	for i := range ts {
		run.seen[ts[i].ID] = true
	}
	reached := reachesKnown(v, ts)
	if r.n == 1 {
		v.nextMark = newest(ts)
	}
	limit := max(pg.Limit, len(ts), 1)
	v.progress = api.Progress{Loaded: v.progress.Loaded + len(ts), Total: pg.Total, Pages: r.n, Page: r.n,
		TotalPages: max(pg.TotalPages, 1), Limit: limit, Skipped: r.page.Skipped}
	s.takePage(v, ts, r.page.Skipped)
	if !reached && len(ts) > 0 && r.n < pg.TotalPages {
		if r.n >= max(2, pg.TotalPages/max(s.opts.Load.Concurrency, api.DefaultConcurrency)) {
			s.log("Most of "+v.def.Name+" changed: reading the rest of it at once", false)
			return s.goOnAsLoad(v, r.n)
		}
		return []Task{s.readRefreshPage(v, r.n+1)}
	}
	s.dropUnmatched(v)
	if n := v.list.Len(); n != pg.Total {
		s.log(fmt.Sprintf("%s: %s here, %s on the server; reading all of it to find what left",
			v.def.Name, words.Thousands(n), words.Thousands(pg.Total)), false)
		return s.startLoad(loadFull)
	}
	v.refresh.cancel()
	v.refresh = nil
	run.pages = r.n
	return s.finishLoad(v, nil, run)
}

// reachesKnown reports whether a page holds a thread the view shows at
// the same update, older than the view's mark: every change since the
// view was last read has a newer update, so the pages after it hold
// nothing new.
func reachesKnown(v *View, ts []api.Thread) bool {
	if v.mark.IsZero() {
		return false
	}
	for i := range ts {
		t := &ts[i]
		if held := v.list.Get(t.ID); held != nil && held.UpdatedAt.Equal(t.UpdatedAt) && t.UpdatedAt.Before(v.mark) {
			return true
		}
	}
	return false
}

// dropUnmatched drops from the view the threads whose state, as the
// store knows it, no longer fits the view's filter (resolved by a send,
// by another agent in another view): they would make its count disagree
// with the server's.
func (s *Session) dropUnmatched(v *View) {
	if v.def.Unfiltered() {
		return // every thread fits: nothing to judge (80 ms at a million threads)
	}
	s.prune(v, func(t *api.Thread) bool {
		ok, known := v.fits(t)
		return ok || !known
	})
}

// goOnAsLoad hands a refresh that read pages 1 to n over to a load of
// the pages after them, several at a time: the pages read are not read
// again, and the threads they listed count as seen when the load drops
// what the server no longer lists.
func (s *Session) goOnAsLoad(v *View, n int) []Task {
	v.seen, v.fetched = v.refresh.seen, map[int]bool{}
	for p := 1; p <= n; p++ {
		v.fetched[p] = true
	}
	return s.startLoad(loadResume)
}
