package session

import (
	"fmt"
	"time"

	"triage/api"
	"triage/queue"
	"triage/words"
)

// Changes of the queue on many threads (a toggle on 100,000 marked
// threads, the undo or redo of one) are applied a turn at a time: each
// turn applies parts of workPart threads until Options.WorkTurn has
// passed, and the next turn comes back as a task's result after as long
// again, so that the keys typed meanwhile are handled between turns and
// the frame, the journal and the collector have the cores (back to back,
// on two cores, turns kept a key waiting 45-55 ms in the median instead
// of about 25). A change that fits in one turn is done before its call
// returns, as before. While one is applied, the session refuses another
// and a send (the front end holds the keys that would ask for them until
// it ends).

// DefaultWorkTurn bounds the time one turn holds the session's goroutine:
// well within the 50 ms a key may wait, with room for the frame drawn
// after.
const DefaultWorkTurn = 5 * time.Millisecond

// workPart is how many threads are applied between looks at the clock.
const workPart = 250

// applying is the change being applied, what to say of it meanwhile and
// when it ends (functions: a toggle's value is decided in its first
// turns).
type applying struct {
	w     *queue.Work
	doing func() string // "setting resolved on 114,000 threads"
	done  func() string // "resolved set on 114,000 threads"
	long  bool          // Options.LongWork was told it started
}

// workDue says the next turn of the change being applied is due.
type workDue struct{}

func (workDue) result() {}

// Toggle flips a flag on the targets, as queue.Toggle does, and says so
// when it is done: at once when it fits in one turn, else after the
// turns its tasks bring.
func (s *Session) Toggle(f queue.Flag, targets []*api.Thread) []Task {
	if s.refuseWork() {
		return nil
	}
	w := s.q.ToggleWork(f, targets)
	n := words.Plural(len(targets), "thread")
	doing := func() string {
		want, decided := w.Want()
		return fmt.Sprintf("%s %s on %s", pick(!decided, "toggling", pick(want, "setting", "clearing")), f, n)
	}
	done := func() string {
		want, _ := w.Want()
		return fmt.Sprintf("%s %s on %s", f, pick(want, "set", "cleared"), n)
	}
	return s.startWork(applying{w: w, doing: doing, done: done})
}

// Undo reverts the last action, in turns when it is large.
func (s *Session) Undo() []Task { return s.replay(s.q.UndoWork, "undo", "undoing", "Undone") }

// Redo reapplies the last undone action, in turns when it is large.
func (s *Session) Redo() []Task { return s.replay(s.q.RedoWork, "redo", "redoing", "Redone") }

func (s *Session) replay(next func() (*queue.Work, bool), noun, doing, done string) []Task {
	if s.refuseWork() {
		return nil
	}
	w, ok := next()
	if !ok {
		s.say("Nothing to "+noun, false)
		return nil
	}
	return s.startWork(applying{w: w, doing: func() string { return doing + " " + w.Label() },
		done: func() string { return done + ": " + w.Label() }})
}

// refuseWork says why no change may start while one is applied.
func (s *Session) refuseWork() bool {
	if s.work == nil {
		return false
	}
	s.say("Wait: "+s.ApplyProgress(), true)
	return true
}

func (s *Session) startWork(a applying) []Task {
	s.work = &a
	tasks := s.workTurn()
	if tasks != nil && s.opts.LongWork != nil {
		s.work.long = true
		s.opts.LongWork(true)
	}
	return tasks
}

// workTurn applies parts until the turn's time is up or the change is
// done; then it says so.
func (s *Session) workTurn() []Task {
	start := time.Now()
	for !s.work.w.Next(workPart) {
		if time.Since(start) >= s.opts.WorkTurn {
			rest, ctx := s.opts.WorkTurn, s.opts.Context
			return []Task{func() Result {
				select { // the rest, unless the session stops meanwhile
				case <-time.After(rest):
				case <-ctx.Done():
				}
				return workDue{}
			}}
		}
	}
	s.say(s.work.done(), false)
	if s.work.long {
		s.opts.LongWork(false)
	}
	s.work = nil
	return nil
}

// Applying reports a change being applied in turns.
func (s *Session) Applying() bool { return s.work != nil }

// ApplyProgress is the change being applied for people, "" when none:
// "setting resolved on 114,000 threads… 40%".
func (s *Session) ApplyProgress() string {
	if s.work == nil {
		return ""
	}
	done, total := s.work.w.Progress()
	return fmt.Sprintf("%s… %d%%", s.work.doing(), done*100/max(total, 1))
}
