package ui

import (
	"triage/api"
	"triage/keymap"
)

// markAction handles the marking keys.
func (m *Model) markAction(action keymap.Action) {
	defer m.countHidden()
	cur := m.table.current()
	switch action {
	case keymap.MarkDown:
		if cur != nil {
			m.flipMark(cur.ID)
			m.table.moveTo(m.table.cursor + 1)
		}
	case keymap.Mark:
		if cur != nil {
			m.flipMark(cur.ID)
		}
	case keymap.RangeMark:
		m.ranging = !m.ranging
		if m.ranging {
			if cur != nil {
				m.marks[cur.ID] = true
			}
			m.setStatus("Range marking: move to mark rows; v or esc to stop", false)
		} else {
			m.setStatus("Range marking off", false)
		}
	case keymap.MarkAll:
		m.markAll()
	case keymap.ClearMarks:
		clear(m.marks)
		m.ranging = false
	}
}

func (m *Model) flipMark(id string) {
	if m.marks[id] {
		delete(m.marks, id)
	} else {
		m.marks[id] = true
	}
}

// markRange marks every row between two cursor positions, both included.
func (m *Model) markRange(from, to int) {
	if from > to {
		from, to = to, from
	}
	for i := max(from, 0); i <= to && i < len(m.table.rows); i++ {
		m.marks[m.table.rows[i].ID] = true
	}
}

// markAll marks every visible row, or unmarks them all if all are marked.
func (m *Model) markAll() {
	all := len(m.table.rows) > 0
	for _, t := range m.table.rows {
		if !m.marks[t.ID] {
			all = false
			break
		}
	}
	for _, t := range m.table.rows {
		if all {
			delete(m.marks, t.ID)
		} else {
			m.marks[t.ID] = true
		}
	}
}

// targets are the threads an action applies to: every marked thread,
// shown or hidden by the search or the view, else the thread under the
// cursor.
func (m *Model) targets() []*api.Thread {
	if len(m.marks) == 0 {
		if cur := m.table.current(); cur != nil {
			return []*api.Thread{cur}
		}
		return nil
	}
	out := make([]*api.Thread, 0, len(m.marks))
	for _, t := range m.table.rows {
		if m.marks[t.ID] {
			out = append(out, t)
		}
	}
	if m.hidden > 0 {
		shown := make(map[string]bool, len(out))
		for _, t := range out {
			shown[t.ID] = true
		}
		for id := range m.marks {
			if t := m.lookup(id); t != nil && !shown[id] {
				out = append(out, t)
			}
		}
	}
	return out
}

// countHidden counts the marked threads the table does not show.
func (m *Model) countHidden() {
	if len(m.marks) == 0 {
		m.hidden = 0
		return
	}
	shown := 0
	for _, t := range m.table.rows {
		if m.marks[t.ID] {
			shown++
		}
	}
	m.hidden = len(m.marks) - shown
}

// targetText says what an action would hit: "→ 12 marked, 3 hidden" or
// "→ cursor".
func (m *Model) targetText() string {
	if len(m.marks) == 0 {
		return m.glyphs.Arrow + " cursor"
	}
	s := m.glyphs.Arrow + " " + thousands(len(m.marks)) + " marked"
	if m.hidden > 0 {
		s += ", " + thousands(m.hidden) + " hidden"
	}
	if m.ranging {
		s += " (range)"
	}
	return s
}
