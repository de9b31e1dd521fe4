package ui

import (
	tea "charm.land/bubbletea/v2"

	"triage/keymap"
	"triage/session"
	"triage/words"
)

// apply makes one of the session's events show: results and errors in
// the status line, lines in the event log, rows that arrived or changed
// in the table, marks of threads gone, a read for the form waiting on it.
// said is the status line's number before the message that caused it.
func (m *Model) apply(e session.Event, said int) tea.Cmd {
	switch e := e.(type) {
	case session.Said:
		m.setStatus(e.Text+m.reviewHint(e.Conflicts), e.Err)
	case session.Logged:
		m.screen.log.add(m.sess.Now(), e.Text, e.Err)
	case session.NewConflicts:
		text := words.Plural(e.N, "new conflict") + " with the server" + m.reviewHint(e.N)
		if m.status.seq != said && m.status.text != "" && !m.status.isErr {
			text = m.status.text + m.look.g.Sep + text // what the message said stays
		}
		m.status.set(text, true) // the event log has each conflict already
	case session.Merged:
		if e.View == m.sess.Current() {
			if e.Arrived {
				m.table.arrive(e.Fresh)
			}
			m.showAdded(e.Fresh, e.OnlyAdded)
		} else if e.Arrived {
			m.table.arriveElsewhere(e.View, e.Fresh)
		}
	case session.Changed:
		if e.View == m.sess.Current() {
			m.refreshVisible(true)
			if m.status.text == "Refreshing…" {
				m.setStatus("", false) // done
			}
		}
	case session.Forgotten:
		for _, id := range e.IDs {
			m.marks.forget(id) // gone from every view: nothing left to act on
		}
		m.marks.recount(m.table.rows)
	case session.Read:
		m.formRead(e)
		if e.ID == m.detail.watching && e.Err == nil {
			return m.readNeighbours() // then the threads the agent reads next
		}
	case session.Alert:
		return m.alerted(e)
	case session.Prefetched:
		return m.prefetchFound(e.ID)
	case session.Sent:
		if !m.opts.KeepMarks {
			for _, id := range e.Confirmed {
				m.marks.forget(id) // done with it, as after an action in a mail client
			}
		}
		m.marks.recount(m.table.rows)
		if e.Quit {
			return m.quit()
		}
	}
	return nil
}

// reviewHint says how to review n conflicts: ": p to review".
func (m *Model) reviewHint(n int) string {
	if keys := m.opts.Keys.Binding(keymap.Review).Keys(); n > 0 && len(keys) > 0 {
		return ": " + keys[0] + " to review"
	}
	return ""
}
