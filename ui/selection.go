package ui

import (
	"slices"

	"triage/api"
	"triage/keymap"
	"triage/words"
)

// selection is the marked threads: marks survive a search, a sort and a
// view switch, so it counts the marks the table does not show (hidden).
// In range mode every row the cursor passes is marked.
type selection struct {
	marks   map[string]bool
	hidden  int
	ranging bool
}

func newSelection() selection { return selection{marks: map[string]bool{}} }

// markResult is what a marking key asks of the table and the status line.
type markResult struct {
	down   bool   // move the cursor down
	status string // say this, when not ""
}

// act handles a marking action on the rows shown, the cursor on cur (nil
// on an empty list).
func (s *selection) act(a keymap.Action, rows []*api.Thread, cur *api.Thread) markResult {
	var r markResult
	switch a {
	case keymap.MarkDown:
		if cur != nil {
			s.flip(cur.ID)
			r.down = true
		}
	case keymap.Mark:
		if cur != nil {
			s.flip(cur.ID)
		}
	case keymap.RangeMark:
		s.ranging = !s.ranging
		if s.ranging {
			if cur != nil {
				s.marks[cur.ID] = true
			}
			r.status = "Range marking: move to mark rows; v or esc to stop"
		} else {
			r.status = "Range marking off"
		}
	case keymap.MarkAll:
		s.markAll(rows)
	case keymap.ClearMarks:
		clear(s.marks)
		s.ranging = false
		s.hidden = 0
	}
	// Every mark above is of a row shown: the hidden count is unchanged,
	// and a key costs the same whatever the number of rows.
	return r
}

// stopRange ends range marking; it reports whether it was on.
func (s *selection) stopRange() bool {
	was := s.ranging
	s.ranging = false
	return was
}

func (s *selection) flip(id string) {
	if s.marks[id] {
		delete(s.marks, id)
	} else {
		s.marks[id] = true
	}
}

// moved marks the rows between two cursor positions, both included, when
// range marking is on.
func (s *selection) moved(rows []*api.Thread, from, to int) {
	if !s.ranging {
		return
	}
	if from > to {
		from, to = to, from
	}
	for i := max(from, 0); i <= to && i < len(rows); i++ {
		s.marks[rows[i].ID] = true
	}
}

// markAll marks every row shown, or unmarks them all if all are marked.
func (s *selection) markAll(rows []*api.Thread) {
	if len(s.marks) == 0 {
		s.marks = make(map[string]bool, len(rows)) // grown once, not a rehash at each doubling
	}
	all := len(rows) > 0
	for _, t := range rows {
		if !s.marks[t.ID] {
			all = false
			break
		}
	}
	for _, t := range rows {
		if all {
			delete(s.marks, t.ID)
		} else {
			s.marks[t.ID] = true
		}
	}
}

// forget drops the mark of a thread no view shows any more.
func (s *selection) forget(id string) { delete(s.marks, id) }

// has reports whether a thread is marked.
func (s *selection) has(id string) bool { return s.marks[id] }

// count is the number of marked threads, shown or not.
func (s *selection) count() int { return len(s.marks) }

// targets are the threads an action applies to: every marked thread,
// shown or hidden by the search or the view, else the thread under the
// cursor.
func (s *selection) targets(rows []*api.Thread, cur *api.Thread, lookup func(string) *api.Thread) []*api.Thread {
	if len(s.marks) == 0 {
		if cur != nil {
			return []*api.Thread{cur}
		}
		return nil
	}
	if s.hidden == 0 && len(s.marks) == len(rows) {
		return slices.Clone(rows) // every row is marked (V): no row to look up
	}
	out := make([]*api.Thread, 0, len(s.marks))
	for _, t := range rows {
		if s.marks[t.ID] {
			out = append(out, t)
		}
	}
	if s.hidden == 0 {
		return out
	}
	shown := make(map[string]bool, len(out))
	for _, t := range out {
		shown[t.ID] = true
	}
	for id := range s.marks {
		if t := lookup(id); t != nil && !shown[id] {
			out = append(out, t)
		}
	}
	return out
}

// recount counts the marked threads the rows do not show.
func (s *selection) recount(rows []*api.Thread) {
	if len(s.marks) == 0 {
		s.hidden = 0
		return
	}
	shown := 0
	for _, t := range rows {
		if s.marks[t.ID] {
			shown++
		}
	}
	s.hidden = len(s.marks) - shown
}

// text says what an action would hit: "→ 12 marked, 3 hidden" or
// "→ cursor".
func (s *selection) text(g Glyphs) string {
	if len(s.marks) == 0 {
		return g.Arrow + " cursor"
	}
	out := g.Arrow + " " + words.Thousands(len(s.marks)) + " marked"
	if s.hidden > 0 {
		out += ", " + words.Thousands(s.hidden) + " hidden"
	}
	if s.ranging {
		out += " (range)"
	}
	return out
}
