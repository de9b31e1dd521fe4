package session

import (
	"net/http"
	"testing"
	"time"

	"triage/api/apitest"
)

// TestPollWaitsForSendsAndKeepsToTheBudget: no poll while a send is in
// flight, and the totals are counted only as often as a tenth of the rate
// limit allows.
func TestPollWaitsForSendsAndKeepsToTheBudget(t *testing.T) {
	s, srv := started(t, apitest.Options{Threads: 10, Seed: 8}, Options{PollInterval: 30 * time.Second})
	s.send = &sendRun{}
	if s.Poll() != nil {
		t.Error("a poll ran while a send was in flight")
	}
	s.send = nil
	for _, c := range []struct {
		views      int
		every      time.Duration
		perMinute  int
		interval   time.Duration
		countEvery int
	}{{6, 30 * time.Second, 500, 30 * time.Second, 1}, {6, 5 * time.Second, 60, 20 * time.Second, 6}, {20, 10 * time.Second, 100, 12 * time.Second, 20}} {
		interval, k := pollPlan(c.views, c.every, c.perMinute)
		if interval != c.interval || k != c.countEvery {
			t.Errorf("pollPlan(%d, %s, %d) = %s, %d; want %s, %d", c.views, c.every, c.perMinute, interval, k, c.interval, c.countEvery)
		}
		perMinute := (1 + float64(c.views)/float64(k)) * time.Minute.Seconds() / interval.Seconds()
		if perMinute > float64(c.perMinute)/10+0.001 {
			t.Errorf("%v: %.1f requests a minute, more than a tenth of %d", c, perMinute, c.perMinute)
		}
	}
	srv.ResetRequests()
	drive(t, s, s.Poll())
	if n := len(srv.RequestsFor(http.MethodGet)); n != 1+len(s.Views()) {
		t.Errorf("%d requests", n)
	}
}
