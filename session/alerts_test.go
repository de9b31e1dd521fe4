package session

import (
	"strings"
	"testing"

	"triage/api"
	"triage/api/apitest"
	"triage/queue"
	"triage/threads"
)

// alerts are the Alert events of events.
func alerts(events []Event) []Alert {
	var out []Alert
	for _, e := range events {
		if a, ok := e.(Alert); ok {
			out = append(out, a)
		}
	}
	return out
}

func TestAlertsRingOnWhatNewlyMatches(t *testing.T) {
	all, _ := threads.Parse("")
	esc, _ := threads.Parse("is:escalated")
	s, srv := started(t, apitest.Options{Threads: 60, Seed: 8}, Options{Alerts: []threads.Query{all, esc}})
	if got := alerts(drive(t, s, s.Poll())); len(got) != 0 {
		t.Fatalf("a poll with nothing new rang: %+v", got)
	}
	// A visitor starts a conversation: "New thread".
	ids := srv.AddThreads(1)
	got := alerts(drive(t, s, s.Poll()))
	if len(got) != 1 || len(got[0].Items) != 1 || got[0].Items[0].Thread.ID != ids[0] || !strings.HasPrefix(got[0].Text(), "New thread: ") {
		t.Fatalf("a new thread: %+v", got)
	}
	// A colleague escalates a thread that was not: "New escalated", once.
	var calm string
	for _, th := range s.Current().List().All() {
		if !th.Escalated {
			calm = th.ID
			break
		}
	}
	srv.Change(calm, func(th *api.Thread) { th.Escalated = true })
	got = alerts(drive(t, s, s.Poll()))
	if len(got) != 1 || got[0].Items[0].Thread.ID != calm || got[0].Items[0].Query != "is:escalated" ||
		!strings.HasPrefix(got[0].Text(), "New escalated: ") {
		t.Fatalf("a newly escalated thread: %+v", got)
	}
	srv.Change(calm, func(th *api.Thread) { th.Title = "still escalated" })
	if got := alerts(drive(t, s, s.Poll())); len(got) != 0 {
		t.Errorf("a thread that was escalated already rang again: %+v", got)
	}
	// New and escalated at once: one item, the specific query.
	fresh := srv.AddThreads(2)
	srv.Change(fresh[0], func(th *api.Thread) { th.Escalated = true })
	got = alerts(drive(t, s, s.Poll()))
	if len(got) != 1 || len(got[0].Items) != 2 || !strings.Contains(got[0].Text(), "(and 1 more)") {
		t.Fatalf("two new threads in one poll: %+v", got)
	}
	for _, it := range got[0].Items {
		if want := map[bool]string{true: "is:escalated", false: ""}[it.Thread.ID == fresh[0]]; it.Query != want {
			t.Errorf("%s rang for %q, want %q", it.Thread.ID, it.Query, want)
		}
	}
	// What this agent sent does not ring when the poll brings it back.
	var other string
	for _, th := range s.Current().List().All() {
		if !th.Escalated {
			other = th.ID
			break
		}
	}
	s.Queue().SetFlag(queue.Escalated, true, []*api.Thread{s.Lookup(other)})
	drive(t, s, s.Send(false))
	if got := alerts(drive(t, s, s.Poll())); len(got) != 0 {
		t.Errorf("this agent's own escalation rang: %+v", got)
	}
}

func TestNoAlertsWithoutQueries(t *testing.T) {
	s, srv := started(t, apitest.Options{Threads: 20, Seed: 8}, Options{})
	srv.AddThreads(3)
	if got := alerts(drive(t, s, s.Poll())); len(got) != 0 {
		t.Errorf("alerts = [] rang: %+v", got)
	}
}
