package ui

import (
	"fmt"
	"strings"

	"triage/api"
	"triage/keymap"
)

// reader is the full-screen view of one thread: its header, notes and
// whole conversation, scrolled with the movement keys, newest at the
// bottom and shown first. J and K go to the next and previous thread of
// the view without leaving; triage actions act on the thread shown.
type reader struct {
	open   bool
	offset int  // the first line shown
	bottom bool // show the end (a thread just opened)
	find   readerFind
}

// readerIntent is what a key in the reader asks of the root.
type readerIntent int

const (
	readerNothing readerIntent = iota
	readerClose
	readerNext
	readerPrev
	readerAgain  // read the thread shown again
	readerAction // an action on the thread shown
)

// key handles an action of the reader context; lines is the length of
// what it shows, page the lines on screen.
func (r *reader) key(a keymap.Action, lines, page int) readerIntent {
	if a == keymap.MarkDown { // space pages, as in a pager
		a = keymap.PageDown
	}
	page-- // the first line stays
	last := max(0, lines-page)
	if to, ok := scrollTo(a, r.offset, last+1, page); ok {
		r.offset, r.bottom = max(0, to), false
		return readerNothing
	}
	switch a {
	case keymap.Cancel, keymap.Quit:
		return readerClose
	case keymap.NextThread:
		return readerNext
	case keymap.PrevThread:
		return readerPrev
	case keymap.Refresh:
		return readerAgain
	}
	return readerAction
}

// show opens the reader on a thread, at the end of its conversation.
func (r *reader) show() { r.open, r.bottom, r.offset = true, true, 0 }

// found moves the reader to the current match of its search in lines,
// page lines shown.
func (r *reader) found(lines []string, page int) {
	if l := r.find.line(r.find.matches(lines)); l >= 0 {
		r.bottom = false
		if l < r.offset || l >= r.offset+page-1 {
			r.offset = max(0, l-(page-1)/3) // a third down: some context above
		}
	}
}

// lines is everything the reader shows of a thread.
func readerLines(t *api.Thread, f detailFacts, s readState, width int, lk *look) []string {
	out := detailHead(t, f, lk)
	out = append(out, visitorLines(s, lk)...)
	out = append(out, notesLines(s, width, lk)...)
	return append(out, messageLines(s, width, 0, f.now, lk)...)
}

// view draws the reader in height lines: a line that stays (the thread's
// title, its place in the view and in the text), then the text from the
// offset.
func (r *reader) view(b *strings.Builder, t *api.Thread, f detailFacts, s readState, width, height int, lk *look) {
	if t == nil {
		b.WriteString("No thread to read.\n")
		for i := 1; i < height; i++ {
			b.WriteByte('\n')
		}
		return
	}
	lines := readerLines(t, f, s, width-1, lk)
	page := height - 1
	if r.bottom {
		r.offset = max(0, len(lines)-page)
	}
	r.offset = max(0, min(r.offset, len(lines)-page))
	title := t.Title
	if title == "" {
		title = "(no title)"
	}
	matches := r.find.matches(lines)
	where := fmt.Sprintf("  %s · lines %d-%d of %d%s", strings.TrimSuffix(f.position, "; "), r.offset+1, min(len(lines), r.offset+page), len(lines),
		r.find.heading(matches))
	b.WriteString(lk.st.title.Render(fit(title, max(0, width-len(where)), false, lk.g.Ellipsis)) + fit(where, min(width, len(where)), false, "") + "\n")
	hit := map[int]bool{}
	for _, l := range matches {
		hit[l] = true
	}
	for i := r.offset; i < r.offset+page; i++ {
		if i < len(lines) {
			line := lines[i]
			if hit[i] {
				line = r.find.highlight(line, &lk.st)
			}
			b.WriteString(" " + fit(line, width-1, false, lk.g.Ellipsis))
		}
		b.WriteByte('\n')
	}
}
