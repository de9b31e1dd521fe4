package ui

import (
	tea "charm.land/bubbletea/v2"

	"triage/keymap"
	"triage/queue"
)

// handleKey sends a key to the overlay in front, or to the table.
func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	switch m.overlay {
	case overlayHelp:
		if a, _ := m.keys.Lookup(keymap.InList, msg); a == keymap.ForceQuit {
			return m.quit()
		}
		m.overlay = overlayNone
		return nil
	case overlayConfirm:
		return m.answerConfirm(msg)
	case overlayQuit:
		return m.answerQuit(msg)
	case overlayReview:
		return m.reviewKey(msg)
	case overlayForm:
		return m.formMsg(msg)
	case overlayLog:
		return m.logKey(msg)
	}
	if m.searching {
		return m.searchKey(msg)
	}
	action, ok := m.keys.Lookup(keymap.InList, msg)
	if !ok {
		return nil
	}
	if m.moveKey(action) {
		return nil
	}
	return m.listAction(action)
}

// moveKey handles the movement actions of the table; it reports whether
// action was one.
func (m *Model) moveKey(action keymap.Action) bool {
	page := m.table.height
	from := m.table.cursor
	switch action {
	case keymap.Down:
		m.table.moveTo(m.table.cursor + 1)
	case keymap.Up:
		m.table.moveTo(m.table.cursor - 1)
	case keymap.Top:
		m.table.moveTo(0)
	case keymap.Bottom:
		m.table.moveTo(len(m.table.rows) - 1)
	case keymap.HalfDown:
		m.scroll(page / 2)
	case keymap.HalfUp:
		m.scroll(-page / 2)
	case keymap.PageDown:
		m.scroll(page)
	case keymap.PageUp:
		m.scroll(-page)
	default:
		return false
	}
	if m.ranging {
		m.markRange(from, m.table.cursor)
	}
	return true
}

// listAction handles the table's actions other than movement.
func (m *Model) listAction(action keymap.Action) tea.Cmd {
	switch action {
	case keymap.MarkDown, keymap.Mark, keymap.RangeMark, keymap.MarkAll, keymap.ClearMarks:
		m.markAction(action)
	case keymap.Resolve:
		m.toggle(queue.Resolved)
	case keymap.Archive:
		m.toggle(queue.Archived)
	case keymap.Escalate:
		m.toggle(queue.Escalated)
	case keymap.Important:
		m.toggle(queue.Important)
	case keymap.SetMode, keymap.Tags, keymap.Title, keymap.Notes:
		return m.openEditForm(action)
	case keymap.Cancel:
		switch {
		case m.ranging:
			m.ranging = false
			m.setStatus("Range marking off", false)
		case !m.query.Empty():
			m.clearSearch()
		}
	case keymap.Refresh:
		m.setStatus("Refreshing…", false)
		return tea.Batch(m.startLoad(false), m.countViews())
	case keymap.Search:
		return m.openSearch()
	case keymap.NextView, keymap.PrevView:
		step := 1
		if action == keymap.PrevView {
			step = len(m.views) - 1
		}
		return m.switchView((m.active + step) % len(m.views))
	case keymap.Sort, keymap.SortReverse:
		m.cycleSort(action == keymap.SortReverse)
	case keymap.Detail:
		m.detail = !m.detail
		m.resize(m.width, m.height)
	default:
		if n, ok := keymap.ViewNumber(action); ok {
			return m.switchView(n - 1)
		}
		return m.commonAction(action)
	}
	return nil
}

// anyLoading reports a load in flight in any view, for the spinner.
func (m *Model) anyLoading() bool {
	for _, v := range m.views {
		if v.loading {
			return true
		}
	}
	return false
}

// commonAction handles the actions the table and the review share.
func (m *Model) commonAction(action keymap.Action) tea.Cmd {
	switch action {
	case keymap.Help:
		m.overlay = overlayHelp
	case keymap.EventLog:
		m.overlay, m.log.offset = overlayLog, 0
	case keymap.Review:
		m.openReview()
	case keymap.Send:
		m.askFlush()
	case keymap.Undo:
		m.undo()
	case keymap.Redo:
		m.redo()
	case keymap.Discard:
		m.askDiscard()
	case keymap.Quit:
		if m.queue.Len() > 0 {
			m.overlay = overlayQuit
			return nil
		}
		return m.quit()
	case keymap.ForceQuit:
		return m.quit()
	}
	return nil
}
