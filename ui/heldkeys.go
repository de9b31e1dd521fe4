package ui

import (
	tea "charm.land/bubbletea/v2"

	"triage/keymap"
)

// heldKeys are keys that wait for something before they run, in their
// order, instead of acting too soon:
//   - the keys typed in the first moments of a warm start, before the
//     cache's first rows reach the screen: they would move an empty list;
//   - the keys that ask for an edit, the review, a send or quit while a
//     change of many threads is applied in turns: they would act on a
//     queue half changed. Moving, marking, searching and reading go on
//     meanwhile.
//
// Once one key waits, every key after it waits too, so that none runs
// before a key typed earlier.
type heldKeys struct{ held []tea.KeyPressMsg }

// maxHeldKeys bounds what waits: a key held down for the whole wait
// repeats at 30 a second at most, far below it.
const maxHeldKeys = 256

// hold keeps a key that must wait; the force quit never does.
func (m *Model) hold(msg tea.KeyPressMsg) bool {
	if len(m.held.held) == 0 && !m.sess.RowsComing() && !m.waitsForChange(msg) {
		return false
	}
	if a, _ := m.opts.Keys.Lookup(keymap.InList, msg); a == keymap.ForceQuit || len(m.held.held) == maxHeldKeys {
		return false
	}
	m.held.held = append(m.held.held, msg)
	return true
}

// waitsForChange reports a key that asks, where it is pressed, for an
// action that must wait for the change being applied.
func (m *Model) waitsForChange(msg tea.KeyPressMsg) bool {
	if !m.sess.Applying() {
		return false
	}
	switch top := m.screen.top(); {
	case top == overlayNone && m.search.typing, top == overlayReader && m.detail.reader.find.typing:
		return false // typed into a search
	case top != overlayNone && top != overlayReader && top != overlayReview:
		return false
	}
	a, ok := m.opts.Keys.Lookup(m.actionContext(), msg)
	return ok && waitsForChange(a)
}

// replayHeld runs the keys kept, in order, once what they waited for is
// there (a key may start another change: those after it wait again).
func (m *Model) replayHeld() tea.Cmd {
	if len(m.held.held) == 0 || m.sess.RowsComing() || m.sess.Applying() {
		return nil
	}
	keys := m.held.held
	m.held.held = nil
	cmds := make([]tea.Cmd, 0, len(keys))
	for _, k := range keys {
		_, cmd := m.Update(k)
		cmds = append(cmds, cmd)
	}
	return tea.Batch(cmds...)
}
