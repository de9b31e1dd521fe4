package ui

import (
	"time"

	"triage/api"
	"triage/queue"
)

// Macro is a named set of field changes the agent applies to the targets
// with one key: absolute values, one undoable step, journalled and shown
// in the review like any edit.
type Macro struct {
	Name  string
	Flags []FlagValue
	Mode  api.Mode        // "" leaves the mode
	Tags  *queue.TagInput // nil leaves the tags
	Title *string         // nil leaves the title; "" clears it
	// Notes writes the notes for a day (nil leaves them; "" clears them).
	Notes func(today time.Time) (string, error)
}

// FlagValue is a flag a macro sets, and its value.
type FlagValue struct {
	Flag  queue.Flag
	Value bool
}

// apply queues the macro on the targets as one step; now is the day its
// notes are written on. It reports whether the queue changed.
func (mc Macro) apply(q *queue.Queue, targets []*api.Thread, now time.Time) (bool, error) {
	var notes *string
	if mc.Notes != nil {
		text, err := mc.Notes(now)
		if err != nil {
			return false, err
		}
		notes = &text
	}
	orNull := func(s *string) *string { // "" clears: sent as null
		if s == nil || *s != "" {
			return s
		}
		return nil
	}
	changed := q.Batch("macro "+mc.Name, len(targets), func() {
		for _, fv := range mc.Flags {
			q.SetFlag(fv.Flag, fv.Value, targets)
		}
		if mc.Mode != "" {
			q.SetMode(mc.Mode, targets)
		}
		if mc.Tags != nil {
			mc.Tags.Apply(q, targets)
		}
		if mc.Title != nil {
			q.SetTitle(orNull(mc.Title), targets)
		}
		if notes != nil {
			q.SetNotes(orNull(notes), targets)
		}
	})
	return changed, nil
}
