package ui

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"triage/keymap"
	"triage/threads"
)

// paletteItem is one thing the palette runs: an action of the list (a
// macro included), a view or an order, saving the view shown (with its
// search) under a name, or removing a saved view.
type paletteItem struct {
	name   string // what is shown and matched
	keys   string // the keys that run it without the palette
	action keymap.Action
	view   int         // the view to show, when nothing else is set
	sort   *sortChoice // the order to sort by
	saveAs string      // the name to save the view shown as
	remove bool        // remove the saved view, view
}

// paletteView is a view as the palette lists it.
type paletteView struct {
	name  string
	saved bool
}

// saveViewWords start what the palette reads as "save the view as".
const saveViewWords = "save view "

// palette finds anything the list can do by name as the agent types, and
// runs the chosen one: nothing needs its key remembered.
type palette struct {
	keys   *keymap.Keymap
	items  []paletteItem
	shown  []int       // indexes of items matching the input; -1 is save
	save   paletteItem // saving the view shown, as typed
	cursor int
	input  textinput.Model
}

// paletteRows is the most matches shown at once.
const paletteRows = 12

// newPalette lists the macros and commands, every other action of the
// context it is opened in (but itself and cancel), and in the list the
// views by name and every order.
func newPalette(km *keymap.Keymap, ctx keymap.Context, views []paletteView) (*palette, tea.Cmd) {
	p := &palette{keys: km, input: newTextInput()}
	p.input.Placeholder = "type any words of what to run"
	entries := km.In(ctx)
	own := func(e keymap.Entry) bool { _, ok := keymap.OwnName(e.Action); return ok }
	entries = append(slices.DeleteFunc(slices.Clone(entries), func(e keymap.Entry) bool { return !own(e) }),
		slices.DeleteFunc(entries, own)...) // the agent's own macros and commands first
	for _, e := range entries {
		if e.Action == keymap.Palette || e.Action == keymap.Cancel {
			continue
		}
		if _, isView := keymap.ViewNumber(e.Action); isView {
			continue // the views are listed by name below
		}
		p.items = append(p.items, paletteItem{name: e.Group + ": " + e.Binding.Help().Desc, keys: e.Binding.Help().Key, action: e.Action})
	}
	for i, v := range views {
		it := paletteItem{name: "View: " + v.name, view: i}
		if i < 9 {
			it.keys = km.Binding(keymap.ViewAction(i + 1)).Help().Key
		}
		p.items = append(p.items, it)
		if v.saved {
			p.items = append(p.items, paletteItem{name: "Remove the saved view: " + v.name + " (remove view)", view: i, remove: true})
		}
	}
	for _, k := range threads.SortKeys() {
		for _, rev := range []bool{false, true} {
			if c := (sortChoice{k, rev}); ctx == keymap.InList {
				p.items = append(p.items, paletteItem{name: "Sort by " + sortText(k, rev), sort: &c})
			}
		}
	}
	if ctx == keymap.InList {
		p.save = paletteItem{name: "save"} // offered once "save view NAME" is typed
		p.items = append(p.items, paletteItem{name: "Save the view shown, with its search: type save view NAME", saveAs: " "})
	}
	p.filter()
	return p, p.input.Focus()
}

// filter keeps the items whose name holds every word typed, in any case;
// in the list, "save view NAME" offers to save the view shown as NAME.
func (p *palette) filter() {
	words := strings.Fields(strings.ToLower(p.input.Value()))
	p.shown = p.shown[:0]
	if name, ok := strings.CutPrefix(strings.TrimLeft(p.input.Value(), " "), saveViewWords); ok && p.save.name != "" {
		if name = strings.TrimSpace(name); name != "" {
			p.save.saveAs = name
			p.save.name = "Save the view shown, with its search, as “" + name + "”"
			p.shown = append(p.shown, -1)
			p.cursor = 0
			return
		}
	}
	for i, it := range p.items {
		name := strings.ToLower(it.name + " " + string(it.action))
		match := true
		for _, w := range words {
			match = match && strings.Contains(name, w)
		}
		if match {
			p.shown = append(p.shown, i)
		}
	}
	p.cursor = 0
}

func (p *palette) context() keymap.Context { return keymap.InForm }

func (p *palette) dirty() bool { return false } // a search for an action: nothing to lose

// typed moves through the matches with the arrows (and ctrl+n, ctrl+p);
// anything else is typed into the query.
func (p *palette) typed(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch k.String() {
		case "down", "ctrl+n":
			p.move(1)
			return nil
		case "up", "ctrl+p":
			p.move(-1)
			return nil
		}
	}
	before := p.input.Value()
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	if p.input.Value() != before {
		p.filter()
	}
	return cmd
}

// move steps the cursor through the matches, wrapping around.
func (p *palette) move(step int) {
	if n := len(p.shown); n > 0 {
		p.cursor = (p.cursor + step + n) % n
	}
}

func (p *palette) action(a keymap.Action) formStep {
	switch a {
	case keymap.Cancel:
		return formStep{done: true}
	case keymap.NextField:
		p.move(1)
	case keymap.PrevField:
		p.move(-1)
	case keymap.Submit:
		if len(p.shown) == 0 {
			return formStep{}
		}
		it := p.save
		if i := p.shown[p.cursor]; i >= 0 {
			it = p.items[i]
		}
		return formStep{done: true, run: &it}
	}
	return formStep{}
}

func (p *palette) view(width int, st *styles, g Glyphs) []string {
	p.input.SetWidth(width - 4)
	lines := []string{st.title.Render("Run"), p.input.View(), ""}
	if len(p.shown) == 0 {
		lines = append(lines, st.dim.Render("Nothing by that name"))
	}
	first := max(0, p.cursor-paletteRows+1)
	for i := first; i < min(len(p.shown), first+paletteRows); i++ {
		it := p.save
		if j := p.shown[i]; j >= 0 {
			it = p.items[j]
		}
		name := fit(it.name, max(0, width-14), false, g.Ellipsis)
		keys := fit(it.keys, 10, false, g.Ellipsis)
		if i == p.cursor {
			lines = append(lines, st.cursor.Render(g.Cursor+" "+name+" "+keys))
		} else {
			lines = append(lines, "  "+name+" "+st.dim.Render(keys))
		}
	}
	return append(lines, "", keyHint(p.keys, st, keymap.Submit, "run", keymap.NextField, "next", keymap.Cancel, "cancel")+
		st.dim.Render("  up/down move"))
}
