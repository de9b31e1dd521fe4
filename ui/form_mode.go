package ui

import (
	tea "charm.land/bubbletea/v2"

	"triage/api"
	"triage/keymap"
	"triage/queue"
	"triage/sanitize"
	"triage/words"
)

// modePicker sets who answers the targets' visitors: the bot (AI), an
// agent with the bot (AGENT) or a human alone (HUMAN).
type modePicker struct {
	keys    *keymap.Keymap
	targets []*api.Thread
	cursor  int
	current string // what the targets have now, for the header
}

// newModePicker opens the picker on the mode the targets share, if any.
func newModePicker(km *keymap.Keymap, targets []*api.Thread, modeOf func(*api.Thread) api.Mode) *modePicker {
	p := &modePicker{keys: km, targets: targets}
	var shared api.Mode
	for i, t := range targets {
		md := modeOf(t)
		switch {
		case i == 0:
			shared = md
		case md != shared:
			shared = "mixed"
		}
	}
	switch shared {
	case "":
		p.current = "unknown (the server does not return the mode)"
	case "mixed":
		p.current = "mixed"
	default:
		p.current = string(shared)
	}
	for i, md := range api.Modes() {
		if md == shared {
			p.cursor = i
		}
	}
	return p
}

func (p *modePicker) context() keymap.Context { return keymap.InPicker }

func (p *modePicker) dirty() bool { return false }

func (p *modePicker) typed(tea.Msg) tea.Cmd { return nil }

func (p *modePicker) action(a keymap.Action) formStep {
	if to, ok := scrollTo(a, p.cursor, len(api.Modes()), len(api.Modes())); ok {
		p.cursor = to
		return formStep{}
	}
	switch a {
	case keymap.Cancel:
		return formStep{done: true}
	case keymap.Submit:
		mode, targets := api.Modes()[p.cursor], p.targets
		return formStep{done: true, submit: &submission{
			apply:   func(q *queue.Queue) { q.SetMode(mode, targets) },
			summary: "Mode " + string(mode) + " queued on " + words.Plural(len(targets), "thread"),
		}}
	}
	return formStep{}
}

// modeHelp says what each mode means.
func modeHelp(md api.Mode) string {
	switch md {
	case api.ModeAI:
		return "the bot answers"
	case api.ModeAgent:
		return "an agent answers, helped by the bot"
	}
	return "a human answers, the bot stays quiet"
}

func (p *modePicker) view(width int, st *styles, g Glyphs) []string {
	lines := []string{st.title.Render("Mode of " + sanitize.Line(targetsLabel(p.targets))), "", "Now: " + p.current, ""}
	for i, md := range api.Modes() {
		line := pick(i == p.cursor, g.Cursor, " ") + " " + fit(string(md), 6, false, "") + "  " + modeHelp(md)
		if i == p.cursor {
			line = st.cursor.Render(line)
		}
		lines = append(lines, line)
	}
	return append(lines, "", keyHint(p.keys, st, keymap.Down, "down", keymap.Up, "up", keymap.Submit, "choose", keymap.Cancel, "cancel"))
}
