package threads

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"triage/api"
)

// randomThreads are n threads with few distinct values, so sort keys tie
// often and the tie-breaks matter.
func randomThreads(n int, r *rand.Rand) []api.Thread {
	base := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	out := make([]api.Thread, n)
	for i := range out {
		out[i] = api.Thread{ID: fmt.Sprintf("th_%06d", i), Title: []string{"Refund", "refund", "Login", "Invoice", ""}[r.IntN(5)],
			UpdatedAt: base.Add(time.Duration(r.IntN(n/2+1)) * time.Minute), StartedAt: base.Add(time.Duration(r.IntN(50)) * time.Hour),
			UnreadMessagesCount: r.IntN(4), NegativeCount: r.IntN(3), Tags: [][]string{nil, {"vip"}, {"refund"}}[r.IntN(3)]}
	}
	return out
}

// TestMergeVisibleEqualsStartingOver: pages merged one by one into the
// shown rows give what filtering and sorting everything gives, for every
// sort, both directions, with and without a search.
func TestMergeVisibleEqualsStartingOver(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	all := randomThreads(600, r)
	slices.SortFunc(all, func(a, b api.Thread) int { return Newer(&a, &b) }) // pages come newest first
	for _, query := range []string{"", "refund", "-tag:vip", "unread:>1"} {
		q, err := Parse(query)
		if err != nil {
			t.Fatal(err)
		}
		for _, key := range SortKeys() {
			for _, rev := range []bool{false, true} {
				list := NewList(NewStore())
				var rows []*api.Thread
				for start := 0; start < len(all); start += 50 {
					fresh, onlyAdded := list.Merge(all[start : start+50])
					if !onlyAdded {
						t.Fatalf("page at %d: new threads only, yet not onlyAdded", start)
					}
					rows = MergeVisible(rows, fresh, q, fakeState{}, key, rev)
					if want := Visible(list.All(), q, fakeState{}, key, rev); !slices.Equal(rows, want) {
						t.Fatalf("%q by %s reverse=%v after %d threads:\n got %s\nwant %s", query, key, rev, start+50, ids(rows), ids(want))
					}
				}
			}
		}
	}
}

func TestMergeReportsAPageThatChangedShownThreads(t *testing.T) {
	list := NewList(NewStore())
	page := randomThreads(10, rand.New(rand.NewPCG(1, 2)))
	list.Merge(page)
	again := slices.Clone(page[:3])
	again[0].UpdatedAt = again[0].UpdatedAt.Add(time.Hour)
	if _, onlyAdded := list.Merge(append(again, randomThreads(12, rand.New(rand.NewPCG(3, 4)))[10:]...)); onlyAdded {
		t.Error("a page holding threads the list had was taken as only adding")
	}
}

// BenchmarkPageIntoSortedView merges a 100-thread page into a 300,000-row
// view sorted by title, against filtering and sorting everything again
// (what each page cost before) in the same run.
func BenchmarkPageIntoSortedView(b *testing.B) {
	r := rand.New(rand.NewPCG(5, 5))
	all := randomThreads(300_100, r)
	list := NewList(NewStore())
	list.Merge(all[:300_000])
	page := make([]*api.Thread, 100)
	for i := range page {
		page[i] = &all[300_000+i]
	}
	rows := Visible(list.All(), Query{}, fakeState{}, SortTitle, false)
	var merge, full time.Duration
	for b.Loop() {
		start := time.Now()
		got := MergeVisible(rows, page, Query{}, fakeState{}, SortTitle, false)
		merge += time.Since(start)
		start = time.Now()
		ref := Visible(append(slices.Clone(list.All()), page...), Query{}, fakeState{}, SortTitle, false)
		full += time.Since(start)
		if len(got) != len(ref) {
			b.Fatalf("%d rows, want %d", len(got), len(ref))
		}
	}
	n := float64(b.N)
	b.ReportMetric(float64(merge.Microseconds())/n, "merge-µs")
	b.ReportMetric(float64(full.Microseconds())/n, "ref-full-sort-µs")
	b.ReportMetric(float64(full)/float64(merge), "speedup")
}

// TestPruneDropsOnlyWhatKeepRefuses: the rows keep refuses leave, in
// order, and only those; when it refuses none the list is untouched (no
// change counted, the same rows), as a refresh of a million threads that
// drops nothing must not copy them.
func TestPruneDropsOnlyWhatKeepRefuses(t *testing.T) {
	list := NewList(NewStore())
	list.Include(list.store.PutAll(randomThreads(300, rand.New(rand.NewPCG(3, 3)))))
	before, changes := list.All(), list.changes
	if dropped := list.Prune(func(*api.Thread) bool { return true }); dropped != nil || list.changes != changes || &list.All()[0] != &before[0] {
		t.Fatalf("keeping every row dropped %v, counted %d changes, copied the rows %v", dropped, list.changes-changes, &list.All()[0] != &before[0])
	}
	var want, wantDropped []string
	for i, th := range before {
		if i%7 == 3 {
			wantDropped = append(wantDropped, th.ID)
		} else {
			want = append(want, th.ID)
		}
	}
	dropped := list.Prune(func(th *api.Thread) bool { return !slices.Contains(wantDropped, th.ID) })
	var got []string
	for _, th := range list.All() {
		got = append(got, th.ID)
	}
	if !slices.Equal(dropped, wantDropped) || !slices.Equal(got, want) || list.Has(wantDropped[0]) || list.changes == changes {
		t.Errorf("dropped %d (want %d), kept %d (want %d), still holds the first dropped %v", len(dropped), len(wantDropped), len(got), len(want), list.Has(wantDropped[0]))
	}
}
