package threads

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"triage/api"
)

// TestListVisibleEqualsMatchingEveryThread: a search through the
// haystack finds what matching every thread finds, whatever the case and
// the script, and sees a thread changed or added since it was built.
func TestListVisibleEqualsMatchingEveryThread(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 3))
	words := []string{"Refund", "REFUND", "login", "Łódź", "straße", "Kelvin", "ſ", "vip", "th_00001", "@example", "İstanbul", ""}
	page := randomThreads(400, r)
	for i := range page {
		p := &page[i]
		p.Title = words[r.IntN(len(words))] + " " + words[r.IntN(len(words))]
		p.VisitorEmail = strings.ToLower(words[r.IntN(len(words))]) + "@example.com"
	}
	store := NewStore()
	list := NewList(store)
	list.Merge(page)
	queries := []string{"refund", "REFUND login", "fund -vip", "th_0001", "example.com", "k", "s", "łódź", "tag:vip refund", "-refund", "is:pending fund", "nothing-here"}
	check := func(when string) {
		for _, qs := range queries {
			q, err := Parse(qs)
			if err != nil {
				t.Fatal(err)
			}
			for _, key := range []SortKey{SortUpdated, SortTitle} {
				got := list.Visible(q, fakeState{"th_000003": "pending"}, key, key == SortTitle)
				want := Visible(list.All(), q, fakeState{"th_000003": "pending"}, key, key == SortTitle)
				if !slices.Equal(got, want) {
					t.Errorf("%s: %q by %s: got %s, want %s", when, qs, key, ids(got), ids(want))
				}
			}
		}
	}
	check("loaded")
	changed := *list.Get("th_000007")
	changed.Title = "Refund after all"
	store.Put(changed) // same updatedAt: no move, only the text changed
	check("a title changed")
	list.Merge(randomThreads(402, r)[400:])
	check("threads added")
	keep := map[string]bool{}
	for _, th := range list.All()[10:] {
		keep[th.ID] = true
	}
	list.Prune(func(t *api.Thread) bool { return keep[t.ID] })
	check("threads pruned")
}

// FuzzListVisible compares the haystack's answer with matching every
// thread for any title and any word.
func FuzzListVisible(f *testing.F) {
	f.Add("Refund for ORDER", "refund")
	f.Add("Straße \x00 x", "e")
	f.Add("They refunded me", "refunds")
	f.Add("Café au lait", "cafe")
	f.Add("dying", "died")
	f.Add("happiness", "happy")
	f.Fuzz(func(t *testing.T, title, word string) {
		list := NewList(NewStore())
		list.Merge([]api.Thread{{ID: "th_1", Title: title}, {ID: "th_2", Title: strings.ToUpper(title), VisitorName: word}})
		q, err := Parse(word)
		if err != nil {
			return
		}
		got, want := list.Visible(q, fakeState{}, SortUpdated, false), Visible(list.All(), q, fakeState{}, SortUpdated, false)
		if !slices.Equal(got, want) {
			t.Errorf("title %q, query %q: got %s, want %s", title, word, ids(got), ids(want))
		}
	})
}

// BenchmarkFirstSearchAfterAChange is the search keystroke that pays for
// building the haystack (after any thread changed), against the ones
// after it, on 100,000 threads.
func BenchmarkFirstSearchAfterAChange(b *testing.B) {
	store := NewStore()
	list := NewList(store)
	list.Merge(randomThreads(100_000, rand.New(rand.NewPCG(2, 2))))
	q, _ := Parse("refund")
	changed := *list.All()[0]
	var first, later time.Duration
	for b.Loop() {
		store.Put(changed) // a poll answered: the haystack is stale
		start := time.Now()
		list.Visible(q, fakeState{}, SortUpdated, false)
		first += time.Since(start)
		start = time.Now()
		list.Visible(q, fakeState{}, SortUpdated, false)
		later += time.Since(start)
	}
	b.ReportMetric(float64(first.Microseconds())/float64(b.N), "first-µs")
	b.ReportMetric(float64(later.Microseconds())/float64(b.N), "ref-next-µs")
}

// TestTheFinderFindsWhatBytesIndexFinds: led by the rarest byte of the
// word, the finder finds the first place of a word where bytes.Index
// does, in texts where that byte comes often, seldom, first or last.
func TestTheFinderFindsWhatBytesIndexFinds(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	letters := []byte("abefqrzu_0 ")
	for range 20_000 {
		buf := make([]byte, rnd.IntN(40))
		for i := range buf {
			buf[i] = letters[rnd.IntN(len(letters))]
		}
		word := make([]byte, 1+rnd.IntN(4))
		for i := range word {
			word[i] = letters[rnd.IntN(len(letters))]
		}
		if rnd.IntN(3) == 0 && len(buf) >= len(word) { // a word that is there
			copy(word, buf[rnd.IntN(len(buf)-len(word)+1):])
		}
		if got, want := newFinder(word).index(buf), bytes.Index(buf, word); got != want {
			t.Fatalf("%q in %q: %d, bytes.Index %d", word, buf, got, want)
		}
	}
}
