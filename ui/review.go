package ui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"triage/keymap"
	"triage/queue"
	"triage/sanitize"
)

// review is the pending review overlay: every thread with queued edits
// and each field as "old -> new", with a cursor to revert a thread or a
// field and to settle conflicts.
type review struct {
	lines   []reviewLine
	summary string // what a send would carry, computed with the lines
	cursor  int
	offset  int
}

// reviewLine is a thread header (field "") or one of its fields.
type reviewLine struct {
	id    string
	field queue.Field
	text  string
	alert bool // a conflict, an error or not confirmed
}

func (m *Model) openReview() {
	m.overlay = overlayReview
	m.review.cursor, m.review.offset = 0, 0
	m.rebuildReview()
}

// rebuildReview recomputes the lines from the queue, keeping the cursor
// near where it was.
func (m *Model) rebuildReview() {
	var lines []reviewLine
	for _, id := range m.queue.IDs() {
		e := m.queue.Get(id)
		t := m.lookup(id)
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
		if n := e.Conflicts(); n > 0 {
			head += fmt.Sprintf("  [%s: another agent changed it]", plural(n, "conflict"))
			alert = true
		}
		if t == nil {
			head += "  (not loaded)"
		}
		lines = append(lines, reviewLine{id: id, text: head, alert: alert})
		for _, c := range e.Changes(t) {
			text := fmt.Sprintf("    %s: %s %s %s", c.Field, sanitize.Line(c.Old), m.glyphs.Arrow, sanitize.Line(c.New))
			if c.Conflict {
				text = fmt.Sprintf("    %s: server now %s, mine %s (conflict)", c.Field, sanitize.Line(c.Old), sanitize.Line(c.New))
			}
			lines = append(lines, reviewLine{id: id, field: c.Field, text: text, alert: c.Conflict})
		}
		for _, f := range m.failures[id] {
			lines = append(lines, reviewLine{id: id, text: "    refused: " + sanitize.Line(f), alert: true})
		}
	}
	m.review.lines = lines
	m.review.cursor = max(0, min(m.review.cursor, len(lines)-1))
	plan := m.queue.Build(m.lookup)
	m.review.summary = fmt.Sprintf("Pending: %s on %s; a send carries %s in %s",
		plural(m.queue.Fields(), "change"), plural(m.queue.Len(), "thread"),
		plural(plan.Fields, "field"), plural(plan.Threads(), "item"))
	if plan.HeldBack > 0 {
		m.review.summary += fmt.Sprintf(" (%s held back)", plural(plan.HeldBack, "conflict"))
	}
}

// reviewKey handles keys while the review is open.
func (m *Model) reviewKey(msg tea.KeyPressMsg) tea.Cmd {
	a, ok := m.keys.Lookup(keymap.InReview, msg)
	if !ok {
		return nil
	}
	r := &m.review
	page := max(1, m.table.height-1)
	switch a {
	case keymap.Down:
		r.cursor++
	case keymap.Up:
		r.cursor--
	case keymap.Top:
		r.cursor = 0
	case keymap.Bottom:
		r.cursor = len(r.lines) - 1
	case keymap.HalfDown, keymap.PageDown:
		r.cursor += pickInt(a == keymap.PageDown, page, page/2)
	case keymap.HalfUp, keymap.PageUp:
		r.cursor -= pickInt(a == keymap.PageUp, page, page/2)
	case keymap.Revert:
		m.revertAtCursor()
	case keymap.KeepMine, keymap.TakeTheirs:
		m.resolveAtCursor(a == keymap.KeepMine)
	case keymap.KeepAllMine, keymap.TakeAll:
		m.resolveAll(a == keymap.KeepAllMine)
	case keymap.Cancel, keymap.Review:
		m.overlay = overlayNone
		return nil
	default:
		return m.commonAction(a) // a change to the queue refreshes the review itself
	}
	r.cursor = max(0, min(r.cursor, len(r.lines)-1))
	return nil
}

func pickInt(cond bool, yes, no int) int {
	if cond {
		return yes
	}
	return no
}

func (m *Model) revertAtCursor() {
	if len(m.review.lines) == 0 {
		return
	}
	l := m.review.lines[m.review.cursor]
	if l.field == "" {
		m.queue.Revert(l.id)
		m.setStatus("Reverted thread "+l.id+" (u to undo)", false)
	} else {
		m.queue.RevertField(l.id, l.field)
		m.setStatus(fmt.Sprintf("Reverted %s of %s (u to undo)", l.field, l.id), false)
	}
	m.queueChanged()
}

func (m *Model) resolveAtCursor(keepMine bool) {
	if len(m.review.lines) == 0 {
		return
	}
	l := m.review.lines[m.review.cursor]
	t := m.lookup(l.id)
	if t == nil {
		m.setStatus("Thread "+l.id+" is not loaded: refresh (r) to compare with the server", true)
		return
	}
	if m.queue.Settle(t, keepMine) {
		m.setStatus("Conflicts of "+l.id+" settled (u to undo)", false)
		m.queueChanged()
	}
}

// resolveAll settles every conflict the same way, as one action per
// thread, for the loaded threads.
func (m *Model) resolveAll(keepMine bool) {
	n, skipped := 0, 0
	for _, id := range m.queue.IDs() {
		if m.queue.Get(id).Conflicts() == 0 {
			continue
		}
		t := m.lookup(id)
		if t == nil {
			skipped++
			continue
		}
		if m.queue.Settle(t, keepMine) {
			n++
		}
	}
	how := "taking theirs"
	if keepMine {
		how = "keeping mine"
	}
	msg := fmt.Sprintf("Settled the conflicts of %s, %s", plural(n, "thread"), how)
	if skipped > 0 {
		msg += fmt.Sprintf("; %d not loaded (refresh first)", skipped)
	}
	m.setStatus(msg, false)
	m.queueChanged()
}

// reviewView draws the review in the table's place: a summary line, then
// the lines, as many as the table has rows.
func (m *Model) reviewView(b *strings.Builder) {
	b.WriteString(m.st.header.Render(fit(m.review.summary, m.width, false, m.glyphs.Ellipsis)))
	b.WriteByte('\n')
	r := &m.review
	h := m.table.height
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
			text := pick(i == r.cursor, m.glyphs.Cursor, " ") + pick(l.alert, m.glyphs.Problem, " ") + " " + l.text
			text = fit(text, m.width, false, m.glyphs.Ellipsis)
			switch {
			case i == r.cursor:
				text = m.st.cursor.Render(text)
			case l.field == "":
				text = m.st.title.Render(text)
			}
			b.WriteString(text)
		}
		b.WriteByte('\n')
	}
}
