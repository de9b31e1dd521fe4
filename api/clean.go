package api

import "triage/sanitize"

// Clean makes every string of a thread safe to draw, where it enters: a
// title, a name, a tag, the thread's id, the mode, anything the server
// sends may carry escape sequences, controls or bidi overrides, and no
// view can forget to strip them if none is left. Notes keep their line
// breaks.
func (t *Thread) Clean() {
	for _, s := range []*string{&t.ID, &t.ChatbotID, &t.VisitorID, &t.Title, &t.PlatformSource, &t.VisitorName,
		&t.VisitorEmail, &t.VisitorPhone, &t.BotIconSrc, &t.UserIconSrc, &t.AgentIconSrc, &t.BubbleIconSrc} {
		*s = sanitize.Line(*s)
	}
	for i := range t.Tags {
		t.Tags[i] = sanitize.Line(t.Tags[i])
	}
	if m := t.LLMModel; m != nil {
		m.ID, m.Provider, m.Title = sanitize.Line(m.ID), sanitize.Line(m.Provider), sanitize.Line(m.Title)
	}
	t.Mode = Mode(sanitize.Line(string(t.Mode)))
	if notes, ok := t.InternalNotes.Get(); ok {
		t.InternalNotes = Value(sanitize.Text(notes))
	}
}

// cleanAll cleans every thread of a slice.
func cleanAll(ts []Thread) {
	for i := range ts {
		ts[i].Clean()
	}
}

// cleanLine is sanitize.Line, for the messages of this package.
func cleanLine(s string) string { return sanitize.Line(s) }
