package threads

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"triage/api"
)

// chunk is how many threads a search on another goroutine reads under one
// hold of the store's lock, so a Put on the UI goroutine waits at most
// that long (well under a millisecond).
const chunk = 4096

// Snapshot is a list as a search on another goroutine sees it: its rows
// when it was taken and its haystack when current (never written once
// built).
type Snapshot struct {
	rows  []*api.Thread
	hay   *haystack
	stamp [2]int
}

// Snapshot is what a search off the list's goroutine needs. It shares the
// rows, which the list only appends to or replaces, capped at their length
// so nothing the list appends is seen.
func (l *List) Snapshot() Snapshot {
	s := Snapshot{rows: l.rows[:len(l.rows):len(l.rows)], stamp: l.stamp()}
	if l.hay.current(l) {
		s.hay = l.hay
	}
	return s
}

// SnapshotOf is a snapshot of rows the list's last search found, for a
// search that only narrows that one: it looks at those rows alone, in
// their order.
func (l *List) SnapshotOf(rows []*api.Thread) Snapshot {
	return Snapshot{rows: rows[:len(rows):len(rows)], stamp: l.stamp()}
}

// Found is what a search found: the rows to show, and the haystack it
// built, which the list keeps if it has not changed since (Keep).
type Found struct {
	Rows  []*api.Thread
	hay   *haystack
	stamp [2]int
}

// Current reports whether the list is as it was when the search's
// snapshot was taken: otherwise its rows miss what changed since.
func (l *List) Current(f Found) bool { return f.stamp == l.stamp() }

// Keep takes the haystack a search built, when the list has not changed
// since the search's snapshot: the next search need not build it.
func (l *List) Keep(f Found) {
	if f.hay != nil && f.hay.current(l) {
		l.hay = f.hay
	}
}

// Search is List.Visible over a snapshot, for another goroutine. It reads
// the threads' fields under lock (the store's ReadLocker) a chunk at a
// time, so the UI goroutine's Put waits for one chunk at most, and gives
// up with ctx's error between chunks. st, when the query asks about the
// queue, must be safe to read from this goroutine (a copy).
func (s Snapshot) Search(ctx context.Context, lock sync.Locker, q Query, st State, key SortKey, reverse bool) (Found, error) {
	f := Found{Rows: s.rows, stamp: s.stamp}
	if !q.Empty() {
		var err error
		if f.Rows, f.hay, err = s.filter(ctx, lock, q, st); err != nil {
			return f, err
		}
	}
	if key != SortUpdated {
		var err error
		if f.Rows, err = sortByKey(ctx, lock, f.Rows, key); err != nil {
			return f, err
		}
	}
	if reverse {
		if q.Empty() && key == SortUpdated {
			f.Rows = slices.Clone(f.Rows) // still the list's own
		}
		slices.Reverse(f.Rows)
	}
	return f, nil
}

// filter is the rows q matches, in order; with a word to look for, the
// candidates come from the haystack (built here when the snapshot had
// none, and returned).
func (s Snapshot) filter(ctx context.Context, lock sync.Locker, q Query, st State) ([]*api.Thread, *haystack, error) {
	out := make([]*api.Thread, 0, 64)
	word, ok := q.anchor()
	if !ok {
		err := chunked(ctx, lock, len(s.rows), func(i, j int) {
			for _, t := range s.rows[i:j] {
				if q.Match(t, st) {
					out = append(out, t)
				}
			}
		})
		return out, nil, err
	}
	hay, built := s.hay, (*haystack)(nil)
	if hay == nil {
		size := 0
		if err := chunked(ctx, lock, len(s.rows), func(i, j int) { size += textSize(s.rows[i:j]) }); err != nil {
			return nil, nil, err
		}
		hay = &haystack{stamp: s.stamp}
		hay.reserve(size, len(s.rows))
		if err := chunked(ctx, lock, len(s.rows), func(i, j int) { hay.addRows(s.rows[i:j]) }); err != nil {
			return nil, nil, err
		}
		built = hay
	}
	var cands []int
	inText := q.inTexts(word)
	var ids []string
	if len(inText) > 0 { // the rows' ids, read under the lock, to find the texts' threads among them
		ids = make([]string, len(s.rows))
		if err := chunked(ctx, lock, len(s.rows), func(i, j int) {
			for k := i; k < j; k++ {
				ids[k] = s.rows[k].ID
			}
		}); err != nil {
			return nil, nil, err
		}
	}
	hay.rowsMatching([]byte(word), inText, len(s.rows), func(i int) string { return ids[i] }, func(i int) { cands = append(cands, i) })
	if q.decided(word) {
		for _, c := range cands {
			out = append(out, s.rows[c])
		}
		return out, built, nil
	}
	err := chunked(ctx, lock, len(cands), func(i, j int) {
		for _, c := range cands[i:j] {
			if t := s.rows[c]; q.Match(t, st) {
				out = append(out, t)
			}
		}
	})
	return out, built, err
}

// sortItem is a row with the fields its order reads, copied under the
// lock so the sort itself needs none: the title for a title sort, else
// the key as a number (a time in Unix nanoseconds, or a count), and the
// update and id that break ties. At a million rows it is 56 MB while
// the sort runs.
type sortItem struct {
	t       *api.Thread
	id      string
	title   string
	key     int64
	updated int64
}

// sortByKey is order(rows, key, false) for another goroutine: the keys
// are read under lock in chunks, then sorted without it.
func sortByKey(ctx context.Context, lock sync.Locker, rows []*api.Thread, key SortKey) ([]*api.Thread, error) {
	items := make([]sortItem, len(rows))
	err := chunked(ctx, lock, len(rows), func(i, j int) {
		for k := i; k < j; k++ {
			t := rows[k]
			it := sortItem{t: t, id: t.ID, updated: nanos(t.UpdatedAt)}
			switch key {
			case SortStarted:
				it.key = nanos(t.StartedAt)
			case SortUnread:
				it.key = int64(t.UnreadMessagesCount)
			case SortNegative:
				it.key = int64(t.NegativeCount)
			case SortTitle:
				it.title = t.Title
			}
			items[k] = it
		}
	})
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(items, func(a, b sortItem) int {
		c := 0
		switch key {
		case SortTitle:
			c = compareFold(a.title, b.title)
		default:
			c = cmp.Compare(b.key, a.key) // the newest, or the most, first
		}
		if c != 0 {
			return c
		}
		if c := cmp.Compare(b.updated, a.updated); c != 0 {
			return c
		}
		return strings.Compare(a.id, b.id)
	})
	out := make([]*api.Thread, len(items))
	for i := range items {
		out[i] = items[i].t
	}
	return out, ctx.Err()
}

// nanos is t in Unix nanoseconds, the zero time the earliest of all.
func nanos(t time.Time) int64 {
	if t.IsZero() {
		return math.MinInt64
	}
	return t.UnixNano()
}

// chunked calls f over [0, n) a chunk at a time, each under lock, and
// stops with ctx's error between chunks.
func chunked(ctx context.Context, lock sync.Locker, n int, f func(i, j int)) error {
	for i := 0; i < n; i += chunk {
		if err := ctx.Err(); err != nil {
			return err
		}
		lock.Lock()
		f(i, min(i+chunk, n))
		lock.Unlock()
	}
	return ctx.Err()
}
