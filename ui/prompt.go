package ui

import (
	tea "charm.land/bubbletea/v2"

	"triage/keymap"
)

// confirmation is a yes/no question shown in the status line; yes runs
// when the operator answers with the yes key, anything else cancels.
type confirmation struct {
	question string
	yes      func() tea.Cmd
	back     overlay // what was in front before the question
}

// ask puts a yes/no question in front of everything; once answered, what
// was in front (the review, say) comes back.
func (m *Model) ask(question string, yes func() tea.Cmd) {
	back := m.overlay
	if back != overlayReview {
		back = overlayNone
	}
	m.confirm = confirmation{question: question, yes: yes, back: back}
	m.overlay = overlayConfirm
}

// answerConfirm takes the answer to a yes/no question.
func (m *Model) answerConfirm(msg tea.KeyPressMsg) tea.Cmd {
	a, _ := m.keys.Lookup(keymap.InConfirm, msg)
	if a == keymap.ForceQuit {
		return m.quit()
	}
	c := m.confirm
	m.confirm = confirmation{}
	m.overlay = c.back
	if a != keymap.Yes {
		m.setStatus("Cancelled", false)
		return nil
	}
	return c.yes()
}

// answerQuit takes the answer to "edits are pending: send, keep, cancel?".
func (m *Model) answerQuit(msg tea.KeyPressMsg) tea.Cmd {
	a, _ := m.keys.Lookup(keymap.InQuit, msg)
	switch a {
	case keymap.SendAndQuit:
		m.overlay = overlayNone
		plan := m.queue.Build(m.lookup)
		if len(plan.Items) == 0 {
			m.setStatus("Nothing can be sent (conflicts held back): resolve them in the review, or k to keep them", true)
			return nil
		}
		return m.startFlush(plan, true)
	case keymap.KeepAndQuit, keymap.ForceQuit:
		return m.quit()
	case keymap.Cancel:
		m.overlay = overlayNone
		m.setStatus("", false)
	}
	return nil
}

// promptLine is the question in front, for the status line.
func (m *Model) promptLine() (string, bool) {
	switch m.overlay {
	case overlayConfirm:
		return m.confirm.question, true
	case overlayQuit:
		k := func(a keymap.Action) string {
			if keys := m.keys.Binding(a).Keys(); len(keys) > 0 {
				return keys[0]
			}
			return "?"
		}
		return plural(m.queue.Len(), "thread") + " with pending edits: " + k(keymap.SendAndQuit) + " send now, " +
			k(keymap.KeepAndQuit) + " keep for next time, " + k(keymap.Cancel) + " cancel", true
	}
	return "", false
}
