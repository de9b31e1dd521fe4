package session

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"triage/api"
	"triage/words"
)

// Reading before writing. The API cannot compare-and-set and tags replace
// the whole set, so right before a send the session reads the current
// state of every thread whose edit depends on it; after a start or a
// refresh it reads, in the background, the threads with edits that no
// view lists, so their edits are never judged against stale values.

// checkRun is a read of threads' current state in flight.
type checkRun struct {
	id        int
	ids       []string
	done      int
	forSend   bool // a send follows when every thread is read
	quitAfter bool // and the front end quits after the send
	failed    error
	gone      []string
	stream    *stream
}

// checked is threads as the server holds them, or why one could not be
// read: one read, or the threads of a page wanted.
type checked struct {
	id    int
	reads []threadRead
}

// threadRead is one thread as the server holds it, or why it could not be
// read.
type threadRead struct {
	threadID string
	thread   api.ThreadDetail
	err      error
}

// checkDone ends a check.
type checkDone struct{ id int }

func (checked) result()   {}
func (checkDone) result() {}

// needsCheck lists the queued threads whose current state a send depends
// on: edits carrying tag operations, a title, notes or a mode (a third
// value someone set meanwhile is a conflict; where the server shows no
// modes, a thread that changed since), and edits of threads no view holds
// (restored from the journal, or gone from the view after a refresh) or
// that were gone at the last check. Flags alone are absolute values with
// two states and need no read.
func (s *Session) needsCheck() []string {
	var ids []string
	for _, id := range s.q.IDs() {
		e := s.q.Get(id)
		if e.Tags != nil || e.Title != nil || e.Notes != nil || e.Mode != nil || e.Gone || s.store.Get(id) == nil {
			ids = append(ids, id)
		}
	}
	return ids
}

// unlisted lists the queued threads no view holds.
func (s *Session) unlisted() []string {
	var ids []string
	for _, id := range s.q.IDs() {
		if s.store.Get(id) == nil {
			ids = append(ids, id)
		}
	}
	return ids
}

// checkETA is about how long reading n threads takes under a rate limit
// of perMinute requests (its first burst ignored: an upper bound).
func checkETA(n, perMinute int) time.Duration {
	if perMinute <= 0 {
		return 0
	}
	return time.Duration(n) * time.Minute / time.Duration(perMinute)
}

// pageRule is how many threads must need reading before the check asks
// the server for the chatbot's total and considers reading the whole list
// page by page instead: below it, one request per thread is cheapest.
const pageRule = 10

// checkPlan is which threads a check reads one by one and which it looks
// for in the pages of the whole list.
type checkPlan struct {
	single []string // read one request each: notes only come that way
	listed []string // read from the list's pages when that is cheaper
}

// planCheck splits the threads to read: those with a notes edit, and
// those whose notes are wanted, are read one by one (the list does not
// carry notes), the rest may come from the list's pages.
func (s *Session) planCheck(ids []string, notes map[string]bool) checkPlan {
	var p checkPlan
	for _, id := range ids {
		if e := s.q.Get(id); e != nil && e.Notes != nil || notes[id] {
			p.single = append(p.single, id)
		} else {
			p.listed = append(p.listed, id)
		}
	}
	return p
}

// requests is about how many requests the check costs, given the
// chatbot's total (-1 when unknown) and the page size: the rule of
// startCheck.
func (p checkPlan) requests(total, pageLimit int) int {
	listed := len(p.listed)
	if listed > pageRule && total >= 0 {
		if pages := (total + pageLimit - 1) / max(pageLimit, 1); pages < listed {
			listed = 1 + pages
		}
	}
	return len(p.single) + listed
}

// startCheck reads ids in the background (notes: those whose notes are
// wanted too); forSend sends when it ends. A background check still
// running is replaced.
func (s *Session) startCheck(ids []string, notes map[string]bool, forSend, quitAfter bool) []Task {
	if c := s.check; c != nil {
		c.stream.cancel()
	}
	s.seq++
	c := &checkRun{id: s.seq, ids: ids, forSend: forSend, quitAfter: quitAfter}
	c.stream = readCurrent(s.opts.Context, s.opts.API, c.id, s.planCheck(ids, notes),
		max(s.opts.Load.Concurrency, api.DefaultConcurrency), s.pageLimit())
	s.check = c
	return []Task{c.stream.next()}
}

// readCurrent reads the threads of plan, a checked result each, then a
// checkDone. With more than pageRule threads that may come from the list,
// it asks for the chatbot's total (one request) and, when the pages of
// the whole list are fewer than those threads, reads the pages and takes
// the threads it needs from them; what the pages do not show is then read
// one by one. Pages and single reads run concurrency at a time; the
// client's rate limiter paces everything.
func readCurrent(parent context.Context, c API, id int, plan checkPlan, concurrency, pageLimit int) *stream {
	return startStream(parent, func(ctx context.Context, emit func(Result) bool) {
		singles := plan.single
		if rest, ok := checkFromPages(ctx, c, id, plan.listed, pageLimit, concurrency, emit); ok {
			singles = append(singles, rest...)
		} else {
			singles = append(singles, plan.listed...)
		}
		readEach(ctx, c, id, singles, concurrency, emit)
		emit(checkDone{id: id})
	})
}

// checkFromPages reads the whole list when its pages cost fewer requests
// than reading ids one by one, emits the threads of ids it finds, and
// returns those it did not find. ok is false when it did not read pages.
func checkFromPages(ctx context.Context, c API, id int, ids []string, pageLimit, concurrency int, emit func(Result) bool) (rest []string, ok bool) {
	if len(ids) <= pageRule {
		return nil, false
	}
	head, err := c.ListThreads(ctx, api.ListParams{Page: 1, Limit: 1})
	if err != nil {
		return nil, false
	}
	pageLimit = max(pageLimit, 1)
	if pages := (head.Pagination.Total + pageLimit - 1) / pageLimit; pages >= len(ids) {
		return nil, false
	}
	want := make(map[string]bool, len(ids))
	for _, tid := range ids {
		want[tid] = true
	}
	err = c.LoadAll(ctx, api.ListParams{}, api.LoadOptions{PageLimit: pageLimit, Concurrency: concurrency}, func(page []api.Thread, _ api.Progress) {
		var found []threadRead
		for _, t := range page {
			if want[t.ID] {
				delete(want, t.ID)
				found = append(found, threadRead{threadID: t.ID, thread: api.ThreadDetail{Thread: t}})
			}
		}
		if len(found) > 0 { // one result a page: the session takes them in one step
			emit(checked{id: id, reads: found})
		}
	})
	if err != nil && ctx.Err() != nil {
		return nil, true // cancelled: nothing more to read
	}
	for _, tid := range ids { // not in the pages (or the pages failed): one by one
		if want[tid] {
			rest = append(rest, tid)
		}
	}
	return rest, true
}

// readEach reads ids one request each, concurrency at a time.
func readEach(ctx context.Context, c API, id int, ids []string, concurrency int, emit func(Result) bool) {
	work := make(chan string)
	var wg sync.WaitGroup
	for range max(1, min(concurrency, len(ids))) {
		wg.Go(func() {
			for tid := range work {
				th, err := c.GetThread(ctx, tid)
				if !emit(checked{id: id, reads: []threadRead{{threadID: tid, thread: th, err: err}}}) {
					return
				}
			}
		})
	}
feed:
	for _, tid := range ids {
		select {
		case work <- tid:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
}

// checked takes threads as the server holds them now: each one copy is
// updated (every view shows it), and its edit rebased: tag operations on
// the fresh tags, a field someone else changed becomes a conflict, a
// field the server already holds leaves the queue.
func (s *Session) checked(r checked) []Task {
	c := s.check
	if c == nil || r.id != c.id {
		return nil
	}
	c.done += len(r.reads)
	for _, rd := range r.reads {
		switch {
		case rd.err == nil:
			t := s.store.Put(rd.thread.Thread)
			s.changed(t)
			s.q.MarkGone(t.ID, false)
			s.q.Rebase(t)
		case errors.Is(rd.err, api.ErrNotFound):
			c.gone = append(c.gone, rd.threadID)
			if s.q.Get(rd.threadID) != nil {
				s.q.MarkGone(rd.threadID, true)
				s.log("thread "+rd.threadID+" no longer exists on the server: its edit is kept, not sent, until it is discarded", true)
			}
		case c.failed == nil:
			c.failed = rd.err
		}
	}
	text, _ := s.SendProgress()
	s.emit(Progress{Text: text})
	return []Task{c.stream.next()}
}

// checkDone ends a check: a send waiting on it goes ahead with what is
// left, unless a read failed; a check no send waits on says a failed read
// and ends with Checked.
func (s *Session) checkDone(r checkDone) []Task {
	c := s.check
	if c == nil || r.id != c.id {
		return nil
	}
	s.check = nil
	gone := ""
	if len(c.gone) > 0 {
		gone = "; " + words.Plural(len(c.gone), "thread") + " gone from the server"
		if c.forSend {
			gone += ", kept in the review"
		}
	}
	if !c.forSend {
		if c.failed != nil {
			s.sayErr("Reading "+words.Plural(len(c.ids), "thread")+" from the server failed: ", c.failed)
		} else {
			s.log(fmt.Sprintf("Read the current state of %s%s", words.Plural(len(c.ids), "thread"), gone), false)
		}
		s.emit(Checked{Gone: c.gone})
		return nil
	}
	if c.failed != nil {
		s.sayErr("Nothing sent: reading the threads first failed: ", c.failed)
		return nil
	}
	plan := s.q.Build(s.Lookup)
	if len(plan.Items) == 0 {
		if plan.HeldBack > 0 {
			s.logHeldBack()
			s.emit(Said{Text: "Nothing sent: " + HeldText(plan.HeldBack) + gone, Err: true, Conflicts: plan.HeldBack})
			return nil
		}
		s.say("Nothing left to send after reading the server: it holds those values"+gone, len(c.gone) > 0)
		return nil
	}
	return s.startSend(plan, c.quitAfter)
}

// CancelCheck stops the reads before a send: nothing is sent. It reports
// whether there were any.
func (s *Session) CancelCheck() bool {
	c := s.check
	if c == nil || !c.forSend {
		return false
	}
	c.stream.cancel()
	s.check = nil
	s.say("Send cancelled while reading the threads: nothing sent", false)
	return true
}
