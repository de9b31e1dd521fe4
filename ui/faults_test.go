package ui

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"triage/api"
	"triage/api/apitest"
	"triage/session"
)

// instantClock tells the real time but never sleeps; it records the waits.
type instantClock struct {
	mu     sync.Mutex
	sleeps []time.Duration
}

func (c *instantClock) Now() time.Time { return time.Now() }

func (c *instantClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	return ctx.Err()
}

// faultRig is a loaded console against apitest with a fault injected on
// PATCH, three threads queued to become important.
type faultRig struct {
	m       *Model
	srv     *apitest.Server
	clock   *instantClock
	targets []string
}

func newFaultRig(t *testing.T, fault apitest.Fault, tweak func(*api.Config)) *faultRig {
	t.Helper()
	clock := &instantClock{}
	m, srv := liveModelWith(t, apitest.Options{Threads: 12, Seed: 21}, func(c *api.Config) {
		c.Clock, c.Jitter = clock, func() float64 { return 0 }
		if tweak != nil {
			tweak(c)
		}
	})
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	drain(t, m, m.Init())
	r := &faultRig{m: m, srv: srv, clock: clock}
	for _, th := range m.table.rows {
		if !th.Important && len(r.targets) < 3 {
			m.marks.marks[th.ID] = true
			r.targets = append(r.targets, th.ID)
		}
	}
	press(m, "i")
	if m.sess.Queue().Len() != 3 {
		t.Fatalf("setup queued %v", m.sess.Queue().IDs())
	}
	fault.Method = http.MethodPatch
	srv.Inject(fault)
	return r
}

// flush sends the queue and runs the send to its end.
func (r *faultRig) flush(t *testing.T) {
	t.Helper()
	press(r.m, "w")
	drain(t, r.m, press(r.m, "y"))
}

// applied counts the targets the server holds as important.
func (r *faultRig) applied() int {
	n := 0
	for _, id := range r.targets {
		if th, _ := r.srv.Thread(id); th.Important {
			n++
		}
	}
	return n
}

func (r *faultRig) patches() []apitest.Request { return r.srv.RequestsFor(http.MethodPatch) }

func TestFaultRateLimitStormIsWaitedOut(t *testing.T) {
	r := newFaultRig(t, apitest.Fault{Kind: apitest.FaultRateLimit, RetryAfter: 5 * time.Second, Times: 3}, nil)
	r.flush(t)
	if r.m.sess.Queue().Len() != 0 || r.applied() != 3 {
		t.Fatalf("queue %v, applied %d", r.m.sess.Queue().IDs(), r.applied())
	}
	if len(r.clock.sleeps) != 3 || r.clock.sleeps[0] != 5*time.Second {
		t.Errorf("waits %v, want three of 5s (Retry-After)", r.clock.sleeps)
	}
	if n := len(r.patches()); n != 4 {
		t.Errorf("%d PATCHes", n)
	}
}

func TestFaultServerErrorsRetriedThenReported(t *testing.T) {
	r := newFaultRig(t, apitest.Fault{Kind: apitest.FaultStatus, Status: 503, Times: -1}, func(c *api.Config) { c.MaxAttempts = 3 })
	r.flush(t)
	if r.m.sess.Queue().Len() != 3 || r.applied() != 0 || len(r.patches()) != 3 {
		t.Fatalf("queue %d, applied %d, PATCHes %d", r.m.sess.Queue().Len(), r.applied(), len(r.patches()))
	}
	if !strings.Contains(r.m.status.text, "503") || !strings.Contains(r.m.status.text, "after 3 attempts") {
		t.Errorf("status %q", r.m.status.text)
	}
}

func TestFaultTimeoutLosesNothing(t *testing.T) {
	r := newFaultRig(t, apitest.Fault{Kind: apitest.FaultDelay, Delay: 400 * time.Millisecond},
		func(c *api.Config) { c.Timeout, c.MaxAttempts = 100*time.Millisecond, 1 })
	r.flush(t)
	if r.m.sess.Queue().Len() != 3 || !strings.Contains(r.m.status.text, "Send failed") {
		t.Fatalf("after the timeout: queue %d, status %q", r.m.sess.Queue().Len(), r.m.status.text)
	}
	waitIdle(t, r.srv) // the server may still apply the request the client gave up on
	r.flush(t)
	if r.m.sess.Queue().Len() != 0 || r.applied() != 3 {
		t.Fatalf("after the resend: queue %v, applied %d", r.m.sess.Queue().IDs(), r.applied())
	}
	p := r.patches()
	if len(p) != 2 || string(p[0].Body) != string(p[1].Body) {
		t.Errorf("the resend differs from the first send: %d PATCHes", len(p))
	}
}

func TestFaultHTMLAndTruncatedBodies(t *testing.T) {
	r := newFaultRig(t, apitest.Fault{Kind: apitest.FaultHTML, Status: 502, Times: -1}, func(c *api.Config) { c.MaxAttempts = 2 })
	r.flush(t)
	if r.m.sess.Queue().Len() != 3 || r.applied() != 0 || !strings.Contains(r.m.status.text, "text/html") {
		t.Fatalf("HTML: queue %d applied %d status %q", r.m.sess.Queue().Len(), r.applied(), r.m.status.text)
	}

	r = newFaultRig(t, apitest.Fault{Kind: apitest.FaultTruncate}, nil)
	r.flush(t)
	if r.m.sess.Queue().Len() != 3 || !strings.Contains(r.m.status.text, "truncated") {
		t.Fatalf("truncated: queue %d status %q", r.m.sess.Queue().Len(), r.m.status.text)
	}
	if r.applied() != 3 {
		t.Fatalf("the server applied %d before its answer was cut", r.applied())
	}
	r.flush(t) // resending absolute values is harmless
	if r.m.sess.Queue().Len() != 0 || r.applied() != 3 {
		t.Errorf("after the resend: queue %v applied %d", r.m.sess.Queue().IDs(), r.applied())
	}
}

func TestFaultConnectionDroppedAfterApply(t *testing.T) {
	r := newFaultRig(t, apitest.Fault{Kind: apitest.FaultDisconnect}, nil)
	r.flush(t)
	p := r.patches()
	if len(p) != 2 || string(p[0].Body) != string(p[1].Body) {
		t.Fatalf("%d PATCHes; the retry must resend the same body", len(p))
	}
	if r.m.sess.Queue().Len() != 0 || r.applied() != 3 {
		t.Errorf("queue %v applied %d", r.m.sess.Queue().IDs(), r.applied())
	}
}

func TestRateLimitCountdownAndEventLog(t *testing.T) {
	now := fixedNow
	m, _, _ := loadedModelWith(t, 3, &fakeAPI{}, session.Options{Now: func() time.Time { return now }})
	m.Update(apiEventMsg{api.Event{Kind: api.EventRetry, Method: "PATCH", Path: "/chatting/b/thread/update-thread",
		Attempt: 1, Of: 6, Status: 429, Wait: 12 * time.Second}})
	if !strings.Contains(screenOf(m), "rate limited by the server: retrying in 12s") {
		t.Fatalf("no countdown:\n%s", screenOf(m))
	}
	now = now.Add(5 * time.Second)
	m.Update(waitTickMsg{})
	if !strings.Contains(screenOf(m), "retrying in 7s") {
		t.Errorf("countdown did not advance:\n%s", screenOf(m))
	}
	now = now.Add(8 * time.Second)
	if strings.Contains(screenOf(m), "retrying") {
		t.Error("countdown outlived the wait")
	}
	press(m, "d", "L")
	scr := screenOf(m)
	if !strings.Contains(scr, "Event log") || !strings.Contains(scr, "429 Too Many Requests on") || !strings.Contains(scr, "attempt 1 of 6") ||
		strings.Index(scr, "resolved set") > strings.Index(scr, "429 Too Many") {
		t.Errorf("event log, newest first:\n%s", scr)
	}
	press(m, "L")
	if m.screen.top() != overlayNone {
		t.Error("L did not close the log")
	}
}
