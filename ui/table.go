package ui

import (
	"maps"
	"slices"
	"strings"
	"time"

	"triage/api"
	"triage/keymap"
	"triage/queue"
	"triage/session"
	"triage/threads"
)

// rowState is what the table shows of a thread besides its server data:
// the mark, the pending edit and problems with it.
type rowState struct {
	marked bool
	edit   *queue.Edit
	failed bool // the last flush reported an error for this thread
	others bool // another agent on this host reads it or has edits queued on it
}

// table is the scrolling thread list: cursor, scroll offset and drawing
// of the visible rows only.
type table struct {
	rows   []*api.Thread // the visible rows: the view's threads, searched and sorted
	cursor int
	offset int
	height int // rows visible below the header
	width  int
	chosen []column        // the columns configured, in order
	filled map[string]bool // the columns some row fills
	cols   []column        // the columns shown, and their widths
	widths []int
	// sorted is the name of the column the rows are sorted by, and
	// sortMark the glyph shown beside it.
	sorted, sortMark string
	// at is the thread under the cursor as of the last move: rows may be
	// the view's own list, re-sorted in place by a refresh, so the cursor's
	// thread cannot be read back from them afterwards.
	at string
	// unseen are threads that arrived (a poll, a refresh) and were not on
	// screen yet; above are the rows of those above the rows shown, in
	// order: the agent is told of them until they scroll into view.
	unseen map[*api.Thread]struct{}
	above  []int
	// places are where the operator was in the views not shown: switching
	// back is where they left, with what arrived meanwhile.
	places map[*session.View]place
	// owners says who owns the threads, for the owner and tags columns.
	owners threads.Owners
	// others shows, in the gutter, the threads other agents on this host
	// are on (presence is on).
	others bool
}

// gutter is the width before the first column.
func (t *table) gutter() int {
	if t.others {
		return gutterWidth + 1
	}
	return gutterWidth
}

// place is where the operator was in a view, and what arrived there
// since.
type place struct {
	cursor, offset int
	unseen         map[*api.Thread]struct{}
}

func (t *table) resize(width, height int) {
	t.width, t.height = width, max(1, height)
	t.relayout()
	t.clamp()
}

// relayout chooses the columns shown for the width, the rows and the
// sort: the sorted column shows (last) even when not configured.
func (t *table) relayout() {
	cols := t.chosen
	if t.sorted != "" && !slices.ContainsFunc(cols, func(c column) bool { return c.name == t.sorted }) {
		for _, c := range columnCatalogue() {
			if c.name == t.sorted {
				cols = append(slices.Clone(cols), c)
			}
		}
	}
	t.cols, t.widths = layout(cols, t.width-t.gutter(), t.filled, t.sorted)
}

// sortBy marks the column of the order the rows are in.
func (t *table) sortBy(column, mark string) {
	if column != t.sorted || mark != t.sortMark {
		t.sorted, t.sortMark = column, mark
		t.relayout()
	}
}

// move handles a movement action; it reports whether a was one. Half and
// whole pages scroll the view with the cursor, as pagers do.
func (t *table) move(a keymap.Action) bool {
	to, ok := scrollTo(a, t.cursor, len(t.rows), t.height)
	if !ok {
		return false
	}
	switch a {
	case keymap.HalfDown, keymap.HalfUp, keymap.PageDown, keymap.PageUp:
		t.offset += to - t.cursor
	}
	t.moveTo(to)
	return true
}

// moveTo puts the cursor on row i (clamped) and scrolls it into view.
func (t *table) moveTo(i int) {
	t.cursor = i
	t.clamp()
}

func (t *table) clamp() {
	n := len(t.rows)
	t.cursor = max(0, min(t.cursor, n-1))
	t.at = ""
	if n > 0 {
		t.at = t.rows[t.cursor].ID
	}
	if t.cursor < t.offset {
		t.offset = t.cursor
	}
	if t.cursor >= t.offset+t.height {
		t.offset = t.cursor - t.height + 1
	}
	t.offset = max(0, min(t.offset, n-t.height))
	t.seeAbove()
}

// arrive records threads new to the rows: shown at once when they land
// on screen, counted as above the screen until they are.
func (t *table) arrive(ts []*api.Thread) {
	if len(ts) == 0 {
		return
	}
	if t.unseen == nil {
		t.unseen = map[*api.Thread]struct{}{}
	}
	for _, p := range ts {
		t.unseen[p] = struct{}{}
	}
}

// placeUnseen finds the rows of the threads not seen yet: those above the
// rows shown stay unseen, the others are on screen (seen) or below it
// (passed over, not news any more).
func (t *table) placeUnseen() {
	t.above = t.above[:0]
	if len(t.unseen) == 0 {
		return
	}
	keep := make(map[*api.Thread]struct{}, len(t.unseen))
	for i, r := range t.rows[:min(t.offset, len(t.rows))] {
		if _, ok := t.unseen[r]; ok {
			t.above = append(t.above, i)
			keep[r] = struct{}{}
		}
	}
	t.unseen = keep
}

// seeAbove forgets the unseen threads the rows shown reached.
func (t *table) seeAbove() {
	n := len(t.above)
	for n > 0 && t.above[n-1] >= t.offset {
		n--
		delete(t.unseen, t.rows[t.above[n]])
	}
	t.above = t.above[:n]
}

// newAbove is how many threads that arrived are above the rows shown.
func (t *table) newAbove() int { return len(t.above) }

// switchTo keeps the place in view from and goes to the place kept in
// view to (its first row when none); its rows are shown next.
func (t *table) switchTo(from, to *session.View) {
	if t.places == nil {
		t.places = map[*session.View]place{}
	}
	t.places[from] = place{cursor: t.cursor, offset: t.offset, unseen: t.unseen}
	p := t.places[to]
	delete(t.places, to)
	t.cursor, t.offset, t.unseen, t.above = p.cursor, p.offset, p.unseen, t.above[:0]
	t.rows = nil
}

// arriveElsewhere records threads that arrived in a view not shown.
func (t *table) arriveElsewhere(v *session.View, ts []*api.Thread) {
	if len(ts) == 0 {
		return
	}
	if t.places == nil {
		t.places = map[*session.View]place{}
	}
	p := t.places[v]
	if p.unseen == nil {
		p.unseen = map[*api.Thread]struct{}{}
	}
	for _, th := range ts {
		p.unseen[th] = struct{}{}
	}
	t.places[v] = p
}

// current returns the thread under the cursor, or nil.
func (t *table) current() *api.Thread {
	if t.cursor < 0 || t.cursor >= len(t.rows) {
		return nil
	}
	return t.rows[t.cursor]
}

// view draws the header and the visible rows, height+1 lines; state says
// how each row is marked and what is pending on it, noRows what to say in
// their place when there are none ("" says nothing).
func (t *table) view(b *strings.Builder, now time.Time, g Glyphs, st *styles, state func(*api.Thread) rowState, noRows string) {
	var line strings.Builder
	line.WriteString(strings.Repeat(" ", t.gutter()))
	for i, c := range t.cols {
		if i > 0 {
			line.WriteByte(' ')
		}
		title := c.title
		if c.name == t.sorted {
			title += t.sortMark
		}
		line.WriteString(fit(title, t.widths[i], c.right, g.Ellipsis))
	}
	b.WriteString(st.heading(fit(line.String(), t.width, false, "")))
	b.WriteByte('\n')
	end := min(t.offset+t.height, len(t.rows))
	for i := t.offset; i < end; i++ {
		t.row(b, i, now, g, st, state(t.rows[i]))
		b.WriteByte('\n')
	}
	if len(t.rows) == 0 && noRows != "" {
		b.WriteString(st.dim.Render(fit(strings.Repeat(" ", t.gutter())+noRows, t.width, false, g.Ellipsis)) + "\n")
		end++
	}
	for i := end - t.offset; i < t.height; i++ {
		b.WriteByte('\n')
	}
}

// row draws one thread. The cursor row is reversed and carries the cursor
// glyph, so it shows without colour; marks and pending edits have glyphs
// of their own; other rows colour their flags.
func (t *table) row(b *strings.Builder, i int, now time.Time, g Glyphs, st *styles, rs rowState) {
	th := t.rows[i]
	isCursor := i == t.cursor
	var line strings.Builder
	line.WriteString(pick(isCursor, g.Cursor, " "))
	if rs.marked && !isCursor {
		line.WriteString(st.mark.Render(g.Mark))
	} else {
		line.WriteString(pick(rs.marked, g.Mark, " "))
	}
	switch {
	case rs.failed || rs.edit != nil && (rs.edit.Conflicts() > 0 || rs.edit.Gone):
		line.WriteString(g.Problem)
	case rs.edit != nil && rs.edit.NotConfirmed:
		line.WriteString(g.Unconfirmed)
	case rs.edit != nil:
		line.WriteString(g.Pending)
	default:
		line.WriteByte(' ')
	}
	if t.others {
		line.WriteString(pick(rs.others, g.Others, " "))
	}
	line.WriteByte(' ')
	for ci, c := range t.cols {
		if ci > 0 {
			line.WriteByte(' ')
		}
		cell := fit(c.cell(th, rs.edit, cellEnv{now: now, g: g, owners: t.owners}), t.widths[ci], c.right, g.Ellipsis)
		switch {
		case isCursor:
		case c.name == "flags":
			cell = colourFlags(cell, th, rs.edit, st)
		case rs.edit != nil && (c.name == "title" && rs.edit.Title != nil || (c.name == "tags" || c.name == "owner") && rs.edit.Tags != nil):
			cell = st.pending.Render(cell) // a pending value, as pending flags show
		}
		line.WriteString(cell)
	}
	if isCursor {
		b.WriteString(st.cursor.Render(fit(line.String(), t.width, false, "")))
		return
	}
	b.WriteString(line.String())
}

// show replaces the rows. With keepPlace the cursor stays on its thread:
// when the rows shown began at the top and the cursor's thread is still
// within the first screenful, they still begin there, so threads that
// arrive above the cursor show (the usual place of an agent waiting for
// work); otherwise the cursor also stays at its screen row, so streaming
// pages never move what the operator reads, and arrivals above are counted
// (newAbove). A thread no longer shown leaves the cursor on its row number.
func (t *table) show(rows []*api.Thread, keepPlace bool) {
	curID, screenRow, atTop := t.at, t.cursor-t.offset, t.offset == 0
	t.rows = rows
	if filled := fillState(t.chosen, rows, cellEnv{owners: t.owners}); !maps.Equal(filled, t.filled) {
		t.filled = filled
		t.relayout()
	}
	if keepPlace && curID != "" {
		for i, r := range rows {
			if r.ID == curID {
				t.cursor, t.offset = i, i-screenRow
				if atTop && i < t.height {
					t.offset = 0
				}
				break
			}
		}
	}
	t.above = t.above[:0]
	t.clamp()
	t.placeUnseen()
}

// moveToThread puts the cursor on a thread, if it is shown, and scrolls
// it into view.
func (t *table) moveToThread(id string) {
	for i, r := range t.rows {
		if r.ID == id {
			t.moveTo(i)
			return
		}
	}
}
