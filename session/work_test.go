package session

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"triage/api"
	"triage/api/apitest"
	"triage/queue"
)

// TestAChangeInTurnsHoldsBackASend: a toggle on 2,500 threads, a part a
// turn, says its progress, refuses a send and another change with a
// word while it runs, and sends all of it once it is done.
func TestAChangeInTurnsHoldsBackASend(t *testing.T) {
	var long []bool
	s, srv := started(t, apitest.Options{Threads: 2500, MaxLimit: 500}, Options{WorkTurn: time.Nanosecond,
		LongWork: func(started bool) { long = append(long, started) }})
	targets, plain, scanned := make([]*api.Thread, 0, 2500), 0, 0
	for _, th := range s.Current().List().All() {
		targets = append(targets, th)
		if !th.Important {
			plain++
		}
		if plain == 0 {
			scanned++ // the threads the toggle scans before one without the flag decides it
		}
	}
	scanned++
	progress := func(done int) string { // of the scan, then the 2,500
		return fmt.Sprintf("setting important on 2,500 threads… %d%%", done*100/(scanned+2500))
	}
	rest := s.Toggle(queue.Important, targets) // its first part decides, then applies
	first := progress(workPart)
	if len(rest) != 1 || !s.Applying() || s.ApplyProgress() != first {
		t.Fatalf("after the first turn: %d tasks, progress %q", len(rest), s.ApplyProgress())
	}
	s.TakeEvents()
	if s.Send(false) != nil || s.Undo() != nil || s.Toggle(queue.Resolved, targets[:1]) != nil {
		t.Fatal("a send or a change started while the toggle was applied")
	}
	if said := saidText(s.TakeEvents()); strings.Count(said, "Wait: "+first) != 3 {
		t.Errorf("the refusals said %q", said)
	}
	rest = step(s, rest)
	if s.ApplyProgress() != progress(2*workPart) || len(rest) != 1 {
		t.Fatalf("the second turn: progress %q, %d tasks", s.ApplyProgress(), len(rest))
	}
	events := drive(t, s, rest)
	if s.Applying() || s.Queue().Fields() != plain || saidText(events) != "important set on 2,500 threads" {
		t.Fatalf("at the end: applying %v, %d fields (want %d), said %q", s.Applying(), s.Queue().Fields(), plain, saidText(events))
	}
	if !slices.Equal(long, []bool{true, false}) {
		t.Errorf("the front end was told %v of the change in turns, want its start and end", long)
	}
	drive(t, s, s.Toggle(queue.Escalated, targets[:1]))
	if len(long) != 2 {
		t.Errorf("a change done at once was told as one in turns: %v", long)
	}
	drive(t, s, s.Send(false))
	if n := len(srv.RequestsFor("PATCH")); n != 1 || s.Queue().Len() != 0 {
		t.Errorf("the send after it: %d PATCHes, %d left queued", n, s.Queue().Len())
	}
}
