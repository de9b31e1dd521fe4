// Package threads holds the threads the console knows, without a terminal:
// the one store where each thread exists once, the ordered lists of
// threads that views show, the search query language, sorting and the
// definitions of views.
package threads

import (
	"maps"
	"strings"
	"sync"
	"time"

	"triage/api"
)

// Store holds every thread the console knows, once, by id. Every answer
// from the server goes through Put, which updates that one copy in place,
// so every list that shows the thread shows its new state at once. The UI
// owns it: only its goroutine calls its methods. The one exception is
// reading the threads' fields from another goroutine (writing the disk
// cache) under ReadLocker, because Put writes them under the lock.
type Store struct {
	mu     sync.RWMutex
	byID   map[string]*api.Thread
	intern *Interner
	// moves counts changes of a thread's updatedAt, the order lists are
	// kept in; a list re-sorts when it merges a page after a move.
	moves int
	// puts counts every Put: what was derived from the threads' text (a
	// search haystack) is stale when it moved.
	puts int
}

// NewStore returns an empty store that shares repeated strings.
func NewStore() *Store { return newStore(NewInterner()) }

// newStore is a store sharing strings through in (nil: none).
func newStore(in *Interner) *Store {
	return &Store{byID: map[string]*api.Thread{}, intern: in}
}

// Put stores the server's copy of a thread and returns the one copy.
// Mode and internal notes are not in the documented list object: when t
// omits them and the thread has not changed since they were read, the
// values already known are kept; otherwise they become unknown.
func (s *Store) Put(t api.Thread) *api.Thread {
	s.intern.Thread(&t)
	s.puts++
	old, ok := s.byID[t.ID]
	if !ok {
		p := &t
		s.byID[t.ID] = p
		return p
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if same := old.UpdatedAt.Equal(t.UpdatedAt); !same {
		s.moves++
	} else {
		if t.Mode == "" {
			t.Mode = old.Mode
		}
		if t.InternalNotes.IsZero() {
			t.InternalNotes = old.InternalNotes
		}
	}
	*old = t
	return old
}

// Adopt stores t, a thread the store does not hold, as its one copy
// without copying it (the disk cache hands its threads over in slabs),
// and returns it; a thread it holds already is Put.
func (s *Store) Adopt(t *api.Thread) *api.Thread {
	if _, ok := s.byID[t.ID]; ok {
		return s.Put(*t)
	}
	s.intern.Thread(t)
	s.puts++
	s.byID[t.ID] = t
	return t
}

// Room is space for n threads made ahead, on another goroutine than the
// one that fills it: the index of a store and of a list for a million
// threads take 150 ms to make, which a key would wait for.
type Room struct {
	n    int
	byID map[string]*api.Thread
	has  map[*api.Thread]struct{}
	rows []*api.Thread
}

// MakeRoom makes room for n threads in a store and in one of its lists.
func MakeRoom(n int) *Room {
	return &Room{n: n, byID: make(map[string]*api.Thread, n), has: make(map[*api.Thread]struct{}, n), rows: make([]*api.Thread, 0, n)}
}

// Reserve makes room for the threads r was made for, so filling the
// store does not grow its index step by step. A room serves once.
func (s *Store) Reserve(r *Room) {
	if r.byID != nil && r.n > len(s.byID) {
		maps.Copy(r.byID, s.byID)
		s.byID, r.byID = r.byID, nil
	}
}

// PutAll is Put of every thread of a page, in order.
func (s *Store) PutAll(page []api.Thread) []*api.Thread {
	ps := make([]*api.Thread, len(page))
	for i := range page {
		ps[i] = s.Put(page[i])
	}
	return ps
}

// ReadLocker is the lock under which another goroutine may read the
// fields of the store's threads: Put changes a thread it holds only with
// it held.
func (s *Store) ReadLocker() sync.Locker { return s.mu.RLocker() }

// Get returns the thread with id, or nil when the store does not hold it.
func (s *Store) Get(id string) *api.Thread { return s.byID[id] }

// Drop forgets a thread no list shows any more.
func (s *Store) Drop(id string) { delete(s.byID, id) }

// Len is the number of threads held.
func (s *Store) Len() int { return len(s.byID) }

// Newer orders threads newest update first, then by id for stability.
func Newer(a, b *api.Thread) int {
	if c := b.UpdatedAt.Compare(a.UpdatedAt); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}

// InUpdateOrder reports whether a page continues the order newest update
// first after a thread updated at prev (zero: the first page), and
// returns the update of its last thread. The API documents no order, so
// an incremental refresh checks every page it reads.
func InUpdateOrder(prev time.Time, page []api.Thread) (last time.Time, ok bool) {
	last = prev
	for i := range page {
		at := page[i].UpdatedAt
		if !last.IsZero() && at.After(last) {
			return last, false
		}
		last = at
	}
	return last, true
}

// Keep drops every thread keep refuses: what a disk cache brought that
// no view shows.
func (s *Store) Keep(keep func(id string) bool) {
	for id := range s.byID {
		if !keep(id) {
			delete(s.byID, id)
		}
	}
}
