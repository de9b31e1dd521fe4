package ui

import (
	"charm.land/bubbles/v2/spinner"
	"errors"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"triage/api"
	"triage/api/apitest"
	"triage/cache"
	"triage/session"
	"triage/threads"
)

// loaded is a console on a server with n threads, its view All read to
// the end, and the server's request log emptied.
func loaded(t testing.TB, srvOpts apitest.Options, views ...threads.View) (*Model, *apitest.Server) {
	t.Helper()
	return loadedWith(t, srvOpts, session.Options{Views: views})
}

// loadedWith is loaded over a session of opts.
func loadedWith(t testing.TB, srvOpts apitest.Options, opts session.Options) (*Model, *apitest.Server) {
	t.Helper()
	m, srv := liveConsole(t, srvOpts, opts)
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	drain(t, m, m.Init())
	if v := m.sess.Current(); !v.Complete() || v.List().Len() != v.Total() {
		t.Fatalf("the first load: complete %v, %d of %d", v.Complete(), v.List().Len(), v.Total())
	}
	waitIdle(t, srv)
	srv.ResetRequests()
	return m, srv
}

// refresh presses r and runs the refresh to its end; it returns the pages
// it read (the views' totals it counts are not pages).
func refresh(t testing.TB, m *Model, srv *apitest.Server) int {
	t.Helper()
	waitIdle(t, srv)
	srv.ResetRequests()
	drain(t, m, press(m, "r"))
	waitIdle(t, srv)
	n := pageRequests(srv)
	srv.ResetRequests()
	return n
}

// sameAsServer fails unless the view on screen lists exactly the
// server's threads of its filter, in order, each as the server has it.
func sameAsServer(t *testing.T, m *Model, srv *apitest.Server) {
	t.Helper()
	v := m.sess.Current()
	var want []api.Thread
	for _, th := range srv.Threads() {
		if ok, _ := threads.Matches(v.Def().Params, &th); ok {
			want = append(want, th)
		}
	}
	slices.SortStableFunc(want, func(a, b api.Thread) int { return threads.Newer(&a, &b) })
	got := v.List().All()
	if len(got) != len(want) {
		t.Fatalf("%d rows, the server lists %d", len(got), len(want))
	}
	for i := range want {
		if got[i].ID != want[i].ID || !got[i].UpdatedAt.Equal(want[i].UpdatedAt) || got[i].Title != want[i].Title {
			t.Fatalf("row %d: %s %v %q, the server has %s %v %q", i, got[i].ID, got[i].UpdatedAt, got[i].Title,
				want[i].ID, want[i].UpdatedAt, want[i].Title)
		}
	}
}

func TestRefreshWithNothingChangedIsOneRequest(t *testing.T) {
	m, srv := loaded(t, apitest.Options{Threads: 2000, MaxLimit: 100})
	if n := refresh(t, m, srv); n != 1 {
		t.Errorf("a refresh with nothing changed sent %d requests, want 1", n)
	}
	if !slices.Contains(logTexts(m), "Refreshed All: read 1 page, the rest as it was") {
		t.Errorf("the log does not say what the refresh read: %q", logTexts(m))
	}
	if v := m.sess.Current(); !v.Complete() || v.Loading() {
		t.Errorf("after the refresh: complete %v, loading %v", v.Complete(), v.Loading())
	}
	sameAsServer(t, m, srv)
}

func TestRefreshReadsOnlyThePagesOfWhatChanged(t *testing.T) {
	for _, changed := range []int{1, 99, 250, 1000} {
		t.Run(fmt.Sprint(changed), func(t *testing.T) {
			m, srv := loaded(t, apitest.Options{Threads: 5000, MaxLimit: 100})
			for i, th := range srv.Threads()[1000:][:changed] { // older threads, spread over the list
				srv.Change(th.ID, func(t *api.Thread) { t.Title = fmt.Sprintf("changed %d", i) })
			}
			n := refresh(t, m, srv)
			// Pages of 100 until one holds a thread older than the newest
			// of the last read: the changed threads, the newest, one more.
			if want := (changed + 2 + 99) / 100; n != want {
				t.Errorf("%d changed threads: %d requests, want %d", changed, n, want)
			}
			sameAsServer(t, m, srv)
		})
	}
}

func TestRefreshTakesNewThreadsAndFindsThoseThatLeft(t *testing.T) {
	m, srv := loaded(t, apitest.Options{Threads: 1500, MaxLimit: 100})
	srv.AddThreads(30)
	if n := refresh(t, m, srv); n != 1 {
		t.Errorf("30 new threads: %d requests, want 1", n)
	}
	sameAsServer(t, m, srv)

	all := srv.Threads()
	srv.Delete(all[700].ID) // deep in the list: no page the refresh reads shows it
	n := refresh(t, m, srv)
	if want := 1 + 16; n != want { // the refresh's page, then the whole view: 1,529 threads in 16 pages
		t.Errorf("a deletion: %d requests, want %d", n, want)
	}
	sameAsServer(t, m, srv)
	if !slices.ContainsFunc(logTexts(m), func(s string) bool { return strings.Contains(s, "All: 1,530 here, 1,529 on the server") }) {
		t.Errorf("the log does not say why the whole view was read: %q", logTexts(m))
	}
}

func TestRefreshDropsWhatASendMovedOutOfTheView(t *testing.T) {
	inbox := threads.View{Name: "Inbox", Params: api.ListParams{Resolved: api.Bool(false)}}
	m, srv := loaded(t, apitest.Options{Threads: 1000, MaxLimit: 100}, inbox)
	act(t, m, "j", "x", "j", "x", "d", "w", "y") // resolve two threads and send
	waitIdle(t, srv)
	if srv.RequestsFor(http.MethodPatch) == nil {
		t.Fatal("nothing was sent")
	}
	srv.ResetRequests()
	if n := refresh(t, m, srv); n != 1 {
		t.Errorf("after a send that resolved 2: %d requests, want 1", n)
	}
	sameAsServer(t, m, srv)
}

func TestPagesOutOfUpdateOrderMeanAWholeReload(t *testing.T) {
	m, srv := loaded(t, apitest.Options{Threads: 1000, MaxLimit: 100, ByStart: true})
	srv.Change(srv.Threads()[500].ID, func(t *api.Thread) { t.Title = "changed" })
	n := refresh(t, m, srv)
	if n != 1+10 { // the first page shows the disorder, then all 10 pages
		t.Errorf("%d requests, want 11", n)
	}
	if !m.sess.Current().Unordered() {
		t.Error("the disorder was not noticed")
	}
	if !slices.ContainsFunc(logTexts(m), func(s string) bool { return strings.Contains(s, "not in update order") }) {
		t.Errorf("the log does not say why: %q", logTexts(m))
	}
	if n := refresh(t, m, srv); n != 10 {
		t.Errorf("the next refresh: %d requests, want the 10 pages at once", n)
	}
	got := m.sess.Current().List().Get(srv.Threads()[0].ID)
	if got == nil || m.sess.Current().List().Len() != 1000 {
		t.Fatal("the reload lost threads")
	}
}

// cachedConsoles are a console on a server of srvOpts with its cache in
// dir, loaded, and the start of a second console on the same server from
// what the first wrote to the cache at its end, as the next start would,
// with the clock now: its Init run until the cache's rows are in, before
// the refresh behind them begins (rest), the server's request log empty
// before it.
func cachedConsoles(t *testing.T, srvOpts apitest.Options, dir string, now func() time.Time) (first, next *Model, srv *apitest.Server, rest tea.Cmd) {
	t.Helper()
	first, next, srv = cachedPair(t, srvOpts, dir, now)
	all := next.sess.Current().Loader()
	_, _, rest = drainUntil(next, next.Init(), func() bool { return all.FromCache() && all.List().Len() == srvOpts.Threads })
	if rest == nil {
		t.Fatalf("the cache's rows did not all come: %d", all.List().Len())
	}
	return first, next, srv, rest
}

// cachedPair is cachedConsoles before the second console's Init.
func cachedPair(t *testing.T, srvOpts apitest.Options, dir string, now func() time.Time) (first, next *Model, srv *apitest.Server) {
	t.Helper()
	srv, base := serve(t, srvOpts)
	c := cache.Open(dir, srv.ChatbotID(), "loopback")
	first = consoleWith(t, srv, base, nil, session.Options{Cache: c})
	first.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	drain(t, first, first.Init())
	waitIdle(t, srv)
	if err := first.sess.SaveCache(); err != nil {
		t.Fatal(err)
	}
	next = consoleWith(t, srv, base, nil, session.Options{Cache: c, Now: now})
	next.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	srv.ResetRequests()
	return first, next, srv
}

// TestKeysTypedBeforeTheCachesRowsWaitForThem: the first frame of a warm
// start comes before the cache's first rows; keys typed at it (the agent
// knows the list) move the cursor and resolve once the rows are there, in
// their order, as if the list had been there all along.
func TestKeysTypedBeforeTheCachesRowsWaitForThem(t *testing.T) {
	_, next, _ := cachedPair(t, apitest.Options{Threads: 3000, MaxLimit: 100}, t.TempDir(), nil)
	init := next.Init()
	if !next.sess.RowsComing() {
		t.Fatal("the cache's rows are not awaited at the first frame")
	}
	press(next, "j", "j", "j", "d", "j")
	if next.table.cursor != 0 || next.sess.Queue().Len() != 0 {
		t.Fatalf("keys acted on an empty list: cursor %d, %d queued", next.table.cursor, next.sess.Queue().Len())
	}
	_, _, rest := drainUntil(next, init, func() bool { return next.sess.Current().List().Len() > 0 })
	if rest == nil {
		t.Fatal("the cache's first rows did not come")
	}
	if next.table.cursor != 4 {
		t.Errorf("after the rows came the cursor is on row %d, want 4", next.table.cursor)
	}
	fourth := next.table.rows[3].ID
	if e := next.sess.Queue().Get(fourth); e == nil || next.sess.Queue().Len() != 1 {
		t.Errorf("d (resolve) on the fourth row queued %d edits, the fourth's %v", next.sess.Queue().Len(), e)
	}
	drain(t, next, rest)
}

func TestAStartFromTheCacheShowsRowsAtOnceThenRefreshes(t *testing.T) {
	_, next, srv, rest := cachedConsoles(t, apitest.Options{Threads: 3000, MaxLimit: 100}, t.TempDir(), func() time.Time { return fixedNow.Add(3 * time.Hour) })
	press(next, "j") // the status line follows at a key (else at the spinner's next turn)
	screen := screenOf(next)
	first := srv.Threads()[0]
	if !strings.Contains(screen, first.VisitorName) || !strings.Contains(screen, "from the cache, 3h old") || len(srv.Requests()) != 0 {
		t.Fatalf("before any request (%d made) the screen has no rows or no mark of the cache:\n%s", len(srv.Requests()), screen)
	}
	srv.Change(srv.Threads()[10].ID, func(t *api.Thread) { t.Title = "changed meanwhile" })
	srv.ResetRequests()
	drain(t, next, rest)
	waitIdle(t, srv)
	if n := len(srv.RequestsFor(http.MethodGet)); n != 1 {
		t.Errorf("the refresh of a warm start: %d requests, want 1", n)
	}
	sameAsServer(t, next, srv)
	if screen := screenOf(next); strings.Contains(screen, "from the cache") {
		t.Errorf("still marked from the cache after the refresh:\n%s", screen)
	}
}

func TestTheCacheNeverHoldsTheKey(t *testing.T) {
	dir := t.TempDir()
	_, _, srv, _ := cachedConsoles(t, apitest.Options{Threads: 200, MaxLimit: 100, APIKey: "sk-live-7f3a9c2e5b1d"}, dir, nil)
	files, _ := os.ReadDir(dir)
	if len(files) != 1 {
		t.Fatalf("files %v", files)
	}
	b, err := os.ReadFile(dir + "/" + files[0].Name())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "sk-live") || strings.Contains(string(b), "7f3a9c2e5b1d") {
		t.Error("the cache holds the API key")
	}
	if !strings.Contains(string(b), srv.Threads()[0].ID) {
		t.Error("the cache does not hold the threads (the check above would pass on anything)")
	}
}

// pageRequests are the list requests that read pages, not totals.
func pageRequests(srv *apitest.Server) int {
	n := 0
	for _, r := range srv.RequestsFor(http.MethodGet) {
		if r.Query.Get("limit") != "1" {
			n++
		}
	}
	return n
}

// TestViewsDrawnFromAllFollowItsRefresh: the default views are drawn from
// All; a send that resolves two inbox threads and another agent's archive
// reach every view with one refresh of one page.
func TestViewsDrawnFromAllFollowItsRefresh(t *testing.T) {
	m, srv := liveModel(t, apitest.Options{Threads: 3000, MaxLimit: 100}, threads.DefaultViews()...)
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	drain(t, m, m.Init())
	waitIdle(t, srv)
	if n := pageRequests(srv); n != 30 {
		t.Errorf("the first start read %d pages, want All's 30", n)
	}
	act(t, m, "x", "j", "x", "d", "w", "y") // resolve the inbox's first two threads
	resolved := []string{m.sess.Views()[0].List().All()[0].ID, m.sess.Views()[0].List().All()[1].ID}
	archived := srv.Threads()[2000].ID
	srv.Change(archived, func(t *api.Thread) { t.Archived = true })
	if n := refresh(t, m, srv); n != 1 {
		t.Errorf("the refresh read %d pages, want 1", n)
	}
	for i, v := range m.sess.Views() {
		drain(t, m, m.switchView(i))
		sameAsServer(t, m, srv)
		for _, id := range append(resolved, archived) {
			ok, _ := threads.Matches(v.Def().Params, m.lookup(id))
			if v.List().Has(id) != ok {
				t.Errorf("%s: holds %s %v, its filter says %v", v.Def().Name, id, v.List().Has(id), ok)
			}
		}
	}
	if n := pageRequests(srv); n != 0 {
		t.Errorf("switching through the views read %d more pages", n)
	}
}

// TestARefreshWhereMostChangedGoesOnAsALoad: when so many threads changed
// that reading on one page at a time would take longer than a load, the
// rest is read as a load; no page is read twice.
func TestARefreshWhereMostChangedGoesOnAsALoad(t *testing.T) {
	m, srv := loaded(t, apitest.Options{Threads: 3000, MaxLimit: 100})
	for _, th := range srv.Threads() {
		srv.Change(th.ID, func(t *api.Thread) { t.Title = "changed" })
	}
	srv.Delete(srv.Threads()[2999].ID) // and one left: the load drops it
	if n := refresh(t, m, srv); n != 30 {
		t.Errorf("%d requests, want the view's 30 pages once each", n)
	}
	if !slices.ContainsFunc(logTexts(m), func(s string) bool { return strings.Contains(s, "Most of All changed") }) {
		t.Errorf("the log does not say why: %q", logTexts(m))
	}
	sameAsServer(t, m, srv)
}

// failingCache is a disk that is full, holding no cache yet.
type failingCache struct{ writes int }

func (f *failingCache) Read() (*cache.Reader, error)       { return nil, nil }
func (f *failingCache) LoadTexts() ([]threads.Text, error) { return nil, nil }

func (f *failingCache) WriteTexts([]threads.Text, int) error {
	return errors.New("write /home/ana/.cache/triage/x-texts.cache: no space left on device")
}

func (f *failingCache) Write([]cache.View, sync.Locker, time.Time) error {
	f.writes++
	return errors.New("write /home/ana/.cache/triage/x.cache: no space left on device")
}

// TestACacheThatCannotBeWrittenIsSaidOnce: a full disk costs the cache,
// said once in the event log; the console goes on, and the next load
// tries again without saying it again.
func TestACacheThatCannotBeWrittenIsSaidOnce(t *testing.T) {
	disk := &failingCache{}
	m, srv := liveConsole(t, apitest.Options{Threads: 300, MaxLimit: 100}, session.Options{Cache: disk})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	drain(t, m, m.Init())
	waitIdle(t, srv)
	drain(t, m, press(m, "r"))
	said := 0
	for _, s := range logTexts(m) {
		if strings.Contains(s, "no space left on device") && strings.Contains(s, "the next start loads from the server") {
			said++
		}
	}
	if disk.writes != 2 || said != 1 {
		t.Errorf("%d writes, said %d times: %q", disk.writes, said, logTexts(m))
	}
	if v := m.sess.Current(); !v.Complete() || v.List().Len() != 300 {
		t.Errorf("the console did not go on: complete %v, %d rows", v.Complete(), v.List().Len())
	}
}

// TestAnotherConsolesSendReachesThisOneWithOneRequest: agent A resolves
// a thread and tags another; agent B's refresh reads one page, drops the
// resolved thread from B's Inbox and shows the tag, and B's queued edit
// of the tagged thread is rebased on A's tags.
func TestAnotherConsolesSendReachesThisOneWithOneRequest(t *testing.T) {
	a, b, srv := twoConsoles(t, threads.DefaultViews()...)
	x, y := a.table.rows[0].ID, a.table.rows[1].ID
	act(t, b, "j", "t", "+beta", "<enter>") // B queues a tag on y
	act(t, a, "d", "j", "t", "+alpha", "<enter>", "w", "y")
	if n := refresh(t, b, srv); n != 1 {
		t.Errorf("B's refresh read %d pages, want 1", n)
	}
	if b.sess.Current().List().Has(x) || !b.sess.Views()[3].List().Has(x) {
		t.Error("the thread A resolved is still in B's Inbox, or not in B's Resolved")
	}
	if got := b.lookup(y); got == nil || !slices.Contains(got.Tags, "alpha") {
		t.Errorf("B shows %v for the thread A tagged", got)
	}
	act(t, b, "w", "y")
	got, _ := srv.Thread(y)
	if !slices.Contains(got.Tags, "alpha") || !slices.Contains(got.Tags, "beta") {
		t.Errorf("the server holds %v: one agent's tag was lost", got.Tags)
	}
}

// TestAStartFromTheCacheSaysWhatIsNew: threads that arrived and changed
// since the cache was written are said ("6 new since 12:00, 3 changed")
// and the new ones are on screen, above the cursor's thread, with the
// rows beginning at the top; the position counter counts them.
func TestAStartFromTheCacheSaysWhatIsNew(t *testing.T) {
	_, next, srv, rest := cachedConsoles(t, apitest.Options{Threads: 300, MaxLimit: 100}, t.TempDir(), func() time.Time { return fixedNow.Add(3 * time.Hour) })
	cur := next.table.current().ID
	ids := srv.AddThreads(6)
	for _, th := range srv.Threads()[10:13] {
		srv.Change(th.ID, func(t *api.Thread) { t.Important = !t.Important })
	}
	drain(t, next, rest)
	want := "All: 6 new since " + fixedNow.Local().Format("15:04") + ", 3 changed"
	if !strings.Contains(next.status.text, want) || !slices.ContainsFunc(logTexts(next), func(s string) bool { return strings.Contains(s, want) }) {
		t.Errorf("status %q, log %q: want %q", next.status.text, logTexts(next), want)
	}
	if next.table.current().ID != cur || next.table.offset != 0 {
		t.Errorf("cursor on %s (was %s), offset %d", next.table.current().ID, cur, next.table.offset)
	}
	shown := visibleIDs(next)
	for _, id := range ids {
		if !slices.Contains(shown, id) {
			t.Errorf("new thread %s not on screen", id)
		}
	}
	if !strings.Contains(screenOf(next), "10/306") {
		t.Errorf("the counter does not count the new rows above the cursor:\n%s", screenOf(next))
	}
}

// TestTheSpinnerTurnsWhileTheCacheIsRead: while the rest of the cache is
// read behind its first rows the spinner keeps its one chain of ticks.
// When it stopped at each tick (no view loads meanwhile), every part of
// the cache started it again, and each start drew a frame: 30 a second at
// a million threads.
func TestTheSpinnerTurnsWhileTheCacheIsRead(t *testing.T) {
	_, next, _ := cachedPair(t, apitest.Options{Threads: 10000, MaxLimit: 100}, t.TempDir(), nil)
	all := next.sess.Current().Loader()
	_, _, rest := drainUntil(next, next.Init(), func() bool { return all.List().Len() > 0 })
	if rest == nil || all.List().Len() == 10000 {
		t.Fatalf("the cache was not being read: %d rows", all.List().Len())
	}
	if !next.status.spinning {
		t.Fatal("no spinner while the cache is read")
	}
	next.Update(spinner.TickMsg{ID: next.status.spinner.ID(), Time: time.Now()})
	if !next.status.spinning {
		t.Error("the spinner's ticks stopped while the cache is read")
	}
	drain(t, next, rest)
}
