package queue

import (
	"strings"

	"triage/api"
)

// Field names an editable field of a thread, as the API spells it.
type Field string

// The editable fields.
const (
	FieldResolved  Field = "resolved"
	FieldArchived  Field = "archived"
	FieldEscalated Field = "escalated"
	FieldImportant Field = "important"
	FieldMode      Field = "mode"
	FieldTags      Field = "tags"
	FieldTitle     Field = "title"
	FieldNotes     Field = "internalNotes"
)

// AllFields lists every editable field: the one list the per-field steps
// (clearing, listing the changes, building the PATCH, confirming,
// rebasing, settling) must all handle; a test holds them to it.
func AllFields() []Field {
	return []Field{FieldResolved, FieldArchived, FieldEscalated, FieldImportant, FieldMode, FieldTags, FieldTitle, FieldNotes}
}

// FlagField is the Field of a flag.
func FlagField(f Flag) Field { return Field(f.String()) }

func (f Field) clear(e *Edit) {
	switch f {
	case FieldMode:
		e.Mode = nil
	case FieldTags:
		e.Tags = nil
	case FieldTitle:
		e.Title = nil
	case FieldNotes:
		e.Notes = nil
	default:
		for _, fl := range Flags() {
			if FlagField(fl) == f {
				e.Flags[fl] = nil
			}
		}
	}
}

// Change is one pending field: for display, Old and New ("resolved:
// false -> true", `"Theirs"`, "[a b]"); as values, From and To (a bool, a
// mode or text as a string, tags as a []string; To nil clears a title or
// notes, From nil is a server value that is not known).
type Change struct {
	Field    Field
	Old, New string
	From, To any
	Conflict bool
}

// Changes lists the pending fields of an edit against the server thread t
// (nil when not loaded: the values the edit was queued against are used).
func (e *Edit) Changes(t *api.Thread) []Change {
	var out []Change
	for _, f := range Flags() {
		if b := e.Flags[f]; b != nil {
			old := b.Base
			if t != nil {
				old = f.Of(t)
			}
			out = append(out, Change{FlagField(f), boolText(old), boolText(b.Want), old, b.Want, b.Conflict})
		}
	}
	if m := e.Mode; m != nil {
		old := m.Base
		if t != nil {
			old = t.Mode
		}
		text := orUnknown(string(old))
		if old == "" && m.Conflict {
			text = "(not shown by this server; the thread changed since)"
		}
		var from any
		if old != "" {
			from = string(old)
		}
		out = append(out, Change{FieldMode, text, string(m.Want), from, string(m.Want), m.Conflict})
	}
	if tg := e.Tags; tg != nil {
		base := tg.Base
		if t != nil {
			base = t.Tags
		}
		mine := tg.Result(base)
		if tg.Conflict {
			mine = tg.kept(base)
		}
		out = append(out, Change{FieldTags, tagText(base), tagText(mine), nonNil(base), nonNil(mine), tg.Conflict})
	}
	if ti := e.Title; ti != nil {
		old := ti.Base
		if t != nil {
			old = t.Title
		}
		out = append(out, Change{FieldTitle, quoteText(&old), quoteText(ti.Want), old, textValue(ti.Want), ti.Conflict})
	}
	if n := e.Notes; n != nil {
		text, from := n.server(t)
		out = append(out, Change{FieldNotes, text, quoteText(n.Want), from, textValue(n.Want), n.Conflict})
	}
	return out
}

// nonNil is a tag list as a value: none is an empty list.
func nonNil(tags []string) []string {
	if tags == nil {
		return []string{}
	}
	return tags
}

// textValue is a wanted title or notes as a value: nil clears.
func textValue(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}

// server is what the server holds of a notes edit's field, for display
// and as a value (nil when unknown): the notes of t when the server
// returned them with its latest state, else the notes the edit was queued
// against while nothing says they changed, else unknown.
func (n *TextEdit) server(t *api.Thread) (string, any) {
	if t != nil && !t.InternalNotes.IsZero() {
		notes, _ := t.InternalNotes.Get()
		return quoteText(&notes), notes
	}
	switch {
	case !n.BaseKnown:
		return "(not returned by the server)", nil
	case n.Conflict:
		return "(unknown: changed since it was read)", nil
	}
	return quoteText(&n.Base), n.Base
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func orUnknown(s string) string {
	if s == "" {
		return "(unknown)"
	}
	return s
}

func tagText(tags []string) string {
	if len(tags) == 0 {
		return "[]"
	}
	return "[" + strings.Join(tags, " ") + "]"
}

func quoteText(s *string) string {
	if s == nil {
		return "null"
	}
	if *s == "" {
		return `""`
	}
	return `"` + *s + `"`
}
