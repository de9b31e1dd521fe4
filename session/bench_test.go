package session

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"triage/api"
	"triage/api/apitest"
	"triage/queue"
	"triage/threads"
)

// frameBudget is one frame at 60 Hz: the most work on a front end's
// goroutine may cost.
const frameBudget = time.Second / 60

// BenchmarkMergePatchAnswer merges a 1,000-thread PATCH answer into the
// views and the queue (in process, on the session's goroutine).
// Reference: one frame.
func BenchmarkMergePatchAnswer(b *testing.B) {
	ts := apitest.Generate(10_000, "bench-bot", 1, fixedNow)
	s := New(Options{API: quietAPI{}, Views: []threads.View{{Name: "All"}}})
	s.startLoad(loadFull)
	id := s.Current().loadID
	for i := 0; i < len(ts); i += 100 {
		s.Handle(pageResult{id: id, threads: ts[i:min(i+100, len(ts))], progress: api.Progress{Page: i/100 + 1}})
	}
	s.Handle(loadDone{id: id})
	targets := make([]*api.Thread, 1000)
	for i := range targets {
		targets[i] = s.Lookup(ts[i].ID)
	}
	answer := make([]api.Thread, 1000)
	for b.Loop() {
		b.StopTimer()
		s.Queue().Toggle(queue.Important, targets)
		plan := s.Queue().Build(s.Lookup)
		for i, it := range plan.Items {
			answer[i] = *s.Lookup(it.ThreadID)
			answer[i].Important = *it.Important
		}
		s.seq++
		s.send = &sendRun{id: s.seq, chunks: [][]api.UpdateItem{plan.Items}}
		b.StartTimer()
		s.sendResult(sendDone{id: s.seq, items: plan.Items, updated: answer[:len(plan.Items)]})
	}
	b.ReportMetric(float64(frameBudget.Nanoseconds()), "ref-frame-ns")
}

// BenchmarkRefreshRequests counts the requests of a refresh of a
// 100,000-thread view whose server grants pages of 100, counted at the
// server: with nothing changed, and with 1,000 threads changed by another
// agent, beside a whole reload of the view (the reference: what a refresh
// cost before it read only what changed).
func BenchmarkRefreshRequests(b *testing.B) {
	for _, changed := range []int{0, 1000} {
		b.Run(fmt.Sprintf("changed-%d", changed), func(b *testing.B) {
			for b.Loop() {
				s, srv := started(b, apitest.Options{Threads: 100_000, MaxLimit: 100}, Options{})
				for _, t := range srv.Threads()[5000:][:changed] {
					srv.Change(t.ID, func(t *api.Thread) { t.Title += " (edited)" })
				}
				drive(b, s, s.startLoad(loadRefresh))
				waitIdle(b, srv)
				b.ReportMetric(float64(len(srv.RequestsFor(http.MethodGet))), "requests/refresh")
				srv.ResetRequests()
				drive(b, s, s.startLoad(loadFull))
				waitIdle(b, srv)
				b.ReportMetric(float64(len(srv.RequestsFor(http.MethodGet))), "ref-whole-reload-requests")
			}
		})
	}
}
