package ui

import (
	"fmt"

	tea "charm.land/bubbletea/v2"

	"triage/api"
	"triage/keymap"
	"triage/queue"
	"triage/sanitize"
)

// cutShown reports a field of t that the client cut at decoding (longer
// than its limit) and that no pending edit replaces: what the agent sees
// is not the whole text.
func cutShown(q *queue.Queue, t *api.Thread, field api.Cut) bool {
	if t.Cut&field == 0 {
		return false
	}
	e := q.Get(t.ID)
	switch {
	case e == nil:
		return true
	case field == api.CutTitle:
		return e.Title == nil
	default:
		return e.Notes == nil
	}
}

// tooLongForm stands for the title or notes form of a thread whose text
// is longer than the forms' limit: it was cut for display, so editing
// it would send the cut text in its place. It says so and edits nothing.
type tooLongForm struct {
	keys   *keymap.Keymap
	thread *api.Thread
	what   string // "title", "internal notes"
	key    string // the config key of the limit
	limit  int
}

func newTooLongForm(km *keymap.Keymap, t *api.Thread, what, key string, limit int) *tooLongForm {
	return &tooLongForm{keys: km, thread: t, what: what, key: key, limit: limit}
}

func (f *tooLongForm) context() keymap.Context { return keymap.InForm }

func (f *tooLongForm) dirty() bool { return false } // nothing is typed in it

func (f *tooLongForm) typed(tea.Msg) tea.Cmd { return nil }

func (f *tooLongForm) action(a keymap.Action) formStep {
	if a == keymap.Cancel || a == keymap.Submit {
		return formStep{done: true}
	}
	return formStep{}
}

func (f *tooLongForm) view(width int, st *styles, g Glyphs) []string {
	return []string{
		st.title.Render(fmt.Sprintf("The %s of thread %s", f.what, sanitize.Line(f.thread.ID))), "",
		fmt.Sprintf("It is longer than %s (%d characters): it is shown cut, as its end says,", f.key, f.limit),
		"and it cannot be edited here: saving would replace it with the cut text.",
		"Raise " + f.key + " in the config to edit it, or replace it with a macro.", "",
		keyHint(f.keys, st, keymap.Cancel, "close"),
	}
}
