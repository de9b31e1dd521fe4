package ui

import (
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"triage/keymap"
	"triage/threads"
)

// openSearch puts the keys in the search line, with the current query to
// edit.
func (m *Model) openSearch() tea.Cmd {
	m.searching = true
	m.searchErr = ""
	m.search.SetValue(m.query.String())
	m.search.CursorEnd()
	return m.search.Focus()
}

// searchKey handles a key while searching: enter keeps the query and
// gives the keys back to the table, esc clears it, anything else types and
// narrows the list at once.
func (m *Model) searchKey(msg tea.KeyPressMsg) tea.Cmd {
	if a, ok := m.keys.Lookup(keymap.InSearch, msg); ok {
		switch a {
		case keymap.ForceQuit:
			return m.quit()
		case keymap.Submit:
			m.searching = false
			m.search.Blur()
			return nil
		case keymap.Cancel:
			m.clearSearch()
			return nil
		}
	}
	return m.searchTyped(msg)
}

// searchTyped feeds a key or paste to the search line and applies the
// query if it parses; a malformed one keeps the last good list and says
// what is wrong.
func (m *Model) searchTyped(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	m.search, cmd = m.search.Update(msg)
	q, err := threads.Parse(m.search.Value())
	if err != nil {
		m.searchErr = err.Error()
		return cmd
	}
	m.searchErr = ""
	m.applyQuery(q)
	return cmd
}

// applyQuery shows the threads q matches. A query that only narrows the
// last one filters the rows already shown instead of every thread.
func (m *Model) applyQuery(q threads.Query) {
	prev := m.query
	m.query = q
	if !prev.Empty() && q.Narrows(prev) {
		var curID string
		screenRow := m.table.cursor - m.table.offset
		if t := m.table.current(); t != nil {
			curID = t.ID
		}
		m.table.rows = threads.Visible(m.table.rows, q, queueState{m.queue}, threads.SortUpdated, false)
		m.placeCursor(curID, screenRow, true)
		return
	}
	m.refreshVisible(true)
}

// clearSearch drops the query and shows the whole view again.
func (m *Model) clearSearch() {
	m.searching = false
	m.search.Blur()
	m.search.SetValue("")
	m.searchErr = ""
	m.query = threads.Query{}
	m.refreshVisible(true)
}

// searchLine is the search input with its error, or a reminder of the
// grammar, in the hint line's place.
func (m *Model) searchLine() string {
	line := m.search.View()
	if m.searchErr != "" {
		line += "  " + m.st.errText.Render(m.searchErr)
	} else {
		line += "  " + m.st.hintDesc.Render(threads.Reminder())
	}
	return ansi.Truncate(line, m.width, m.glyphs.Ellipsis)
}
