package ui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"triage/api"
	"triage/sanitize"
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
	var keep tea.Cmd
	if h := m.opts.History; in.kept != nil && h != nil {
		keep = func() tea.Msg { // off the UI goroutine; a failure costs the history, nothing else
			if err := h.Save(in.kept); err != nil {
				return logMsg{text: "The search history was not written: " + err.Error(), isErr: true}
			}
			return nil
		}
	}
	return tea.Batch(keep, m.showSearched(in))
}

// showSearched shows the rows of what the search line asks.
func (m *Model) showSearched(in searchIntent) tea.Cmd {
	after := afterFind{first: in.first, back: in.back}
	m.search.note = ""
	switch {
	case m.search.query.UsesMode() && !anyMode(m.sess.Current().List().All()):
		m.search.note = "the server sends no modes: mode: matches nothing"
	case m.search.query.UsesOwner() && !m.sess.Owners().On():
		m.search.note = `owner_tag_prefix is "": nobody claims threads, owner: matches nothing`
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

// saveView saves the view shown, with its search, as a view named name:
// drawn from All, written to the saved views' file, and shown (the
// search line cleared: the view holds the search now).
func (m *Model) saveView(name string) tea.Cmd {
	if m.opts.SavedViews == nil {
		m.setStatus("Views cannot be saved: "+m.opts.SavedProblem, true)
		return nil
	}
	for _, v := range m.sess.Views() {
		if strings.EqualFold(v.Def().Name, name) {
			m.setStatus("A view is named “"+sanitize.Line(name)+"” already: choose another name", true)
			return nil
		}
	}
	d := m.sess.Current().Def()
	search, err := threads.Parse(strings.TrimSpace(d.Search.String() + " " + m.search.query.String())) // a saved view's search and the one typed
	if err != nil {
		m.setStatus("Not saved: "+err.Error(), true)
		return nil
	}
	def := threads.View{Name: name, Params: d.Params, Tag: d.Tag, Owner: d.Owner, Search: search.With(m.sess.Owners()),
		Sort: d.Sort, Reverse: d.Reverse, Saved: true}
	v, err := m.sess.AddView(def)
	if err != nil {
		m.setStatus("Not saved: "+err.Error(), true)
		return nil
	}
	if err := m.opts.SavedViews.Save(m.savedDefs()); err != nil {
		m.sess.RemoveView(v)
		m.setStatus("Not saved: "+err.Error(), true)
		return nil
	}
	m.search.clear()
	cmd := m.switchView(v.Index())
	what := "its filters, no search"
	if !search.Empty() {
		what = "its filters and the search “" + sanitize.Line(search.String()) + "”"
	}
	m.setStatus(fmt.Sprintf("Saved the view “%s” (%d): %s; : remove view takes it away", sanitize.Line(name), v.Index()+1, what), false)
	return cmd
}

// removeView removes the saved view i and its line in the file.
func (m *Model) removeView(i int) tea.Cmd {
	views := m.sess.Views()
	if i < 0 || i >= len(views) || !views[i].Def().Saved || m.opts.SavedViews == nil {
		return nil
	}
	v, name := views[i], views[i].Def().Name
	if v == m.sess.Current() {
		other := 0
		if i == 0 {
			other = 1
		}
		m.table.switchTo(v, views[other])
	}
	cmd := m.run(m.sess.RemoveView(v))
	if err := m.opts.SavedViews.Save(m.savedDefs()); err != nil {
		m.setStatus("The view is gone here, but its file was not written: "+err.Error(), true)
	} else {
		m.setStatus("Removed the saved view “"+sanitize.Line(name)+"”", false)
	}
	m.refreshVisible(false)
	return cmd
}

// savedDefs are the saved views, as their file holds them.
func (m *Model) savedDefs() []threads.View {
	var out []threads.View
	for _, v := range m.sess.Views() {
		if v.Def().Saved {
			out = append(out, v.Def())
		}
	}
	return out
}
