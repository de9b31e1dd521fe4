package queue

import (
	"testing"

	"triage/api"
)

func TestRebaseAndConflicts(t *testing.T) {
	ts := threads(2)
	q := New()
	q.Toggle(Resolved, ts)
	q.SetTitle(ptr("Mine"), ts)
	// Another agent resolved t0 (satisfied) and retitled t1 (conflict).
	t0, t1 := *ts[0], *ts[1]
	t0.Resolved = true
	t1.Title = "Theirs"
	if !q.Rebase(&t0) || !q.Rebase(&t1) {
		t.Fatal("rebases that changed edits reported no change")
	}
	if q.Rebase(&t1) {
		t.Error("a second rebase on the same state reported a change")
	}
	if e := q.Get("t0"); e.Flags[Resolved] != nil || e.Title == nil || e.Title.Conflict {
		t.Fatalf("t0: %+v", e)
	}
	e := q.Get("t1")
	if e.Title == nil || !e.Title.Conflict || e.Conflicts() != 1 {
		t.Fatalf("t1 title should conflict: %+v", e.Title)
	}
	p := q.Build(lookupOf([]*api.Thread{&t0, &t1}))
	if got := body(t, p); got != `[{"threadId":"t0","title":"Mine"},{"threadId":"t1","resolved":true}]` || p.HeldBack != 1 {
		t.Fatalf("conflicted field sent: %s held %d", got, p.HeldBack)
	}
	q.Settle(&t1, true)
	if got := body(t, q.Build(lookupOf([]*api.Thread{&t0, &t1}))); got != `[{"threadId":"t0","title":"Mine"},{"threadId":"t1","resolved":true,"title":"Mine"}]` {
		t.Fatalf("keep mine: %s", got)
	}
	q.Undo()
	q.Settle(&t1, false)
	if e := q.Get("t1"); e.Title != nil || e.Flags[Resolved] == nil {
		t.Fatalf("take theirs: %+v", e)
	}
}

func TestTagsResolvedAgainstLatestServerTags(t *testing.T) {
	ts := threads(3)
	ts[0].Tags = []string{"billing", "refund"}
	ts[1].Tags = []string{"vip"}
	ts[2].Tags = []string{"shipping"}
	q := New()
	q.EditTags([]string{"vip"}, []string{"billing"}, ts)
	if q.Get("t1") != nil {
		t.Fatal("t1 already has vip and no billing: nothing to change")
	}
	// Another agent adds "urgent" to t0 before the flush.
	latest := []*api.Thread{{ID: "t0", Tags: []string{"billing", "refund", "urgent"}}, ts[1], ts[2]}
	got := body(t, q.Build(lookupOf(latest)))
	want := `[{"threadId":"t0","tags":["refund","urgent","vip"]},{"threadId":"t2","tags":["shipping","vip"]}]`
	if got != want {
		t.Errorf("body\n got %s\nwant %s", got, want)
	}
	// An exact list replaces everything; an empty one clears.
	q.SetTags([]string{}, ts[2:])
	if got := body(t, q.Build(lookupOf(latest))); got != `[{"threadId":"t0","tags":["refund","urgent","vip"]},{"threadId":"t2","tags":[]}]` {
		t.Errorf("exact: %s", got)
	}
	// A later add cancels an earlier remove.
	q.EditTags([]string{"billing"}, nil, ts[:1])
	if e := q.Get("t0"); len(e.Tags.Remove) != 0 {
		t.Errorf("remove not cancelled: %+v", e.Tags)
	}
}
