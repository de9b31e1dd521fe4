package session

import (
	"context"
	"net/http"
	"testing"
	"time"

	"triage/api"
	"triage/api/apitest"
	"triage/threads"
)

var fixedNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// serve runs an apitest server on a loopback port for the test.
func serve(t testing.TB, srvOpts apitest.Options) (*apitest.Server, string) {
	t.Helper()
	srvOpts.Now = func() time.Time { return fixedNow }
	srv := apitest.New(srvOpts)
	base, stop, err := srv.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return srv, base
}

// on is a session on a running server with opts (its API, clock and
// context set here; without views, All): several sessions on one server
// are several agents on one chatbot.
func on(t testing.TB, srv *apitest.Server, base string, opts Options) *Session {
	t.Helper()
	c, err := api.New(api.Config{BaseURL: base, ChatbotID: srv.ChatbotID(), APIKey: srv.APIKey(), RateLimit: -1})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	if len(opts.Views) == 0 {
		opts.Views = []threads.View{{Name: "All"}}
	}
	if opts.Now == nil {
		opts.Now = func() time.Time { return fixedNow }
	}
	opts.API, opts.Context = c, ctx
	return New(opts)
}

// drive runs tasks to their end and returns the events they gave.
func drive(t testing.TB, s *Session, tasks []Task) []Event {
	t.Helper()
	var events []Event
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := Drive(ctx, s, tasks, func(e Event) { events = append(events, e) }); err != nil {
		t.Fatalf("driving the session: %v", err)
	}
	return events
}

// started is a session on a server of srvOpts, its view shown loaded to
// the end, the server's request log emptied.
func started(t testing.TB, srvOpts apitest.Options, opts Options) (*Session, *apitest.Server) {
	t.Helper()
	srv, base := serve(t, srvOpts)
	s := on(t, srv, base, opts)
	drive(t, s, s.Start())
	if v := s.Current().Loader(); !v.Complete() {
		t.Fatal("the first load did not end")
	}
	waitIdle(t, srv)
	srv.ResetRequests()
	return s, srv
}

// waitIdle waits until the server serves no request.
func waitIdle(t testing.TB, srv *apitest.Server) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.WaitIdle(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestLoadAgainstServer(t *testing.T) {
	srv, base := serve(t, apitest.Options{Threads: 250, MaxLimit: 50})
	s := on(t, srv, base, Options{Load: api.LoadOptions{PageLimit: 100}})
	events := drive(t, s, s.startLoad(loadFull))
	v := s.Current()
	if v.Loading() || v.List().Len() != 250 {
		t.Fatalf("loading=%v rows=%d", v.Loading(), v.List().Len())
	}
	for _, e := range events {
		if said, ok := e.(Said); ok {
			t.Errorf("a load that went well said %q", said.Text)
		}
	}
	want := srv.Threads()
	for i := range want {
		if v.List().All()[i].ID != want[i].ID {
			t.Fatalf("row %d is %s, want %s", i, v.List().All()[i].ID, want[i].ID)
		}
	}
	if n := len(srv.Requests()); n != 5 {
		t.Errorf("%d requests for 250 threads at limit 50", n)
	}
}

func TestCancelledLoadStopsItsGoroutine(t *testing.T) {
	srv, base := serve(t, apitest.Options{Threads: 2000, MaxLimit: 10, Latency: 5 * time.Millisecond})
	s := on(t, srv, base, Options{})
	s.startLoad(loadFull)
	st := s.Current().load
	<-st.ch // first page
	s.Stop()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case _, ok := <-st.ch:
			if !ok {
				if n := len(srv.Requests()); n > 20 {
					t.Errorf("%d requests after cancelling", n)
				}
				return
			}
		case <-deadline:
			t.Fatal("the load goroutine did not end after cancel")
		}
	}
}

// TestStalePagesAreDropped: a page of a load that was replaced does not
// reach the view.
func TestStalePagesAreDropped(t *testing.T) {
	srv, base := serve(t, apitest.Options{Threads: 30})
	s := on(t, srv, base, Options{})
	drive(t, s, s.Start())
	if tasks := s.Handle(pageResult{id: 0, threads: apitest.Generate(5, "x", 9, fixedNow)}); len(tasks) != 0 || s.Current().List().Len() != 30 {
		t.Errorf("a stale page was merged: %d rows", s.Current().List().Len())
	}
}

// quietAPI is a client whose loads deliver nothing until cancelled: the
// test hands the session its pages.
type quietAPI struct{ API }

func (quietAPI) LoadAll(ctx context.Context, _ api.ListParams, _ api.LoadOptions, _ func([]api.Thread, api.Progress)) error {
	<-ctx.Done()
	return ctx.Err()
}

// TestDuplicatesAcrossPagesAndPrune: pages that overlap (threads moved
// while loading) hold each thread once; a reload that no longer lists
// the first ten drops them at its end, not before, and says they are
// forgotten.
func TestDuplicatesAcrossPagesAndPrune(t *testing.T) {
	s := New(Options{API: quietAPI{}, Views: []threads.View{{Name: "All"}}})
	all := apitest.Generate(50, "bot", 3, fixedNow)
	s.startLoad(loadFull)
	id := s.Current().loadID
	s.Handle(pageResult{id: id, threads: all[:30], progress: api.Progress{Page: 1}})
	s.Handle(pageResult{id: id, threads: all[25:], progress: api.Progress{Page: 2}})
	s.Handle(loadDone{id: id})
	v := s.Current()
	if v.List().Len() != 50 {
		t.Fatalf("%d rows, want 50", v.List().Len())
	}
	s.TakeEvents()
	s.startLoad(loadFull)
	id = v.loadID
	s.Handle(pageResult{id: id, threads: all[10:], progress: api.Progress{Page: 1}})
	if v.List().Len() != 50 {
		t.Fatal("rows dropped before the reload ended")
	}
	s.Handle(loadDone{id: id})
	forgotten := 0
	for _, e := range s.TakeEvents() {
		if f, ok := e.(Forgotten); ok {
			forgotten += len(f.IDs)
		}
	}
	if v.List().Len() != 40 || v.List().All()[0].ID != all[10].ID || forgotten != 10 {
		t.Errorf("after the reload: %d rows, the first %s, %d forgotten", v.List().Len(), v.List().All()[0].ID, forgotten)
	}
}

// TestShowingAnotherViewStopsTheLoadLeftBehind: the load of a view left
// behind stops (no more requests for it); coming back resumes it where
// it was, without reading page 1 again.
func TestShowingAnotherViewStopsTheLoadLeftBehind(t *testing.T) {
	srv, base := serve(t, apitest.Options{Threads: 600, MaxLimit: 10, Latency: 10 * time.Millisecond})
	s := on(t, srv, base, Options{Views: []threads.View{{Name: "All"}, {Name: "Humans", Params: api.ListParams{Mode: api.ModeHuman}}}})
	s.startLoad(loadFull)
	first := s.views[0].load
	s.Handle(<-first.ch) // the first page
	humans := s.Show(1)
	if s.views[0].Loading() {
		t.Fatal("the view left behind is still loading")
	}
	deadline := time.After(5 * time.Second)
	for open := true; open; {
		select {
		case _, open = <-first.ch:
		case <-deadline:
			t.Fatal("the cancelled load did not end")
		}
	}
	countAll := func() int {
		n := 0
		for _, r := range srv.RequestsFor(http.MethodGet) {
			if r.Query.Get("mode") == "" {
				n++
			}
		}
		return n
	}
	waitIdle(t, srv) // requests the client gave up on may still be served
	before := countAll()
	waitIdle(t, srv)
	after := countAll()
	if after != before || before > 1+api.DefaultConcurrency*2 {
		t.Errorf("requests for the cancelled view: %d, then %d", before, after)
	}
	s.views[1].stop()
	_ = humans
	srv.ResetRequests()
	drive(t, s, s.Show(0))
	for _, r := range srv.RequestsFor(http.MethodGet) {
		if r.Query.Get("mode") == "" && r.Query.Get("page") == "1" {
			t.Error("showing it again reloaded the view from page 1")
		}
	}
	if v := s.Current(); v.List().Len() != 600 || !v.Complete() {
		t.Errorf("after resuming: %d threads, complete %v", v.List().Len(), v.Complete())
	}
}
