package api

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"triage/sanitize"
)

// Clean makes every string of a thread safe to draw, where it enters: a
// title, a name, a tag, the thread's id, the mode, anything the server
// sends may carry escape sequences, controls or bidi overrides, and no
// view can forget to strip them if none is left. Notes keep their line
// breaks.
func (t *Thread) Clean() {
	for _, s := range []*string{&t.ID, &t.ChatbotID, &t.VisitorID, &t.Title, &t.PlatformSource, &t.VisitorName,
		&t.VisitorEmail, &t.VisitorPhone} {
		*s = sanitize.Line(*s)
	}
	if ic := t.Icons; ic != nil { // threads share their icons: a copy, and only when it changes
		c := Icons{sanitize.Line(ic.BotIconSrc), sanitize.Line(ic.UserIconSrc), sanitize.Line(ic.AgentIconSrc), sanitize.Line(ic.BubbleIconSrc)}
		if c != *ic {
			t.Icons = &c
		}
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

// cleanAll cleans every thread of a slice and bounds its long strings.
func (c *Client) cleanAll(ts []Thread) {
	for i := range ts {
		c.clean(&ts[i])
	}
}

// clean cleans a thread and cuts a title or notes longer than the
// client's limits (Config.MaxTitle, MaxNotes): the text is kept for
// display with a marker saying how long it was, and the thread says
// which field was cut. A copy is kept, so the long string is garbage at
// once.
func (c *Client) clean(t *Thread) {
	t.Clean()
	if s, ok := cut(t.Title, c.cfg.MaxTitle); ok {
		t.Title, t.Cut = s, t.Cut|CutTitle
	}
	if notes, has := t.InternalNotes.Get(); has {
		if s, ok := cut(notes, c.cfg.MaxNotes); ok {
			t.InternalNotes, t.Cut = Value(s), t.Cut|CutNotes
		}
	}
}

// cut is s cut after limit characters with a marker, and whether it was
// longer (limit 0: no limit).
func cut(s string, limit int) (string, bool) {
	if limit <= 0 || len(s) <= limit {
		return s, false
	}
	n, end := 0, len(s)
	for i := range s {
		if n == limit {
			end = i
			break
		}
		n++
	}
	if end == len(s) {
		return s, false
	}
	return strings.Clone(s[:end]) + fmt.Sprintf(" [cut: %d characters in all]", utf8.RuneCountInString(s)), true
}

// cleanLine is sanitize.Line, for the messages of this package.
func cleanLine(s string) string { return sanitize.Line(s) }
