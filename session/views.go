package session

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"triage/api"
	"triage/threads"
	"triage/words"
)

// View is one named list: its definition, its threads (references into
// the one store), and its load. Views whose filters are thread fields are
// drawn from the view without filters (its source): its load fills them,
// its refresh refreshes them.
type View struct {
	def    threads.View
	owners threads.Owners // who owner filters name
	index  int
	list   *threads.List
	source *View

	load     *stream
	loadID   int
	loading  bool
	complete bool // a load ran to its end: showing it again needs no reload
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
	// caching is set on a view that loads its own threads while the disk
	// cache is read; cacheSize is its number of rows there once the
	// reading reached it.
	caching   bool
	cacheSize int
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
	// announce is set while a refresh or a load behind rows already read
	// runs: what it brings is news, counted in news; since is the rows'
	// age when it began.
	announce bool
	since    time.Time
	news     news

	// A view drawn from a source read to its end counts its total here,
	// not on the server: its rows, less the ones that no longer fit its
	// filter (gone), plus the source's threads that now fit it (joined),
	// until its next derivation takes them in.
	gone, joined map[*api.Thread]struct{}
	// unsure are the threads a view drawn from a source may hold or miss
	// wrongly until its next derivation judges them again: those its
	// source's pages brought that it holds and that no longer fit, and
	// those that changed outside pages (an answer, a poll, a read). Every
	// other thread the source's pages brought was judged as it came.
	unsure map[*api.Thread]struct{}
}

// news is what a refresh found in a view: threads it did not hold, and
// threads it held whose update moved.
type news struct{ added, changed int }

// text is "6 new since 18:02, 3 changed" ("3 changed since 18:02" when
// nothing is new), "" when nothing changed.
func (n news) text(since time.Time) string {
	if n.added == 0 && n.changed == 0 {
		return ""
	}
	when := ""
	if !since.IsZero() {
		when = " since " + since.Local().Format("15:04")
	}
	if n.added == 0 {
		return fmt.Sprintf("%d changed%s", n.changed, when)
	}
	s := fmt.Sprintf("%d new%s", n.added, when)
	if n.changed > 0 {
		s += fmt.Sprintf(", %d changed", n.changed)
	}
	return s
}

// Def is the view's definition; Index its place among the views.
func (v *View) Def() threads.View { return v.def }

// Index is the view's place among the session's views.
func (v *View) Index() int { return v.index }

// List is the view's threads, newest update first.
func (v *View) List() *threads.List { return v.list }

// Loader is the view whose load brings this view's threads: its source,
// or itself.
func (v *View) Loader() *View {
	if v.source != nil {
		return v.source
	}
	return v
}

// Loading reports a load or refresh of the view in flight.
func (v *View) Loading() bool { return v.loading }

// Complete reports that a load of the view ran to its end.
func (v *View) Complete() bool { return v.complete }

// FromCache reports rows the disk cache brought, not yet refreshed.
func (v *View) FromCache() bool { return v.fromCache }

// HeardAt is when the view last heard from the server.
func (v *View) HeardAt() time.Time { return v.heardAt }

// Total is the server's total for the view, -1 until known.
func (v *View) Total() int { return v.total }

// Unordered reports that the server's pages of the view came out of
// update order: every refresh reads it whole.
func (v *View) Unordered() bool { return v.unordered }

// PageLimit is the page size the server granted the view's load, 0 until
// one ran.
func (v *View) PageLimit() int { return v.progress.Limit }

// SetOrder puts the view in an order.
func (v *View) SetOrder(key threads.SortKey, reverse bool) { v.def.Sort, v.def.Reverse = key, reverse }

// TotalText is the view's thread count for people: the server's total
// when known, else what is loaded, else an ellipsis. A view on tags or
// the owner, which the server cannot count, has its count in
// parentheses: counted here, from All ("(12)", "(12…)" while All loads).
func (v *View) TotalText() string {
	text := "…"
	switch {
	case v.total >= 0:
		text = words.Thousands(v.total)
	case v.list.Len() > 0:
		text = words.Thousands(v.list.Len())
		if v.def.Local() {
			text += "…"
		}
	}
	if v.def.Local() {
		return "(" + text + ")"
	}
	return text
}

// LoadText is the load's progress, "" when idle; rows from the disk cache
// say so while they are refreshed.
func (v *View) LoadText(now time.Time) string {
	text := ""
	switch {
	case v.caching && v.cacheSize == 0:
		return "Reading the cache…"
	case v.caching:
		return v.CacheText(now) + ", " + words.Thousands(v.list.Len()) + "/" + words.Thousands(v.cacheSize) + " read"
	case !v.loading:
		return ""
	case v.refresh != nil:
		text = "refreshing"
	case v.progress.Pages == 0:
		text = "Loading threads…"
	default:
		text = "loading " + words.Thousands(max(v.list.Len(), v.progress.Loaded)) + "/" + words.Thousands(v.progress.Total)
	}
	if v.fromCache {
		return v.CacheText(now) + ", " + strings.ToLower(text[:1]) + text[1:]
	}
	return text
}

// CacheText marks rows that come from the disk cache, with their age.
func (v *View) CacheText(now time.Time) string {
	if a := words.Age(now, v.readAt); a != "now" {
		return "from the cache, " + a + " old"
	}
	return "from the cache, under a minute old"
}

// stop cancels the view's load or refresh.
func (v *View) stop() {
	if v.load != nil {
		v.load.cancel()
	}
	if v.refresh != nil {
		v.refresh.cancel()
		v.refresh = nil
	}
	v.loading = false
}

// fits reports whether t is in the view, as far as its fields tell.
func (v *View) fits(t *api.Thread) (match, known bool) { return v.def.Fits(t, v.owners) }

// filter is the threads of ps that belong in the view: all of them for a
// view the server filters alone.
func (v *View) filter(ps []*api.Thread) []*api.Thread {
	if v.source == nil && !v.def.Local() {
		return ps
	}
	out := make([]*api.Thread, 0, len(ps))
	for _, t := range ps {
		if ok, _ := v.fits(t); ok {
			out = append(out, t)
		}
	}
	return out
}

// countsHere reports a view whose total is counted here: drawn from a
// source read to its end (in this session or the one the disk cache
// kept; a refresh under way ends by making it exact), its filter a
// thread's fields.
func (v *View) countsHere() bool { return v.source != nil && !v.source.readAt.IsZero() }

// recount counts the total of a view drawn from its source after the
// threads ts changed (an answer, a poll, a read).
func (v *View) recount(ts []*api.Thread) {
	if v.gone == nil {
		v.gone, v.joined = map[*api.Thread]struct{}{}, map[*api.Thread]struct{}{}
	}
	for _, t := range ts {
		match, _ := v.fits(t)
		member, inSource := v.list.Has(t.ID), v.source.list.Has(t.ID)
		delete(v.gone, t)
		delete(v.joined, t)
		switch {
		case member && !match:
			v.gone[t] = struct{}{}
		case !member && inSource && match:
			v.joined[t] = struct{}{}
		}
	}
	v.total = v.list.Len() - len(v.gone) + len(v.joined)
}

// derived counts a view just drawn from its source again: exactly its
// rows.
func (v *View) derived() {
	clear(v.gone)
	clear(v.joined)
	clear(v.unsure)
	v.total = v.list.Len()
}

// doubt keeps ts to be judged again at the view's next derivation.
func (v *View) doubt(ts ...*api.Thread) {
	if v.unsure == nil {
		v.unsure = map[*api.Thread]struct{}{}
	}
	for _, t := range ts {
		v.unsure[t] = struct{}{}
	}
}

// fitting is the threads of a page of its source that belong in a view
// drawn from it; the ones it holds that no longer fit are doubted.
func (v *View) fitting(ps []*api.Thread) []*api.Thread {
	out := make([]*api.Thread, 0, len(ps))
	for _, t := range ps {
		if ok, _ := v.fits(t); ok {
			out = append(out, t)
		} else if v.list.Has(t.ID) {
			v.doubt(t)
		}
	}
	return out
}

// newViews makes the views over a new store. With a view without filters
// among them, every view whose filters are thread fields is drawn from
// its pages: one load of every thread serves them all, where loading each
// on its own would read most threads twice or more. A view filtering on
// tags or owner needs one (the server cannot filter by them); without
// it, such a view loads the server's filter and keeps what fits.
func newViews(defs []threads.View, owners threads.Owners) (*threads.Store, []*View) {
	store := threads.NewStore()
	var all *View
	views := make([]*View, 0, len(defs))
	for i, def := range defs {
		v := &View{def: def, owners: owners, index: i, list: threads.NewList(store), total: -1, polledTotal: -1}
		views = append(views, v)
		if all == nil && def.Unfiltered() {
			all = v
		}
	}
	for _, v := range views {
		if all != nil && !v.def.Unfiltered() && threads.Derivable(v.def.Params) {
			v.source = all
		}
	}
	return store, views
}

// Views are the session's views, in order.
func (s *Session) Views() []*View { return s.views }

// Current is the view shown.
func (s *Session) Current() *View { return s.views[s.active] }

// served are the views a load of v fills: v and the views drawn from it.
func (s *Session) served(v *View) []*View {
	out := []*View{v}
	for _, d := range s.views {
		if d.source == v {
			out = append(out, d)
		}
	}
	return out
}

// shown reports whether the view shown is one a load of v fills.
func (s *Session) shown(v *View) bool { return s.Current().Loader() == v }

// ofLoad finds the view a load's result belongs to, or nil for a load
// that was cancelled or replaced.
func (s *Session) ofLoad(id int) *View {
	for _, v := range s.views {
		if v.loadID == id && v.loading {
			return v
		}
	}
	return nil
}

// listed reports whether any view still lists the thread.
func (s *Session) listed(id string) bool {
	for _, v := range s.views {
		if v.list.Has(id) {
			return true
		}
	}
	return false
}

// chatbotTotal is the number of threads of the chatbot, from a view
// without filters; -1 when no such view has counted it.
func (s *Session) chatbotTotal() int {
	for _, v := range s.views {
		if v.def.Unfiltered() && v.total >= 0 {
			return v.total
		}
	}
	return -1
}

// pageLimit is the page size the server grants, as the view's load saw
// it, else the one asked for.
func (s *Session) pageLimit() int {
	if l := s.Current().Loader().progress.Limit; l > 0 {
		return l
	}
	if s.opts.Load.PageLimit > 0 {
		return s.opts.Load.PageLimit
	}
	return api.DefaultPageLimit
}

// AddView adds a view drawn from the view of every thread, filtered here
// (a saved view: the filters of a view and a search): its rows at once,
// from what that view holds, and its total counted here.
func (s *Session) AddView(def threads.View) (*View, error) {
	var all *View
	for _, v := range s.views {
		if v.def.Unfiltered() {
			all = v
			break
		}
	}
	switch {
	case all == nil:
		return nil, fmt.Errorf("a saved view is drawn from a view of every thread, and none is configured (add one with only a name, e.g. All)")
	case !threads.Derivable(def.Params):
		return nil, fmt.Errorf("a view on the mode loads its own pages: it cannot be saved with a search (the list's rows carry no mode)")
	case def.Search.UsesQueue():
		return nil, fmt.Errorf("a view lists what the server holds: it cannot filter on what is queued (is:pending, is:conflict)")
	}
	v := &View{def: def, owners: s.opts.Owners, index: len(s.views), list: threads.NewList(s.store), total: -1, polledTotal: -1, source: all}
	s.views = append(s.views, v)
	v.list.Include(v.filter(all.list.All()))
	if v.countsHere() {
		v.derived()
	}
	return v, nil
}

// RemoveView removes a view (never the last), showing the first (or the
// next) first if it was shown.
func (s *Session) RemoveView(v *View) []Task {
	i := slices.Index(s.views, v)
	if i < 0 || len(s.views) == 1 {
		return nil
	}
	var tasks []Task
	if s.active == i {
		other := 0
		if i == 0 {
			other = 1
		}
		tasks = s.Show(other)
	}
	v.stop()
	s.views = slices.Delete(s.views, i, i+1)
	for j, w := range s.views {
		w.index = j
	}
	if s.active > i {
		s.active--
	}
	return tasks
}
