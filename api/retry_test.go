package api_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"triage/api"
	"triage/api/apitest"
)

func TestRetryAfterHonoured(t *testing.T) {
	f := newFixture(t, apitest.Options{Threads: 10}, nil)
	f.srv.Inject(apitest.Fault{Kind: apitest.FaultRateLimit, RetryAfter: 3 * time.Second, Times: 2})
	if _, err := f.client.ListThreads(context.Background(), api.ListParams{}); err != nil {
		t.Fatal(err)
	}
	// The Retry-After, and jitter within a quarter of it (0.5 of it here).
	if got := f.clock.Sleeps(); len(got) != 2 || got[0] != 3375*time.Millisecond || got[1] != 3375*time.Millisecond {
		t.Errorf("slept %v, want [3.375s 3.375s]", got)
	}
}

func TestRetriesThenGivesUp(t *testing.T) {
	f := newFixture(t, apitest.Options{Threads: 10}, func(c *api.Config) { c.MaxAttempts = 3 })
	f.srv.Inject(apitest.Fault{Kind: apitest.FaultStatus, Status: 503, Times: -1})
	_, err := f.client.ListThreads(context.Background(), api.ListParams{})
	if !errors.Is(err, api.ErrServer) || !strings.Contains(err.Error(), "gave up after 3 attempts") {
		t.Fatalf("err = %v", err)
	}
	if e, _ := api.AsError(err); e.Attempts != 3 {
		t.Errorf("Attempts = %d, want 3", e.Attempts)
	}
	if n := len(f.srv.Requests()); n != 3 {
		t.Errorf("%d requests, want 3", n)
	}
	// Backoff grows: 0.5s then 1s, each 3/4 of its step with jitter 0.5.
	if got := f.clock.Sleeps(); len(got) != 2 || got[0] != 375*time.Millisecond || got[1] != 750*time.Millisecond {
		t.Errorf("backoff %v", got)
	}
}

func TestNetworkErrorRetried(t *testing.T) {
	f := newFixture(t, apitest.Options{Threads: 10}, nil)
	f.srv.Inject(apitest.Fault{Kind: apitest.FaultDisconnect, Method: http.MethodGet})
	page, err := f.client.ListThreads(context.Background(), api.ListParams{})
	if err != nil || len(page.Threads) != 10 {
		t.Fatalf("err %v, %d threads", err, len(page.Threads))
	}
	if n := len(f.srv.Requests()); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

func TestRateLimiterKeepsWindow(t *testing.T) {
	f := newFixture(t, apitest.Options{Threads: 1}, func(c *api.Config) {
		c.RateLimit = 20
		c.RateWindow = 10 * time.Second
	})
	for range 60 {
		if _, err := f.client.ListThreads(context.Background(), api.ListParams{}); err != nil {
			t.Fatal(err)
		}
	}
	reqs := f.srv.Requests()
	for i := range reqs {
		n := 0
		for j := i; j < len(reqs) && reqs[j].At.Sub(reqs[i].At) < 10*time.Second; j++ {
			n++
		}
		if n > 20 {
			t.Fatalf("%d requests in the 10s window from request %d", n, i)
		}
	}
	if total := reqs[len(reqs)-1].At.Sub(reqs[0].At); total < 20*time.Second {
		t.Errorf("60 requests at 20 per 10s took only %v", total)
	}
}

func TestObserverSeesAttemptsAndRetries(t *testing.T) {
	var events []api.Event
	var mu sync.Mutex
	f := newFixture(t, apitest.Options{Threads: 3}, func(c *api.Config) {
		c.Observer = func(e api.Event) {
			mu.Lock()
			defer mu.Unlock()
			events = append(events, e)
		}
	})
	f.srv.Inject(apitest.Fault{Kind: apitest.FaultRateLimit, RetryAfter: 4 * time.Second})
	if _, err := f.client.ListThreads(context.Background(), api.ListParams{}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(events) != 3 || events[0].Kind != api.EventRequest || events[0].Status != 429 ||
		events[1].Kind != api.EventRetry || events[1].Status != 429 || events[1].Wait != 4500*time.Millisecond ||
		events[2].Kind != api.EventRequest || events[2].Status != 200 || events[2].Bytes == 0 {
		t.Errorf("events %+v", events)
	}
	for _, e := range events {
		if strings.Contains(fmt.Sprint(e), testKey) {
			t.Error("an event holds the key")
		}
	}
}

// TestRetryAfterIsSpread: consoles that one 429 stopped together come
// back over a quarter of the Retry-After (5 s at most), not at once.
func TestRetryAfterIsSpread(t *testing.T) {
	for _, c := range []struct {
		jitter      float64
		after, want time.Duration
	}{{0, 8 * time.Second, 8 * time.Second}, {0.99, 8 * time.Second, 9980 * time.Millisecond}, {0.5, 40 * time.Second, 42500 * time.Millisecond}} {
		f := newFixture(t, apitest.Options{Threads: 1}, func(cfg *api.Config) {
			cfg.Jitter = func() float64 { return c.jitter }
			cfg.MaxRetryWait = time.Minute
		})
		f.srv.Inject(apitest.Fault{Kind: apitest.FaultRateLimit, RetryAfter: c.after})
		if _, err := f.client.ListThreads(context.Background(), api.ListParams{}); err != nil {
			t.Fatal(err)
		}
		if got := f.clock.Sleeps(); len(got) != 1 || got[0] != c.want {
			t.Errorf("jitter %v, Retry-After %s: slept %v, want %s", c.jitter, c.after, got, c.want)
		}
	}
}
