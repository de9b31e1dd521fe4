package session

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"triage/api"
	"triage/api/apitest"
	"triage/cache"
	"triage/queue"
	"triage/threads"
)

// cachedSession is a session of the default views on a server of 3,000
// threads whose disk cache a first session on it wrote at its end, not
// started; the server's request log is empty.
func cachedSession(t *testing.T) (*Session, *apitest.Server, *cache.Cache) {
	t.Helper()
	srv, base := serve(t, apitest.Options{Threads: 3000, MaxLimit: 100})
	c := cache.Open(t.TempDir(), srv.ChatbotID(), base)
	first := on(t, srv, base, Options{Cache: c, Views: DefaultViews(threads.Owners{})})
	drive(t, first, first.Start())
	if err := first.SaveCache(); err != nil {
		t.Fatal(err)
	}
	waitIdle(t, srv)
	srv.ResetRequests()
	s := on(t, srv, base, Options{Cache: c, Views: DefaultViews(threads.Owners{})})
	return s, srv, c
}

// TestAWarmStartShowsTheFirstPartBeforeTheRest: the cache's first part,
// a screenful, is in the view shown (and counted as read) before the rest
// is decoded and before any request; keys work meanwhile, and a refresh
// asked for waits for the end of the file, which starts the one refresh.
func TestAWarmStartShowsTheFirstPartBeforeTheRest(t *testing.T) {
	s, srv, _ := cachedSession(t)
	tasks := s.Start()
	if text := s.Current().Loader().LoadText(fixedNow); text != "Reading the cache…" {
		t.Errorf("before the first part the status says %q", text)
	}
	if !s.RowsComing() {
		t.Error("before the first part the rows are not said to be coming")
	}
	tasks = step(s, tasks)
	if s.RowsComing() {
		t.Error("after the first part the rows are still said to be coming")
	}
	all, inbox := s.Views()[len(s.Views())-1], s.Current()
	if all.Def().Name != "All" || inbox.Loader() != all {
		t.Fatalf("the default views changed: %s, drawn from %s", all.Def().Name, inbox.Loader().Def().Name)
	}
	if n := all.List().Len(); n != firstCachePart {
		t.Fatalf("after the first part All holds %d rows, want %d", n, firstCachePart)
	}
	if inbox.List().Len() == 0 || !all.FromCache() || all.Total() != 3000 {
		t.Errorf("the first part: Inbox %d rows, from the cache %v, total %d", inbox.List().Len(), all.FromCache(), all.Total())
	}
	if text := all.LoadText(fixedNow); !strings.HasSuffix(text, "256/3,000 read") {
		t.Errorf("the progress says %q", text)
	}
	id := inbox.List().All()[0].ID
	s.Queue().Toggle(queue.Resolved, inbox.List().All()[:1])
	if s.Queue().Get(id) == nil {
		t.Error("a toggle while the cache is read was not queued")
	}
	if more := s.Refresh(); len(more) != 0 {
		t.Errorf("a refresh while the cache is read ran at once: %d tasks", len(more))
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests before the cache was read", n)
	}
	drive(t, s, tasks)
	if n := all.List().Len(); n != 3000 || all.FromCache() || !all.Complete() {
		t.Errorf("at the end: %d rows, from the cache %v, complete %v", n, all.FromCache(), all.Complete())
	}
	if n := len(srv.RequestsFor(http.MethodGet)); n != 1 {
		t.Errorf("the refresh behind the cache made %d requests, want 1", n)
	}
	if s.Queue().Get(id) == nil {
		t.Error("the toggle is gone")
	}
}

// TestAThreadReadWhileTheCacheIsReadKeepsTheServersState: a thread read
// from the server before the cache's part that holds it arrives keeps
// what the server said; the cache's older copy does not overwrite it.
func TestAThreadReadWhileTheCacheIsReadKeepsTheServersState(t *testing.T) {
	s, srv, _ := cachedSession(t)
	tasks := s.Start()
	last := srv.Threads()[2999] // in the cache's last part
	srv.Change(last.ID, func(t *api.Thread) { t.Title = "changed on the server" })
	drive(t, s, s.ReadCurrent([]string{last.ID}, nil))
	ended := false
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := Drive(ctx, s, tasks, func(e Event) {
		if _, ok := e.(Changed); ok && !ended { // the end of the cache, before the refresh's first page
			ended = true
			if got := s.Lookup(last.ID); got == nil || got.Title != "changed on the server" {
				t.Errorf("at the end of the cache: %+v", got)
			}
		}
	})
	if err != nil || !ended {
		t.Fatalf("the cache did not end: %v", err)
	}
}

// TestACacheThatFailsToDecodeLeavesNothingOfIt: a file whose checksum
// fails, or holds but whose content does not decode to its end, is said,
// removed, and the rows it brought leave before the load from the server.
func TestACacheThatFailsToDecodeLeavesNothingOfIt(t *testing.T) {
	for name, damage := range map[string]func(b []byte) []byte{
		"a bit flipped": func(b []byte) []byte { b[len(b)/2] ^= 1; return b },
		"two bytes after the last view, the sum made again": func(b []byte) []byte {
			body := append(b[:len(b)-4], 0, 0)
			return binary.LittleEndian.AppendUint32(body, crc32.Checksum(body, crc32.MakeTable(crc32.Castagnoli)))
		},
	} {
		t.Run(name, func(t *testing.T) { damagedCacheStart(t, damage) })
	}
}

func damagedCacheStart(t *testing.T, damage func([]byte) []byte) {
	s, srv, c := cachedSession(t)
	b, err := os.ReadFile(c.Path())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(c.Path(), damage(bytes.Clone(b)), 0o600); err != nil {
		t.Fatal(err)
	}
	changed := srv.Threads()[5].ID
	srv.Change(changed, func(t *api.Thread) { t.Title = "changed on the server" })
	var said []string
	for _, e := range drive(t, s, s.Start()) {
		if e, ok := e.(Said); ok {
			said = append(said, e.Text)
		}
	}
	if len(said) == 0 || !strings.Contains(said[0], "was discarded") || !strings.Contains(said[0], "loading from the server") {
		t.Errorf("said %q", said)
	}
	if r, err := c.Read(); r == nil || err != nil { // the load's end wrote it again
		t.Errorf("the cache after the load: %v, %v", r, err)
	} else {
		r.Close()
	}
	all := s.Views()[len(s.Views())-1]
	if all.List().Len() != 3000 || s.Lookup(changed).Title != "changed on the server" {
		t.Errorf("after the load: %d rows, %q", all.List().Len(), s.Lookup(changed).Title)
	}
	if n := len(srv.RequestsFor(http.MethodGet)); n < 30 {
		t.Errorf("%d requests: the view was not loaded whole", n)
	}
}

// TestARefreshBehindTheCacheKeepsTheViewsDrawnFromAllExact: threads
// resolved, reopened, escalated and new on the server since the cache was
// written leave and join the views drawn from All at the refresh's end,
// judged only where they changed: every such view holds exactly All's
// threads that fit it, and counts them.
func TestARefreshBehindTheCacheKeepsTheViewsDrawnFromAllExact(t *testing.T) {
	s, srv, _ := cachedSession(t)
	var open, resolved []string
	for _, th := range srv.Threads() {
		if th.Resolved {
			resolved = append(resolved, th.ID)
		} else if !th.Archived {
			open = append(open, th.ID)
		}
	}
	srv.Change(open[3], func(t *api.Thread) { t.Resolved = true })
	srv.Change(resolved[2], func(t *api.Thread) { t.Resolved = false })
	srv.Change(open[7], func(t *api.Thread) { t.Escalated = !t.Escalated })
	srv.AddThreads(3)
	drive(t, s, s.Start())
	all := s.Views()[len(s.Views())-1]
	if n := len(srv.RequestsFor(http.MethodGet)); n != 1 || all.List().Len() != 3003 {
		t.Fatalf("the refresh: %d requests, %d threads", n, all.List().Len())
	}
	for _, v := range s.Views() {
		if v.Loader() != all || v == all {
			continue
		}
		want := map[string]bool{}
		for _, th := range all.List().All() {
			if ok, _ := v.fits(th); ok {
				want[th.ID] = true
			}
		}
		got := v.List().All()
		if len(got) != len(want) || v.Total() != len(want) {
			t.Errorf("%s: %d rows, total %d; want %d", v.Def().Name, len(got), v.Total(), len(want))
		}
		for _, th := range got {
			if !want[th.ID] {
				t.Errorf("%s holds %s, which does not fit it", v.Def().Name, th.ID)
			}
		}
	}
}

// TestTheViewShownIsWrittenFirst: of the views that load their own pages,
// the cache holds the one the view shown is drawn from first, so the next
// start's first part is a screenful of it.
func TestTheViewShownIsWrittenFirst(t *testing.T) {
	srv, base := serve(t, apitest.Options{Threads: 300, MaxLimit: 100})
	c := cache.Open(t.TempDir(), srv.ChatbotID(), base)
	f := false
	views := []threads.View{{Name: "Open", Params: api.ListParams{Resolved: &f}}, {Name: "Human", Params: api.ListParams{Mode: api.ModeHuman}}}
	s := on(t, srv, base, Options{Cache: c, Views: views})
	drive(t, s, s.Start())
	drive(t, s, s.Show(1))
	for _, shown := range []int{1, 0} {
		drive(t, s, s.Show(shown))
		if err := s.SaveCache(); err != nil {
			t.Fatal(err)
		}
		r, err := c.Read()
		if r == nil || err != nil {
			t.Fatalf("the cache: %v, %v", r, err)
		}
		p, ok, err := r.Next(1)
		r.Close()
		if want := cache.ViewKey(views[shown].Params); !ok || err != nil || p.View == nil || p.View.Key != want {
			t.Errorf("%s shown: the file begins with %+v (%v), want %q", views[shown].Name, p.View, err, want)
		}
	}
}
