package ui

import (
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"triage/api"
	"triage/keymap"
	"triage/queue"
	"triage/words"
)

// Limits are the longest values the forms accept, in characters.
type Limits struct {
	Tag   int
	Title int
	Notes int
}

// form is an overlay that edits the targets. It gets every key and paste
// while open; keys bound in its context (submit, cancel, tab) come as
// actions, the rest go to its input.
type form interface {
	// action handles a keymap action of the form's context.
	action(a keymap.Action) formStep
	// typed handles any other message (typing, pasting).
	typed(msg tea.Msg) tea.Cmd
	// context is the keymap context of the form.
	context() keymap.Context
	// dirty reports text typed that closing would throw away.
	dirty() bool
	// view draws the form in a panel width cells wide.
	view(width int, st *styles, g Glyphs) []string
}

// threadWaiter is a form that starts from what the server holds of a
// thread it must read first (the notes form): the root reads the thread
// and hands the form the answer.
type threadWaiter interface {
	// waitsFor is the thread to read, "" when the form waits for none.
	waitsFor() string
	// threadRead takes the thread as the server holds it now, or why it
	// could not be read.
	threadRead(t *api.Thread, err error)
}

// formStep is what a key did to a form.
type formStep struct {
	done   bool // close the form
	submit *submission
	sort   *sortChoice  // the sort picker chose an order
	run    *paletteItem // the palette chose something to run
}

// submission is a validated form: apply queues it (one undo step); a
// non-empty question is asked first.
type submission struct {
	apply    func(q *queue.Queue)
	question string
	summary  string
}

// closeWith closes the form with a validated submission, or keeps it open
// showing what is wrong in shown.
func closeWith(s *submission, err error, shown *string) formStep {
	if err != nil {
		*shown = err.Error()
		return formStep{}
	}
	return formStep{done: true, submit: s}
}

// drawForm draws a form in the table's place, height lines.
func drawForm(b *strings.Builder, f form, width, height int, lk *look) {
	w := min(width, 90)
	lines := f.view(w-2, &lk.st, lk.g)
	for i := 0; i < height; i++ {
		if i < len(lines) {
			b.WriteString(" " + fit(lines[i], w-2, false, lk.g.Ellipsis))
		}
		b.WriteByte('\n')
	}
}

// openEditForm is the form of an edit action on the targets, prefilled
// with the values the operator sees (pending edits included).
func openEditForm(a keymap.Action, km *keymap.Keymap, q *queue.Queue, targets []*api.Thread, vocab []string, lim Limits) (form, tea.Cmd) {
	switch a {
	case keymap.SetMode:
		return newModePicker(km, targets, func(t *api.Thread) api.Mode { return seenMode(q, t) }), nil
	case keymap.Tags:
		return newTagsForm(km, targets, func(t *api.Thread) []string { return seenTags(q, t) }, vocab, lim.Tag)
	case keymap.Title:
		current := ""
		if len(targets) == 1 {
			if cutShown(q, targets[0], api.CutTitle) {
				return newTooLongForm(km, targets[0], "title", "max_title_length", lim.Title), nil
			}
			current = seenTitle(q, targets[0])
		}
		return newTitleForm(km, targets, current, lim.Title)
	case keymap.Notes:
		text, known := "", false
		if len(targets) == 1 {
			if cutShown(q, targets[0], api.CutNotes) {
				return newTooLongForm(km, targets[0], "internal notes", "max_notes_length", lim.Notes), nil
			}
			text, known = seenNotes(q, targets[0])
		}
		return newNotesForm(km, targets, text, known, lim.Notes)
	}
	return nil, nil
}

// seenTitle, seenTags, seenMode and seenNotes are a thread's values as the
// operator sees them: the pending value if one is queued, else the
// server's.
func seenTitle(q *queue.Queue, t *api.Thread) string {
	if e := q.Get(t.ID); e != nil && e.Title != nil {
		if e.Title.Want == nil {
			return ""
		}
		return *e.Title.Want
	}
	return t.Title
}

func seenTags(q *queue.Queue, t *api.Thread) []string {
	if e := q.Get(t.ID); e != nil && e.Tags != nil {
		return e.Tags.Result(t.Tags)
	}
	return t.Tags
}

func seenMode(q *queue.Queue, t *api.Thread) api.Mode {
	if e := q.Get(t.ID); e != nil && e.Mode != nil {
		return e.Mode.Want
	}
	return t.Mode
}

// seenNotes also says whether the notes are known: pending, or returned
// by the server.
func seenNotes(q *queue.Queue, t *api.Thread) (string, bool) {
	if e := q.Get(t.ID); e != nil && e.Notes != nil {
		if e.Notes.Want == nil {
			return "", true
		}
		return *e.Notes.Want, true
	}
	s, ok := t.InternalNotes.Get()
	return s, ok || t.InternalNotes.IsNull()
}

// targetsLabel names the targets of a form: the title of one thread or
// the count.
func targetsLabel(targets []*api.Thread) string {
	if len(targets) == 1 {
		if t := targets[0].Title; t != "" {
			return "“" + t + "”"
		}
		return "thread " + targets[0].ID
	}
	return words.Plural(len(targets), "thread")
}

// counter is "12/200", styled as an error when over the limit.
func counter(n, limit int, st *styles) string {
	s := strconv.Itoa(n) + "/" + strconv.Itoa(limit)
	if n > limit {
		return st.errText.Render(s + ", too long")
	}
	return st.dim.Render(s)
}

// keyHint is "enter save  esc cancel" from the bindings of actions.
func keyHint(km *keymap.Keymap, st *styles, pairs ...any) string {
	var parts [][2]string
	for i := 0; i+1 < len(pairs); i += 2 {
		a, label := pairs[i].(keymap.Action), pairs[i+1].(string)
		if keys := km.Binding(a).Keys(); len(keys) > 0 {
			parts = append(parts, [2]string{keys[0], label})
		}
	}
	return st.hints(parts)
}
