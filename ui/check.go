package ui

import (
	"context"
	"fmt"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"triage/api"
	"triage/queue"
	"triage/words"
)

// Reading before writing. The API cannot compare-and-set and tags replace
// the whole set, so right before a send the console reads the current
// state of every thread whose edit depends on it; after a start or a
// refresh it reads, in the background, the threads with edits that no
// view lists, so the review never shows them stale for long.

// ThreadReader reads one thread as the server holds it now.
type ThreadReader interface {
	GetThread(ctx context.Context, id string) (api.ThreadDetail, error)
}

// checkRun is a read of threads' current state in flight.
type checkRun struct {
	id        int
	ids       []string
	done      int
	forSend   bool // a send follows when every thread is read
	quitAfter bool // and the console quits after the send
	failed    error
	gone      int
	stream    *stream
}

// checkedMsg is one thread as the server holds it, or why it could not be
// read.
type checkedMsg struct {
	id       int
	threadID string
	thread   api.ThreadDetail
	err      error
}

// checkDoneMsg ends a check.
type checkDoneMsg struct{ id int }

// needsCheck lists the queued threads whose current state a send depends
// on: edits carrying tag operations, a title, notes or a mode (a third
// value someone set meanwhile is a conflict; where the server shows no
// modes, a thread that changed since), and edits of threads no view holds
// (restored from the journal, or gone from the view after a refresh) or
// that were gone at the last check. Flags alone are absolute values with
// two states and need no read.
func needsCheck(q *queue.Queue, lookup func(string) *api.Thread) []string {
	var ids []string
	for _, id := range q.IDs() {
		e := q.Get(id)
		if e.Tags != nil || e.Title != nil || e.Notes != nil || e.Mode != nil || e.Gone || lookup(id) == nil {
			ids = append(ids, id)
		}
	}
	return ids
}

// unlisted lists the queued threads no view holds.
func unlisted(q *queue.Queue, lookup func(string) *api.Thread) []string {
	var ids []string
	for _, id := range q.IDs() {
		if lookup(id) == nil {
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

// planCheck splits the threads to read: those with a notes edit are read
// one by one (the list does not carry notes), the rest may come from the
// list's pages.
func planCheck(q *queue.Queue, ids []string) checkPlan {
	var p checkPlan
	for _, id := range ids {
		if e := q.Get(id); e != nil && e.Notes != nil {
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

// startCheck reads the threads of plan, a checkedMsg each, then a
// checkDoneMsg. With more than pageRule threads that may come from the
// list, it asks for the chatbot's total (one request) and, when the pages
// of the whole list are fewer than those threads, reads the pages and
// takes the threads it needs from them; what the pages do not show is
// then read one by one. Single reads run concurrency at a time; the
// client's rate limiter paces everything.
func startCheck(parent context.Context, c API, id int, plan checkPlan, concurrency, pageLimit int) *stream {
	return startStream(parent, func(ctx context.Context, emit func(tea.Msg) bool) {
		singles := plan.single
		if rest, ok := checkFromPages(ctx, c, id, plan.listed, pageLimit, emit); ok {
			singles = append(singles, rest...)
		} else {
			singles = append(singles, plan.listed...)
		}
		readEach(ctx, c, id, singles, concurrency, emit)
		emit(checkDoneMsg{id: id})
	})
}

// checkFromPages reads the whole list when its pages cost fewer requests
// than reading ids one by one, emits the threads of ids it finds, and
// returns those it did not find. ok is false when it did not read pages.
func checkFromPages(ctx context.Context, c API, id int, ids []string, pageLimit int, emit func(tea.Msg) bool) (rest []string, ok bool) {
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
	err = c.LoadAll(ctx, api.ListParams{}, api.LoadOptions{PageLimit: pageLimit}, func(page []api.Thread, _ api.Progress) {
		for _, t := range page {
			if want[t.ID] {
				delete(want, t.ID)
				emit(checkedMsg{id: id, threadID: t.ID, thread: api.ThreadDetail{Thread: t}})
			}
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
func readEach(ctx context.Context, r ThreadReader, id int, ids []string, concurrency int, emit func(tea.Msg) bool) {
	work := make(chan string)
	var wg sync.WaitGroup
	for range max(1, min(concurrency, len(ids))) {
		wg.Go(func() {
			for tid := range work {
				th, err := r.GetThread(ctx, tid)
				if !emit(checkedMsg{id: id, threadID: tid, thread: th, err: err}) {
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

// progress is the check's progress for the status line.
func (c *checkRun) progress() string {
	if c.forSend {
		return fmt.Sprintf("checking %s before sending… %d/%d (esc cancels)", words.Plural(len(c.ids), "thread"), c.done, len(c.ids))
	}
	return fmt.Sprintf("checking %s no view lists… %d/%d", words.Plural(len(c.ids), "thread"), c.done, len(c.ids))
}
