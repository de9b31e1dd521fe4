package ui

import (
	"errors"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

	"triage/api"
	"triage/queue"
	"triage/sanitize"
	"triage/words"
)

// askSend says what a send would carry, and what it reads first, and
// asks before sending.
func (m *Model) askSend() {
	if m.out.busy() {
		m.setStatus("A send is already in flight", false)
		return
	}
	plan := m.out.q.Build(m.lookup)
	held := ""
	if plan.HeldBack > 0 {
		held = fmt.Sprintf(" (%s held back: conflicts)", words.Plural(plan.HeldBack, "field"))
	}
	if len(plan.Items) == 0 {
		if plan.HeldBack > 0 {
			m.logHeldBack()
			m.setStatus("Nothing to send: "+heldText(plan.HeldBack), true)
			return
		}
		m.setStatus("Nothing to send", false)
		return
	}
	hidden := ""
	if n := notShown(plan, m.table.rows); n > 0 {
		hidden = fmt.Sprintf(" (%d not shown: search or other views)", n)
	}
	first := "" // after the (y/N), so a narrow screen cuts this, not the answer keys
	if ids := needsCheck(m.out.q, m.lookup); len(ids) > 0 {
		first = " · reads " + words.Plural(len(ids), "thread") + " first"
		n := planCheck(m.out.q, ids).requests(m.views.chatbotTotal(), m.pageLimit())
		if eta := checkETA(n, m.opts.RateLimit); eta > 10*time.Second {
			first += fmt.Sprintf(" (%s, about %s under the rate limit)", words.Plural(n, "request"), eta.Round(time.Second))
		}
	}
	batches := ""
	if n := len(plan.Chunks(m.opts.MaxBatch)); n > 1 {
		batches = fmt.Sprintf(" in %d PATCHes of up to %d (max_batch)", n, m.opts.MaxBatch)
	}
	q := fmt.Sprintf("Send %s to %s%s%s?%s (y/N)%s", words.Plural(plan.Fields, "change"), words.Plural(plan.Threads(), "thread"), batches, hidden, held, first)
	m.ask(q, func() tea.Cmd { return m.send(false) })
}

// send reads the threads whose edits depend on their current state, then
// sends; with nothing to read it sends at once.
func (m *Model) send(quitAfter bool) tea.Cmd {
	ids := needsCheck(m.out.q, m.lookup)
	if len(ids) == 0 {
		return m.sendPlan(quitAfter)
	}
	return m.startCheck(ids, true, quitAfter)
}

// startCheck reads ids in the background; forSend sends when it ends. A
// background check still running is replaced.
func (m *Model) startCheck(ids []string, forSend, quitAfter bool) tea.Cmd {
	if c := m.out.check; c != nil {
		c.stream.cancel()
	}
	m.out.seq++
	c := &checkRun{id: m.out.seq, ids: ids, forSend: forSend, quitAfter: quitAfter}
	c.stream = startCheck(m.opts.Context, m.opts.API, c.id, planCheck(m.out.q, ids),
		max(m.opts.Load.Concurrency, api.DefaultConcurrency), m.pageLimit())
	m.out.check = c
	return tea.Batch(c.stream.next(), m.status.spinner.Tick)
}

// checked takes one thread as the server holds it now: the one copy is
// updated (every view shows it), and its edit rebased: tag operations on
// the fresh tags, a field someone else changed becomes a conflict, a
// field the server already holds leaves the queue.
func (m *Model) checked(msg checkedMsg) tea.Cmd {
	c := m.out.check
	if c == nil || msg.id != c.id {
		return nil
	}
	c.done++
	q := m.out.q
	switch {
	case msg.err == nil:
		t := m.views.store.Put(msg.thread.Thread)
		q.MarkGone(t.ID, false)
		q.Rebase(t)
	case errors.Is(msg.err, api.ErrNotFound):
		c.gone++
		q.MarkGone(msg.threadID, true)
		m.log.add(m.opts.Now(), "thread "+msg.threadID+" no longer exists on the server: its edit is kept, not sent (x in the review discards it)", true)
	case c.failed == nil:
		c.failed = msg.err
	}
	return c.stream.next()
}

// checkDone ends a check: a send waiting on it goes ahead with what is
// left, unless a read failed.
func (m *Model) checkDone(msg checkDoneMsg) tea.Cmd {
	c := m.out.check
	if c == nil || msg.id != c.id {
		return nil
	}
	m.out.check = nil
	gone := ""
	if c.gone > 0 {
		gone = "; " + words.Plural(c.gone, "thread") + " gone from the server, kept in the review"
	}
	if !c.forSend {
		m.log.add(m.opts.Now(), fmt.Sprintf("Checked %s no view lists%s", words.Plural(len(c.ids), "thread"), gone), false)
		return nil
	}
	if c.failed != nil {
		m.setStatus("Nothing sent: reading the threads first failed: "+api.Describe(c.failed), true)
		return nil
	}
	plan := m.out.q.Build(m.lookup)
	if len(plan.Items) == 0 {
		text := "Nothing left to send after reading the server: it holds those values" + gone
		if plan.HeldBack > 0 {
			text = "Nothing sent: " + heldText(plan.HeldBack) + gone
			m.logHeldBack()
		}
		m.setStatus(text, plan.HeldBack > 0 || c.gone > 0)
		return nil
	}
	return m.sendPlan(c.quitAfter)
}

// heldText is "2 conflicts held back: p to review".
func heldText(n int) string { return words.Plural(n, "conflict") + " held back: p to review" }

// logHeldBack writes one line per field a send holds back, with the
// thread's title and both values, to the event log.
func (m *Model) logHeldBack() {
	for _, id := range m.out.q.IDs() {
		e := m.out.q.Get(id)
		if e.Conflicts() == 0 || e.Gone {
			continue
		}
		t := m.lookup(id)
		for _, c := range e.Changes(t) {
			if c.Conflict {
				m.log.add(m.opts.Now(), "Held back from the send: "+conflictLine(id, threadLabel(t, e), c), true)
			}
		}
	}
}

// conflictLine is `title of “Refund not received” (th_8f2): server now
// "Theirs", mine "Mine"`.
func conflictLine(id, label string, c queue.Change) string {
	return fmt.Sprintf("%s of “%s” (%s): server now %s, mine %s", c.Field, sanitize.Line(label), id, sanitize.Line(c.Old), sanitize.Line(c.New))
}

// threadLabel names a thread: its title as the server holds it, else the
// title it had when its edit was queued.
func threadLabel(t *api.Thread, e *queue.Edit) string {
	if t != nil && t.Title != "" {
		return t.Title
	}
	if e != nil && e.Label != "" {
		return e.Label
	}
	return "(no title)"
}

// pageLimit is the page size the server grants, as the view's load saw
// it, else the one asked for.
func (m *Model) pageLimit() int {
	if l := m.views.current().loader().progress.Limit; l > 0 {
		return l
	}
	if m.opts.Load.PageLimit > 0 {
		return m.opts.Load.PageLimit
	}
	return api.DefaultPageLimit
}

// cancelCheck stops a check before a send: nothing is sent.
func (m *Model) cancelCheck() {
	if c := m.out.check; c != nil {
		c.stream.cancel()
		m.out.check = nil
		m.setStatus("Send cancelled while reading the threads: nothing sent", false)
	}
}

// sendPlan builds the PATCH from the queue as it is now and sends it.
func (m *Model) sendPlan(quitAfter bool) tea.Cmd {
	plan := m.out.q.Build(m.lookup)
	if len(plan.Items) == 0 {
		m.logHeldBack()
		m.setStatus("Nothing can be sent: "+heldText(plan.HeldBack), true)
		return nil
	}
	return m.startSend(plan, quitAfter)
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
	m.out.run = &sendRun{id: m.out.seq, chunks: plan.Chunks(m.opts.MaxBatch), quitAfter: quitAfter, fields: plan.Fields, held: plan.HeldBack}
	m.logHeldBack()
	m.out.q.Sending(plan.Items)
	m.out.flush() // the journal holds what is about to be sent
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
		m.setStatus("Send failed, all still queued"+where+": "+api.Describe(msg.err), true)
		return nil
	}
	for _, t := range msg.updated {
		m.views.store.Put(t) // the one copy, in place: every view shows it, rows do not move
		if !m.opts.KeepMarks {
			m.marks.forget(t.ID) // done with it, as after an action in a mail client
		}
	}
	m.marks.recount(m.table.rows)
	m.noteSentModes(msg.items, msg.updated)
	out := q.Confirm(msg.items, msg.updated)
	r.out.Confirmed += out.Confirmed
	r.out.NotConfirmed += out.NotConfirmed
	r.next++
	if r.next < len(r.chunks) {
		m.setStatus(fmt.Sprintf("Sent batch %d of %d", r.next, len(r.chunks)), false)
		return m.sendBatch()
	}
	m.out.run = nil
	text := fmt.Sprintf("Sent %s to %s", words.Plural(r.fields, "change"), words.Plural(r.out.Confirmed+r.out.NotConfirmed, "thread"))
	if r.held > 0 {
		text += m.look.g.Sep + heldText(r.held)
	}
	if r.out.NotConfirmed > 0 {
		m.setStatus(fmt.Sprintf("%s; %s not confirmed by the server and still queued (?)", text, words.Plural(r.out.NotConfirmed, "thread")), true)
		return m.countViews()
	}
	m.setStatus(text, r.held > 0)
	if r.quitAfter {
		return m.quit()
	}
	return m.countViews() // the send moved threads between views: every total changes
}

// noteSentModes remembers the modes a batch sent that the answer does
// not show, so the pane can say what was sent instead of "-".
func (m *Model) noteSentModes(items []api.UpdateItem, updated []api.Thread) {
	shown := make(map[string]api.Mode, len(updated))
	for _, t := range updated {
		shown[t.ID] = t.Mode
	}
	for _, it := range items {
		mode, answered := shown[it.ThreadID]
		switch {
		case it.Mode == "" || !answered:
		case mode == "":
			if m.out.modes == nil {
				m.out.modes = map[string]sentMode{}
			}
			m.out.modes[it.ThreadID] = sentMode{mode: it.Mode, at: m.opts.Now()}
		default:
			delete(m.out.modes, it.ThreadID)
		}
	}
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
