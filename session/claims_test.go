package session

import (
	"slices"
	"strings"
	"testing"

	"triage/api"
	"triage/api/apitest"
	"triage/threads"
)

// claimants are two loaded sessions of agents ana and bo on one server
// capping pages at 50, and the unowned thread both start on.
func claimants(t *testing.T) (ana, bo *Session, srv *apitest.Server, x string) {
	t.Helper()
	srv, base := serve(t, apitest.Options{Threads: 80, Seed: 12, MaxLimit: 50})
	ana = on(t, srv, base, Options{Owners: threads.Owners{Prefix: "owner:", Me: "ana"}})
	bo = on(t, srv, base, Options{Owners: threads.Owners{Prefix: "owner:", Me: "bo"}})
	for _, s := range []*Session{ana, bo} {
		drive(t, s, s.Start())
	}
	return ana, bo, srv, ana.Current().List().All()[0].ID
}

// owners are the owner tags the server holds on a thread.
func owners(t *testing.T, srv *apitest.Server, id string) []string {
	t.Helper()
	th, ok := srv.Thread(id)
	if !ok {
		t.Fatalf("no thread %s", id)
	}
	var out []string
	for _, tag := range th.Tags {
		if strings.HasPrefix(tag, "owner:") {
			out = append(out, tag)
		}
	}
	return out
}

// claim queues s's claim of id.
func claim(s *Session, id string) {
	s.Queue().Claim(s.opts.Owners.Prefix, s.opts.Owners.Me, []*api.Thread{s.Lookup(id)})
}

// saidText joins what the events said.
func saidText(events []Event) string {
	var out []string
	for _, e := range events {
		if e, ok := e.(Said); ok {
			out = append(out, e.Text)
		}
	}
	return strings.Join(out, "\n")
}

func TestAClaimAfterAnotherIsHeldBack(t *testing.T) {
	ana, bo, srv, x := claimants(t)
	claim(ana, x)
	claim(bo, x) // bo saw it unowned too
	send(t, ana)
	said := send(t, bo)
	if got := owners(t, srv, x); !slices.Equal(got, []string{"owner:ana"}) {
		t.Fatalf("owner tags on the server %v, want ana's alone", got)
	}
	e := bo.Queue().Get(x)
	if e == nil || e.Tags == nil || !e.Tags.Conflict {
		t.Fatalf("bo's claim is not held back as a conflict: %+v", e)
	}
	if len(said) == 0 || said[len(said)-1].Conflicts != 1 {
		t.Errorf("bo was not told: %+v", said)
	}
	// Keeping mine takes it over, as the agent then asks.
	bo.Queue().Settle(bo.Lookup(x), true)
	send(t, bo)
	if got := owners(t, srv, x); !slices.Equal(got, []string{"owner:bo"}) {
		t.Errorf("after bo kept the claim the owner tags are %v, want bo's alone", got)
	}
}

// step runs tasks once and hands their results back: the tasks they
// asked for next.
func step(s *Session, tasks []Task) []Task {
	var next []Task
	for _, task := range tasks {
		next = append(next, s.Handle(task())...)
	}
	return next
}

func TestTwoClaimsAtOnceLeaveOneOwnerAndTellTheOther(t *testing.T) {
	ana, bo, srv, x := claimants(t)
	claim(ana, x)
	claim(bo, x)
	// Both read the thread before either writes: neither sees the other.
	anaWrite, boWrite := step(ana, ana.Send(false)), step(bo, bo.Send(false))
	if len(anaWrite) == 0 || len(boWrite) == 0 {
		t.Fatal("a send wrote without reading first")
	}
	drive(t, ana, anaWrite)
	drive(t, bo, boWrite)
	if got := owners(t, srv, x); !slices.Equal(got, []string{"owner:bo"}) {
		t.Fatalf("owner tags on the server %v, want one owner, the later write's", got)
	}
	said := saidText(drive(t, ana, ana.Poll()))
	if !strings.Contains(said, "is bo's: their claim was written after yours") {
		t.Errorf("ana was not told that bo's claim replaced hers; said %q", said)
	}
	if again := saidText(drive(t, ana, ana.Poll())); strings.Contains(again, "bo's") {
		t.Errorf("told twice: %q", again)
	}
}

func TestClaimTakesOverAndReleases(t *testing.T) {
	ana, bo, srv, x := claimants(t)
	claim(bo, x)
	send(t, bo)
	drive(t, ana, ana.Poll())
	claim(ana, x) // the console asked and ana took it over
	send(t, ana)
	if got := owners(t, srv, x); !slices.Equal(got, []string{"owner:ana"}) {
		t.Fatalf("after the takeover the owner tags are %v", got)
	}
	ana.Queue().Release("owner:", "ana", []*api.Thread{ana.Lookup(x)})
	send(t, ana)
	if got := owners(t, srv, x); len(got) != 0 {
		t.Errorf("after the release the owner tags are %v", got)
	}
}

func TestMineAndUnownedAreCountedHere(t *testing.T) {
	srv, base := serve(t, apitest.Options{Threads: 80, Seed: 12, MaxLimit: 50})
	o := threads.Owners{Prefix: "owner:", Me: "ana"}
	views := append([]threads.View{{Name: "All"}}, threads.ClaimViews()...) // no other view filters as they do
	s := on(t, srv, base, Options{Owners: o, Views: views})
	drive(t, s, s.Start())
	all, mine, unowned := s.Views()[0], s.Views()[1], s.Views()[2]
	if mine.Def().Name != "Mine" || unowned.Def().Name != "Unowned" || mine.Loader() != all {
		t.Fatalf("views %q %q drawn from %q", mine.Def().Name, unowned.Def().Name, mine.Loader().Def().Name)
	}
	open := 0
	for _, th := range all.List().All() {
		if !th.Resolved && !th.Archived {
			open++
		}
	}
	if mine.Total() != 0 || unowned.Total() != open {
		t.Fatalf("Mine %d, Unowned %d; want 0 and the %d open threads", mine.Total(), unowned.Total(), open)
	}
	x := unowned.List().All()[0].ID
	claim(s, x)
	send(t, s)
	if mine.Total() != 1 || unowned.Total() != open-1 {
		t.Errorf("after a claim: Mine %d, Unowned %d; want 1 and %d", mine.Total(), unowned.Total(), open-1)
	}
	if got := mine.TotalText(); got != "(1)" {
		t.Errorf("Mine's total reads %q: counted here, it is in parentheses", got)
	}
	for _, r := range srv.Requests() {
		if r.Query.Get("resolved") == "false" {
			t.Errorf("a local view's total was asked of the server: %v", r.Query)
		}
	}
}

func TestASavedViewIsDrawnFromAllAndFollowsIt(t *testing.T) {
	srv, base := serve(t, apitest.Options{Threads: 60, Seed: 4})
	s := on(t, srv, base, Options{})
	drive(t, s, s.Start())
	q, _ := threads.Parse("refund")
	v, err := s.AddView(threads.View{Name: "Refunds", Search: q, Saved: true})
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, th := range s.Views()[0].List().All() {
		if q.Match(th, s.Queue()) {
			want++
		}
	}
	if v.List().Len() != want || v.Total() != want || v.Loader() != s.Views()[0] {
		t.Fatalf("the saved view holds %d (total %d), want %d drawn from All", v.List().Len(), v.Total(), want)
	}
	ids := srv.AddThreads(1)
	srv.Change(ids[0], func(th *api.Thread) { th.Title = "Refund please" })
	drive(t, s, s.Poll())
	if !v.List().Has(ids[0]) || v.Total() != want+1 {
		t.Errorf("a new refund thread did not join the saved view: total %d", v.Total())
	}
	pending, _ := threads.Parse("is:pending")
	if _, err := s.AddView(threads.View{Name: "Mine queued", Search: pending}); err == nil {
		t.Error("a view on the queue was added")
	}
	drive(t, s, s.Show(v.Index()))
	drive(t, s, s.RemoveView(v))
	if len(s.Views()) != 1 || s.Current() != s.Views()[0] {
		t.Errorf("after removing: %d views", len(s.Views()))
	}
}
