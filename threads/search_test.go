package threads

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
)

// TestSearchOffTheListsGoroutineEqualsVisible: a search over a snapshot,
// with and without the list's haystack, finds and orders exactly what
// List.Visible does, for every sort and both directions.
func TestSearchOffTheListsGoroutineEqualsVisible(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 9))
	store := NewStore()
	list := NewList(store)
	list.Merge(randomThreads(3*chunk+17, r)) // several chunks, the last one short
	st := fakeState{"th_000003": "pending", "th_000010": "conflict"}
	for _, qs := range []string{"", "refund", "REFUND -login", "is:pending", "-is:conflict", "tag:vip", "unread:>2 invoice", "nothing-here"} {
		q, err := Parse(qs)
		if err != nil {
			t.Fatal(err)
		}
		_, anchored := q.anchor()
		for _, key := range SortKeys() {
			for _, reverse := range []bool{false, true} {
				want := Visible(slices.Clone(list.All()), q, st, key, reverse)
				list.hay = nil
				for _, fresh := range []bool{true, false} { // the haystack built by the search, then the list's
					if got := list.Snapshot().hay != nil; got == fresh && anchored {
						t.Fatalf("the snapshot has a haystack: %v, want %v", got, !fresh)
					}
					f, err := list.Snapshot().Search(context.Background(), store.ReadLocker(), q, st, key, reverse)
					if err != nil {
						t.Fatal(err)
					}
					if !slices.Equal(f.Rows, want) {
						t.Fatalf("%q by %s reverse %v (haystack built by the search %v): %d rows, Visible has %d",
							qs, key, reverse, fresh, len(f.Rows), len(want))
					}
					list.Keep(f)
				}
			}
		}
	}
}

// TestSearchWhileThreadsChange runs searches on another goroutine while
// this one puts changed threads (the race detector watches), and a
// cancelled search stops with its context's error.
func TestSearchWhileThreadsChange(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	store := NewStore()
	list := NewList(store)
	page := randomThreads(4*chunk, r)
	list.Merge(page)
	q, _ := Parse("refund")
	snap := list.Snapshot()
	var wg sync.WaitGroup
	for _, key := range []SortKey{SortTitle, SortUnread} {
		wg.Go(func() {
			if _, err := snap.Search(context.Background(), store.ReadLocker(), q, nil, key, false); err != nil {
				t.Error(err)
			}
		})
	}
	for i := range page {
		changed := page[i]
		changed.Title = "Changed"
		changed.UnreadMessagesCount++
		store.Put(changed)
	}
	wg.Wait()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := list.Snapshot().Search(ctx, store.ReadLocker(), q, nil, SortTitle, false); !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled search: %v", err)
	}
}

// TestCompareFoldOrdersAsLowerCase: the title order without lower-case
// copies is the order of the lower-case titles.
func TestCompareFoldOrdersAsLowerCase(t *testing.T) {
	words := []string{"", "a", "A", "ab", "Ab", "aB", "b", "Refund", "refund", "REFUND now", "Łódź", "łódź", "Zürich",
		"zürich", "Émile", "emile", "日本", "ΣΟΦΙΑ", "σοφια", "ǅ", "x\xffy", "x"}
	sign := func(c int) int { return max(-1, min(1, c)) }
	for _, a := range words {
		for _, b := range words {
			if got, want := sign(compareFold(a, b)), sign(strings.Compare(strings.ToLower(a), strings.ToLower(b))); got != want {
				t.Errorf("compareFold(%q, %q) = %d, the lower-case order says %d", a, b, got, want)
			}
		}
	}
}
