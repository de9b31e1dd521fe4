package session

import (
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"triage/api"
	"triage/api/apitest"
	"triage/queue"
	"triage/threads"
)

// TestPollWaitsForSendsAndKeepsToTheBudget: no poll while a send is in
// flight, and the totals only the server knows are counted only as often
// as a tenth of the rate limit allows: with the default views and a view
// on mode, a poll reads All's first page, which says All's total, counts
// the Inbox and the others here, and asks the server for the mode view's.
func TestPollWaitsForSendsAndKeepsToTheBudget(t *testing.T) {
	views := append(threads.DefaultViews(), threads.View{Name: "Humans", Params: api.ListParams{Mode: api.ModeHuman}})
	s, srv := started(t, apitest.Options{Threads: 10, Seed: 8, ExposeModeAndNotes: true}, Options{PollInterval: 30 * time.Second, Views: views})
	s.send = &sendRun{}
	if s.Poll() != nil {
		t.Error("a poll ran while a send was in flight")
	}
	s.send = nil
	for _, c := range []struct {
		counted    int
		every      time.Duration
		budget     float64
		interval   time.Duration
		countEvery int
	}{{1, 30 * time.Second, 50, 30 * time.Second, 1}, {6, 5 * time.Second, 6, 20 * time.Second, 6}, {20, 10 * time.Second, 10, 12 * time.Second, 20},
		{0, 30 * time.Second, 2, 30 * time.Second, 1}, {0, 30 * time.Second, 1, time.Minute, 1}} {
		interval, k := pollPlan(c.counted, c.every, c.budget)
		if interval != c.interval || k != c.countEvery {
			t.Errorf("pollPlan(%d, %s, %.0f) = %s, %d; want %s, %d", c.counted, c.every, c.budget, interval, k, c.interval, c.countEvery)
		}
		perMinute := (1 + float64(c.counted)/float64(k)) * time.Minute.Seconds() / interval.Seconds()
		if perMinute > c.budget+0.001 {
			t.Errorf("%v: %.1f requests a minute, more than the budget", c, perMinute)
		}
	}
	drive(t, s, s.Show(len(views)-1)) // the mode view loads once
	drive(t, s, s.Show(0))
	srv.ResetRequests()
	drive(t, s, s.Poll())
	var counts []string
	for _, r := range srv.RequestsFor(http.MethodGet) {
		if r.Query.Get("limit") == "1" {
			counts = append(counts, r.Query.Encode())
		}
	}
	if n := len(srv.RequestsFor(http.MethodGet)); n != 2 || len(counts) != 1 || !strings.Contains(counts[0], "mode=HUMAN") {
		t.Errorf("%d requests, counts %v: want All's page and the mode view's count", n, counts)
	}
	for _, v := range s.Views()[:6] {
		want := 0
		for _, th := range srv.Threads() {
			if ok, _ := threads.Matches(v.Def().Params, &th); ok {
				want++
			}
		}
		if v.Total() != want {
			t.Errorf("%s: total %d, the server counts %d", v.Def().Name, v.Total(), want)
		}
	}
}

// TestTotalsCountedHereFollowASend: resolving two Inbox threads moves
// them from the Inbox's total to Resolved's at once, without counting
// on the server, and the next refresh keeps them exact.
func TestTotalsCountedHereFollowASend(t *testing.T) {
	s, srv := started(t, apitest.Options{Threads: 60, Seed: 8}, Options{Views: threads.DefaultViews()})
	inbox, resolved := s.Views()[0], s.Views()[3]
	before, beforeResolved := inbox.Total(), resolved.Total()
	two := inbox.List().All()[:2]
	s.Queue().SetFlag(queue.Resolved, true, two)
	drive(t, s, s.Send(false))
	if inbox.Total() != before-2 || resolved.Total() != beforeResolved+2 {
		t.Errorf("after the send: Inbox %d (was %d), Resolved %d (was %d)", inbox.Total(), before, resolved.Total(), beforeResolved)
	}
	if n := len(srv.RequestsFor(http.MethodGet)); n != 0 {
		t.Errorf("the send counted on the server: %d requests", n)
	}
	drive(t, s, s.Refresh())
	if inbox.Total() != before-2 || inbox.List().Len() != before-2 {
		t.Errorf("after a refresh: Inbox total %d, %d rows, want %d", inbox.Total(), inbox.List().Len(), before-2)
	}
}

// TestPollsOfManyConsolesAreSpreadAndShareTheBudget: 25 consoles started
// together on one host, one key (500 requests a minute): their first polls
// fall across the interval, not in one second, and together they poll at
// most a tenth of the key's budget.
func TestPollsOfManyConsolesAreSpreadAndShareTheBudget(t *testing.T) {
	const consoles = 25
	var firsts []time.Duration
	perMinute := 0.0
	for i := range consoles {
		rng := rand.New(rand.NewPCG(uint64(i), 7))
		s := New(Options{API: quietAPI{}, PollInterval: 30 * time.Second, RateLimit: 500, Views: []threads.View{{Name: "All"}}, Jitter: rng.Float64})
		s.SetConsoles(consoles)
		s.views[0].total = 5000 // All was read: its page says its total, nothing is counted on the server
		first, _ := s.NextPoll()
		firsts = append(firsts, first)
		next, _ := s.NextPoll()
		if every := s.PollEvery(); next < every*95/100 || next > every*105/100 {
			t.Errorf("a later wait %s is not the interval %s give or take 5%%", next, every)
		}
		perMinute += time.Minute.Seconds() / s.PollEvery().Seconds() // one request a poll: every total is counted here
	}
	if perMinute > 50.001 {
		t.Errorf("25 consoles poll %.1f times a minute, more than a tenth of 500", perMinute)
	}
	slices.Sort(firsts)
	every := 30 * time.Second // 25 consoles at one request a poll: 50 a minute, the share
	for i := range 6 {        // each fifth of the interval holds some first polls, none holds most
		n := 0
		for _, f := range firsts {
			if f >= every*time.Duration(i)/5 && f < every*time.Duration(i+1)/5 {
				n++
			}
		}
		if i < 5 && (n == 0 || n > consoles/2) {
			t.Errorf("first polls %v: %d in the fifth %d of the interval", firsts, n, i+1)
		}
	}
}

// TestAPollInFlightIsNotRepeatedAndARetryAfterHoldsTheNext: a poll that
// waits (out a 429, say) is not sent again meanwhile, and a Retry-After
// that ends it holds the next poll back until it is over.
func TestAPollInFlightIsNotRepeatedAndARetryAfterHoldsTheNext(t *testing.T) {
	s, srv := started(t, apitest.Options{Threads: 10, Seed: 8}, Options{PollInterval: 5 * time.Second, RateLimit: 500})
	first := s.Poll()
	if len(first) == 0 || s.Poll() != nil {
		t.Fatal("a second poll went out while the first was in flight")
	}
	drive(t, s, first)
	srv.Inject(apitest.Fault{Kind: apitest.FaultRateLimit, RetryAfter: 10 * time.Minute}) // beyond what the client waits out
	drive(t, s, s.Poll())
	if wait, _ := s.NextPoll(); wait < 10*time.Minute {
		t.Errorf("after a Retry-After of 10 minutes the next poll waits %s", wait)
	}
	if len(s.Poll()) == 0 {
		t.Error("the poll after the failure does not go out")
	}
}

// TestFewerConsolesBringTheNextPollSooner: when consoles leave, the
// interval shrinks at once and the wait given before is stale.
func TestFewerConsolesBringTheNextPollSooner(t *testing.T) {
	s := New(Options{API: quietAPI{}, PollInterval: 5 * time.Second, RateLimit: 500, Views: []threads.View{{Name: "All"}}})
	s.views[0].total = 10
	s.SetConsoles(300) // files posing as consoles: the stretch stops at two minutes
	if every := s.PollEvery(); every != maxStretch {
		t.Errorf("300 consoles poll every %s, want the cap %s", every, maxStretch)
	}
	_, seq := s.NextPoll()
	if !s.SetConsoles(2) || !s.PollStale(seq) || s.PollEvery() != 5*time.Second {
		t.Errorf("consoles left: the interval %s, the old wait stale %v", s.PollEvery(), s.PollStale(seq))
	}
	if s.SetConsoles(3) {
		t.Error("more consoles made the poll sooner")
	}
}
