package ui

import (
	"fmt"
	"time"

	"triage/api"
	"triage/queue"
	"triage/words"

	tea "charm.land/bubbletea/v2"
)

// outbox is the queue of edits, the journal that keeps it on disk, and
// the send in flight.
type outbox struct {
	q       *queue.Queue
	journal Journal
	synced  int       // the queue version the journal and the review last saw
	run     *sendRun  // the send in flight, nil when none
	check   *checkRun // the read of current state in flight, nil when none
	seq     int       // numbers sends and checks, so a late answer of another is ignored
	// modes are the modes sent to threads whose answer showed no mode: a
	// server that does not show modes cannot confirm them.
	modes map[string]sentMode
}

// sentMode is a mode sent that the server's answer did not show, and
// when it was sent.
type sentMode struct {
	mode api.Mode
	at   time.Time
}

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
}

// sendResultMsg is the server's answer to one batch.
type sendResultMsg struct {
	id      int
	items   []api.UpdateItem
	updated []api.Thread
	err     error
}

// moved reports whether the queue changed since the last sync, and marks
// it synced.
func (o *outbox) moved() bool {
	if o.q.Version() == o.synced {
		return false
	}
	o.synced = o.q.Version()
	return true
}

// save hands the queue's changes to the journal, if there is one,
// without waiting for the disk.
func (o *outbox) save() {
	if o.journal != nil {
		o.journal.Record(o.q.TakeChanges())
	}
}

// flush waits until the journal holds every change: before a send and
// before the console ends.
func (o *outbox) flush() {
	if o.journal != nil {
		_ = o.journal.Flush() // a failure stays in Err, and alarm shows it
	}
}

// failure is why the journal cannot be written, "" while it can.
func (o *outbox) failure() string {
	if o.journal == nil {
		return ""
	}
	if err := o.journal.Err(); err != nil {
		return err.Error()
	}
	return ""
}

// journalMsg says the journal's state may have changed.
type journalMsg struct{}

// listen waits for the journal's next change of state.
func (o *outbox) listen() tea.Cmd {
	if o.journal == nil {
		return nil
	}
	ch := o.journal.Changed()
	return func() tea.Msg {
		if _, ok := <-ch; !ok {
			return nil
		}
		return journalMsg{}
	}
}

// busy reports a send, or a check before one, in flight.
func (o *outbox) busy() bool { return o.run != nil || o.check != nil && o.check.forSend }

// progress reports the send or check in flight for the status line, "" when none.
func (o *outbox) progress() string {
	r := o.run
	switch {
	case r == nil && o.check != nil:
		return o.check.progress()
	case r == nil:
		return ""
	case len(r.chunks) > 1:
		return fmt.Sprintf("sending batch %d of %d", r.next+1, len(r.chunks))
	}
	return "sending " + words.Plural(r.fields, "change")
}

// pendingText is what is queued, for the status line.
func (o *outbox) pendingText() string {
	if n := o.q.Len(); n > 0 {
		return fmt.Sprintf("%s pending (%s)", words.Thousands(o.q.Fields()), words.Plural(n, "thread"))
	}
	return ""
}
