package api

import "time"

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
	Kind    EventKind
	Method  string
	Path    string
	Attempt int
	// Of is how many attempts the client makes at most.
	Of       int
	Status   int
	Duration time.Duration
	Bytes    int
	Wait     time.Duration
	Err      error
}

func (c *Client) observe(e Event) {
	if c.cfg.Observer != nil {
		c.cfg.Observer(e)
	}
}
