package api

import (
	"context"
	"math/rand/v2"
	"sync"
	"time"
)

// Clock tells the time and sleeps; tests swap in one that does not wait.
type Clock interface {
	Now() time.Time
	// Sleep waits d or until ctx is done, returning ctx.Err() then.
	Sleep(ctx context.Context, d time.Duration) error
}

// SystemClock is the real clock.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// Sleep waits d unless ctx ends first.
func (SystemClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func defaultJitter() float64 { return rand.Float64() }

// EventKind says what an Event reports.
type EventKind int

// The kinds of Event a Client reports to its Observer.
const (
	// EventRequest: one attempt finished (Status, Duration, Bytes, Err).
	EventRequest EventKind = iota
	// EventRetry: the attempt failed and the client waits Wait before the next.
	EventRetry
	// EventRateWait: the client-side rate limiter held the request for Wait.
	EventRateWait
)

// Event is what the client tells its Observer: enough for a status line
// countdown, an event log and a debug log. It never holds the key or a body.
type Event struct {
	Kind     EventKind
	Method   string
	Path     string
	Attempt  int
	Status   int
	Duration time.Duration
	Bytes    int
	Wait     time.Duration
	Err      error
}

// Backoff bounds.
const (
	backoffBase = 500 * time.Millisecond
	backoffMax  = 15 * time.Second
)

// backoff is exponential with "equal jitter": half fixed, half random, so
// retries spread out but never come back at once.
func (c *Client) backoff(attempt int) time.Duration {
	d := backoffBase << (attempt - 1)
	if d > backoffMax || d <= 0 {
		d = backoffMax
	}
	return d/2 + time.Duration(c.cfg.Jitter()*float64(d/2))
}

// limiter is a token bucket sized so that no window of the configured
// length ever holds more than the configured number of requests: a burst of
// capacity, refilled at (limit-capacity) per window.
type limiter struct {
	mu       sync.Mutex
	clock    Clock
	capacity float64
	perNanos float64
	tokens   float64
	last     time.Time
}

// newLimiter returns nil (no limit) when limit is negative.
func newLimiter(limit int, window time.Duration, clock Clock) *limiter {
	if limit < 0 {
		return nil
	}
	capacity := max(1, limit/10)
	refill := max(1, limit-capacity)
	return &limiter{
		clock:    clock,
		capacity: float64(capacity),
		perNanos: float64(refill) / float64(window),
		tokens:   float64(capacity),
		last:     clock.Now(),
	}
}

// wait takes one token, sleeping until one is there; it returns how long
// it waited.
func (l *limiter) wait(ctx context.Context) (time.Duration, error) {
	if l == nil {
		return 0, ctx.Err()
	}
	var waited time.Duration
	for {
		l.mu.Lock()
		now := l.clock.Now()
		if el := now.Sub(l.last); el > 0 {
			l.tokens = min(l.capacity, l.tokens+float64(el)*l.perNanos)
			l.last = now
		}
		if l.tokens >= 1 {
			l.tokens--
			l.mu.Unlock()
			return waited, nil
		}
		need := time.Duration((1-l.tokens)/l.perNanos) + time.Millisecond
		l.mu.Unlock()
		if err := l.clock.Sleep(ctx, need); err != nil {
			return waited, err
		}
		waited += need
	}
}
