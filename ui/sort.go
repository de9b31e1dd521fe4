package ui

import "triage/threads"

// cycleSort moves the active view to the next sort field, or reverses its
// order, keeping the cursor on its thread.
func (m *Model) cycleSort(reverse bool) {
	v := m.view()
	if reverse {
		v.def.Reverse = !v.def.Reverse
	} else {
		v.def.Sort, v.def.Reverse = v.def.Sort.Next(), false
	}
	m.refreshVisible(true)
	m.setStatus("Sorted by "+sortText(v.def.Sort, v.def.Reverse), false)
}

// sortText is "unread, most first" and the like.
func sortText(k threads.SortKey, reverse bool) string {
	dirs := map[threads.SortKey][2]string{
		threads.SortUpdated:  {"newest first", "oldest first"},
		threads.SortStarted:  {"newest first", "oldest first"},
		threads.SortUnread:   {"most first", "fewest first"},
		threads.SortNegative: {"most first", "fewest first"},
		threads.SortTitle:    {"A to Z", "Z to A"},
	}
	d := dirs[k][0]
	if reverse {
		d = dirs[k][1]
	}
	return k.String() + ", " + d
}

// updateSortMark marks the sorted column in the table header.
func (m *Model) updateSortMark() {
	v := m.view()
	col := map[threads.SortKey]string{threads.SortUpdated: "Age", threads.SortUnread: "New",
		threads.SortNegative: "+/-", threads.SortTitle: "Title"}[v.def.Sort]
	mark := m.glyphs.SortDown
	if v.def.Reverse {
		mark = m.glyphs.SortUp
	}
	if v.def.Sort == threads.SortUpdated && !v.def.Reverse {
		col = "" // the default order needs no mark
	}
	m.table.sortedBy, m.table.sortMark = col, mark
}
