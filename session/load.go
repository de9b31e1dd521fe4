package session

import (
	"context"
	"fmt"
	"maps"
	"runtime/debug"
	"slices"
	"time"

	"triage/api"

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

// pageResult carries one page of a load; id ties it to the load that
// asked, so pages of a cancelled load are dropped.
type pageResult struct {
	id       int
	threads  []api.Thread
	progress api.Progress
}

// loadDone ends a load, with its error if it failed.
type loadDone struct {
	id  int
	err error
}

// nothing is the result of a task that brings nothing back.
type nothing struct{}

func (pageResult) result() {}
func (loadDone) result()   {}
func (nothing) result()    {}

// stream is background work whose results Handle takes one at a time,
// each by the task next returns; cancelling stops the work.
type stream struct {
	ch     chan Result
	cancel context.CancelFunc
}

// startStream runs work in the background; emit hands a result over and
// reports false once the stream is cancelled.
func startStream(parent context.Context, work func(ctx context.Context, emit func(Result) bool)) *stream {
	ctx, cancel := context.WithCancel(parent)
	s := &stream{ch: make(chan Result, 1), cancel: cancel}
	go func() {
		defer close(s.ch)
		work(ctx, func(r Result) bool {
			select {
			case s.ch <- r:
				return true
			case <-ctx.Done():
				return false
			}
		})
	}()
	return s
}

// next is the task that waits for the stream's next result.
func (st *stream) next() Task {
	ch := st.ch
	return func() Result {
		r, ok := <-ch
		if !ok {
			return nothing{}
		}
		return r
	}
}

// Show makes view i the one shown: its threads are there at once. A load
// still running for the view left behind stops (nobody waits for it)
// unless it fills this one too; a view never loaded to its end loads; one
// not heard from for a poll interval is polled at once, so what arrived
// meanwhile shows without waiting for the next poll.
func (s *Session) Show(i int) []Task {
	if i < 0 || i >= len(s.views) || i == s.active {
		return nil
	}
	old := s.Current()
	s.active = i
	v := s.Current()
	if old.Loader() != v.Loader() {
		old.Loader().stop()
	}
	l := v.Loader()
	switch {
	case !l.complete && !l.loading:
		return s.startLoad(loadResume)
	case l.complete && s.opts.PollInterval > 0 && s.opts.Now().Sub(l.heardAt) >= s.opts.PollInterval:
		return s.Poll()
	}
	return nil
}

// Refresh reads what changed in the view shown since it was last read,
// and counts every view again.
func (s *Session) Refresh() []Task { return append(s.startLoad(loadRefresh), s.Counts()...) }

// startLoad (re)reads the view shown (or the view it is drawn from) in
// the background, keeping what it shows until the read completes: a
// refresh reads only what changed when it can, a resume goes on from the
// pages an interrupted load had. While the disk cache is read it waits
// for its end.
func (s *Session) startLoad(kind loadKind) []Task {
	if s.reading != nil { // the end of the cache's reading starts it
		return nil
	}
	v := s.Current().Loader()
	v.stop()
	s.seq++
	v.loadID = s.seq
	v.loading, v.complete = true, false
	if !v.announce && !v.readAt.IsZero() { // read to its end before: what it brings is news (a load that takes over keeps the count)
		v.announce, v.since = true, v.readAt
		for _, d := range s.served(v) {
			d.news = news{}
		}
	}
	if kind == loadRefresh && v.list.Len() > 0 && !v.unordered && !v.mark.IsZero() {
		return []Task{s.startRefresh(v)}
	}
	opts := s.opts.Load
	if kind == loadResume && v.fetched != nil && v.progress.Limit > 0 {
		opts.Resume = &api.Resume{Progress: v.progress, Fetched: maps.Clone(v.fetched)}
	} else {
		v.seen, v.fetched = map[string]bool{}, map[int]bool{}
		v.progress, v.skipped = api.Progress{}, 0
	}
	client, id, p := s.opts.API, v.loadID, v.def.Params
	v.load = startStream(s.opts.Context, func(ctx context.Context, emit func(Result) bool) {
		err := client.LoadAll(ctx, p, opts, func(ts []api.Thread, pr api.Progress) {
			emit(pageResult{id: id, threads: ts, progress: pr})
		})
		emit(loadDone{id: id, err: err})
	})
	return []Task{v.load.next()}
}

// pageArrived adds a page of a load to its view and waits for the next.
func (s *Session) pageArrived(r pageResult) []Task {
	v := s.ofLoad(r.id)
	if v == nil {
		return nil
	}
	for i := range r.threads {
		v.seen[r.threads[i].ID] = true
	}
	if w := r.progress.Warning; w != "" && r.progress.Page == 1 {
		s.say(w, true)
	}
	if r.progress.Page == 1 {
		v.nextMark = newest(r.threads)
	}
	v.progress = r.progress
	v.fetched[r.progress.Page] = true
	s.takePage(v, r.threads, r.progress.Skipped)
	if v.load == nil {
		return nil
	}
	return []Task{v.load.next()}
}

// takePage adds a page to its view and the views drawn from it. Pending
// edits of the page's threads are rebased on what the server now says:
// satisfied fields leave the queue, fields another agent changed become
// conflicts. Behind rows already read (a refresh, a reload), the threads
// a view did not hold are arrivals and, with the threads whose update
// moved, the news the end of the load tells.
func (s *Session) takePage(v *View, ts []api.Thread, skipped api.Skipped) {
	var moved []string
	if v.announce {
		moved = s.moved(ts)
	}
	for i := range ts {
		s.q.Rebase(&ts[i])
	}
	ps := s.store.PutAll(ts)
	s.emitUpdated(moved)
	s.watchClaims(ps)
	for _, d := range s.served(v) {
		fits := d.filter
		if d.source == v {
			fits = d.fitting
		}
		fresh, onlyAdded := d.list.Include(fits(ps))
		if v.announce {
			d.news.added += len(fresh)
			for _, id := range moved {
				if d.list.Has(id) && !slices.ContainsFunc(fresh, func(t *api.Thread) bool { return t.ID == id }) {
					d.news.changed++
				}
			}
		}
		s.emit(Merged{View: d, Fresh: fresh, OnlyAdded: onlyAdded, Arrived: v.announce})
	}
	if skipped.Count > v.skipped {
		if v.skipped == 0 {
			s.log("Loading "+v.def.Name+": a malformed thread was skipped, the load goes on; "+skipped.First, true)
		}
		v.skipped = skipped.Count
	}
	v.total = v.progress.Total
}

// moved are the threads of a page the store holds at another update.
func (s *Session) moved(ts []api.Thread) []string {
	var ids []string
	for i := range ts {
		if old := s.store.Get(ts[i].ID); old != nil && !old.UpdatedAt.Equal(ts[i].UpdatedAt) {
			ids = append(ids, ts[i].ID)
		}
	}
	return ids
}

// emitUpdated says the threads of ids changed, as the store now holds
// them.
func (s *Session) emitUpdated(ids []string) {
	if len(ids) == 0 {
		return
	}
	ts := make([]*api.Thread, 0, len(ids))
	for _, id := range ids {
		if t := s.store.Get(id); t != nil {
			ts = append(ts, t)
		}
	}
	s.emit(Updated{Threads: ts})
}

// bigLoad is the number of threads a load must read for its end to hand
// the memory its pages used (decoded JSON, copies) back to the system.
const bigLoad = 50_000

// releaseMemory returns the free heap to the system: after a large load
// the garbage of its pages is most of what the process holds, and it
// would stay resident until the heap grew that large again.
func releaseMemory() Result {
	debug.FreeOSMemory()
	return nothing{}
}

// finishLoad ends a load, or a refresh that read the pages of refreshed:
// on success the view is as the server lists it (a whole load drops the
// threads it no longer lists), edits of threads no view lists any more are
// checked in the background, and the cache is written; on failure
// everything loaded stays.
func (s *Session) finishLoad(v *View, err error, refreshed *refreshRun) []Task {
	v.loading = false
	if err != nil {
		if s.shown(v) {
			s.sayErr("Load failed: ", err)
		}
		return nil
	}
	now := s.opts.Now()
	v.complete, v.fromCache = true, false
	v.readAt, v.mark, v.heardAt = now, v.nextMark, now
	cur := s.Current()
	found := ""
	if v.announce && s.shown(v) {
		if found = cur.news.text(v.since); found != "" {
			found = cur.def.Name + ": " + found
		}
	}
	v.announce = false
	var dropped []string
	if v.seen != nil && len(v.seen) < v.list.Len() {
		dropped = s.prune(v, func(t *api.Thread) bool { return v.seen[t.ID] })
	}
	var read map[string]bool
	if refreshed != nil {
		read = refreshed.seen
	}
	for _, d := range s.served(v)[1:] {
		s.derive(d, v, read, dropped)
	}
	loaded := fmt.Sprintf("Loaded %s: %s", v.def.Name, words.Plural(v.list.Len(), "thread"))
	if v.skipped > 0 {
		loaded += fmt.Sprintf("; %s the server sent could not be read and %s skipped (the first is named in the log)",
			words.Plural(v.skipped, "thread"), pick(v.skipped == 1, "was", "were"))
	}
	switch {
	case refreshed != nil:
		s.log(fmt.Sprintf("Refreshed %s: read %s, the rest as it was", v.def.Name, words.Plural(refreshed.pages, "page")), false)
	default:
		s.log(loaded, false)
	}
	v.seen, v.fetched = nil, nil
	tasks := s.saveCache()
	if v.progress.Loaded >= bigLoad { // a refresh that read a page or two left no garbage to speak of
		tasks = append(tasks, releaseMemory)
	}
	if !s.shown(v) {
		return tasks
	}
	s.emit(Changed{View: cur})
	if found != "" {
		s.say(found, false)
	}
	if v.skipped > 0 {
		s.say(loaded, false)
	}
	if ids := s.unlisted(); len(ids) > 0 && s.check == nil && s.send == nil {
		tasks = append(tasks, s.startCheck(ids, nil, false, false)...)
	}
	return tasks
}

func pick(cond bool, yes, no string) string {
	if cond {
		return yes
	}
	return no
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

// derive brings a view drawn from src in step with it, once src was read
// to its end: threads src no longer lists (dropped by the load, or not
// among its pages), or that no longer fit the filter (a send resolved
// them, another agent archived them), leave; threads that fit and were
// missing (changed by a send) join. The view was in step before the
// load or refresh, and the threads its pages brought were judged as they
// came (takePage), so only the threads it doubted, those its total
// counts as gone or joined, those of the pages read (a refresh that read
// only what changed) and those src dropped are judged again: the end of
// a load costs nothing here at a million threads.
func (s *Session) derive(d, src *View, read map[string]bool, dropped []string) {
	judge := make([]*api.Thread, 0, len(read)+len(dropped)+len(d.unsure)+len(d.gone)+len(d.joined))
	for id := range read {
		if t := s.store.Get(id); t != nil {
			judge = append(judge, t)
		}
	}
	for _, id := range dropped {
		if t := d.list.Get(id); t != nil {
			judge = append(judge, t)
		}
	}
	for _, set := range []map[*api.Thread]struct{}{d.unsure, d.gone, d.joined} {
		for t := range set {
			judge = append(judge, t)
		}
	}
	leave, join := map[*api.Thread]bool{}, make([]*api.Thread, 0, len(judge))
	for _, t := range judge {
		fits, _ := d.fits(t)
		switch in := fits && src.list.Has(t.ID); {
		case !in && d.list.Has(t.ID):
			leave[t] = true
		case in:
			join = append(join, t)
		}
	}
	if len(leave) > 0 {
		s.prune(d, func(t *api.Thread) bool { return !leave[t] })
	}
	d.list.Include(join)
	d.derived()
}

// changed keeps the views drawn from a source in step with threads that
// changed outside a load (an answer, a poll, a read): their totals, when
// counted here, and what their next derivation judges.
func (s *Session) changed(ts ...*api.Thread) {
	s.watchClaims(ts)
	for _, v := range s.views {
		if v.source != nil {
			v.doubt(ts...)
		}
		if v.countsHere() {
			v.recount(ts)
		}
	}
}

// prune drops the threads keep refuses from the view, and from the store
// when no view shows them any more (Forgotten); it returns the ids of
// those dropped from the view.
func (s *Session) prune(v *View, keep func(*api.Thread) bool) []string {
	var gone []string
	dropped := v.list.Prune(keep)
	for _, id := range dropped {
		if !s.listed(id) {
			s.store.Drop(id)
			gone = append(gone, id)
		}
	}
	if len(gone) > 0 {
		s.emit(Forgotten{IDs: gone})
	}
	return dropped
}
