package ui

import (
	"fmt"

	tea "charm.land/bubbletea/v2"

	"triage/api"
	"triage/queue"
)

// flushRun is a flush in flight: its batches are sent one after another,
// stopping at the first failure.
type flushRun struct {
	id        int
	chunks    [][]api.UpdateItem
	next      int // the batch in flight
	quitAfter bool
	out       queue.Outcome
	fields    int
}

// flushResultMsg is the server's answer to one batch.
type flushResultMsg struct {
	id      int
	items   []api.UpdateItem
	updated []api.Thread
	err     error
}

// askFlush builds the PATCH and asks before sending it.
func (m *Model) askFlush() {
	if m.flush != nil {
		m.setStatus("A send is already in flight", false)
		return
	}
	plan := m.queue.Build(m.lookup)
	held := ""
	if plan.HeldBack > 0 {
		held = fmt.Sprintf(" (%s held back: conflicts)", plural(plan.HeldBack, "field"))
	}
	if len(plan.Items) == 0 {
		m.setStatus("Nothing to send"+held, false)
		return
	}
	hidden := ""
	if n := m.notShown(plan); n > 0 {
		hidden = fmt.Sprintf(" (%d not shown: search or other views)", n)
	}
	q := fmt.Sprintf("Send %s to %s%s?%s (y/N)", plural(plan.Fields, "change"), plural(plan.Threads(), "thread"), hidden, held)
	m.ask(q, func() tea.Cmd { return m.startFlush(plan, false) })
}

// notShown counts the threads of a plan the table does not show.
func (m *Model) notShown(plan queue.Plan) int {
	shown := make(map[string]bool, len(m.table.rows))
	for _, t := range m.table.rows {
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

// startFlush sends the plan, in batches of max_batch threads if set.
func (m *Model) startFlush(plan queue.Plan, quitAfter bool) tea.Cmd {
	m.flushID++
	m.flush = &flushRun{id: m.flushID, chunks: plan.Chunks(m.opts.MaxBatch), quitAfter: quitAfter, fields: plan.Fields}
	m.queue.Sending(plan.Items)
	clear(m.failures)
	m.setStatus("", false)
	return tea.Batch(m.sendBatch(), m.spinner.Tick)
}

// sendBatch is the command sending the batch in flight.
func (m *Model) sendBatch() tea.Cmd {
	f := m.flush
	items := f.chunks[f.next]
	client, ctx, id := m.opts.API, m.opts.Context, f.id
	return func() tea.Msg {
		updated, err := client.UpdateThreads(ctx, items)
		return flushResultMsg{id: id, items: items, updated: updated, err: err}
	}
}

// handleFlushResult merges a batch's answer and sends the next batch.
func (m *Model) handleFlushResult(msg flushResultMsg) tea.Cmd {
	f := m.flush
	if f == nil || msg.id != f.id {
		return nil
	}
	if msg.err != nil {
		m.flush = nil
		for _, chunk := range f.chunks[f.next:] {
			m.queue.SendFailed(chunk) // this batch and the ones never sent
		}
		m.recordFailures(msg.items, msg.err)
		where := ""
		if len(f.chunks) > 1 {
			where = fmt.Sprintf(" (batch %d of %d; earlier batches were sent)", f.next+1, len(f.chunks))
		}
		m.setStatus("Send failed, all still queued"+where+": "+describeError(msg.err), true)
		return nil
	}
	for _, t := range msg.updated {
		m.store.Put(t) // the one copy, in place: every view shows it, rows do not move
	}
	out := m.queue.Confirm(msg.items, msg.updated)
	f.out.Confirmed += out.Confirmed
	f.out.NotConfirmed += out.NotConfirmed
	m.queueChanged()
	f.next++
	if f.next < len(f.chunks) {
		m.setStatus(fmt.Sprintf("Sent batch %d of %d", f.next, len(f.chunks)), false)
		return m.sendBatch()
	}
	m.flush = nil
	text := fmt.Sprintf("Sent %s to %s", plural(f.fields, "change"), plural(f.out.Confirmed+f.out.NotConfirmed, "thread"))
	if f.out.NotConfirmed > 0 {
		m.setStatus(fmt.Sprintf("%s; %s not confirmed by the server and still queued (?)", text, plural(f.out.NotConfirmed, "thread")), true)
		return m.countViews()
	}
	m.setStatus(text, false)
	if f.quitAfter {
		return m.quit()
	}
	return m.countViews() // the send moved threads between views: every total changes
}

// recordFailures files the field errors of a refused batch under their
// threads, for the rows and the review.
func (m *Model) recordFailures(items []api.UpdateItem, err error) {
	e, ok := api.AsError(err)
	if !ok {
		return
	}
	for _, fe := range e.Fields {
		id := fe.ThreadID
		if id == "" && fe.Index >= 0 && fe.Index < len(items) {
			id = items[fe.Index].ThreadID
		}
		if id != "" {
			m.failures[id] = append(m.failures[id], fe.String())
			m.record("refused for thread "+id+": "+fe.String(), true)
		}
	}
}

// flushText reports a flush in flight, for the status line.
func (m *Model) flushText() string {
	f := m.flush
	if f == nil {
		return ""
	}
	if len(f.chunks) > 1 {
		return fmt.Sprintf("%s sending batch %d of %d", m.spinner.View(), f.next+1, len(f.chunks))
	}
	return m.spinner.View() + " sending " + plural(f.fields, "change")
}
