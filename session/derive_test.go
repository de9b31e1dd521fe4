package session

import (
	"math/rand/v2"
	"slices"
	"testing"

	"triage/api"
	"triage/api/apitest"
	"triage/queue"
	"triage/threads"
)

// TestViewsDrawnFromAllStayInStepWithIt: after every load or refresh of
// All, each view drawn from it holds exactly the threads of All that fit
// its filter, and counts them, while other agents resolve, archive and
// delete threads, a send answers meanwhile, and pages come in update
// order (a refresh reads what changed) or out of it (every refresh reads
// the whole view). The end of a load judges only what may have changed,
// so this fails when a change slips past what it judges.
func TestViewsDrawnFromAllStayInStepWithIt(t *testing.T) {
	for _, byStart := range []bool{false, true} {
		srv, base := serve(t, apitest.Options{Threads: 400, Seed: 11, MaxLimit: 50, ByStart: byStart})
		s := on(t, srv, base, Options{Views: threads.DefaultViews()})
		all := s.views[len(s.views)-1]
		// The first load, a task at a time; after its second page, the
		// threads of the first change here, as a send's answer changes
		// them, before any view counts its total here.
		pages := 0
		for tasks := s.Start(); len(tasks) > 0; {
			r := tasks[0]()
			tasks = append(tasks[1:], s.Handle(r)...)
			if _, ok := r.(pageResult); ok {
				if pages++; pages == 2 {
					for _, th := range all.list.All()[:40] {
						answer := *th
						answer.Resolved, answer.Archived = !answer.Resolved, !answer.Archived
						s.changed(s.store.Put(answer))
					}
				}
			}
		}
		if pages < 3 || !all.complete {
			t.Fatalf("the first load ended after %d pages, complete %v", pages, all.complete)
		}
		inStep(t, s, "after the first load")
		rng := rand.New(rand.NewPCG(11, uint64(len(srv.Threads()))))
		for round := range 8 {
			for _, th := range srv.Threads() {
				switch rng.IntN(12) {
				case 0:
					srv.Change(th.ID, func(t *api.Thread) { t.Resolved = !t.Resolved })
				case 1:
					srv.Change(th.ID, func(t *api.Thread) { t.Archived = !t.Archived })
				case 2:
					srv.Change(th.ID, func(t *api.Thread) { t.Escalated, t.Important = !t.Escalated, !t.Important })
				case 3:
					if rng.IntN(4) == 0 {
						srv.Delete(th.ID)
					}
				}
			}
			var targets []*api.Thread
			for _, th := range all.list.All() {
				if rng.IntN(10) == 0 {
					targets = append(targets, th)
				}
			}
			s.Queue().Toggle(queue.Resolved, targets)
			tasks := s.Refresh()
			if round%2 == 1 {
				tasks = append(tasks, s.Send(false)...) // its answer comes while the pages do
			} else {
				drive(t, s, s.Send(false)) // its answer comes before them
			}
			drive(t, s, tasks)
			drive(t, s, s.Refresh()) // a send left behind by the load is sent, and read
			inStep(t, s, "after round "+string(rune('1'+round))+map[bool]string{false: " (pages in update order)", true: " (pages out of it)"}[byStart])
		}
	}
}

// inStep fails the test when a view drawn from All holds other threads
// than All's that fit it, or counts other than it holds.
func inStep(t *testing.T, s *Session, when string) {
	t.Helper()
	var all *View
	for _, v := range s.views {
		if v.source == nil {
			all = v
		}
	}
	for _, v := range s.views {
		if v.source != all {
			continue
		}
		var want, got []string
		for _, th := range all.list.All() {
			if ok, _ := v.fits(th); ok {
				want = append(want, th.ID)
			}
		}
		for _, th := range v.list.All() {
			got = append(got, th.ID)
		}
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(want, got) {
			t.Errorf("%s: %s holds %d threads, want the %d of All that fit it", when, v.def.Name, len(got), len(want))
		}
		if v.total != len(want) {
			t.Errorf("%s: %s counts %d, holds %d", when, v.def.Name, v.total, len(want))
		}
	}
}
