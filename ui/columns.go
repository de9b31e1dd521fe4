package ui

import (
	"strconv"
	"strings"
	"time"

	"triage/api"
	"triage/queue"
	"triage/sanitize"
	"triage/threads"
)

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

// sortText is "unread, most first" and the like.
func sortText(k threads.SortKey, reverse bool) string {
	dirs := map[threads.SortKey][2]string{
		threads.SortUpdated:  {"newest first", "oldest first"},
		threads.SortStarted:  {"newest first", "oldest first"},
		threads.SortUnread:   {"most first", "fewest first"},
		threads.SortNegative: {"most first", "fewest first"},
		threads.SortTitle:    {"A to Z", "Z to A"},
	}
	d := dirs[k][0]
	if reverse {
		d = dirs[k][1]
	}
	return k.String() + ", " + d
}

// sortMark is the column title the rows are sorted by and its glyph; the
// default order needs no mark.
func sortMark(k threads.SortKey, reverse bool, g Glyphs) (column, mark string) {
	if k == threads.SortUpdated && !reverse {
		return "", ""
	}
	column = map[threads.SortKey]string{threads.SortUpdated: "Age", threads.SortUnread: "New",
		threads.SortNegative: "+/-", threads.SortTitle: "Title"}[k]
	return column, pick(reverse, g.SortUp, g.SortDown)
}
