package ui

import (
	"strings"

	"triage/keymap"
	"triage/threads"
)

// helpView draws every binding in force, grouped, flowing down as many
// columns as the height needs and the width allows. It is generated from
// the keymap, so it always shows the keys the operator actually has.
func helpView(km *keymap.Keymap, width, height int, st *styles) string {
	type item struct {
		key, desc string
		header    bool
	}
	var items []item
	keyWidth := 0
	for _, g := range km.Groups() {
		items = append(items, item{desc: g.Name, header: true})
		for _, b := range g.Bindings {
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
	perCol := max(1, height-2)
	ncols := (len(items) + perCol - 1) / perCol
	colWidth := width / max(1, ncols)
	keyWidth = min(keyWidth, max(6, colWidth*2/5))
	var b strings.Builder
	b.WriteString(st.title.Render("Keys") + "  (any key closes)\n")
	grammar := wrapLines("Search (/): "+threads.Grammar(), width)
	if used := (len(items) + ncols - 1) / ncols; perCol-used > len(grammar) {
		perCol -= len(grammar) + 1 // room below the columns for the search grammar
	} else {
		grammar = nil
	}
	for row := 0; row < perCol; row++ {
		var line strings.Builder
		for c := 0; c < ncols; c++ {
			i := c*perCol + row
			cell := ""
			if i < len(items) {
				it := items[i]
				if it.header {
					cell = st.title.Render(fit(it.desc, colWidth-1, false, "~"))
				} else {
					cell = fit(it.key, keyWidth, false, "~") + " " + fit(it.desc, max(1, colWidth-keyWidth-2), false, "~")
				}
			}
			if c < ncols-1 {
				cell = fit(cell, colWidth, false, "")
			}
			line.WriteString(cell)
		}
		b.WriteString(line.String())
		b.WriteByte('\n')
	}
	if grammar != nil {
		b.WriteByte('\n')
		for _, l := range grammar {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}
