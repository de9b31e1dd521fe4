// Package queue is the edit model of the console: for each thread the
// server state last seen and at most one pending edit holding, per field,
// the value the operator wants. It knows how to toggle flags over many
// threads, undo and redo whole operator actions, build the one batched
// PATCH that carries only real changes, and merge the server's answer. It
// draws nothing and does no I/O.
package queue

import (
	"slices"
	"time"

	"triage/api"
)

// Flag names one of the four boolean fields of a thread.
type Flag int

// The flags, in the order the table shows them (RAEI).
const (
	Resolved Flag = iota
	Archived
	Escalated
	Important
	numFlags
)

// Flags lists every flag in display order.
func Flags() []Flag { return []Flag{Resolved, Archived, Escalated, Important} }

// String is the field's name in the API.
func (f Flag) String() string {
	return [...]string{"resolved", "archived", "escalated", "important"}[f]
}

// Of returns the flag's value on a thread.
func (f Flag) Of(t *api.Thread) bool {
	switch f {
	case Resolved:
		return t.Resolved
	case Archived:
		return t.Archived
	case Escalated:
		return t.Escalated
	}
	return t.Important
}

// BoolEdit is a pending value of a flag. Base is the server value it was
// queued against; Conflict says the server moved away from Base since.
type BoolEdit struct {
	Want     bool `json:"want"`
	Base     bool `json:"base"`
	Conflict bool `json:"conflict,omitempty"`
}

// ModeEdit is a pending mode. Base is "" when the server never said;
// then Since is the thread's update when the mode was queued: a server
// that never shows modes cannot say whether someone set another one, only
// that the thread changed since (a conflict, so the agent decides).
type ModeEdit struct {
	Want     api.Mode  `json:"want"`
	Base     api.Mode  `json:"base,omitempty"`
	Since    time.Time `json:"since,omitzero"`
	Conflict bool      `json:"conflict,omitempty"`
}

// TextEdit is a pending title or internal notes: Want nil clears the field
// (sent as null). Base is the server value when queued; BaseKnown is false
// when the server does not return the field (notes usually).
type TextEdit struct {
	Want      *string `json:"want"`
	Base      string  `json:"base,omitempty"`
	BaseKnown bool    `json:"baseKnown,omitempty"`
	Conflict  bool    `json:"conflict,omitempty"`
}

// TagsEdit is a pending change of the tag set: operations (Add, Remove)
// resolved against the thread's latest server tags at send time, or, when
// Exact is set, a full replacement list.
//
// Operations merge with anyone's tags and never conflict; an exact list
// replaces the whole set, so it is a conflict (Conflict) when the
// server's tags moved away from Base, the tags the agent saw. A claim
// (Claim, the owner tags' prefix) is a conflict when the server shows an
// owner tag that Base did not hold: someone else claimed the thread.
type TagsEdit struct {
	Add      []string `json:"add,omitempty"`
	Remove   []string `json:"remove,omitempty"`
	Exact    bool     `json:"exact,omitempty"`
	List     []string `json:"list,omitempty"`
	Base     []string `json:"base,omitempty"`
	Claim    string   `json:"claim,omitempty"`
	Conflict bool     `json:"conflict,omitempty"`
}

// Edit is the pending edit of one thread. A nil field is not edited.
type Edit struct {
	ThreadID string `json:"threadId"`
	// Label is the thread's title when queued, so the review can name
	// threads that are not loaded.
	Label string              `json:"label,omitempty"`
	Flags [numFlags]*BoolEdit `json:"flags"`
	Mode  *ModeEdit           `json:"mode,omitempty"`
	Tags  *TagsEdit           `json:"tags,omitempty"`
	Title *TextEdit           `json:"title,omitempty"`
	Notes *TextEdit           `json:"notes,omitempty"`
	// NotConfirmed is set when a send carried this edit but the server's
	// answer did not mention the thread.
	NotConfirmed bool `json:"notConfirmed,omitempty"`
	// Gone is set when the server said the thread does not exist: the
	// edit is kept until the operator discards it, and never sent.
	Gone bool `json:"gone,omitempty"`
	// counted is what the queue's totals hold of this edit.
	counted tally
}

// empty reports whether nothing is left to send.
func (e *Edit) empty() bool {
	for _, f := range e.Flags {
		if f != nil {
			return false
		}
	}
	return e.Mode == nil && e.Tags == nil && e.Title == nil && e.Notes == nil
}

// Fields counts the edited fields.
func (e *Edit) Fields() int {
	n := 0
	for _, f := range e.Flags {
		if f != nil {
			n++
		}
	}
	for _, set := range []bool{e.Mode != nil, e.Tags != nil, e.Title != nil, e.Notes != nil} {
		if set {
			n++
		}
	}
	return n
}

// Conflicts counts the fields in conflict with the server.
func (e *Edit) Conflicts() int {
	n := 0
	for _, f := range e.Flags {
		if f != nil && f.Conflict {
			n++
		}
	}
	for _, c := range []bool{e.Mode != nil && e.Mode.Conflict, e.Tags != nil && e.Tags.Conflict, e.Title != nil && e.Title.Conflict,
		e.Notes != nil && e.Notes.Conflict} {
		if c {
			n++
		}
	}
	return n
}

// clone is a deep copy, for the undo history and the journal: a copy
// the queue does not count.
func (e *Edit) clone() *Edit {
	if e == nil {
		return nil
	}
	c := *e
	c.counted = tally{}
	for i, f := range e.Flags {
		if f != nil {
			v := *f
			c.Flags[i] = &v
		}
	}
	if e.Mode != nil {
		v := *e.Mode
		c.Mode = &v
	}
	if e.Tags != nil {
		v := *e.Tags
		v.Add, v.Remove, v.List, v.Base = slices.Clone(v.Add), slices.Clone(v.Remove), slices.Clone(v.List), slices.Clone(v.Base)
		c.Tags = &v
	}
	c.Title, c.Notes = e.Title.clone(), e.Notes.clone()
	return &c
}

func (t *TextEdit) clone() *TextEdit {
	if t == nil {
		return nil
	}
	v := *t
	if t.Want != nil {
		s := *t.Want
		v.Want = &s
	}
	return &v
}

// FlagValue is the value of a flag the operator sees: the pending value if
// one is queued, else the server's.
func (e *Edit) FlagValue(f Flag, t *api.Thread) (value, pending bool) {
	if e != nil && e.Flags[f] != nil {
		return e.Flags[f].Want, true
	}
	return f.Of(t), false
}
