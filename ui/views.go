package ui

import (
	tea "charm.land/bubbletea/v2"

	"triage/api"
	"triage/threads"
)

// switchView makes view i the one shown: its threads show at once, where
// the operator left them, with what arrived meanwhile; the session loads
// or polls it when it must.
func (m *Model) switchView(i int) tea.Cmd {
	views := m.sess.Views()
	if i < 0 || i >= len(views) || i == m.sess.Current().Index() {
		return nil
	}
	m.find.stop() // its rows were the view left behind's
	m.table.switchTo(m.sess.Current(), views[i])
	cmd := m.run(m.sess.Show(i))
	m.refreshVisible(false)
	m.setStatus("", false)
	return cmd
}

// refreshVisible recomputes the rows the table shows from the active
// view, the search and the sort.
func (m *Model) refreshVisible(keepPlace bool) {
	v := m.sess.Current()
	d := v.Def()
	m.table.show(v.List().Visible(m.search.query, m.sess.Queue(), d.Sort, d.Reverse), keepPlace)
	m.table.sortBy(sortColumn(d.Sort, d.Reverse, m.look.g))
	m.marks.recount(m.table.rows)
}

// showAdded brings the rows shown up to date after a page: threads only
// added to the view are merged into the searched, sorted rows in their
// place, so a page costs O(page·log rows) comparisons and a copy of the
// rows, not a filter and sort of everything loaded so far; a page that
// changed threads already shown starts over.
func (m *Model) showAdded(fresh []*api.Thread, onlyAdded bool) {
	d := m.sess.Current().Def()
	if !onlyAdded || m.search.query.Empty() && d.Sort == threads.SortUpdated && !d.Reverse {
		m.refreshVisible(true) // (unsorted and unsearched, the rows are the list itself: nothing to redo)
		return
	}
	m.table.show(threads.MergeVisible(m.table.rows, fresh, m.search.query, m.sess.Queue(), d.Sort, d.Reverse), true)
	m.marks.recount(m.table.rows)
}

// searched shows the rows of a query the search line took. A query that
// only narrows the last one filters the rows already shown instead of
// every thread; in a large view the search runs off the UI goroutine.
func (m *Model) searched(in searchIntent) tea.Cmd {
	after := afterFind{first: in.first, back: in.back}
	m.search.note = ""
	if m.search.query.UsesMode() && !anyMode(m.sess.Current().List().All()) {
		m.search.note = "the server sends no modes: mode: matches nothing"
	}
	switch {
	case in.quit:
		return m.quit()
	case !in.changed:
	case m.far(): // the rows on screen stay until it answers; they are in.prev's unless a search runs
		return m.findLater(after, !in.prev.Empty() && m.search.query.Narrows(in.prev) && !m.find.running())
	case !in.prev.Empty() && m.search.query.Narrows(in.prev):
		m.table.show(threads.Visible(m.table.rows, m.search.query, m.sess.Queue(), threads.SortUpdated, false), true)
		m.marks.recount(m.table.rows)
	default:
		m.refreshVisible(true)
	}
	m.place(after)
	return nil
}

// anyMode reports whether the server sent the mode of any thread.
func anyMode(rows []*api.Thread) bool {
	for _, t := range rows {
		if t.Mode != "" {
			return true
		}
	}
	return false
}

// cycleSort moves the active view to the next sort field, or reverses its
// order, keeping the cursor on its thread.
func (m *Model) cycleSort(reverse bool) tea.Cmd {
	d := m.sess.Current().Def()
	if reverse {
		return m.sortView(sortChoice{d.Sort, !d.Reverse})
	}
	return m.sortView(sortChoice{d.Sort.Next(), false})
}

// sortView puts the active view in an order, keeping the cursor on its
// thread; in a large view the sort runs off the UI goroutine.
func (m *Model) sortView(c sortChoice) tea.Cmd {
	m.sess.Current().SetOrder(c.key, c.reverse)
	m.setStatus("Sorted by "+sortText(c.key, c.reverse), false)
	if m.far() {
		return m.findLater(afterFind{}, false)
	}
	m.refreshVisible(true)
	return nil
}
