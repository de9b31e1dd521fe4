package threads

import (
	"encoding/json"
	"runtime"
	"testing"
	"time"

	"triage/api"
	"triage/api/apitest"
)

// benchThreads is the number of threads the scale benchmarks load.
const benchThreads = 100_000

// pagesJSON is 100,000 generated threads as the server sends them, in
// pages of 100: what a load decodes.
func pagesJSON(tb testing.TB) [][]byte {
	tb.Helper()
	all := apitest.Generate(benchThreads, "361628903185318481", 1, time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC))
	var pages [][]byte
	for i := 0; i < len(all); i += 100 {
		b, err := json.Marshal(api.Page{Threads: all[i:min(i+100, len(all))]})
		if err != nil {
			tb.Fatal(err)
		}
		pages = append(pages, b)
	}
	return pages
}

// heapAfter loads the pages into a view's list and returns the live heap
// the list and its store hold.
func heapAfter(tb testing.TB, pages [][]byte, in *Interner) (uint64, *List) {
	tb.Helper()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	s := NewList(newStore(in))
	for _, b := range pages {
		var p api.Page
		if err := json.Unmarshal(b, &p); err != nil {
			tb.Fatal(err)
		}
		s.Merge(p.Threads)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(pages) // or the JSON is freed between the readings
	return after.HeapAlloc - before.HeapAlloc, s
}

// BenchmarkMemoryPerThread reports the heap held per loaded thread, with
// the strings shared as the console does and, as the reference, without.
// The target is under 1 KiB per thread.
func BenchmarkMemoryPerThread(b *testing.B) {
	pages := pagesJSON(b)
	b.ResetTimer()
	for b.Loop() {
		shared, s1 := heapAfter(b, pages, NewInterner())
		raw, s2 := heapAfter(b, pages, nil)
		b.ReportMetric(float64(shared)/float64(s1.Len()), "B/thread")
		b.ReportMetric(float64(raw)/float64(s2.Len()), "ref-unshared-B/thread")
		b.ReportMetric(1024, "target-B/thread")
		runtime.KeepAlive(s1)
		runtime.KeepAlive(s2)
	}
}

// TestMemoryPerThreadUnderTarget keeps the benchmark's claim honest at a
// size that runs in the ordinary tests: a ratio, not a time.
func TestMemoryPerThreadUnderTarget(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates 100,000 threads")
	}
	pages := pagesJSON(t)[:200] // 20,000 threads
	held, s := heapAfter(t, pages, NewInterner())
	if per := float64(held) / float64(s.Len()); per >= 1024 {
		t.Errorf("%.0f bytes per loaded thread, target under 1024", per)
	}
	runtime.KeepAlive(s)
}
