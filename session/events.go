package session

import (
	"fmt"

	"triage/api"
	"triage/queue"
	"triage/sanitize"
	"triage/words"
)

// Event is something that happened for the agent to see. Texts carry no
// key names: each front end says how to act on them.
type Event interface{ event() }

// Said is a result or an error to show now: the console's status line
// (and event log), the command line's standard error.
type Said struct {
	Text string
	Err  bool
	// Conflicts counts the conflicts the text speaks of (held back by a
	// send): the console adds how to review them.
	Conflicts int
	// Cause is the error the text tells of, when one did (the command
	// line's exit status follows it).
	Cause error
}

// Progress says how far a send, or the reads before it, has got (the
// console reads SendProgress at its own pace instead).
type Progress struct{ Text string }

// Logged is a line for the event log only.
type Logged struct {
	Text string
	Err  bool
}

// Merged says a page or a poll added threads to a view: Fresh, in the
// order of the page. OnlyAdded is false when the view was also re-sorted
// (what is shown must start over); Arrived when they are news (the view
// had been read to its end before: a refresh, a poll).
type Merged struct {
	View      *View
	Fresh     []*api.Thread
	OnlyAdded bool
	Arrived   bool
}

// Changed says a view's rows changed other than by additions (a load's
// end, a poll, threads that left): what is shown of it is out of date.
type Changed struct{ View *View }

// Updated are threads a poll or a refresh found changed since the
// session last saw them (their update moved), each once.
type Updated struct{ Threads []*api.Thread }

// Forgotten are threads no view lists any more: gone from the store.
type Forgotten struct{ IDs []string }

// Read says a thread was read (Thread, its one copy) or could not be.
type Read struct {
	ID     string
	Thread *api.Thread
	Err    error
}

// Prefetched says the conversation of a thread was read in the
// background: a search may now find it.
type Prefetched struct{ ID string }

// Sent ends a send whose every batch the server answered: Confirmed are
// the threads its answer confirmed; Quit is set when the agent asked to
// quit after it.
type Sent struct {
	Confirmed []string
	Quit      bool
}

// Checked ends a read of threads' current state that no send waits on
// (ReadCurrent, or the edits no view lists after a load): Gone are the
// threads the server said do not exist. A read that failed was Said
// before it, with its cause.
type Checked struct{ Gone []string }

// NewConflicts says fields became conflicts (a poll, a refresh, a read):
// each is in the log with both values.
type NewConflicts struct{ N int }

func (Said) event()         {}
func (Logged) event()       {}
func (Merged) event()       {}
func (Changed) event()      {}
func (Updated) event()      {}
func (Progress) event()     {}
func (Forgotten) event()    {}
func (Read) event()         {}
func (Sent) event()         {}
func (Checked) event()      {}
func (NewConflicts) event() {}
func (Prefetched) event()   {}

func (s *Session) emit(e Event) { s.events = append(s.events, e) }

// say is a Said; sayErr one with its cause; log a Logged.
func (s *Session) say(text string, isErr bool) { s.emit(Said{Text: text, Err: isErr}) }
func (s *Session) sayErr(text string, cause error) {
	s.emit(Said{Text: text + api.Describe(cause), Err: true, Cause: cause})
}
func (s *Session) log(text string, isErr bool) { s.emit(Logged{Text: text, Err: isErr}) }

// ConflictLine is `title of “Refund not received” (th_8f2): server now
// "Theirs", mine "Mine"`.
func ConflictLine(id, label string, c queue.Change) string {
	return fmt.Sprintf("%s of “%s” (%s): server now %s, mine %s", c.Field, sanitize.Line(label), id, sanitize.Line(c.Old), sanitize.Line(c.New))
}

// HeldText is "2 conflicts held back".
func HeldText(n int) string { return words.Plural(n, "conflict") + " held back" }
