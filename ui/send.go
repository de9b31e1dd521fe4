package ui

import (
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

	"triage/api"
	"triage/queue"
	"triage/words"
)

// askSend says what a send would carry and what it reads first, and asks
// before the session sends.
func (m *Model) askSend() {
	if m.sess.Busy() {
		m.setStatus("A send is already in flight", false)
		return
	}
	p := m.sess.Preview()
	plan := p.Plan
	if len(plan.Items) == 0 {
		m.sess.ExplainNothingToSend()
		return
	}
	held := ""
	if plan.HeldBack > 0 {
		held = fmt.Sprintf(" (%s held back: conflicts)", words.Plural(plan.HeldBack, "field"))
	}
	hidden := ""
	if n := notShown(plan, m.table.rows); n > 0 {
		hidden = fmt.Sprintf(" (%d not shown: search or other views)", n)
	}
	first := "" // after the (y/N), so a narrow screen cuts this, not the answer keys
	if p.Reads > 0 {
		first = " · reads " + words.Plural(p.Reads, "thread") + " first"
		if p.ETA > 10*time.Second {
			first += fmt.Sprintf(" (%s, about %s under the rate limit)", words.Plural(p.Requests, "request"), p.ETA.Round(time.Second))
		}
	}
	batches := ""
	if p.Batches > 1 {
		batches = fmt.Sprintf(" in %d PATCHes of up to %d (max_batch)", p.Batches, p.MaxBatch)
	}
	q := fmt.Sprintf("Send %s to %s%s%s?%s (y/N)%s", words.Plural(plan.Fields, "change"), words.Plural(plan.Threads(), "thread"), batches, hidden, held, first)
	m.ask(q, func() tea.Cmd { return m.send(false) })
}

// send hands the queue to the session to send; quitAfter quits once it
// is sent.
func (m *Model) send(quitAfter bool) tea.Cmd {
	m.setStatus("", false)
	return m.run(m.sess.Send(quitAfter))
}

// notShown counts the threads of a plan the rows do not show.
func notShown(plan queue.Plan, rows []*api.Thread) int {
	shown := make(map[string]bool, len(rows))
	for _, t := range rows {
		shown[t.ID] = true
	}
	n := 0
	for _, it := range plan.Items {
		if !shown[it.ThreadID] {
			n++
		}
	}
	return n
}
