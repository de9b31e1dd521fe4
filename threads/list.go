package threads

import (
	"maps"
	"slices"

	"triage/api"
)

// List is the threads of one view, newest update first, without
// duplicates (pages can overlap when threads move while loading). It holds
// references to the store's single copies, never copies of its own. Its
// rows are never rewritten in place (only appended to, or replaced), so a
// snapshot can share them.
type List struct {
	store *Store
	rows  []*api.Thread
	has   map[*api.Thread]struct{} // by the store's copy: half the size of a map by id
	// sortedAt is the store's move count when rows were last in order.
	sortedAt int
	// changes counts changes of rows; hay is built from them for searches.
	changes int
	hay     *haystack
}

// NewList returns an empty list of threads kept in store.
func NewList(store *Store) *List {
	return &List{store: store, has: map[*api.Thread]struct{}{}, sortedAt: store.moves}
}

// Reserve makes room for the rows r was made for, with its list's part
// when it still has it (a room serves one list), else made here.
func (l *List) Reserve(r *Room) {
	if r.n <= len(l.rows) {
		return
	}
	has, rows := r.has, r.rows
	if has == nil {
		has, rows = make(map[*api.Thread]struct{}, r.n), make([]*api.Thread, 0, r.n)
	}
	r.has, r.rows = nil, nil
	maps.Copy(has, l.has)
	l.has = has
	l.rows = append(rows, l.rows...) // a new array: a snapshot may share the old
}

// Merge puts a page of this view's threads in the store and adds the new
// ones to the list in order (Include).
func (l *List) Merge(page []api.Thread) (fresh []*api.Thread, onlyAdded bool) {
	return l.Include(l.store.PutAll(page))
}

// Include adds threads the store holds to the list in order. When a
// thread's updatedAt moved since the list was last in order (by this page
// or any other answer), the rows are re-sorted first. It costs
// O(len(rows)+len(ps)·log) per call. It returns the threads added, and
// whether the call only added threads (none the list held before was in
// it, nothing was re-sorted): then what is shown of the list can take the
// added ones in without starting over.
func (l *List) Include(ps []*api.Thread) (fresh []*api.Thread, onlyAdded bool) {
	fresh = l.absent(ps)
	onlyAdded = len(fresh) == len(ps) && l.sortedAt == l.store.moves
	if l.sortedAt != l.store.moves {
		l.rows = slices.Clone(l.rows) // never in place: a snapshot may share them
		slices.SortStableFunc(l.rows, Newer)
		l.sortedAt = l.store.moves
		l.changes++
	}
	l.insert(fresh)
	return fresh, onlyAdded
}

// Insert puts a page in the store and inserts the threads the list did
// not hold at their place, without moving the rows it holds (a live
// update: changed threads change in place). It returns the threads
// inserted.
func (l *List) Insert(page []api.Thread) []*api.Thread {
	return l.Add(l.store.PutAll(page))
}

// Add is Insert of threads the store holds.
func (l *List) Add(ps []*api.Thread) []*api.Thread {
	fresh := l.absent(ps)
	l.insert(fresh)
	return fresh
}

// absent marks the threads the list does not hold yet as held and
// returns them.
func (l *List) absent(ps []*api.Thread) []*api.Thread {
	fresh := make([]*api.Thread, 0, len(ps))
	for _, p := range ps {
		if _, ok := l.has[p]; ok {
			continue
		}
		l.has[p] = struct{}{}
		fresh = append(fresh, p)
	}
	return fresh
}

// insert merges fresh threads into the rows in order.
func (l *List) insert(fresh []*api.Thread) {
	if len(fresh) == 0 {
		return
	}
	l.changes++
	slices.SortFunc(fresh, Newer)
	if len(l.rows) == 0 || Newer(l.rows[len(l.rows)-1], fresh[0]) <= 0 {
		l.rows = append(l.rows, fresh...) // the usual case: the next page is older
		return
	}
	merged := make([]*api.Thread, 0, len(l.rows)+len(fresh))
	i, j := 0, 0
	for i < len(l.rows) && j < len(fresh) {
		if Newer(fresh[j], l.rows[i]) < 0 {
			merged = append(merged, fresh[j])
			j++
		} else {
			merged = append(merged, l.rows[i])
			i++
		}
	}
	merged = append(merged, l.rows[i:]...)
	merged = append(merged, fresh[j:]...)
	l.rows = merged
}

// Prune drops the threads keep refuses and returns their ids. The store
// keeps them: another list may still show them.
func (l *List) Prune(keep func(*api.Thread) bool) []string {
	first := slices.IndexFunc(l.rows, func(t *api.Thread) bool { return !keep(t) })
	if first < 0 {
		return nil // all kept: the rows stay as they are, uncopied
	}
	var dropped []string
	kept := make([]*api.Thread, 0, len(l.rows)) // never in place: a snapshot may share them
	kept = append(kept, l.rows[:first]...)
	for _, t := range l.rows[first:] {
		if keep(t) {
			kept = append(kept, t)
		} else {
			delete(l.has, t)
			dropped = append(dropped, t.ID)
		}
	}
	l.rows = kept
	if len(dropped) > 0 {
		l.changes++
	}
	return dropped
}

// Has reports whether the list shows the thread.
func (l *List) Has(id string) bool { return l.Get(id) != nil }

// Get returns a thread of the list by id, or nil.
func (l *List) Get(id string) *api.Thread {
	t := l.store.Get(id)
	if _, ok := l.has[t]; !ok {
		return nil
	}
	return t
}

// Visible is Visible over the list's threads: a search with a word finds
// its candidates in the list's haystack, built again only when a thread
// or the rows changed since, and checks only those against the query
// (none, when the query is that word alone).
func (l *List) Visible(q Query, st State, key SortKey, reverse bool) []*api.Thread {
	word, ok := q.anchor()
	if !ok {
		return Visible(l.rows, q, st, key, reverse)
	}
	if !l.hay.current(l) {
		l.hay = newHaystack(l.rows, l.stamp())
	}
	out := make([]*api.Thread, 0, 64)
	decided := q.decided(word)
	l.hay.rowsMatching([]byte(word), q.inTexts(word), len(l.rows), func(i int) string { return l.rows[i].ID }, func(i int) {
		if t := l.rows[i]; decided || q.Match(t, st) {
			out = append(out, t)
		}
	})
	return order(out, key, reverse)
}

// stamp is the store's and the list's change counts: what was derived
// from the rows and their text is current while it holds.
func (l *List) stamp() [2]int { return [2]int{l.store.puts, l.changes} }

// current reports whether h was built from the list as it is.
func (h *haystack) current(l *List) bool {
	return h != nil && h.stamp == l.stamp() && len(h.ends) == len(l.rows)
}

// All returns the threads, newest first. Callers must not modify it.
func (l *List) All() []*api.Thread { return l.rows }

// Len is the number of threads in the list.
func (l *List) Len() int { return len(l.rows) }
