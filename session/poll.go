package session

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"triage/api"

	"triage/words"
)

// countTimeout bounds the request for a view's total; pollTimeout a
// poll's, long enough for the client to wait out a Retry-After.
const (
	countTimeout = 30 * time.Second
	pollTimeout  = 3 * time.Minute
)

// maxStretch is the longest the team's budget stretches the poll: beyond
// it (more than about a hundred consoles on one key, or files in the
// presence directory that pass for consoles) the polls take more than
// their share, rather than the list going stale.
const maxStretch = 2 * time.Minute

// pollLimit is the page the live poll reads: the newest threads, not the
// largest page the server grants, which loads and refreshes ask for.
const pollLimit = 100

// counted is a view's total, from a one-thread page.
type counted struct {
	view  int
	total int
}

// polled is the first page of a view, re-read by the live poll.
type polled struct {
	view int
	page api.Page
	err  error
}

func (counted) result() {}
func (polled) result()  {}

// countedThere reports a view whose total only the server knows: not
// counted here (drawn from a source read to its end, or filtering on tags
// or owner, which the server cannot count), nor without filters and known
// (a send changes no such total; a page, a poll, a refresh tell it).
func (v *View) countedThere() bool {
	return !v.countsHere() && !v.def.Local() && !(v.def.Unfiltered() && v.total >= 0)
}

// Counts asks the server for the totals it alone knows: of the views
// not loading (a load reports its own) and not counted here (drawn from
// a source read to its end, or filtering on tags or owner, which the
// server cannot count), nor without filters and known (a send changes no
// such total; a page, a poll, a refresh tell it). With OneView it asks
// none: the view shown learns its total from its load, or counts it here.
func (s *Session) Counts() []Task {
	if s.opts.OneView || s.reading != nil { // the end of the cache's reading asks them
		return nil
	}
	var tasks []Task
	for i, v := range s.views {
		if v.loading || !v.countedThere() {
			continue
		}
		p := v.def.Params
		p.Page, p.Limit = 1, 1
		client, ctx, idx := s.opts.API, s.opts.Context, i
		tasks = append(tasks, func() Result {
			ctx, cancel := context.WithTimeout(ctx, countTimeout)
			defer cancel()
			page, err := client.ListThreads(ctx, p)
			if err != nil {
				return counted{view: idx, total: -1}
			}
			return counted{view: idx, total: page.Pagination.Total}
		})
	}
	return tasks
}

// DefaultPollShare is the share of the rate limit the live polls of one
// host may take.
const DefaultPollShare = 0.10

// pollPlan keeps a console's live list within budget, its requests a
// minute: a poll costs a page, and the totals only the server knows (of
// counted views) every countEvery polls; the interval is stretched when
// even that does not fit.
func pollPlan(counted int, every time.Duration, budget float64) (interval time.Duration, countEvery int) {
	if budget <= 0 {
		return every, 1
	}
	if counted == 0 {
		return max(every, time.Duration(float64(time.Minute)/budget).Round(time.Second)), 1 // the page alone
	}
	interval = max(every, time.Duration(2*float64(time.Minute)/budget).Round(time.Second)) // room for the page and one more request
	perPoll := budget * interval.Minutes()                                                 // requests one poll may cost
	return interval, max(1, int(math.Ceil(float64(counted)/(perPoll-1))))
}

// pollBudget is this console's requests a minute for its polls: its
// share of what the host's consoles of this chatbot may poll.
func (s *Session) pollBudget() float64 {
	if s.opts.RateLimit <= 0 {
		return 0
	}
	share := s.opts.PollShare
	if share <= 0 {
		share = DefaultPollShare
	}
	return float64(s.opts.RateLimit) * share / float64(max(1, s.consoles))
}

// plan is the poll's plan now: the views whose totals only the server
// knows, within this console's budget.
func (s *Session) plan() (interval time.Duration, countEvery int) {
	counted := 0
	for _, v := range s.views {
		if v.countedThere() {
			counted++
		}
	}
	interval, countEvery = pollPlan(counted, s.opts.PollInterval, s.pollBudget())
	return min(interval, max(s.opts.PollInterval, maxStretch)), countEvery
}

// SetConsoles says how many consoles of this chatbot poll from this host
// (presence counts them): they share the poll's budget. It reports that
// the interval shrank (consoles left): the front end then asks NextPoll
// again, and the poll it waited for is stale.
func (s *Session) SetConsoles(n int) (sooner bool) {
	before := s.PollEvery()
	s.consoles = max(1, n)
	if after := s.PollEvery(); after < before {
		s.pollSeq++
		return true
	}
	return false
}

// PollEvery is the interval of the live poll, as the budget stretches it;
// 0 when the live list is off.
func (s *Session) PollEvery() time.Duration {
	if s.opts.PollInterval <= 0 {
		return 0
	}
	every, _ := s.plan()
	return every
}

// NextPoll is how long to wait before the next Poll, and the number of
// that wait (PollStale): the first wait falls anywhere in the interval,
// so consoles started together do not poll together, each later one is
// the interval give or take 5%, and none ends before a Retry-After the
// server gave the poll. 0 when the live list is off.
func (s *Session) NextPoll() (time.Duration, int) {
	every := s.PollEvery()
	if every <= 0 {
		return 0, s.pollSeq
	}
	r := s.opts.Jitter()
	wait := time.Duration(float64(every) * (0.95 + 0.1*r))
	if !s.polledOnce {
		s.polledOnce = true
		wait = max(time.Second, time.Duration(float64(every)*r))
	}
	if hold := s.pollHold.Sub(s.opts.Now()); hold > wait {
		wait = hold
	}
	return wait, s.pollSeq
}

// PollStale reports a wait NextPoll numbered seq that another replaced.
func (s *Session) PollStale(seq int) bool { return seq != s.pollSeq }

// Poll re-reads the first page of the view shown (or the view it is
// drawn from), and the views' totals as often as the budget allows; it
// waits while a load, a send or a check runs.
func (s *Session) Poll() []Task {
	v := s.Current().Loader()
	if v.loading || !v.complete || s.send != nil || s.check != nil || s.polling {
		return nil // a poll in flight (waiting out a 429, say) brings the same
	}
	s.polling = true
	p := v.def.Params
	p.Page, p.Limit = 1, min(s.pageLimit(), pollLimit)
	client, ctx, idx := s.opts.API, s.opts.Context, slices.Index(s.views, v)
	read := func() Result {
		ctx, cancel := context.WithTimeout(ctx, pollTimeout)
		defer cancel()
		page, err := client.ListThreads(ctx, p)
		return polled{view: idx, page: page, err: err}
	}
	s.polls++
	if _, k := s.plan(); s.polls%k != 0 {
		return []Task{read}
	}
	return append([]Task{read}, s.Counts()...)
}

// polled takes a re-read first page: threads new to a view are inserted
// at their place (Merged, arrived), changed ones change in place in every
// view, and a change that collides with a queued edit becomes a conflict
// at once. When the server's total then differs from the threads held,
// the page did not show everything that arrived or left (more than a page
// changed, a server whose pages are not in update order, a deletion): the
// view is refreshed.
func (s *Session) polled(r polled) []Task {
	s.polling = false
	v := s.views[r.view]
	if r.err != nil {
		if e, ok := api.AsError(r.err); ok && e.RetryAfter > 0 {
			s.pollHold = s.opts.Now().Add(e.RetryAfter + time.Duration(s.opts.Jitter()*float64(e.RetryAfter/4)))
		}
		s.log("Live update of "+v.def.Name+" failed: "+api.Describe(r.err), true)
		return nil
	}
	if v.loading {
		return nil // a load is under way and brings the same
	}
	moved := s.moved(r.page.Threads)
	was := s.alertBefore(r.page.Threads)
	for i := range r.page.Threads {
		s.q.Rebase(&r.page.Threads[i])
	}
	ps := s.store.PutAll(r.page.Threads)
	s.emitUpdated(moved)
	v.total, v.heardAt = r.page.Pagination.Total, s.opts.Now()
	added := 0
	for _, d := range s.served(v) {
		fresh := d.list.Add(d.filter(ps))
		if d == s.Current() {
			added = len(fresh)
		}
		s.emit(Merged{View: d, Fresh: fresh, Arrived: true}) // not only added: threads changed in place too
	}
	s.changed(ps...)
	var refresh []Task
	if total := r.page.Pagination.Total; total != v.list.Len() && total != v.polledTotal && s.shown(v) {
		v.polledTotal = total
		s.log(fmt.Sprintf("%s: %s on the server, %s here after the live update: refreshing it",
			v.def.Name, words.Thousands(total), words.Thousands(v.list.Len())), false)
		refresh = s.startLoad(loadRefresh)
	}
	if added > 0 && s.shown(v) {
		s.say(fmt.Sprintf("%d new in %s", added, s.Current().def.Name), false)
	}
	s.alertAfter(ps, was) // the last word: it names the thread
	return refresh
}
