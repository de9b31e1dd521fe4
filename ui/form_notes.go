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
	"triage/words"
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
//
// The notes of one thread that the console has not read are read as the
// form opens: it says so meanwhile, and then starts from what the server
// holds (or, when the agent typed already, says what saving replaces), so
// no agent replaces notes blind.
type notesForm struct {
	keys    *keymap.Keymap
	targets []*api.Thread
	area    textarea.Model
	start   string // the text it opened with, to tell whether anything was typed
	focus   notesFocus
	limit   int
	known   bool // the notes being replaced are known (read, or pending)
	// reading is the thread whose notes are being read; unread says why
	// they could not be, or that the server does not return notes;
	// replaces is the server's notes when the agent had typed already.
	reading  string
	unread   string
	replaces string
	err      string
}

// newNotesForm opens the form, prefilled with text when the server (or a
// pending edit) gave the one target's notes; unknown notes of one thread
// are being read (reading is its id).
func newNotesForm(km *keymap.Keymap, targets []*api.Thread, text string, known bool, limit int) (*notesForm, tea.Cmd) {
	a := textarea.New()
	a.ShowLineNumbers = false
	a.Prompt = "│ "
	s := textarea.DefaultStyles(true)
	s.Cursor.Blink = false
	a.SetStyles(s)
	a.SetHeight(6)
	a.SetValue(text)
	f := &notesForm{keys: km, targets: targets, area: a, start: a.Value(), limit: limit, known: known}
	if !known && len(targets) == 1 {
		f.reading = targets[0].ID
	}
	return f, f.area.Focus()
}

// waitsFor is the thread whose read the form waits for, "" when none.
func (f *notesForm) waitsFor() string { return f.reading }

// threadRead takes the read of the thread the form waits for: t is the
// thread as the server holds it now, or err why it could not be read.
func (f *notesForm) threadRead(t *api.Thread, err error) {
	f.reading = ""
	if err != nil {
		f.unread = "Could not read the thread's notes (" + api.Describe(err) + "): saving replaces whatever the server holds."
		return
	}
	if t.InternalNotes.IsZero() {
		f.unread = "The server does not return existing notes: saving replaces whatever it holds."
		return
	}
	notes, _ := t.InternalNotes.Get()
	f.known = true
	if f.area.Value() == f.start {
		f.area.SetValue(notes)
		f.start = f.area.Value()
	} else if strings.TrimSpace(notes) != "" {
		f.replaces = notes
	}
}

// dirty reports text typed that saving has not queued.
func (f *notesForm) dirty() bool { return f.area.Value() != f.start }

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
	targets, n := f.targets, words.Plural(len(f.targets), "thread")
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
		lines = append(lines, wrapLines("Saving replaces the notes of every one of them; leaving it empty clears them (sent as null). "+
			"Before the send each is read: one holding notes you have not seen is held back as a conflict.", width)...)
	case f.reading != "":
		lines = append(lines, st.dim.Render("Reading the notes the server holds"+g.Ellipsis))
	case f.unread != "":
		lines = append(lines, wrapLines(f.unread+" Leaving it empty clears them (sent as null).", width)...)
	case f.replaces != "":
		first, _, _ := strings.Cut(f.replaces, "\n")
		lines = append(lines, wrapLines("The server holds notes (“"+clip(first, 60)+"”): saving replaces them.", width)...)
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
