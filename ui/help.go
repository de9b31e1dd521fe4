package ui

import (
	"strings"

	"triage/keymap"
	"triage/threads"
)

// helpPane is the help overlay: every binding in force, grouped in as
// many columns as the width holds, then the search grammar. It is
// generated from the keymap, so it always shows the keys the operator
// actually has; it scrolls when it is longer than the screen.
type helpPane struct {
	offset int
}

// helpColumn is the narrowest column of the help: room for the longest
// descriptions, so none is cut.
const helpColumn = 40

// key scrolls on the movement keys and closes on any other; it reports
// whether the help closed. lines and page are its length and the lines
// shown.
func (h *helpPane) key(a keymap.Action, lines, page int) (closed bool) {
	to, ok := scrollTo(a, h.offset, max(1, lines-page+1), page)
	if !ok {
		h.offset = 0
		return true
	}
	h.offset = max(0, to)
	return false
}

// lines is the help, width cells wide.
func helpLines(km *keymap.Keymap, width int, st *styles, g Glyphs) []string {
	type item struct {
		key, desc string
		header    bool
	}
	var items []item
	keyWidth := 0
	for _, grp := range km.Groups() {
		items = append(items, item{desc: grp.Name, header: true})
		for _, b := range grp.Bindings {
			h := b.Help()
			// "view 1" ... "view 9" share one line: "123456789 view 1-9".
			if n, ok := strings.CutPrefix(h.Desc, "view "); ok && len(n) == 1 && n != "1" && len(items) > 0 {
				if last := &items[len(items)-1]; strings.HasPrefix(last.desc, "view 1") {
					last.key += h.Key
					last.desc = "view 1-" + n
					keyWidth = max(keyWidth, len(last.key))
					continue
				}
			}
			items = append(items, item{key: h.Key, desc: h.Desc})
			keyWidth = max(keyWidth, len(h.Key))
		}
	}
	ncols := max(1, width/helpColumn)
	colWidth := width / ncols
	keyWidth = min(keyWidth, colWidth*2/5)
	perCol := (len(items) + ncols - 1) / ncols
	var out []string
	for row := 0; row < perCol; row++ {
		var line strings.Builder
		for c := 0; c < ncols; c++ {
			cell := ""
			if i := c*perCol + row; i < len(items) {
				it := items[i]
				if it.header {
					cell = st.title.Render(fit(it.desc, colWidth-1, false, g.Ellipsis))
				} else {
					cell = fit(it.key, keyWidth, false, g.Ellipsis) + " " + fit(it.desc, max(1, colWidth-keyWidth-2), false, g.Ellipsis)
				}
			}
			if c < ncols-1 {
				cell = fit(cell, colWidth, false, "")
			}
			line.WriteString(cell)
		}
		out = append(out, line.String())
	}
	out = append(out, "", st.title.Render("Search (/)"))
	return append(out, wrapLines(threads.Grammar(), width)...)
}

// view draws the help in height lines from its offset.
func (h *helpPane) view(km *keymap.Keymap, width, height int, st *styles, g Glyphs) string {
	lines := helpLines(km, width, st, g)
	page := max(1, height-1)
	h.offset = max(0, min(h.offset, len(lines)-page))
	var b strings.Builder
	head := "Keys  (any key closes)"
	if len(lines) > page {
		head = "Keys  (j/k, space, pgdown scroll; any other key closes)"
	}
	b.WriteString(st.title.Render("Keys") + strings.TrimPrefix(head, "Keys") + "\n")
	for i := h.offset; i < min(len(lines), h.offset+page); i++ {
		b.WriteString(lines[i] + "\n")
	}
	return b.String()
}
