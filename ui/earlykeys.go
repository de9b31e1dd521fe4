package ui

import (
	tea "charm.land/bubbletea/v2"

	"triage/keymap"
)

// earlyKeys are the keys typed in the first moments of a warm start,
// before the cache's first rows reach the screen. Before the first frame
// waited for the cache, such keys waited in the terminal; now they wait
// here and run in their order once the rows are there, instead of moving
// an empty list.
type earlyKeys struct{ held []tea.KeyPressMsg }

// maxEarlyKeys bounds what waits: a key held down for the whole wait
// repeats at 30 a second at most, far below it.
const maxEarlyKeys = 256

// holdEarly keeps a key while the cache's first rows are coming; the
// force quit is never kept.
func (m *Model) holdEarly(msg tea.KeyPressMsg) bool {
	if len(m.early.held) == 0 && !m.sess.RowsComing() {
		return false
	}
	if a, _ := m.opts.Keys.Lookup(keymap.InList, msg); a == keymap.ForceQuit || len(m.early.held) == maxEarlyKeys {
		return false
	}
	m.early.held = append(m.early.held, msg)
	return true
}

// replayEarly runs the keys kept, in order, once the rows came (or the
// cache's reading ended without them).
func (m *Model) replayEarly() tea.Cmd {
	if len(m.early.held) == 0 || m.sess.RowsComing() {
		return nil
	}
	keys := m.early.held
	m.early.held = nil
	cmds := make([]tea.Cmd, 0, len(keys))
	for _, k := range keys {
		_, cmd := m.Update(k)
		cmds = append(cmds, cmd)
	}
	return tea.Batch(cmds...)
}
