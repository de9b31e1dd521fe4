package session

import (
	"fmt"
	"time"

	"triage/api"
	"triage/queue"
	"triage/words"
)

// The send: the queue's plan, the reads it depends on, the batches one
// after another, and the server's answer merged into the one store and
// the queue.

// sendRun is a send in flight: its batches go one after another, stopping
// at the first failure.
type sendRun struct {
	id        int
	chunks    [][]api.UpdateItem
	next      int // the batch in flight
	quitAfter bool
	out       queue.Outcome
	fields    int
	held      int // conflicted fields the send holds back
	confirmed []string
}

// sendDone is the server's answer to one batch.
type sendDone struct {
	id      int
	items   []api.UpdateItem
	updated []api.Thread
	err     error
}

func (sendDone) result() {}

// SentMode is a mode sent to a thread whose answer showed none (a server
// that does not show modes cannot confirm it), and when it was sent.
type SentMode struct {
	Mode api.Mode
	At   time.Time
}

// Preview is what a send would carry and cost, for the question asked
// before it.
type Preview struct {
	Plan queue.Plan
	// Reads are the threads read before the send, Requests about what
	// that costs and ETA about how long under the rate limit.
	Reads    int
	Requests int
	ETA      time.Duration
	// Batches is the number of PATCHes (max_batch), MaxBatch its size.
	Batches  int
	MaxBatch int
}

// Preview says what a send now would carry and read first.
func (s *Session) Preview() Preview {
	p := Preview{Plan: s.q.Build(s.Lookup), MaxBatch: s.opts.MaxBatch}
	if ids := s.needsCheck(); len(ids) > 0 {
		p.Reads = len(ids)
		p.Requests = s.planCheck(ids, nil).requests(s.chatbotTotal(), s.pageLimit())
		p.ETA = checkETA(p.Requests, s.opts.RateLimit)
	}
	p.Batches = len(p.Plan.Chunks(s.opts.MaxBatch))
	return p
}

// Busy reports a send, or the reads before one, in flight.
func (s *Session) Busy() bool { return s.send != nil || s.check != nil && s.check.forSend }

// Working reports any send or check in flight.
func (s *Session) Working() bool { return s.send != nil || s.check != nil }

// SendProgress is the send or check in flight for people, "" when none;
// cancellable says the reads before a send may still be stopped.
func (s *Session) SendProgress() (text string, cancellable bool) {
	r, c := s.send, s.check
	switch {
	case r == nil && c != nil && c.forSend:
		return fmt.Sprintf("checking %s before sending… %d/%d", words.Plural(len(c.ids), "thread"), c.done, len(c.ids)), true
	case r == nil && c != nil:
		return fmt.Sprintf("reading the current state of %s… %d/%d", words.Plural(len(c.ids), "thread"), c.done, len(c.ids)), false
	case r == nil:
		return "", false
	case len(r.chunks) > 1:
		return fmt.Sprintf("sending batch %d of %d", r.next+1, len(r.chunks)), false
	}
	return "sending " + words.Plural(r.fields, "change"), false
}

// SentModeOf is the mode sent to a thread that the server does not show.
func (s *Session) SentModeOf(id string) (SentMode, bool) {
	m, ok := s.modes[id]
	return m, ok
}

// ExplainNothingToSend says why a send has nothing to carry: the
// conflicts it holds back, each named in the log, or that nothing is
// queued.
func (s *Session) ExplainNothingToSend() {
	plan := s.q.Build(s.Lookup)
	if plan.HeldBack > 0 {
		s.logHeldBack()
		s.emit(Said{Text: "Nothing to send: " + HeldText(plan.HeldBack), Err: true, Conflicts: plan.HeldBack})
		return
	}
	s.say("Nothing to send", false)
}

// Send reads the threads whose edits depend on their current state, then
// sends the queue as it is then, one PATCH per batch; quitAfter is
// carried to the Sent event. With nothing to read it sends at once.
func (s *Session) Send(quitAfter bool) []Task {
	if s.Busy() {
		s.say("A send is already in flight", false)
		return nil
	}
	if s.refuseWork() {
		return nil
	}
	if ids := s.needsCheck(); len(ids) > 0 {
		return s.startCheck(ids, nil, true, quitAfter)
	}
	plan := s.q.Build(s.Lookup)
	if len(plan.Items) == 0 {
		s.ExplainNothingToSend()
		return nil
	}
	return s.startSend(plan, quitAfter)
}

// startSend sends the plan, in batches of max_batch threads if set, once
// the journal holds what is about to be sent.
func (s *Session) startSend(plan queue.Plan, quitAfter bool) []Task {
	s.seq++
	s.send = &sendRun{id: s.seq, chunks: plan.Chunks(s.opts.MaxBatch), quitAfter: quitAfter, fields: plan.Fields, held: plan.HeldBack}
	s.logHeldBack()
	s.q.Sending(plan.Items)
	s.Flush()
	return []Task{s.sendBatch()}
}

// sendBatch is the task sending the batch in flight.
func (s *Session) sendBatch() Task {
	r := s.send
	items := r.chunks[r.next]
	client, ctx, id := s.opts.API, s.opts.Context, r.id
	return func() Result {
		updated, err := client.UpdateThreads(ctx, items)
		return sendDone{id: id, items: items, updated: updated, err: err}
	}
}

// sendResult merges a batch's answer and sends the next batch. Each
// thread in the answer replaces the one copy (every view shows it, rows
// do not move); the queue clears what it confirms.
func (s *Session) sendResult(d sendDone) []Task {
	r := s.send
	if r == nil || d.id != r.id {
		return nil
	}
	if d.err != nil {
		s.send = nil
		for _, chunk := range r.chunks[r.next:] {
			s.q.SendFailed(chunk) // this batch and the ones never sent
		}
		s.fileRefusals(d.items, d.err)
		where := ""
		if len(r.chunks) > 1 {
			where = fmt.Sprintf(" (batch %d of %d; earlier batches were sent)", r.next+1, len(r.chunks))
		}
		s.sayErr("Send failed, all still queued"+where+": ", d.err)
		return nil
	}
	for _, t := range d.updated {
		s.changed(s.store.Put(t))
		r.confirmed = append(r.confirmed, t.ID)
	}
	s.noteSentModes(d.items, d.updated)
	s.noteClaims(d.items, d.updated)
	out := s.q.Confirm(d.items, d.updated)
	r.out.Confirmed += out.Confirmed
	r.out.NotConfirmed += out.NotConfirmed
	r.next++
	if r.next < len(r.chunks) {
		s.say(fmt.Sprintf("Sent batch %d of %d", r.next, len(r.chunks)), false)
		s.emit(Progress{Text: fmt.Sprintf("sending batch %d of %d", r.next+1, len(r.chunks))})
		return []Task{s.sendBatch()}
	}
	s.send = nil
	text := fmt.Sprintf("Sent %s to %s", words.Plural(r.fields, "change"), words.Plural(r.out.Confirmed+r.out.NotConfirmed, "thread"))
	if r.held > 0 {
		text += "; " + HeldText(r.held)
	}
	quit := r.quitAfter
	if r.out.NotConfirmed > 0 {
		text = fmt.Sprintf("%s; %s not confirmed by the server and still queued", text, words.Plural(r.out.NotConfirmed, "thread"))
		quit = false
	}
	s.emit(Said{Text: text, Err: r.held > 0 || r.out.NotConfirmed > 0, Conflicts: r.held})
	s.emit(Sent{Confirmed: r.confirmed, Quit: quit})
	return s.Counts() // the send moved threads between views: every total changes
}

// noteSentModes remembers the modes a batch sent that the answer does
// not show, so a front end can say what was sent instead of "-".
func (s *Session) noteSentModes(items []api.UpdateItem, updated []api.Thread) {
	shown := make(map[string]api.Mode, len(updated))
	for _, t := range updated {
		shown[t.ID] = t.Mode
	}
	for _, it := range items {
		mode, answered := shown[it.ThreadID]
		switch {
		case it.Mode == "" || !answered:
		case mode == "":
			if s.modes == nil {
				s.modes = map[string]SentMode{}
			}
			s.modes[it.ThreadID] = SentMode{Mode: it.Mode, At: s.opts.Now()}
		default:
			delete(s.modes, it.ThreadID)
		}
	}
}

// fileRefusals files the field errors of a refused batch under their
// threads.
func (s *Session) fileRefusals(items []api.UpdateItem, err error) {
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
			s.q.Refuse(id, fe.String())
			s.log("refused for thread "+id+": "+fe.String(), true)
		}
	}
}

// logHeldBack writes one line per field a send holds back, with the
// thread's title and both values: the conflicts noticed meanwhile are
// said so, not once more.
func (s *Session) logHeldBack() {
	s.q.TakeNotices()
	for _, id := range s.q.IDs() {
		e := s.q.Get(id)
		if e.Conflicts() == 0 || e.Gone {
			continue
		}
		t := s.Lookup(id)
		for _, c := range e.Changes(t) {
			if c.Conflict {
				s.log("Held back from the send: "+ConflictLine(id, Label(t, e), c), true)
			}
		}
	}
}

// Label names a thread: its title as the server holds it, else the title
// it had when its edit was queued.
func Label(t *api.Thread, e *queue.Edit) string {
	if t != nil && t.Title != "" {
		return t.Title
	}
	if e != nil && e.Label != "" {
		return e.Label
	}
	return "(no title)"
}
