package api

import (
	"context"
	"sync"
	"time"
)

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
	// urgent counts urgent requests waiting: while there are any, the
	// others leave them the tokens.
	urgent int
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
// it waited. An urgent request (reading a thread the operator looks at)
// goes ahead of the others: while one waits, they take no token.
func (l *limiter) wait(ctx context.Context, urgent bool) (time.Duration, error) {
	if l == nil {
		return 0, ctx.Err()
	}
	var waited time.Duration
	if urgent {
		l.mu.Lock()
		l.urgent++
		l.mu.Unlock()
		defer func() {
			l.mu.Lock()
			l.urgent--
			l.mu.Unlock()
		}()
	}
	for {
		l.mu.Lock()
		now := l.clock.Now()
		if el := now.Sub(l.last); el > 0 {
			l.tokens = min(l.capacity, l.tokens+float64(el)*l.perNanos)
			l.last = now
		}
		if l.tokens >= 1 && (urgent || l.urgent == 0) {
			l.tokens--
			l.mu.Unlock()
			return waited, nil
		}
		need := time.Duration((1-min(l.tokens, 0.999))/l.perNanos) + time.Millisecond
		l.mu.Unlock()
		if err := l.clock.Sleep(ctx, need); err != nil {
			return waited, err
		}
		waited += need
	}
}
