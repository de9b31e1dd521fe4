package api

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Retries: network errors, 429, 502, 503 and 504 are tried again, up to
// Config.MaxAttempts, after an exponential backoff with jitter or after the
// server's Retry-After (and a little jitter) when it sends one.

// do sends r until it gets a final answer: a 2xx (body returned), an error
// status that is not retried, or the last attempt.
func (c *Client) do(ctx context.Context, r request) ([]byte, *http.Response, error) {
	u := *c.base
	// r.path is escaped already (Segment): it is the raw path, and Path
	// its unescaped form, so the URL is written with r.path as it is.
	unescaped, err := url.PathUnescape(r.path)
	if err != nil {
		return nil, nil, fmt.Errorf("%s %s: %w", r.method, r.path, err)
	}
	u.Path = c.base.Path + unescaped
	u.RawPath = c.base.EscapedPath() + r.path
	u.RawQuery = r.query.Encode()
	var lastErr, cause error
	lastStatus := 0
	for attempt := 1; attempt <= c.cfg.MaxAttempts; attempt++ {
		if waited, err := c.limiter.wait(ctx, r.urgent); err != nil {
			return nil, nil, err
		} else if waited > 0 {
			c.observe(Event{Kind: EventRateWait, Method: r.method, Path: r.path, Attempt: attempt, Wait: waited})
		}
		start := c.clock.Now()
		body, resp, read, err := c.attempt(ctx, r, u.String())
		ev := Event{Kind: EventRequest, Method: r.method, Path: r.path, Attempt: attempt,
			Duration: c.clock.Now().Sub(start), Bytes: read, Err: err}
		if resp != nil {
			ev.Status = resp.StatusCode
		}
		c.observe(ev)
		if ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
		var wait time.Duration
		lastStatus = ev.Status
		var redirect *RedirectError
		var tooLarge *TooLargeError
		var final finalError
		switch {
		case errors.As(err, &final):
			return nil, resp, final.err // an answer not understood: reading it again changes nothing
		case errors.As(err, &redirect):
			return nil, nil, redirect // a refused redirect is not retried
		case errors.As(err, &tooLarge):
			return nil, nil, tooLarge // nor an answer too large: it would be as large again
		case err != nil:
			cause = describeNetError(err, c.base)
			lastErr = fmt.Errorf("%s %s: %w", r.method, r.path, cause)
			wait = c.backoff(attempt)
		case resp.StatusCode >= 200 && resp.StatusCode < 300:
			return body, resp, nil
		default:
			apiErr := newHTTPError(r.method, r.path, resp, body, c.clock.Now())
			if !retryableStatus(resp.StatusCode) {
				return nil, resp, apiErr
			}
			lastErr, cause = apiErr, apiErr
			wait = c.backoff(attempt)
			if apiErr.RetryAfter > 0 {
				if apiErr.RetryAfter > c.cfg.MaxRetryWait {
					return nil, resp, apiErr
				}
				wait = c.afterRetryAfter(apiErr.RetryAfter)
			}
		}
		if attempt == c.cfg.MaxAttempts {
			break
		}
		c.observe(Event{Kind: EventRetry, Method: r.method, Path: r.path, Attempt: attempt, Of: c.cfg.MaxAttempts,
			Status: lastStatus, Wait: wait, Err: cause})
		if err := c.clock.Sleep(ctx, wait); err != nil {
			return nil, nil, err
		}
	}
	if e, ok := lastErr.(*Error); ok {
		e.Attempts = c.cfg.MaxAttempts
	}
	return nil, nil, fmt.Errorf("gave up after %d attempts: %w", c.cfg.MaxAttempts, lastErr)
}

// describeNetError says what a transport error means for the agent: a
// refused connection is nothing listening at the host and port, a
// timeout is no answer in time; anything else is kept as it is.
func describeNetError(err error, base *url.URL) error {
	var ne net.Error
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Errorf("nothing is listening at %s (connection refused): %w", base.Host, err)
	case errors.As(err, &ne) && ne.Timeout():
		return fmt.Errorf("no answer in time (timeout): %w", err)
	}
	return err
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

// afterRetryAfter is the wait after a server's Retry-After of d: d and up
// to a quarter more (5 s at most), so the consoles one 429 stopped
// together do not all come back in the same instant.
func (c *Client) afterRetryAfter(d time.Duration) time.Duration {
	return d + time.Duration(c.cfg.Jitter()*float64(min(d/4, 5*time.Second)))
}

func defaultJitter() float64 { return rand.Float64() }

func retryableStatus(code int) bool {
	switch code {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// parseRetryAfter reads delay-seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if secs < 0 {
			return 0
		}
		return time.Duration(secs * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}
