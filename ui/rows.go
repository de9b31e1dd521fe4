package ui

import (
	"slices"
	"strings"

	"triage/api"
)

// rowSet is the loaded threads of a view, newest update first, without
// duplicates (pages can overlap when threads move while loading).
type rowSet struct {
	rows  []*api.Thread
	index map[string]*api.Thread
}

func newRowSet() *rowSet { return &rowSet{index: map[string]*api.Thread{}} }

// newer orders threads newest update first, then by id for stability.
func newer(a, b *api.Thread) int {
	if c := b.UpdatedAt.Compare(a.UpdatedAt); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}

// merge adds a page: known threads are replaced in place, new ones are
// merged into the order. It costs O(len(rows)+len(page)·log) per page.
func (s *rowSet) merge(page []api.Thread) {
	fresh := make([]*api.Thread, 0, len(page))
	moved := false
	for i := range page {
		t := page[i]
		if old, ok := s.index[t.ID]; ok {
			moved = moved || !old.UpdatedAt.Equal(t.UpdatedAt)
			*old = t
			continue
		}
		p := &t
		s.index[t.ID] = p
		fresh = append(fresh, p)
	}
	if moved {
		slices.SortStableFunc(s.rows, newer)
	}
	if len(fresh) == 0 {
		return
	}
	slices.SortFunc(fresh, newer)
	if len(s.rows) == 0 || newer(s.rows[len(s.rows)-1], fresh[0]) <= 0 {
		s.rows = append(s.rows, fresh...) // the usual case: the next page is older
		return
	}
	merged := make([]*api.Thread, 0, len(s.rows)+len(fresh))
	i, j := 0, 0
	for i < len(s.rows) && j < len(fresh) {
		if newer(fresh[j], s.rows[i]) < 0 {
			merged = append(merged, fresh[j])
			j++
		} else {
			merged = append(merged, s.rows[i])
			i++
		}
	}
	merged = append(merged, s.rows[i:]...)
	merged = append(merged, fresh[j:]...)
	s.rows = merged
}

// position returns the row index of a thread id, or -1. Rows are sorted
// except where a flush updated a thread in place, so a failed binary
// search falls back to a scan.
func (s *rowSet) position(id string) int {
	t, ok := s.index[id]
	if !ok {
		return -1
	}
	if i, found := slices.BinarySearchFunc(s.rows, t, newer); found && s.rows[i] == t {
		return i
	}
	return slices.Index(s.rows, t)
}

func (s *rowSet) len() int { return len(s.rows) }
