// Package threads holds the loaded threads of a view and what is computed
// over them without a terminal: the store (deduplicated, newest first,
// with repeated strings shared), the search query language, sorting and
// the definitions of views.
package threads

import (
	"slices"
	"strings"

	"triage/api"
)

// Set is the loaded threads of one view, newest update first, without
// duplicates (pages can overlap when threads move while loading).
type Set struct {
	rows   []*api.Thread
	index  map[string]*api.Thread
	intern *Interner
}

// NewSet returns an empty set sharing strings through in (nil: none).
func NewSet(in *Interner) *Set {
	return &Set{index: map[string]*api.Thread{}, intern: in}
}

// Newer orders threads newest update first, then by id for stability.
func Newer(a, b *api.Thread) int {
	if c := b.UpdatedAt.Compare(a.UpdatedAt); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}

// Merge adds a page: known threads are replaced in place, new ones are
// merged into the order. It costs O(len(rows)+len(page)·log) per page.
func (s *Set) Merge(page []api.Thread) {
	fresh := make([]*api.Thread, 0, len(page))
	moved := false
	for i := range page {
		t := page[i]
		s.intern.Thread(&t)
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
		slices.SortStableFunc(s.rows, Newer)
	}
	if len(fresh) == 0 {
		return
	}
	slices.SortFunc(fresh, Newer)
	if len(s.rows) == 0 || Newer(s.rows[len(s.rows)-1], fresh[0]) <= 0 {
		s.rows = append(s.rows, fresh...) // the usual case: the next page is older
		return
	}
	merged := make([]*api.Thread, 0, len(s.rows)+len(fresh))
	i, j := 0, 0
	for i < len(s.rows) && j < len(fresh) {
		if Newer(fresh[j], s.rows[i]) < 0 {
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

// Replace puts the server's newer copy of a thread in place, without
// moving it, so rows stay where the operator sees them after a send. It
// reports whether the set holds the thread.
func (s *Set) Replace(t api.Thread) bool {
	old, ok := s.index[t.ID]
	if ok {
		s.intern.Thread(&t)
		*old = t
	}
	return ok
}

// Prune drops the threads keep does not name and returns their ids.
func (s *Set) Prune(keep map[string]bool) []string {
	var dropped []string
	kept := s.rows[:0]
	for _, t := range s.rows {
		if keep[t.ID] {
			kept = append(kept, t)
		} else {
			delete(s.index, t.ID)
			dropped = append(dropped, t.ID)
		}
	}
	clear(s.rows[len(kept):])
	s.rows = kept
	return dropped
}

// Get returns a loaded thread by id.
func (s *Set) Get(id string) *api.Thread { return s.index[id] }

// All returns the threads, newest first. Callers must not modify it.
func (s *Set) All() []*api.Thread { return s.rows }

// Len is the number of loaded threads.
func (s *Set) Len() int { return len(s.rows) }
