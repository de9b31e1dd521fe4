package ui

import (
	"fmt"

	tea "charm.land/bubbletea/v2"

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
	m.saveJournal()
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
	m.saveJournal()
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
		m.saveJournal()
		return nil
	})
}

// saveJournal writes the queue; a failure is shown, never fatal.
func (m *Model) saveJournal() {
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
