package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"triage/sanitize"
	"triage/session"
)

// topBar is the top line: the views with their server totals (the active
// one in brackets, so it shows without colour) and where the threads come
// from. The totals are those the status line last followed (totals): the
// views drawn from All count up at each page of a load, and are redrawn
// at the spinner's pace, as its progress is. When the views do not fit,
// the product's name gives its room to them and the others are
// abbreviated (names cut to three letters, then numbers alone) so the
// active one always shows whole.
func topBar(views []*session.View, totals []string, cur *session.View, source string, width int, lk *look) string {
	total := func(i int) string {
		if i < len(totals) {
			return totals[i]
		}
		return views[i].TotalText() // a view new since the status line last followed
	}
	labels := func(short int) []string {
		out := make([]string, len(views))
		for i, v := range views {
			name := v.Def().Name
			switch {
			case v == cur:
				out[i] = fmt.Sprintf("[%d %s %s]", i+1, name, total(i))
				continue
			case short == 1:
				name = string([]rune(name)[:min(3, len([]rune(name)))])
			case short == 2:
				out[i] = fmt.Sprintf(" %d ", i+1)
				continue
			}
			out[i] = fmt.Sprintf(" %d %s %s ", i+1, name, total(i))
		}
		return out
	}
	brand, shown := " triage ", labels(0)
	for short := 1; short <= 2 && ansi.StringWidthWc(brand+strings.Join(shown, "")) > width; short++ {
		brand, shown = "", labels(short)
	}
	var b strings.Builder
	used := 0
	add := func(text string, style func(...string) string) {
		if used >= width {
			return
		}
		text = fit(text, min(ansi.StringWidthWc(text), width-used), false, lk.g.Ellipsis)
		used += ansi.StringWidthWc(text)
		b.WriteString(style(text))
	}
	if brand != "" {
		add(brand, lk.st.bar.Render)
	}
	for i, label := range shown {
		if i == cur.Index() {
			add(label, lk.st.barActive.Render)
		} else {
			add(label, lk.st.bar.Render)
		}
	}
	src := " " + sanitize.Line(source) + " "
	if gap := width - used - ansi.StringWidthWc(src); gap >= 2 {
		add(strings.Repeat(" ", gap)+src, lk.st.bar.Render)
	} else if used < width {
		add(strings.Repeat(" ", width-used), lk.st.bar.Render)
	}
	return b.String()
}
