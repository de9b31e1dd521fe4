package ui

import (
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"triage/api"
	"triage/sanitize"
)

// column is one column of the thread table. Columns with a lower
// priority number are dropped first when the terminal is narrow.
type column struct {
	title    string
	min, max int
	priority int
	right    bool
	cell     func(t *api.Thread, now time.Time, g Glyphs) string
}

// flagColumn is the index of the flags column, drawn in colour.
const flagColumn = 0

func columns() []column {
	return []column{
		{title: "RAEI", min: 4, max: 4, priority: 100, cell: flagsCell},
		{title: "Title", min: 16, max: 1000, priority: 90, cell: func(t *api.Thread, _ time.Time, _ Glyphs) string {
			if t.Title == "" {
				return "(no title)"
			}
			return sanitize.Line(t.Title)
		}},
		{title: "Visitor", min: 12, max: 26, priority: 60, cell: func(t *api.Thread, _ time.Time, _ Glyphs) string {
			return visitor(t)
		}},
		{title: "Tags", min: 10, max: 28, priority: 40, cell: func(t *api.Thread, _ time.Time, _ Glyphs) string {
			return sanitize.Line(strings.Join(t.Tags, ","))
		}},
		{title: "New", min: 3, max: 3, priority: 50, right: true, cell: func(t *api.Thread, _ time.Time, _ Glyphs) string {
			if t.UnreadMessagesCount == 0 {
				return ""
			}
			return strconv.Itoa(t.UnreadMessagesCount)
		}},
		{title: "+/-", min: 5, max: 7, priority: 30, right: true, cell: func(t *api.Thread, _ time.Time, _ Glyphs) string {
			if t.PositiveCount == 0 && t.NegativeCount == 0 {
				return ""
			}
			return "+" + strconv.Itoa(t.PositiveCount) + "/-" + strconv.Itoa(t.NegativeCount)
		}},
		{title: "Age", min: 4, max: 4, priority: 80, right: true, cell: func(t *api.Thread, now time.Time, _ Glyphs) string {
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

func flagsCell(t *api.Thread, _ time.Time, g Glyphs) string {
	var b strings.Builder
	for i, on := range [4]bool{t.Resolved, t.Archived, t.Escalated, t.Important} {
		if on {
			b.WriteByte("RAEI"[i])
		} else {
			b.WriteString(g.Unset)
		}
	}
	return b.String()
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

// gutterWidth is the cursor glyph and a space before the first column.
const gutterWidth = 2

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
	sw := ansi.StringWidth(s)
	if sw > w {
		s = ansi.Truncate(s, w, ellipsis)
		sw = ansi.StringWidth(s)
	}
	pad := strings.Repeat(" ", max(0, w-sw))
	if right {
		return pad + s
	}
	return s + pad
}

// table is the scrolling thread list: cursor, scroll offset and drawing
// of the visible rows only.
type table struct {
	rows   *rowSet
	cursor int
	offset int
	height int // rows visible below the header
	width  int
	cols   []column
	widths []int
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
	n := t.rows.len()
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
	if t.cursor < 0 || t.cursor >= t.rows.len() {
		return nil
	}
	return t.rows.rows[t.cursor]
}

// view draws the header and the visible rows, height+1 lines.
func (t *table) view(b *strings.Builder, now time.Time, g Glyphs, st *styles) {
	var line strings.Builder
	line.WriteString(strings.Repeat(" ", gutterWidth))
	for i, c := range t.cols {
		if i > 0 {
			line.WriteByte(' ')
		}
		line.WriteString(fit(c.title, t.widths[i], c.right, g.Ellipsis))
	}
	b.WriteString(st.header.Render(fit(line.String(), t.width, false, "")))
	b.WriteByte('\n')
	end := min(t.offset+t.height, t.rows.len())
	for i := t.offset; i < end; i++ {
		t.row(b, i, now, g, st)
		b.WriteByte('\n')
	}
	for i := end - t.offset; i < t.height; i++ {
		b.WriteByte('\n')
	}
}

// row draws one thread. The cursor row is reversed and carries the cursor
// glyph, so it shows without colour; other rows colour their flags.
func (t *table) row(b *strings.Builder, i int, now time.Time, g Glyphs, st *styles) {
	th := t.rows.rows[i]
	isCursor := i == t.cursor
	var line strings.Builder
	if isCursor {
		line.WriteString(g.Cursor)
	} else {
		line.WriteByte(' ')
	}
	line.WriteByte(' ')
	for ci, c := range t.cols {
		if ci > 0 {
			line.WriteByte(' ')
		}
		cell := fit(c.cell(th, now, g), t.widths[ci], c.right, g.Ellipsis)
		if ci == flagColumn && !isCursor {
			cell = colourFlags(cell, st)
		}
		line.WriteString(cell)
	}
	if isCursor {
		b.WriteString(st.cursor.Render(fit(line.String(), t.width, false, "")))
		return
	}
	b.WriteString(line.String())
}

// colourFlags colours each set flag letter of a flags cell.
func colourFlags(cell string, st *styles) string {
	var b strings.Builder
	for _, r := range cell {
		if idx := strings.IndexRune("RAEI", r); idx >= 0 {
			b.WriteString(st.flagOn[idx].Render(string(r)))
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}
