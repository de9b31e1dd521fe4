package queue

import (
	"strings"
	"testing"
	"time"

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

// TestNotesNeverOverwrittenBlind: notes queued without knowing what the
// server holds are a conflict when a read shows notes the agent never
// saw, and go ahead when it shows none; notes queued against known notes
// are a conflict when they changed since.
func TestNotesNeverOverwrittenBlind(t *testing.T) {
	ts := threads(3)
	q := New()
	q.SetNotes(ptr("mine"), ts) // the list carries no notes: unknown to the agent
	read := func(i int, notes api.Nullable) *api.Thread {
		c := *ts[i]
		c.InternalNotes = notes
		return &c
	}
	q.Rebase(read(0, api.Value("a colleague's note")))
	q.Rebase(read(1, api.Null()))
	q.Rebase(read(2, api.Value("")))
	if e := q.Get("t0"); e.Notes == nil || !e.Notes.Conflict {
		t.Errorf("notes the agent never saw would be overwritten: %+v", e.Notes)
	}
	for _, id := range []string{"t1", "t2"} {
		if e := q.Get(id); e.Notes == nil || e.Notes.Conflict || !e.Notes.BaseKnown {
			t.Errorf("%s had no notes: the edit should go ahead against a known empty base, got %+v", id, e.Notes)
		}
	}
	// Known when queued, changed since: a conflict too.
	seen := read(1, api.Value("old"))
	q2 := New()
	q2.SetNotes(ptr("mine"), []*api.Thread{seen})
	q2.Rebase(read(1, api.Value("changed by a colleague")))
	if e := q2.Get("t1"); e.Notes == nil || !e.Notes.Conflict {
		t.Errorf("notes changed since they were shown: %+v", e.Notes)
	}
	// A read without notes (a server that never returns them) says nothing.
	q3 := New()
	q3.SetNotes(ptr("mine"), ts[:1])
	q3.Rebase(ts[0])
	if e := q3.Get("t0"); e.Notes == nil || e.Notes.Conflict || e.Notes.BaseKnown {
		t.Errorf("a thread without notes in the answer: %+v", e.Notes)
	}
}

// TestModeConflictsOnlyOnAThirdValue: a mode queued against a known mode
// is a conflict when the server moved to a third value; queued while the
// mode was unknown, the first value the server shows becomes its base.
func TestModeConflictsOnlyOnAThirdValue(t *testing.T) {
	ts := threads(2)
	ts[0].Mode = api.ModeAI
	q := New()
	q.SetMode(api.ModeHuman, ts) // t0 known AI, t1 unknown
	t0, t1 := *ts[0], *ts[1]
	t0.Mode, t1.Mode = api.ModeAgent, api.ModeAgent
	q.Rebase(&t0)
	q.Rebase(&t1)
	if e := q.Get("t0"); e.Mode == nil || !e.Mode.Conflict {
		t.Errorf("AI → AGENT by someone else while HUMAN was queued: %+v", e.Mode)
	}
	if e := q.Get("t1"); e.Mode == nil || e.Mode.Conflict || e.Mode.Base != api.ModeAgent {
		t.Errorf("an unknown mode learnt: %+v", e.Mode)
	}
	t1.Mode = api.ModeAI
	q.Rebase(&t1)
	if e := q.Get("t1"); !e.Mode.Conflict {
		t.Errorf("t1's known mode then moved to a third value: %+v", e.Mode)
	}
}

// TestExactTagListConflictsWhenTheTagsMoved: "=list" replaces the whole
// set, so a colleague's tag added meanwhile makes it a conflict, held
// back; tag operations still merge.
func TestExactTagListConflictsWhenTheTagsMoved(t *testing.T) {
	ts := threads(2)
	ts[0].Tags, ts[1].Tags = []string{"a"}, []string{"a"}
	q := New()
	q.SetTags([]string{"b"}, ts[:1])
	q.EditTags([]string{"b"}, nil, ts[1:])
	t0, t1 := *ts[0], *ts[1]
	t0.Tags, t1.Tags = []string{"a", "colleague"}, []string{"a", "colleague"}
	q.Rebase(&t0)
	q.Rebase(&t1)
	if e := q.Get("t0"); e.Tags == nil || !e.Tags.Conflict {
		t.Fatalf("=list over a colleague's tag: %+v", e.Tags)
	}
	p := q.Build(lookupOf([]*api.Thread{&t0, &t1}))
	if got := body(t, p); got != `[{"threadId":"t1","tags":["a","colleague","b"]}]` || p.HeldBack != 1 {
		t.Errorf("sent %s, held back %d", got, p.HeldBack)
	}
	q.Settle(&t0, true)
	if got := body(t, q.Build(lookupOf([]*api.Thread{&t0, &t1}))); got != `[{"threadId":"t0","tags":["b"]},{"threadId":"t1","tags":["a","colleague","b"]}]` {
		t.Errorf("keep mine: %s", got)
	}
}

// TestNewConflictsAreNoticedOnce: each field that becomes a conflict is
// reported once, with the thread's title and both values.
func TestNewConflictsAreNoticedOnce(t *testing.T) {
	ts := threads(1)
	q := New()
	q.SetTitle(ptr("Mine"), ts)
	c := *ts[0]
	c.Title = "Theirs"
	q.Rebase(&c)
	q.Rebase(&c)
	got := q.TakeNotices()
	if len(got) != 1 || got[0].ThreadID != "t0" || got[0].Label != "Theirs" || got[0].Change.Field != FieldTitle ||
		got[0].Change.Old != `"Theirs"` || got[0].Change.New != `"Mine"` {
		t.Fatalf("notices %+v", got)
	}
	if again := q.TakeNotices(); len(again) != 0 {
		t.Errorf("noticed twice: %+v", again)
	}
}

// TestModeOnAServerThatShowsNoModes: the mode cannot be compared, so a
// thread that changed since the mode was queued (another agent's send
// moves its update) is a conflict for the agent to decide; one that did
// not change goes ahead, and this console's own send does not count.
func TestModeOnAServerThatShowsNoModes(t *testing.T) {
	ts := threads(2)
	for _, th := range ts {
		th.UpdatedAt = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	}
	q := New()
	q.SetMode(api.ModeHuman, ts)
	t0 := *ts[0]
	t0.UpdatedAt = t0.UpdatedAt.Add(time.Minute) // someone changed the thread
	q.Rebase(&t0)
	q.Rebase(ts[1]) // unchanged
	if e := q.Get("t0"); e.Mode == nil || !e.Mode.Conflict {
		t.Errorf("a changed thread on a server that shows no modes: %+v", e.Mode)
	}
	if e := q.Get("t1"); e.Mode == nil || e.Mode.Conflict {
		t.Errorf("an unchanged thread: %+v", e.Mode)
	}
	c := q.Get("t0").Changes(&t0)
	if len(c) != 1 || !strings.Contains(c[0].Old, "not shown by this server") {
		t.Errorf("the review's words: %+v", c)
	}
	// The console's own send of another field moves the update too.
	q2 := New()
	q2.Toggle(Resolved, ts[1:])
	items := q2.Build(lookupOf(ts)).Items
	q2.Sending(items)
	q2.SetMode(api.ModeAgent, ts[1:])
	answer := *ts[1]
	answer.Resolved, answer.UpdatedAt = true, answer.UpdatedAt.Add(time.Minute)
	q2.Confirm(items, []api.Thread{answer})
	if e := q2.Get("t1"); e == nil || e.Mode == nil || e.Mode.Conflict {
		t.Errorf("the console's own send made the mode a conflict: %+v", e)
	}
}
