package ui

import (
	tea "charm.land/bubbletea/v2"

	"triage/keymap"
	"triage/threads"
)

// sortChoice is an order the sort picker chose.
type sortChoice struct {
	key     threads.SortKey
	reverse bool
}

// sortPicker lists every order, each sort key both ways, to pick one.
type sortPicker struct {
	keys    *keymap.Keymap
	choices []sortChoice
	cursor  int
}

// newSortPicker opens the picker on the order the view has.
func newSortPicker(km *keymap.Keymap, current sortChoice) *sortPicker {
	p := &sortPicker{keys: km}
	for _, k := range threads.SortKeys() {
		for _, rev := range []bool{false, true} {
			if (sortChoice{k, rev}) == current {
				p.cursor = len(p.choices)
			}
			p.choices = append(p.choices, sortChoice{k, rev})
		}
	}
	return p
}

func (p *sortPicker) context() keymap.Context { return keymap.InPicker }

func (p *sortPicker) dirty() bool { return false }

func (p *sortPicker) typed(tea.Msg) tea.Cmd { return nil }

func (p *sortPicker) action(a keymap.Action) formStep {
	if to, ok := scrollTo(a, p.cursor, len(p.choices), len(p.choices)); ok {
		p.cursor = to
		return formStep{}
	}
	switch a {
	case keymap.Cancel:
		return formStep{done: true}
	case keymap.Submit:
		c := p.choices[p.cursor]
		return formStep{done: true, sort: &c}
	}
	return formStep{}
}

func (p *sortPicker) view(width int, st *styles, g Glyphs) []string {
	lines := []string{st.title.Render("Sort the view by"), ""}
	for i, c := range p.choices {
		line := pick(i == p.cursor, g.Cursor, " ") + " " + sortText(c.key, c.reverse)
		if i == p.cursor {
			line = st.cursor.Render(fit(line, min(width, 40), false, ""))
		}
		lines = append(lines, line)
	}
	return append(lines, "", keyHint(p.keys, st, keymap.Down, "down", keymap.Up, "up", keymap.Submit, "sort", keymap.Cancel, "cancel"))
}
