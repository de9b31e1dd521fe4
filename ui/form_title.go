package ui

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"triage/api"
	"triage/keymap"
	"triage/queue"
	"triage/sanitize"
	"triage/words"
)

// titleForm renames the targets. An empty title clears it (sent as null)
// after a question; one title on several threads also asks first.
type titleForm struct {
	keys    *keymap.Keymap
	targets []*api.Thread
	input   textinput.Model
	start   string // the title it opened with
	limit   int
	err     string
}

func newTitleForm(km *keymap.Keymap, targets []*api.Thread, current string, limit int) (*titleForm, tea.Cmd) {
	in := newTextInput()
	in.SetValue(current)
	in.CursorEnd()
	f := &titleForm{keys: km, targets: targets, input: in, start: in.Value(), limit: limit}
	return f, f.input.Focus()
}

// newTextInput is a text input with a steady cursor: a blinking one
// redraws twice a second over the SSH link for nothing.
func newTextInput() textinput.Model {
	in := textinput.New()
	in.Prompt = "> "
	s := textinput.DefaultStyles(true)
	s.Cursor.Blink = false
	in.SetStyles(s)
	return in
}

func (f *titleForm) context() keymap.Context { return keymap.InForm }

func (f *titleForm) dirty() bool { return f.input.Value() != f.start }

func (f *titleForm) typed(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	f.input, cmd = f.input.Update(msg)
	f.err = ""
	return cmd
}

func (f *titleForm) action(a keymap.Action) formStep {
	switch a {
	case keymap.Cancel:
		return formStep{done: true}
	case keymap.Submit:
		s, err := f.submit()
		return closeWith(s, err, &f.err)
	}
	return formStep{}
}

func (f *titleForm) submit() (*submission, error) {
	title := strings.TrimSpace(f.input.Value())
	if n := utf8.RuneCountInString(title); n > f.limit {
		return nil, fmt.Errorf("the title is %d characters long; the limit is %d", n, f.limit)
	}
	targets := f.targets
	if title == "" {
		return &submission{
			apply:    func(q *queue.Queue) { q.SetTitle(nil, targets) },
			question: fmt.Sprintf("Clear the title of %s (sent as null)? (y/N)", words.Plural(len(targets), "thread")),
			summary:  "Title cleared on " + words.Plural(len(targets), "thread"),
		}, nil
	}
	s := &submission{
		apply:   func(q *queue.Queue) { q.SetTitle(&title, targets) },
		summary: "Title set on " + words.Plural(len(targets), "thread"),
	}
	if len(targets) > 1 {
		s.question = fmt.Sprintf("Set the title “%s” on all %s? (y/N)", sanitize.Line(title), words.Plural(len(targets), "thread"))
	}
	return s, nil
}

func (f *titleForm) view(width int, st *styles, g Glyphs) []string {
	f.input.SetWidth(width - 4)
	lines := []string{st.title.Render("Title of " + sanitize.Line(targetsLabel(f.targets))), ""}
	if len(f.targets) > 1 {
		lines = append(lines, "One title for all of them. Leave empty to clear the titles.")
	} else {
		lines = append(lines, "Leave empty to clear the title (sent as null).")
	}
	lines = append(lines, "", f.input.View(), counter(utf8.RuneCountInString(strings.TrimSpace(f.input.Value())), f.limit, st))
	if f.err != "" {
		lines = append(lines, st.errText.Render(f.err))
	}
	return append(lines, "", keyHint(f.keys, st, keymap.Submit, "save", keymap.Cancel, "cancel"))
}
