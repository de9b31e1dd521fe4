package ui

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"

	"triage/api"
	"triage/keymap"
	"triage/queue"
	"triage/sanitize"
)

// notesFocus is where the keys of the notes form go.
type notesFocus int

const (
	focusText notesFocus = iota
	focusSave
	focusCancel
	numNotesFocus
)

// notesForm writes the internal notes of the targets in a multi-line
// area. enter makes a new line there, so saving goes through the Save
// button: tab moves to it, enter presses it. No key combination that a
// terminal or tmux might swallow is needed.
type notesForm struct {
	keys    *keymap.Keymap
	targets []*api.Thread
	area    textarea.Model
	focus   notesFocus
	limit   int
	known   bool // the server returned the notes being replaced
	err     string
}

// newNotesForm opens the form, prefilled with text when the server (or a
// pending edit) gave the one target's notes.
func newNotesForm(km *keymap.Keymap, targets []*api.Thread, text string, known bool, limit int) (*notesForm, tea.Cmd) {
	a := textarea.New()
	a.ShowLineNumbers = false
	a.Prompt = "│ "
	s := textarea.DefaultStyles(true)
	s.Cursor.Blink = false
	a.SetStyles(s)
	a.SetHeight(6)
	a.SetValue(text)
	return &notesForm{keys: km, targets: targets, area: a, limit: limit, known: known}, a.Focus()
}

func (f *notesForm) context() keymap.Context { return keymap.InForm }

func (f *notesForm) typed(msg tea.Msg) tea.Cmd {
	if f.focus != focusText {
		return nil
	}
	var cmd tea.Cmd
	f.area, cmd = f.area.Update(msg)
	f.err = ""
	return cmd
}

func (f *notesForm) action(a keymap.Action) formStep {
	switch a {
	case keymap.Cancel:
		return formStep{done: true}
	case keymap.NextField, keymap.PrevField:
		step := 1
		if a == keymap.PrevField {
			step = int(numNotesFocus) - 1
		}
		f.focus = (f.focus + notesFocus(step)) % numNotesFocus
		if f.focus == focusText {
			f.area.Focus()
		} else {
			f.area.Blur()
		}
	case keymap.Submit:
		switch f.focus {
		case focusText:
			f.area, _ = f.area.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
		case focusCancel:
			return formStep{done: true}
		case focusSave:
			s, err := f.submit()
			return closeWith(s, err, &f.err)
		}
	}
	return formStep{}
}

func (f *notesForm) submit() (*submission, error) {
	text := strings.TrimRight(f.area.Value(), " \n")
	if n := utf8.RuneCountInString(text); n > f.limit {
		return nil, fmt.Errorf("the notes are %d characters long; the limit is %d", n, f.limit)
	}
	targets, n := f.targets, plural(len(f.targets), "thread")
	if strings.TrimSpace(text) == "" {
		return &submission{
			apply:    func(q *queue.Queue) { q.SetNotes(nil, targets) },
			question: "Clear the internal notes of " + n + " (sent as null)? (y/N)",
			summary:  "Notes cleared on " + n,
		}, nil
	}
	s := &submission{apply: func(q *queue.Queue) { q.SetNotes(&text, targets) }, summary: "Notes set on " + n}
	if len(targets) > 1 {
		s.question = "Replace the internal notes of all " + n + " with this text? (y/N)"
	}
	return s, nil
}

func (f *notesForm) view(width int, st *styles, g Glyphs) []string {
	f.area.SetWidth(width - 2)
	lines := []string{st.title.Render("Internal notes of " + sanitize.Line(targetsLabel(f.targets))), ""}
	switch {
	case len(f.targets) > 1:
		lines = append(lines, wrapLines("Saving replaces the notes of every one of them; leaving it empty clears them (sent as null).", width)...)
	case !f.known:
		lines = append(lines, wrapLines("The server does not return existing notes: saving replaces whatever it holds. Leaving it empty clears them (sent as null).", width)...)
	default:
		lines = append(lines, "Leaving it empty clears the notes (sent as null).")
	}
	lines = append(lines, "")
	lines = append(lines, strings.Split(f.area.View(), "\n")...)
	lines = append(lines, counter(utf8.RuneCountInString(strings.TrimRight(f.area.Value(), " \n")), f.limit, st))
	button := func(label string, on bool) string {
		if on {
			return st.cursor.Render("[ " + label + " ]")
		}
		return "[ " + label + " ]"
	}
	lines = append(lines, button("Save", f.focus == focusSave)+"  "+button("Cancel", f.focus == focusCancel))
	if f.err != "" {
		lines = append(lines, st.errText.Render(f.err))
	}
	return append(lines, "", keyHint(f.keys, st, keymap.NextField, "to the buttons", keymap.Submit, "new line / press button", keymap.Cancel, "cancel"))
}
