package ui

import (
	"fmt"
	"strings"
	"time"

	"triage/api"
	"triage/session"
	"triage/words"
)

// What a read thread shows, for the pane and the reader: the visitor's
// statistics, the internal notes as the server holds them, and the
// conversation, each message under its role and time, wrapped; the
// pane folds long messages, the reader shows them whole.

// foldAt is the most lines of one message the pane shows.
const foldAt = 6

// readState is how far a thread's read has got, for the lines to say.
type readState struct {
	session.ReadState
	retry string // how to read it again: "r reads it again"
}

// pending says a thread is being read, or will be once the cursor rests.
func (s readState) pending(g Glyphs) string {
	if s.Loading {
		return "reading" + g.Ellipsis
	}
	return "read when the cursor rests here"
}

// visitorLines are the visitor's statistics, when the read has them.
func visitorLines(s readState, lk *look) []string {
	if s.Reading == nil || s.Reading.Err != nil {
		return nil
	}
	d := s.Reading.Detail
	return []string{lk.st.dim.Render(fit("Sessions", 10, false, "")) + " " +
		fmt.Sprintf("%d sessions, %d messages, first seen %s", d.VisitorTotalSessions, d.VisitorTotalMessages, dayOf(d.VisitorFirstSeenAt))}
}

// notesLines are the internal notes as the server holds them.
func notesLines(s readState, width int, lk *look) []string {
	out := []string{"", lk.st.title.Render("Internal notes")}
	switch {
	case s.Reading != nil && s.Reading.Err != nil:
		return append(out, lk.st.errText.Render("not read: "+api.Describe(s.Reading.Err)))
	case s.Reading == nil:
		return append(out, lk.st.dim.Render(s.pending(lk.g)))
	}
	notes, ok := s.Reading.Detail.InternalNotes.Get()
	if !ok || strings.TrimSpace(notes) == "" {
		return append(out, lk.st.dim.Render("none"))
	}
	for _, l := range strings.Split(notes, "\n") {
		out = append(out, wrapLines(l, width)...)
	}
	return out
}

// messageLines is the conversation, oldest first; fold > 0 cuts a message
// longer than fold lines.
func messageLines(s readState, width, fold int, now time.Time, lk *look) []string {
	head := "Conversation"
	if s.Reading != nil && len(s.Reading.Messages) > 0 {
		head += fmt.Sprintf(" (%s)", words.Plural(len(s.Reading.Messages), "message"))
	}
	out := []string{"", lk.st.title.Render(head)}
	switch {
	case s.Refused != "":
		return append(out, wrapLines(s.Refused, width)...)
	case s.Reading == nil:
		return append(out, lk.st.dim.Render(s.pending(lk.g)))
	case s.Reading.MsgErr != nil:
		return append(out, wrapLines(lk.st.errText.Render("Could not read the conversation: "+api.Describe(s.Reading.MsgErr)+".")+" "+s.retry, width)...)
	case s.Reading.Err != nil:
		return append(out, wrapLines(lk.st.errText.Render("Could not read the thread: "+api.Describe(s.Reading.Err)+".")+" "+s.retry, width)...)
	case len(s.Reading.Messages) == 0:
		return append(out, lk.st.dim.Render("no messages"))
	}
	for _, m := range s.Reading.Messages {
		who := m.Author() + " · " + words.Ago(now, m.CreatedAt)
		if m.Reaction != "" {
			who += " · " + strings.ToLower(m.Reaction)
		}
		out = append(out, "", lk.st.strong.Render(who))
		var body []string
		for _, l := range strings.Split(m.Content, "\n") {
			body = append(body, wrapLines(l, max(10, width-2))...)
		}
		if fold > 0 && len(body) > fold {
			more := len(body) - fold + 1
			body = append(body[:fold-1], lk.st.dim.Render(fmt.Sprintf("… %s more (enter opens the reader)", words.Plural(more, "line"))))
		}
		for _, l := range body {
			out = append(out, "  "+l)
		}
	}
	if n := s.Reading.Skipped.Count; n > 0 {
		out = append(out, "", lk.st.errText.Render(fmt.Sprintf("%s could not be read: %s", words.Plural(n, "message"), s.Reading.Skipped.First)))
	}
	return out
}

// dayOf is a date, or "-".
func dayOf(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02")
}
