package ui

import (
	"fmt"

	tea "charm.land/bubbletea/v2"

	"triage/api"
	"triage/queue"
)

// askSend builds the PATCH and asks before sending it.
func (m *Model) askSend() {
	if m.out.run != nil {
		m.setStatus("A send is already in flight", false)
		return
	}
	plan := m.out.q.Build(m.lookup)
	held := ""
	if plan.HeldBack > 0 {
		held = fmt.Sprintf(" (%s held back: conflicts)", plural(plan.HeldBack, "field"))
	}
	if len(plan.Items) == 0 {
		m.setStatus("Nothing to send"+held, false)
		return
	}
	hidden := ""
	if n := notShown(plan, m.table.rows); n > 0 {
		hidden = fmt.Sprintf(" (%d not shown: search or other views)", n)
	}
	q := fmt.Sprintf("Send %s to %s%s?%s (y/N)", plural(plan.Fields, "change"), plural(plan.Threads(), "thread"), hidden, held)
	m.ask(q, func() tea.Cmd { return m.startSend(plan, false) })
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

// startSend sends the plan, in batches of max_batch threads if set.
func (m *Model) startSend(plan queue.Plan, quitAfter bool) tea.Cmd {
	m.out.seq++
	m.out.run = &sendRun{id: m.out.seq, chunks: plan.Chunks(m.opts.MaxBatch), quitAfter: quitAfter, fields: plan.Fields}
	m.out.q.Sending(plan.Items)
	m.setStatus("", false)
	return tea.Batch(m.sendBatch(), m.status.spinner.Tick)
}

// sendBatch is the command sending the batch in flight.
func (m *Model) sendBatch() tea.Cmd {
	r := m.out.run
	items := r.chunks[r.next]
	client, ctx, id := m.opts.API, m.opts.Context, r.id
	return func() tea.Msg {
		updated, err := client.UpdateThreads(ctx, items)
		return sendResultMsg{id: id, items: items, updated: updated, err: err}
	}
}

// sendResult merges a batch's answer and sends the next batch.
func (m *Model) sendResult(msg sendResultMsg) tea.Cmd {
	r := m.out.run
	if r == nil || msg.id != r.id {
		return nil
	}
	q := m.out.q
	if msg.err != nil {
		m.out.run = nil
		for _, chunk := range r.chunks[r.next:] {
			q.SendFailed(chunk) // this batch and the ones never sent
		}
		m.fileRefusals(msg.items, msg.err)
		where := ""
		if len(r.chunks) > 1 {
			where = fmt.Sprintf(" (batch %d of %d; earlier batches were sent)", r.next+1, len(r.chunks))
		}
		m.setStatus("Send failed, all still queued"+where+": "+describeError(msg.err), true)
		return nil
	}
	for _, t := range msg.updated {
		m.views.store.Put(t) // the one copy, in place: every view shows it, rows do not move
	}
	out := q.Confirm(msg.items, msg.updated)
	r.out.Confirmed += out.Confirmed
	r.out.NotConfirmed += out.NotConfirmed
	r.next++
	if r.next < len(r.chunks) {
		m.setStatus(fmt.Sprintf("Sent batch %d of %d", r.next, len(r.chunks)), false)
		return m.sendBatch()
	}
	m.out.run = nil
	text := fmt.Sprintf("Sent %s to %s", plural(r.fields, "change"), plural(r.out.Confirmed+r.out.NotConfirmed, "thread"))
	if r.out.NotConfirmed > 0 {
		m.setStatus(fmt.Sprintf("%s; %s not confirmed by the server and still queued (?)", text, plural(r.out.NotConfirmed, "thread")), true)
		return m.countViews()
	}
	m.setStatus(text, false)
	if r.quitAfter {
		return m.quit()
	}
	return m.countViews() // the send moved threads between views: every total changes
}

// fileRefusals files the field errors of a refused batch under their
// threads, for the rows, the detail and the review.
func (m *Model) fileRefusals(items []api.UpdateItem, err error) {
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
			m.out.q.Refuse(id, fe.String())
			m.log.add(m.opts.Now(), "refused for thread "+id+": "+fe.String(), true)
		}
	}
}
