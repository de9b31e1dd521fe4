package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"triage/sanitize"
)

// topBar is the top line: the views with their server totals (the active
// one in brackets, so it shows without colour) and where the threads come
// from.
func topBar(vs *viewSet, source string, width int, lk *look) string {
	var b strings.Builder
	used := 0
	add := func(text string, style func(...string) string) {
		if used >= width {
			return
		}
		text = fit(text, min(ansi.StringWidth(text), width-used), false, lk.g.Ellipsis)
		used += ansi.StringWidth(text)
		b.WriteString(style(text))
	}
	add(" triage ", lk.st.bar.Render)
	for i, v := range vs.all {
		label := fmt.Sprintf("%d %s %s", i+1, v.def.Name, v.totalText())
		if i == vs.active {
			add("["+label+"]", lk.st.barActive.Render)
		} else {
			add(" "+label+" ", lk.st.bar.Render)
		}
	}
	src := " " + sanitize.Line(source) + " "
	if gap := width - used - ansi.StringWidth(src); gap >= 2 {
		add(strings.Repeat(" ", gap)+src, lk.st.bar.Render)
	} else if used < width {
		add(strings.Repeat(" ", width-used), lk.st.bar.Render)
	}
	return b.String()
}
