package ui

import (
	"fmt"

	tea "charm.land/bubbletea/v2"

	"triage/api"
	"triage/keymap"

	"triage/queue"
)

// toggle flips a flag on the targets and says what it did.
func (m *Model) toggle(f queue.Flag) {
	targets := m.targets()
	if len(targets) == 0 {
		m.setStatus("No thread to change", true)
		return
	}
	set := m.queue.Toggle(f, targets)
	verb := "set"
	if !set {
		verb = "cleared"
	}
	m.setStatus(fmt.Sprintf("%s %s on %s", f, verb, plural(len(targets), "thread")), false)
	m.queueChanged()
}

func (m *Model) undo() { m.history(m.queue.Undo, "undo", "Undone") }

func (m *Model) redo() { m.history(m.queue.Redo, "redo", "Redone") }

// history moves through the undo history with step and says what moved.
func (m *Model) history(step func() (string, bool), noun, done string) {
	label, ok := step()
	if !ok {
		m.setStatus("Nothing to "+noun, false)
		return
	}
	m.setStatus(done+": "+label, false)
	m.queueChanged()
}

// openEditForm opens the form of a field on the targets, prefilled with
// the values the operator sees (pending edits included).
func (m *Model) openEditForm(action keymap.Action) tea.Cmd {
	targets := m.targets()
	if len(targets) == 0 {
		m.setStatus("No thread to change", true)
		return nil
	}
	km, lim := m.keys, m.opts.Limits
	switch action {
	case keymap.SetMode:
		return m.openForm(newModePicker(km, targets, m.modeOf), nil)
	case keymap.Tags:
		f, cmd := newTagsForm(km, targets, m.tagsOf, tagVocabulary(m.view().set.All()), lim.Tag)
		return m.openForm(f, cmd)
	case keymap.Title:
		current := ""
		if len(targets) == 1 {
			current = m.titleOf(targets[0])
		}
		f, cmd := newTitleForm(km, targets, current, lim.Title)
		return m.openForm(f, cmd)
	case keymap.Notes:
		text, known := "", false
		if len(targets) == 1 {
			text, known = m.notesOf(targets[0])
		}
		f, cmd := newNotesForm(km, targets, text, known, lim.Notes)
		return m.openForm(f, cmd)
	}
	return nil
}

// titleOf, tagsOf, modeOf and notesOf are a thread's values as the
// operator sees them: the pending value if one is queued, else the
// server's.
func (m *Model) titleOf(t *api.Thread) string {
	if e := m.queue.Get(t.ID); e != nil && e.Title != nil {
		if e.Title.Want == nil {
			return ""
		}
		return *e.Title.Want
	}
	return t.Title
}

func (m *Model) tagsOf(t *api.Thread) []string {
	if e := m.queue.Get(t.ID); e != nil && e.Tags != nil {
		return e.Tags.Result(t.Tags)
	}
	return t.Tags
}

func (m *Model) modeOf(t *api.Thread) api.Mode {
	if e := m.queue.Get(t.ID); e != nil && e.Mode != nil {
		return e.Mode.Want
	}
	return t.Mode
}

// notesOf also says whether the notes are known: pending, or returned by
// the server.
func (m *Model) notesOf(t *api.Thread) (string, bool) {
	if e := m.queue.Get(t.ID); e != nil && e.Notes != nil {
		if e.Notes.Want == nil {
			return "", true
		}
		return *e.Notes.Want, true
	}
	s, ok := t.InternalNotes.Get()
	return s, ok || t.InternalNotes.IsNull()
}

// askDiscard asks before dropping every pending edit.
func (m *Model) askDiscard() {
	if m.queue.Len() == 0 {
		m.setStatus("Nothing pending", false)
		return
	}
	m.ask(fmt.Sprintf("Discard %s on %s? (undo brings them back) (y/N)",
		plural(m.queue.Fields(), "pending change"), plural(m.queue.Len(), "thread")), func() tea.Cmd {
		m.queue.Discard()
		m.setStatus("Discarded all pending edits (u to undo)", false)
		m.queueChanged()
		return nil
	})
}

// queueChanged is called after every change to the queue: it writes the
// journal (a failure is shown, never fatal) and refreshes the review if it
// is open.
func (m *Model) queueChanged() {
	if m.overlay == overlayReview {
		m.rebuildReview()
	}
	if m.opts.Journal == nil {
		return
	}
	if err := m.opts.Journal.Save(m.queue.Snapshot()); err != nil {
		m.setStatus("Journal not saved: "+err.Error(), true)
	}
}

func restoredText(threads, fields int) string {
	return fmt.Sprintf("Restored %s on %s (p to review)", plural(fields, "change"), plural(threads, "thread"))
}

// plural is "1 thread", "2 threads", "1,234 threads".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return thousands(n) + " " + noun + "s"
}
