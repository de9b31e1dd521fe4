package cache

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"triage/api"
	"triage/api/apitest"
	"triage/threads"
)

// BenchmarkLoad100k reads a cache of 100,000 threads into a store in
// parts of 512 rows (as a start does, on one goroutine here), beside
// decoding the same threads from the API's JSON into a store (what a
// start without a cache does, network aside).
func BenchmarkLoad100k(b *testing.B) {
	ts := apitest.Generate(100_000, "bot-1", 1, now)
	store := threads.NewStore()
	rows := store.PutAll(ts)
	c := Open(b.TempDir(), "bot-1", "b")
	if err := c.Write([]View{{Total: len(rows), Rows: rows}}, store.ReadLocker(), now); err != nil {
		b.Fatal(err)
	}
	st, _ := os.Stat(c.Path())
	body, err := json.Marshal(map[string]any{"threads": ts})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("cache", func(b *testing.B) {
		for b.Loop() {
			snap, err := loadInParts(c, 512)
			if err != nil || snap.Store.Len() != len(ts) {
				b.Fatalf("%v, %v", snap, err)
			}
			b.ReportMetric(float64(st.Size())/float64(len(ts)), "file-B/thread")
			b.ReportMetric(float64(len(body))/float64(len(ts)), "ref-json-B/thread")
		}
	})
	b.Run("ref-json", func(b *testing.B) {
		for b.Loop() {
			var page struct{ Threads []api.Thread }
			if err := json.NewDecoder(bytes.NewReader(body)).Decode(&page); err != nil {
				b.Fatal(err)
			}
			threads.NewStore().PutAll(page.Threads)
		}
	})
}

// BenchmarkWrite100k writes a cache of 100,000 threads, off the UI
// goroutine; the UI waits only for the chunk of 256 rows being read when
// it changes a thread.
func BenchmarkWrite100k(b *testing.B) {
	store := threads.NewStore()
	rows := store.PutAll(apitest.Generate(100_000, "bot-1", 1, now))
	c := Open(b.TempDir(), "bot-1", "b")
	for b.Loop() {
		if err := c.Write([]View{{Total: len(rows), Rows: rows}}, store.ReadLocker(), now); err != nil {
			b.Fatal(err)
		}
	}
}
