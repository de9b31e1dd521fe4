package ui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"triage/api"
	"triage/queue"
	"triage/sanitize"
	"triage/threads"
	"triage/words"
)

// column is one column of the thread table. Columns with a lower
// priority number give way first when the terminal is narrow, empty ones
// before the rest; an auto column shows only when some thread fills it.
type column struct {
	name     string // as the config names it
	title    string
	min, max int
	priority int
	right    bool
	auto     bool
	sort     threads.SortKey // the order it shows, for the sort mark
	sorts    bool            // sort is set
	cell     func(t *api.Thread, e *queue.Edit, env cellEnv) string
	// has reports whether a thread fills the column, as env tells; nil:
	// always.
	has func(t *api.Thread, env cellEnv) bool
}

// cellEnv is what a cell is drawn with besides its thread: the time, the
// glyphs, and who owns threads.
type cellEnv struct {
	now    time.Time
	g      Glyphs
	owners threads.Owners
}

// columnCatalogue is every column the table can show, in the default
// order: the one vocabulary of columns = [...], its validation, the help
// of config.toml.example and the table.
func columnCatalogue() []column {
	text := func(f func(t *api.Thread) string) func(*api.Thread, *queue.Edit, cellEnv) string {
		return func(t *api.Thread, _ *queue.Edit, _ cellEnv) string { return sanitize.Line(f(t)) }
	}
	count := func(f func(t *api.Thread) int) func(*api.Thread, *queue.Edit, cellEnv) string {
		return func(t *api.Thread, _ *queue.Edit, _ cellEnv) string {
			if n := f(t); n != 0 {
				return strconv.Itoa(n)
			}
			return ""
		}
	}
	ago := func(f func(t *api.Thread) time.Time) func(*api.Thread, *queue.Edit, cellEnv) string {
		return func(t *api.Thread, _ *queue.Edit, env cellEnv) string { return words.Age(env.now, f(t)) }
	}
	filled := func(f func(t *api.Thread) string) func(*api.Thread, cellEnv) bool {
		return func(t *api.Thread, _ cellEnv) bool { return f(t) != "" }
	}
	when := func(f func(t *api.Thread) bool) func(*api.Thread, cellEnv) bool {
		return func(t *api.Thread, _ cellEnv) bool { return f(t) }
	}
	email := func(t *api.Thread) string { return t.VisitorEmail }
	platform := func(t *api.Thread) string { return t.PlatformSource }
	model := func(t *api.Thread) string {
		if t.LLMModel == nil {
			return ""
		}
		return t.LLMModel.Title
	}
	mode := func(t *api.Thread) string { return string(t.Mode) }
	return []column{
		{name: "flags", title: "RAEI", min: 4, max: 4, priority: 100, cell: flagsCell},
		{name: "title", title: "Title", min: 28, max: 100, priority: 90, cell: titleCell, sort: threads.SortTitle, sorts: true},
		{name: "visitor", title: "Visitor", min: 12, max: 26, priority: 60, cell: text((*api.Thread).Visitor)},
		{name: "email", title: "Email", min: 14, max: 30, priority: 20, cell: text(email), has: filled(email)},
		{name: "mode", title: "Mode", min: 5, max: 5, priority: 55, auto: true, cell: text(mode), has: filled(mode)},
		{name: "tags", title: "Tags", min: 10, max: 28, priority: 40, cell: tagsCell,
			has: func(t *api.Thread, env cellEnv) bool { return len(env.owners.Plain(t.Tags)) > 0 }},
		{name: "owner", title: "Owner", min: 5, max: 12, priority: 45, auto: true, cell: ownerCell, // while agents claim threads
			has: func(_ *api.Thread, env cellEnv) bool { return env.owners.On() }},
		{name: "unread", title: "New", min: 4, max: 4, priority: 50, right: true, sort: threads.SortUnread, sorts: true,
			cell: count(func(t *api.Thread) int { return t.UnreadMessagesCount }), has: when(func(t *api.Thread) bool { return t.UnreadMessagesCount > 0 })},
		{name: "feedback", title: "+/-", min: 5, max: 7, priority: 30, right: true, sort: threads.SortNegative, sorts: true,
			cell: func(t *api.Thread, _ *queue.Edit, _ cellEnv) string {
				if t.PositiveCount == 0 && t.NegativeCount == 0 {
					return ""
				}
				return "+" + strconv.Itoa(t.PositiveCount) + "/-" + strconv.Itoa(t.NegativeCount)
			}, has: when(func(t *api.Thread) bool { return t.PositiveCount+t.NegativeCount > 0 })},
		{name: "platform", title: "Platform", min: 8, max: 10, priority: 15, cell: text(platform), has: filled(platform)},
		{name: "started", title: "Began", min: 5, max: 5, priority: 10, right: true, sort: threads.SortStarted, sorts: true,
			cell: ago(func(t *api.Thread) time.Time { return t.StartedAt })},
		{name: "updated", title: "Age", min: 4, max: 4, priority: 80, right: true, sort: threads.SortUpdated, sorts: true,
			cell: ago(func(t *api.Thread) time.Time { return t.UpdatedAt })},
		{name: "name", title: "Name", min: 12, max: 26, priority: 20, cell: text(func(t *api.Thread) string { return t.VisitorName })},
		{name: "phone", title: "Phone", min: 10, max: 18, priority: 12, cell: text(func(t *api.Thread) string { return t.VisitorPhone }),
			has: filled(func(t *api.Thread) string { return t.VisitorPhone })},
		{name: "model", title: "Model", min: 8, max: 16, priority: 12, cell: text(model), has: filled(model)},
		{name: "ended", title: "Ended", min: 5, max: 5, priority: 10, right: true, cell: ago(func(t *api.Thread) time.Time { return t.EndedAt })},
		{name: "id", title: "Thread", min: 10, max: 20, priority: 5, cell: text(func(t *api.Thread) string { return t.ID })},
		{name: "anonymous", title: "Anon", min: 4, max: 4, priority: 5, cell: func(t *api.Thread, _ *queue.Edit, _ cellEnv) string {
			return pick(t.Anonymous, "yes", "")
		}, has: when(func(t *api.Thread) bool { return t.Anonymous })},
	}
}

// DefaultColumns is the table without columns = [...] in the config: the
// first twelve of the catalogue.
func DefaultColumns() []string {
	var out []string
	for _, c := range columnCatalogue()[:12] {
		out = append(out, c.name)
	}
	return out
}

// ColumnNames is every column the config's columns = [...] may name.
func ColumnNames() []string {
	var out []string
	for _, c := range columnCatalogue() {
		out = append(out, c.name)
	}
	return out
}

// chooseColumns returns the named columns in that order (the defaults
// when names is empty); an unknown or repeated name is an error that
// lists the names allowed.
func chooseColumns(names []string) ([]column, error) {
	if len(names) == 0 {
		names = DefaultColumns()
	}
	byName := map[string]column{}
	for _, c := range columnCatalogue() {
		byName[c.name] = c
	}
	var out []column
	seen := map[string]bool{}
	for _, n := range names {
		c, ok := byName[n]
		switch {
		case !ok:
			return nil, fmt.Errorf("unknown column %q (known: %s)", n, strings.Join(ColumnNames(), ", "))
		case seen[n]:
			return nil, fmt.Errorf("column %q is named twice", n)
		}
		seen[n] = true
		out = append(out, c)
	}
	return out, nil
}

// CheckColumns validates a columns = [...] setting.
func CheckColumns(names []string) error {
	_, err := chooseColumns(names)
	return err
}

// flagsCell shows the flags as the operator will have them: a letter when
// set, the unset glyph when not, and the cleared glyph for a flag a pending
// edit clears, so a pending change reads without colour too.
func flagsCell(t *api.Thread, e *queue.Edit, env cellEnv) string {
	g := env.g
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
func titleCell(t *api.Thread, e *queue.Edit, _ cellEnv) string {
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

// tagsCell is the tag list a pending tags edit gives, else the server's,
// without the owner's tag (the owner column shows it).
func tagsCell(t *api.Thread, e *queue.Edit, env cellEnv) string {
	return sanitize.Line(strings.Join(env.owners.Plain(shownTags(t, e)), ","))
}

// ownerCell is the owner the thread will have: a pending claim's, else
// the server's.
func ownerCell(t *api.Thread, e *queue.Edit, env cellEnv) string {
	return sanitize.Line(env.owners.Of(shownTags(t, e)))
}

// shownTags are the tags a pending tags edit gives, else the server's.
func shownTags(t *api.Thread, e *queue.Edit) []string {
	if e != nil && e.Tags != nil {
		return e.Tags.Result(t.Tags)
	}
	return t.Tags
}

// gutterWidth is the cursor, mark and pending glyphs and a space before
// the first column; with presence on, a glyph for the other agents on the
// thread comes before the space.
const gutterWidth = 4

// layout chooses the columns that fit width (the table's, less the
// gutter) and their widths. An auto
// column nobody fills is left out; then, while the minimum widths do not
// fit, the empty columns give way first and the lowest priority ones
// next (never the flags, the title or the sorted column), and empty
// columns give way to the title while it is below its widest. The spare
// room goes to the variable columns, the title last and most.
func layout(cols []column, width int, filled map[string]bool, sorted string) (shown []column, widths []int) {
	avail := width
	cols = slices.Clone(cols)
	keep := make([]bool, len(cols))
	need := 0
	for i, c := range cols {
		if c.name == sorted { // room for the mark beside the title
			cols[i].min = max(c.min, len(c.title)+1)
			cols[i].max = max(c.max, cols[i].min)
		}
		if c.auto && !filled[c.name] {
			continue
		}
		keep[i] = true
		need += cols[i].min + 1
	}
	for need-1 > avail {
		low := -1
		for i, c := range cols {
			if !keep[i] || c.priority >= 90 || c.name == sorted {
				continue
			}
			if low < 0 || lessNeeded(c, cols[low], filled) {
				low = i
			}
		}
		if low < 0 {
			break
		}
		keep[low] = false
		need -= cols[low].min + 1
	}
	// Columns nobody fills give their room to the title while it is below
	// its widest.
	if t := slices.IndexFunc(cols, func(c column) bool { return c.name == "title" }); t >= 0 {
		for avail-(need-1) < cols[t].max-cols[t].min {
			empty := -1
			for i, c := range cols {
				if keep[i] && c.has != nil && !filled[c.name] && c.name != sorted && (empty < 0 || c.priority < cols[empty].priority) {
					empty = i
				}
			}
			if empty < 0 {
				break
			}
			keep[empty] = false
			need -= cols[empty].min + 1
		}
	}
	spare := avail - (need - 1)
	titleAt := -1
	for i, c := range cols {
		if !keep[i] {
			continue
		}
		w := c.min // (the sorted column's includes its mark)
		if c.name == "title" {
			titleAt = len(widths)
		} else if grow := min(c.max-c.min, spare/4); grow > 0 {
			w += grow
			spare -= grow
		}
		shown = append(shown, c)
		widths = append(widths, w)
	}
	if titleAt >= 0 && spare > 0 {
		widths[titleAt] += min(spare, shown[titleAt].max-widths[titleAt])
	}
	return shown, widths
}

// lessNeeded reports whether a gives way before b: an empty column before
// a filled one, then the lower priority.
func lessNeeded(a, b column, filled map[string]bool) bool {
	ae, be := a.has != nil && !filled[a.name], b.has != nil && !filled[b.name]
	if ae != be {
		return ae
	}
	return a.priority < b.priority
}

// fillState reports which columns some of rows fill (looking at the first
// few thousand: enough to tell, and cheap enough for every refresh).
func fillState(cols []column, rows []*api.Thread, env cellEnv) map[string]bool {
	filled := map[string]bool{}
	open := 0
	for _, c := range cols {
		if c.has == nil {
			filled[c.name] = true
		} else {
			open++
		}
	}
	for _, t := range rows[:min(len(rows), 3000)] {
		if open == 0 {
			break
		}
		for _, c := range cols {
			if c.has != nil && !filled[c.name] && c.has(t, env) {
				filled[c.name] = true
				open--
			}
		}
	}
	return filled
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

// sortColumn is the name of the column that shows the order k, and the
// glyph that marks it: the sorted column is always marked.
func sortColumn(k threads.SortKey, reverse bool, g Glyphs) (name, mark string) {
	for _, c := range columnCatalogue() {
		if c.sorts && c.sort == k {
			name = c.name
		}
	}
	return name, pick(reverse, g.SortUp, g.SortDown)
}
