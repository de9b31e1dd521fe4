package ui

import (
	"fmt"
	"math"
	"strings"
	"time"

	"triage/api"
	"triage/queue"
	"triage/threads"
	"triage/words"
)

// viewState is one view: its definition, its list of threads (references
// into the one store), where the operator was in it, and its load.
type viewState struct {
	def    threads.View
	set    *threads.List
	cursor int
	offset int
	// source, when set, is the view without filters whose pages this
	// view is drawn from (its filter checked here): it never loads its
	// own. See loader.
	source *viewState

	load     *stream
	loadID   int
	loading  bool
	complete bool // a load ran to its end: switching back needs no reload
	progress api.Progress
	fetched  map[int]bool    // pages the current load delivered, so it can resume
	seen     map[string]bool // ids seen by the current load, to drop vanished rows
	total    int             // the server's total, -1 until known
	skipped  int             // malformed threads of the load already reported

	// The rows' standing with the server: when the view was last read to
	// its end (in this session or before, by the disk cache), the newest
	// update the server listed then, and whether the rows are still the
	// cache's, not yet refreshed.
	readAt    time.Time
	mark      time.Time
	fromCache bool
	nextMark  time.Time   // the mark of the load or refresh under way
	refresh   *refreshRun // the incremental refresh under way
	unordered bool        // pages came out of update order: every refresh reads the whole view

	// heardAt is when the view (as a loader) last heard from the server:
	// the end of a load or refresh, or a poll.
	heardAt time.Time
	// polledTotal is the server's total that last made a poll refresh
	// the view, so a server whose total never matches its pages is not
	// read whole at every poll.
	polledTotal int
	// announce is set while a refresh or a load behind rows already
	// shown runs: what it brings is news (news counts it for the view).
	announce bool
	since    time.Time // the rows' age when it began
	news     news
	// unseen are threads that arrived while the view was not on screen.
	unseen map[*api.Thread]struct{}
}

// news is what a refresh found in a view: threads it did not hold, and
// threads it held whose update moved.
type news struct{ added, changed int }

// text is "6 new since 18:02, 3 changed", "" when nothing is new.
func (n news) text(since time.Time) string {
	if n.added == 0 && n.changed == 0 {
		return ""
	}
	s := fmt.Sprintf("%d new", n.added)
	if !since.IsZero() {
		s += " since " + since.Local().Format("15:04")
	}
	if n.changed > 0 {
		s += fmt.Sprintf(", %d changed", n.changed)
	}
	return s
}

// addUnseen records threads that arrived in a view not on screen.
func (v *viewState) addUnseen(ts []*api.Thread) {
	if len(ts) == 0 {
		return
	}
	if v.unseen == nil {
		v.unseen = map[*api.Thread]struct{}{}
	}
	for _, t := range ts {
		v.unseen[t] = struct{}{}
	}
}

// stop cancels the view's load or refresh.
func (v *viewState) stop() {
	if v.load != nil {
		v.load.cancel()
	}
	if v.refresh != nil {
		v.refresh.cancel()
		v.refresh = nil
	}
	v.loading = false
}

// totalText is the view's thread count for the bar: the server's total
// when known, else what is loaded, else an ellipsis.
func (v *viewState) totalText() string {
	switch {
	case v.total >= 0:
		return words.Thousands(v.total)
	case v.set.Len() > 0:
		return words.Thousands(v.set.Len())
	}
	return "…"
}

// loadText is the load's progress for the status line, "" when idle;
// rows from the disk cache say so while they are refreshed.
func (v *viewState) loadText(now time.Time) string {
	text := ""
	switch {
	case !v.loading:
		return ""
	case v.refresh != nil:
		text = "refreshing"
	case v.progress.Pages == 0:
		text = "Loading threads…"
	default:
		text = "loading " + words.Thousands(max(v.set.Len(), v.progress.Loaded)) + "/" + words.Thousands(v.progress.Total)
	}
	if v.fromCache {
		return v.cacheText(now) + ", " + strings.ToLower(text[:1]) + text[1:]
	}
	return text
}

// cacheText marks rows that come from the disk cache, with their age.
func (v *viewState) cacheText(now time.Time) string {
	if a := words.Age(now, v.readAt); a != "now" {
		return "from the cache, " + a + " old"
	}
	return "from the cache, under a minute old"
}

// viewSet is the views, the one store their lists refer to, which view is
// active, and the sequence that tells one load's messages from another's.
type viewSet struct {
	all    []*viewState
	active int
	seq    int
	store  *threads.Store
	// polls counts the live polls.
	polls int
}

// newViewSet makes the views. With a view without filters among them,
// every view whose filters are thread fields is drawn from its pages: one
// load of every thread serves them all, where loading each on its own
// would read most threads twice or more.
func newViewSet(defs []threads.View) *viewSet {
	vs := &viewSet{store: threads.NewStore()}
	var all *viewState
	for _, def := range defs {
		v := &viewState{def: def, set: threads.NewList(vs.store), total: -1, polledTotal: -1}
		vs.all = append(vs.all, v)
		if all == nil && threads.Unfiltered(def.Params) {
			all = v
		}
	}
	for _, v := range vs.all {
		if all != nil && !threads.Unfiltered(v.def.Params) && threads.Derivable(v.def.Params) {
			v.source = all
		}
	}
	return vs
}

// loader is the view whose load brings this view's threads: its source,
// or itself.
func (v *viewState) loader() *viewState {
	if v.source != nil {
		return v.source
	}
	return v
}

// served are the views a load of v fills: v and the views drawn from it.
func (vs *viewSet) served(v *viewState) []*viewState {
	out := []*viewState{v}
	for _, d := range vs.all {
		if d.source == v {
			out = append(out, d)
		}
	}
	return out
}

// shown reports whether the view on screen is one a load of v fills.
func (vs *viewSet) shown(v *viewState) bool { return vs.current().loader() == v }

// filter is the threads of ps that belong in view d.
func (d *viewState) filter(ps []*api.Thread) []*api.Thread {
	if d.source == nil {
		return ps
	}
	out := make([]*api.Thread, 0, len(ps))
	for _, t := range ps {
		if ok, _ := threads.Matches(d.def.Params, t); ok {
			out = append(out, t)
		}
	}
	return out
}

// current is the active view.
func (vs *viewSet) current() *viewState { return vs.all[vs.active] }

// ofLoad finds the view a load message belongs to, or nil for a load
// that was cancelled or replaced.
func (vs *viewSet) ofLoad(id int) *viewState {
	for _, v := range vs.all {
		if v.loadID == id && v.loading {
			return v
		}
	}
	return nil
}

// shows reports whether any view still lists the thread.
func (vs *viewSet) shows(id string) bool {
	for _, v := range vs.all {
		if v.set.Has(id) {
			return true
		}
	}
	return false
}

// chatbotTotal is the number of threads of the chatbot, from a view
// without filters; -1 when no such view has counted it.
func (vs *viewSet) chatbotTotal() int {
	for _, v := range vs.all {
		if v.def.Params == (api.ListParams{}) && v.total >= 0 {
			return v.total
		}
	}
	return -1
}

// loading reports a load in flight in any view.
func (vs *viewSet) loading() bool {
	for _, v := range vs.all {
		if v.loading {
			return true
		}
	}
	return false
}

// cancelLoads stops every load in flight.
func (vs *viewSet) cancelLoads() {
	for _, v := range vs.all {
		v.stop()
	}
}

// countMsg is a view's total, from a one-thread page.
type countMsg struct {
	view  int
	total int
}

// pollMsg is the time to re-read the view on screen.
type pollMsg struct{}

// polledMsg is the first page of a view, re-read by the live poll.
type polledMsg struct {
	view int
	page api.Page
	err  error
}

// pollPlan keeps the live list to a tenth of the rate limit (perMinute):
// a poll costs a page, and the views' totals every countEvery polls; the
// interval is stretched when even that does not fit.
func pollPlan(views int, every time.Duration, perMinute int) (interval time.Duration, countEvery int) {
	if perMinute <= 0 {
		return every, 1
	}
	interval = max(every, 20*time.Minute/time.Duration(perMinute)) // room for the page and one more request
	budget := float64(perMinute) / 10 * interval.Minutes()         // requests one poll may cost
	return interval, max(1, int(math.Ceil(float64(views)/(budget-1))))
}

// anyMode reports whether the server sent the mode of any thread.
func anyMode(rows []*api.Thread) bool {
	for _, t := range rows {
		if t.Mode != "" {
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
