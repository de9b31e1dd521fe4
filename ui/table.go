package ui

import (
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"triage/api"
	"triage/queue"
	"triage/sanitize"
)

// rowState is what the table shows of a thread besides its server data:
// the mark, the pending edit and problems with it.
type rowState struct {
	marked bool
	edit   *queue.Edit
	failed bool // the last flush reported an error for this thread
}

// column is one column of the thread table. Columns with a lower
// priority number are dropped first when the terminal is narrow.
type column struct {
	title    string
	min, max int
	priority int
	right    bool
	cell     func(t *api.Thread, e *queue.Edit, now time.Time, g Glyphs) string
}

// flagColumn is the index of the flags column, drawn in colour.
const flagColumn = 0

func columns() []column {
	return []column{
		{title: "RAEI", min: 4, max: 4, priority: 100, cell: flagsCell},
		{title: "Title", min: 16, max: 1000, priority: 90, cell: titleCell},
		{title: "Visitor", min: 12, max: 26, priority: 60, cell: func(t *api.Thread, _ *queue.Edit, _ time.Time, _ Glyphs) string {
			return visitor(t)
		}},
		{title: "Tags", min: 10, max: 28, priority: 40, cell: tagsCell},
		{title: "New", min: 4, max: 4, priority: 50, right: true, cell: func(t *api.Thread, _ *queue.Edit, _ time.Time, _ Glyphs) string {
			if t.UnreadMessagesCount == 0 {
				return ""
			}
			return strconv.Itoa(t.UnreadMessagesCount)
		}},
		{title: "+/-", min: 5, max: 7, priority: 30, right: true, cell: func(t *api.Thread, _ *queue.Edit, _ time.Time, _ Glyphs) string {
			if t.PositiveCount == 0 && t.NegativeCount == 0 {
				return ""
			}
			return "+" + strconv.Itoa(t.PositiveCount) + "/-" + strconv.Itoa(t.NegativeCount)
		}},
		{title: "Age", min: 4, max: 4, priority: 80, right: true, cell: func(t *api.Thread, _ *queue.Edit, now time.Time, _ Glyphs) string {
			return age(now, t.UpdatedAt)
		}},
	}
}

// visitor is the name, else the email, else "anonymous".
func visitor(t *api.Thread) string {
	switch {
	case t.VisitorName != "":
		return sanitize.Line(t.VisitorName)
	case t.VisitorEmail != "":
		return sanitize.Line(t.VisitorEmail)
	}
	return "anonymous"
}

// flagsCell shows the flags as the operator will have them: a letter when
// set, the unset glyph when not, and the cleared glyph for a flag a pending
// edit clears, so a pending change reads without colour too.
func flagsCell(t *api.Thread, e *queue.Edit, _ time.Time, g Glyphs) string {
	var b strings.Builder
	for _, f := range queue.Flags() {
		on, pending := e.FlagValue(f, t)
		switch {
		case on:
			b.WriteByte(flagLetters[f])
		case pending:
			b.WriteString(g.Cleared)
		default:
			b.WriteString(g.Unset)
		}
	}
	return b.String()
}

// flagLetters are the letters of the flags, in queue.Flags order.
const flagLetters = "RAEI"

// titleCell is the pending title if one is queued, else the server's.
func titleCell(t *api.Thread, e *queue.Edit, _ time.Time, _ Glyphs) string {
	title := t.Title
	if e != nil && e.Title != nil {
		title = ""
		if e.Title.Want != nil {
			title = *e.Title.Want
		}
	}
	if title == "" {
		return "(no title)"
	}
	return sanitize.Line(title)
}

// tagsCell is the tag list a pending tags edit gives, else the server's.
func tagsCell(t *api.Thread, e *queue.Edit, _ time.Time, _ Glyphs) string {
	tags := t.Tags
	if e != nil && e.Tags != nil {
		tags = e.Tags.Result(t.Tags)
	}
	return sanitize.Line(strings.Join(tags, ","))
}

// age is a compact relative time: now, 5m, 3h, 2d, 4w, 3mo, 2y.
func age(now, t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "now"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + "m"
	case d < 24*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + "h"
	case d < 14*24*time.Hour:
		return strconv.Itoa(int(d/(24*time.Hour))) + "d"
	case d < 60*24*time.Hour:
		return strconv.Itoa(int(d/(7*24*time.Hour))) + "w"
	case d < 365*24*time.Hour:
		return strconv.Itoa(int(d/(30*24*time.Hour))) + "mo"
	}
	return strconv.Itoa(int(d/(365*24*time.Hour))) + "y"
}

// gutterWidth is the cursor, mark and pending glyphs and a space before
// the first column.
const gutterWidth = 4

// layout chooses the columns that fit width and their widths: it drops
// the lowest priority columns until the minimum widths fit, then gives the
// spare room to the variable columns, the title last and most.
func layout(cols []column, width int) (shown []column, widths []int) {
	avail := width - gutterWidth
	keep := make([]bool, len(cols))
	need := 0
	for i, c := range cols {
		keep[i] = true
		need += c.min + 1
	}
	for need-1 > avail {
		low := -1
		for i, c := range cols {
			if keep[i] && c.priority < 90 && (low < 0 || c.priority < cols[low].priority) {
				low = i
			}
		}
		if low < 0 {
			break
		}
		keep[low] = false
		need -= cols[low].min + 1
	}
	spare := avail - (need - 1)
	titleAt := -1
	for i, c := range cols {
		if !keep[i] {
			continue
		}
		w := c.min
		if c.title == "Title" {
			titleAt = len(widths)
		} else if grow := min(c.max-c.min, spare/4); grow > 0 {
			w += grow
			spare -= grow
		}
		shown = append(shown, c)
		widths = append(widths, w)
	}
	if titleAt >= 0 && spare > 0 {
		widths[titleAt] += spare
	}
	return shown, widths
}

// fit pads or truncates s to exactly w cells.
func fit(s string, w int, right bool, ellipsis string) string {
	sw, plain := plainWidth(s)
	if !plain {
		sw = ansi.StringWidth(s)
	}
	if sw > w {
		if plain && len(ellipsis) == 1 && w > 0 {
			s = s[:w-1] + ellipsis
		} else {
			s = ansi.Truncate(s, w, ellipsis)
		}
		sw = ansi.StringWidth(s)
	}
	if sw == w {
		return s
	}
	pad := strings.Repeat(" ", max(0, w-sw))
	if right {
		return pad + s
	}
	return s + pad
}

// plainWidth is the width of printable ASCII text, which is its length;
// plain is false when s holds anything else and needs the full measure.
func plainWidth(s string) (int, bool) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return 0, false
		}
	}
	return len(s), true
}

// table is the scrolling thread list: cursor, scroll offset and drawing
// of the visible rows only.
type table struct {
	rows   []*api.Thread // the visible rows: the view's threads, searched and sorted
	cursor int
	offset int
	height int // rows visible below the header
	width  int
	cols   []column
	widths []int
	// sortedBy is the title of the column the rows are sorted by, and
	// sortMark the glyph shown beside it.
	sortedBy, sortMark string
}

func (t *table) resize(width, height int) {
	t.width, t.height = width, max(1, height)
	t.cols, t.widths = layout(columns(), width)
	t.clamp()
}

// moveTo puts the cursor on row i (clamped) and scrolls it into view.
func (t *table) moveTo(i int) {
	t.cursor = i
	t.clamp()
}

func (t *table) clamp() {
	n := len(t.rows)
	t.cursor = max(0, min(t.cursor, n-1))
	if t.cursor < t.offset {
		t.offset = t.cursor
	}
	if t.cursor >= t.offset+t.height {
		t.offset = t.cursor - t.height + 1
	}
	t.offset = max(0, min(t.offset, n-t.height))
}

// current returns the thread under the cursor, or nil.
func (t *table) current() *api.Thread {
	if t.cursor < 0 || t.cursor >= len(t.rows) {
		return nil
	}
	return t.rows[t.cursor]
}

// view draws the header and the visible rows, height+1 lines; state says
// how each row is marked and what is pending on it.
func (t *table) view(b *strings.Builder, now time.Time, g Glyphs, st *styles, state func(*api.Thread) rowState) {
	var line strings.Builder
	line.WriteString(strings.Repeat(" ", gutterWidth))
	for i, c := range t.cols {
		if i > 0 {
			line.WriteByte(' ')
		}
		title := c.title
		if title == t.sortedBy {
			title += t.sortMark
		}
		line.WriteString(fit(title, t.widths[i], c.right, g.Ellipsis))
	}
	b.WriteString(st.header.Render(fit(line.String(), t.width, false, "")))
	b.WriteByte('\n')
	end := min(t.offset+t.height, len(t.rows))
	for i := t.offset; i < end; i++ {
		t.row(b, i, now, g, st, state(t.rows[i]))
		b.WriteByte('\n')
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
	case rs.failed || rs.edit != nil && rs.edit.Conflicts() > 0:
		line.WriteString(g.Problem)
	case rs.edit != nil && rs.edit.NotConfirmed:
		line.WriteString(g.Unconfirmed)
	case rs.edit != nil:
		line.WriteString(g.Pending)
	default:
		line.WriteByte(' ')
	}
	line.WriteByte(' ')
	for ci, c := range t.cols {
		if ci > 0 {
			line.WriteByte(' ')
		}
		cell := fit(c.cell(th, rs.edit, now, g), t.widths[ci], c.right, g.Ellipsis)
		if ci == flagColumn && !isCursor {
			cell = colourFlags(cell, th, rs.edit, st)
		}
		line.WriteString(cell)
	}
	if isCursor {
		b.WriteString(st.cursor.Render(fit(line.String(), t.width, false, "")))
		return
	}
	b.WriteString(line.String())
}

func pick(cond bool, yes, no string) string {
	if cond {
		return yes
	}
	return no
}

// colourFlags colours each set flag letter of a flags cell, and pending
// values in the pending colour.
func colourFlags(cell string, th *api.Thread, e *queue.Edit, st *styles) string {
	var b strings.Builder
	i := 0
	for _, r := range cell {
		switch {
		case i >= len(flagLetters):
			b.WriteRune(r)
		case pendingFlag(e, queue.Flag(i), th):
			b.WriteString(st.pendingGlyph(r))
		case r == rune(flagLetters[i]):
			b.WriteString(st.flagOnText[i])
		default:
			b.WriteRune(r)
		}
		i++
	}
	return b.String()
}

func pendingFlag(e *queue.Edit, f queue.Flag, th *api.Thread) bool {
	_, pending := e.FlagValue(f, th)
	return pending
}
