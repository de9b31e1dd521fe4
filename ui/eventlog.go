package ui

import (
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"triage/api"
	"triage/keymap"
	"triage/sanitize"
)

// maxEvents bounds the event log; the oldest entries go first.
const maxEvents = 2000

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

// record adds an event to the log.
func (m *Model) record(text string, isErr bool) {
	l := &m.log
	l.events = append(l.events, event{at: m.opts.Now(), text: sanitize.Line(text), isErr: isErr})
	if len(l.events) > maxEvents {
		l.events = append(l.events[:0], l.events[len(l.events)-maxEvents:]...)
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

// waitTickMsg redraws the countdown of a wait for the server.
type waitTickMsg struct{}

func waitTick() tea.Cmd {
	return tea.Tick(time.Second, func(time.Time) tea.Msg { return waitTickMsg{} })
}

// handleAPIEvent logs retries and long waits; a wait the server asked for
// (429 and its Retry-After) also shows in the status line, counting down.
func (m *Model) handleAPIEvent(e api.Event) tea.Cmd {
	next := listenAPI(m.opts.Events)
	switch e.Kind {
	case api.EventRetry:
		cause := "network error"
		if e.Status != 0 {
			cause = fmt.Sprintf("%d", e.Status)
		} else if e.Err != nil {
			cause = e.Err.Error()
		}
		m.record(fmt.Sprintf("%s %s: %s on attempt %d; retrying in %s", e.Method, e.Path, cause, e.Attempt, e.Wait.Round(100*time.Millisecond)), true)
		if e.Status == 429 || e.Wait >= 2*time.Second {
			m.waitUntil = m.opts.Now().Add(e.Wait)
			m.waitWhy = "rate limited by the server"
			if e.Status != 429 {
				m.waitWhy = "the server is failing"
			}
			return tea.Batch(next, waitTick())
		}
	case api.EventRateWait:
		if e.Wait >= 2*time.Second {
			m.record(fmt.Sprintf("paced %s %s for %s to stay under the rate limit", e.Method, e.Path, e.Wait.Round(time.Second)), false)
		}
	}
	return next
}

// waitText is the countdown of a wait for the server, "" when none.
func (m *Model) waitText() string {
	left := m.waitUntil.Sub(m.opts.Now())
	if m.waitUntil.IsZero() || left <= 0 {
		return ""
	}
	return fmt.Sprintf("%s: retrying in %ds", m.waitWhy, int(left.Seconds()+0.999))
}

// logKey handles keys while the event log is open.
func (m *Model) logKey(msg tea.KeyPressMsg) tea.Cmd {
	a, ok := m.keys.Lookup(keymap.InLog, msg)
	if !ok {
		return nil
	}
	l := &m.log
	page := max(1, m.table.height)
	switch a {
	case keymap.Down:
		l.offset++
	case keymap.Up:
		l.offset--
	case keymap.Top:
		l.offset = 0
	case keymap.Bottom:
		l.offset = len(l.events)
	case keymap.HalfDown, keymap.PageDown:
		l.offset += pickInt(a == keymap.PageDown, page, page/2)
	case keymap.HalfUp, keymap.PageUp:
		l.offset -= pickInt(a == keymap.PageUp, page, page/2)
	case keymap.Cancel, keymap.EventLog:
		m.overlay = overlayNone
	case keymap.ForceQuit:
		return m.quit()
	}
	l.offset = max(0, min(l.offset, len(l.events)-1))
	return nil
}

// logView draws the event log, newest first, in the table's place.
func (m *Model) logView(b *strings.Builder, height int) {
	b.WriteString(m.st.header.Render(fit(fmt.Sprintf("Event log: %s this session, newest first", plural(len(m.log.events), "event")), m.width, false, "")))
	b.WriteByte('\n')
	for i := 0; i < height-1; i++ {
		idx := len(m.log.events) - 1 - m.log.offset - i
		if idx >= 0 {
			e := m.log.events[idx]
			line := fit(e.at.Format("15:04:05")+"  "+e.text, m.width, false, m.glyphs.Ellipsis)
			if e.isErr {
				line = m.st.errText.Render(line)
			}
			b.WriteString(line)
		}
		b.WriteByte('\n')
	}
}
