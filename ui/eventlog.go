package ui

import (
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"triage/api"
	"triage/keymap"
	"triage/sanitize"
	"triage/words"
)

// maxEvents bounds the event log; the oldest entries go first.
const maxEvents = 2000

// logMsg is a line for the event log from work off the UI goroutine.
type logMsg struct {
	text  string
	isErr bool
}

// event is one line of the event log.
type event struct {
	at    time.Time
	text  string
	isErr bool
}

// eventLog is what happened this session, oldest first, and the overlay's
// scroll position (0 is the newest line).
type eventLog struct {
	events []event
	offset int
}

// add records an event.
func (l *eventLog) add(at time.Time, text string, isErr bool) {
	l.events = append(l.events, event{at: at, text: sanitize.Line(text), isErr: isErr})
	if len(l.events) > maxEvents {
		l.events = append(l.events[:0], l.events[len(l.events)-maxEvents:]...)
	}
}

// key handles an action of the log context; it reports whether the log
// closes. page is the lines shown.
func (l *eventLog) key(a keymap.Action, page int) (closed bool) {
	if to, ok := scrollTo(a, l.offset, len(l.events), page); ok {
		l.offset = max(0, to)
		return false
	}
	return a == keymap.Cancel || a == keymap.EventLog
}

// view draws the log, newest first, height lines in the table's place.
func (l *eventLog) view(b *strings.Builder, width, height int, lk *look) {
	b.WriteString(lk.st.heading(fit(fmt.Sprintf("Event log: %s this session, newest first", words.Plural(len(l.events), "event")), width, false, "")))
	b.WriteByte('\n')
	// Each event wraps under its text, so no message is cut.
	const stamp = len("15:04:05  ")
	shown := 0
	for idx := len(l.events) - 1 - l.offset; idx >= 0 && shown < height-1; idx-- {
		e := l.events[idx]
		for i, part := range wrapLines(e.text, max(10, width-stamp)) {
			if shown == height-1 {
				break
			}
			prefix := strings.Repeat(" ", stamp)
			if i == 0 {
				prefix = e.at.Format("15:04:05") + "  "
			}
			line := fit(prefix+part, width, false, lk.g.Ellipsis)
			if e.isErr {
				line = lk.st.errText.Render(line)
			}
			b.WriteString(line + "\n")
			shown++
		}
	}
	for ; shown < height-1; shown++ {
		b.WriteByte('\n')
	}
}

// apiEventMsg carries what the API client reports: attempts, retries,
// waits for the rate limit.
type apiEventMsg struct{ e api.Event }

// listenAPI is the command that waits for the client's next report.
func listenAPI(ch <-chan api.Event) tea.Cmd {
	if ch == nil {
		return nil
	}
	return func() tea.Msg {
		e, ok := <-ch
		if !ok {
			return nil
		}
		return apiEventMsg{e}
	}
}

// logLine is how an API event reads in the event log; "" for events not
// worth a line (every request succeeding).
func logLine(e api.Event) (text string, isErr bool) {
	switch e.Kind {
	case api.EventRetry:
		return fmt.Sprintf("%s %s: %s on %s; retrying in %s", e.Method, e.Path, retryCause(e), attemptText(e),
			e.Wait.Round(100*time.Millisecond)), true
	case api.EventRateWait:
		if e.Wait >= 2*time.Second {
			return fmt.Sprintf("paced %s %s for %s to stay under the rate limit", e.Method, e.Path, e.Wait.Round(time.Second)), false
		}
	}
	return "", false
}

// retryCause is why an attempt failed, in a few words: the status, or
// the transport's error (which does not repeat the request).
func retryCause(e api.Event) string {
	switch {
	case e.Status != 0:
		return fmt.Sprintf("%d %s", e.Status, api.StatusText(e.Status))
	case e.Err != nil:
		return e.Err.Error()
	}
	return "network error"
}

// attemptText is "attempt 2 of 6" (or "attempt 2" when the most is not
// known).
func attemptText(e api.Event) string {
	if e.Of > 0 {
		return fmt.Sprintf("attempt %d of %d", e.Attempt, e.Of)
	}
	return fmt.Sprintf("attempt %d", e.Attempt)
}
