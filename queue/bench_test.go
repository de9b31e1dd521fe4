package queue

import (
	"encoding/json"
	"testing"
	"time"

	"triage/api"
)

// frameBudget is one frame at 60 Hz, the reference for work done on a key.
const frameBudget = time.Second / 60

// BenchmarkBuildSendBody10k builds and encodes the PATCH body of 10,000
// edits. Reference: one frame.
func BenchmarkBuildSendBody10k(b *testing.B) {
	ts := threads(10_000)
	q := New()
	q.Toggle(Resolved, ts)
	q.EditTags([]string{"vip"}, []string{"billing"}, ts[:5000])
	index := make(map[string]int, len(ts))
	for i, t := range ts {
		index[t.ID] = i
	}
	fast := func(id string) *api.Thread { return ts[index[id]] }
	var size int
	for b.Loop() {
		body, err := json.Marshal(q.Build(fast).Items)
		if err != nil {
			b.Fatal(err)
		}
		size = len(body)
	}
	b.ReportMetric(float64(size), "body-bytes")
	b.ReportMetric(float64(frameBudget.Nanoseconds()), "ref-frame-ns")
}

// BenchmarkToggle10k toggles a flag on 10,000 threads as one undoable
// action, in the queue alone. Reference: one frame.
func BenchmarkToggle10k(b *testing.B) {
	ts := threads(10_000)
	q := New()
	for b.Loop() {
		q.Toggle(Important, ts)
	}
	b.ReportMetric(float64(frameBudget.Nanoseconds()), "ref-frame-ns")
}
