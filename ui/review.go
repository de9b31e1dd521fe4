package ui

import (
	"fmt"
	"strings"

	"triage/api"
	"triage/keymap"
	"triage/queue"
	"triage/sanitize"
	"triage/words"
)

// review is the pending review overlay: every thread with queued edits
// and each field as "old → new", with a cursor to revert a thread or a
// field and to settle conflicts. Its lines are derived from the queue and
// rebuilt whenever the queue's version moves.
type review struct {
	lines   []reviewLine
	summary string // what a send would carry, computed with the lines
	cursor  int
	offset  int
	built   int // the queue version the lines show
	// foreign, when set, is the review of another journal's edits,
	// read-only; asked is 1 + the index of the journal whose question to
	// ask again when it closes.
	foreign string
	asked   int
}

// reviewLine is a thread header (field "") or one of its fields.
type reviewLine struct {
	id    string
	field queue.Field
	text  string
	alert bool // a conflict, a refusal or not confirmed
}

// reviewKind is what a key in the review asks of the root.
type reviewKind int

const (
	reviewNothing   reviewKind = iota
	reviewRevert               // revert the thread (field "") or the field
	reviewSettle               // settle the thread's conflicts
	reviewSettleAll            // settle every conflict
	reviewClose
	reviewOther // an action the review shares with the list
)

// reviewIntent is a key's meaning in the review.
type reviewIntent struct {
	kind     reviewKind
	id       string
	field    queue.Field
	keepMine bool
	action   keymap.Action
}

// key handles an action of the review context; page is the lines shown.
func (r *review) key(a keymap.Action, page int) reviewIntent {
	if to, ok := scrollTo(a, r.cursor, len(r.lines), page); ok {
		r.cursor = max(0, to)
		return reviewIntent{}
	}
	var line *reviewLine
	if r.cursor < len(r.lines) {
		line = &r.lines[r.cursor]
	}
	switch a {
	case keymap.Revert, keymap.KeepMine, keymap.TakeTheirs:
		if line == nil {
			return reviewIntent{}
		}
		kind := reviewSettle
		if a == keymap.Revert {
			kind = reviewRevert
		}
		return reviewIntent{kind: kind, id: line.id, field: line.field, keepMine: a == keymap.KeepMine}
	case keymap.KeepAllMine, keymap.TakeAll:
		return reviewIntent{kind: reviewSettleAll, keepMine: a == keymap.KeepAllMine}
	case keymap.Cancel, keymap.Review:
		return reviewIntent{kind: reviewClose}
	}
	return reviewIntent{kind: reviewOther, action: a}
}

// reset puts the cursor on the first line, for a review just opened.
func (r *review) reset() { r.cursor, r.offset = 0, 0 }

// build derives the lines from the queue, keeping the cursor near where
// it was. lookup gives the latest server state of a thread (nil: not
// loaded).
func (r *review) build(q *queue.Queue, lookup func(string) *api.Thread, g Glyphs, others func(id string) string) {
	var lines []reviewLine
	for _, id := range q.IDs() {
		e := q.Get(id)
		t := lookup(id)
		label := e.Label
		if t != nil {
			label = t.Title
		}
		if label == "" {
			label = "(no title)"
		}
		head := sanitize.Line(label) + "  " + id
		alert := false
		if e.NotConfirmed {
			head += "  [not confirmed by the server]"
			alert = true
		}
		if e.Gone {
			head += "  [gone from the server: never sent; x discards it]"
			alert = true
		}
		if n := e.Conflicts(); n > 0 {
			head += fmt.Sprintf("  [%s: another agent changed it]", words.Plural(n, "conflict"))
			alert = true
		}
		if t == nil && !e.Gone {
			head += "  (not loaded)"
		}
		lines = append(lines, reviewLine{id: id, text: head, alert: alert})
		if who := others(id); who != "" {
			lines = append(lines, reviewLine{id: id, text: "    others: " + who, alert: true})
		}
		for _, c := range e.Changes(t) {
			text := fmt.Sprintf("    %s: %s %s %s", c.Field, sanitize.Line(c.Old), g.Arrow, sanitize.Line(c.New))
			if c.Conflict {
				text = fmt.Sprintf("    %s: server now %s, mine %s (conflict)", c.Field, sanitize.Line(c.Old), sanitize.Line(c.New))
			}
			lines = append(lines, reviewLine{id: id, field: c.Field, text: text, alert: c.Conflict})
		}
		for _, f := range q.Refused(id) {
			lines = append(lines, reviewLine{id: id, text: "    refused: " + sanitize.Line(f), alert: true})
		}
	}
	r.lines = lines
	r.cursor = max(0, min(r.cursor, len(lines)-1))
	plan := q.Build(lookup)
	r.summary = fmt.Sprintf("Pending: %s on %s; a send carries %s in %s",
		words.Plural(q.Fields(), "change"), words.Plural(q.Len(), "thread"),
		words.Plural(plan.Fields, "field"), words.Plural(plan.Threads(), "item"))
	if plan.HeldBack > 0 {
		r.summary += fmt.Sprintf(" (%s held back)", words.Plural(plan.HeldBack, "conflict"))
	}
	r.built = q.Version()
}

// view draws the review in the table's place: a summary line, then the
// lines, height lines in all.
func (r *review) view(b *strings.Builder, width, height int, lk *look) {
	summary := r.summary
	if r.foreign != "" {
		summary = r.foreign
	}
	b.WriteString(lk.st.heading(fit(summary, width, false, lk.g.Ellipsis)))
	b.WriteByte('\n')
	h := height - 1
	if r.cursor < r.offset {
		r.offset = r.cursor
	}
	if r.cursor >= r.offset+h {
		r.offset = r.cursor - h + 1
	}
	if len(r.lines) == 0 {
		b.WriteString("  Nothing pending.\n")
		h--
	}
	for i := r.offset; i < r.offset+h; i++ {
		if i < len(r.lines) {
			l := r.lines[i]
			text := pick(i == r.cursor, lk.g.Cursor, " ") + pick(l.alert, lk.g.Problem, " ") + " " + l.text
			text = fit(text, width, false, lk.g.Ellipsis)
			switch {
			case i == r.cursor:
				text = lk.st.cursor.Render(text)
			case l.field == "":
				text = lk.st.title.Render(text)
			}
			b.WriteString(text)
		}
		b.WriteByte('\n')
	}
}
