package ui

import (
	"strings"

	"triage/keymap"
)

// helpView draws every binding in force, grouped, in as many columns as
// the width allows. It is generated from the keymap, so it always shows
// the keys the operator actually has.
func helpView(km *keymap.Keymap, width, height int, st *styles) string {
	const colWidth = 38
	var blocks [][]string
	for _, g := range km.Groups() {
		lines := []string{st.title.Render(g.Name)}
		for _, b := range g.Bindings {
			h := b.Help()
			lines = append(lines, fit(h.Key, 14, false, "~")+" "+fit(h.Desc, colWidth-16, false, "~"))
		}
		blocks = append(blocks, append(lines, ""))
	}
	ncols := max(1, width/colWidth)
	perCol := max(1, height-2)
	cols := make([][]string, 1, ncols)
	for _, blk := range blocks {
		cur := &cols[len(cols)-1]
		if len(*cur)+len(blk) > perCol && len(*cur) > 0 && len(cols) < ncols {
			cols = append(cols, nil)
			cur = &cols[len(cols)-1]
		}
		*cur = append(*cur, blk...)
	}
	var b strings.Builder
	b.WriteString(st.title.Render("Keys") + "  (any key closes)\n")
	for row := 0; row < perCol; row++ {
		var line strings.Builder
		for ci, col := range cols {
			cell := ""
			if row < len(col) {
				cell = col[row]
			}
			if ci < len(cols)-1 {
				cell = fit(cell, colWidth, false, "")
			}
			line.WriteString(cell)
		}
		b.WriteString(line.String())
		b.WriteByte('\n')
	}
	return b.String()
}
