package queue

import (
	"slices"
	"testing"
	"triage/api"
)

func TestClaimIsOneStepThatTakesOverAndIsGuarded(t *testing.T) {
	ts := threads(3)
	ts[0].Tags = []string{"vip", "owner:bo"} // owned by bo: the console asked first
	ts[1].Tags = []string{"billing"}
	q := New()
	q.EditTags([]string{"refund"}, nil, ts[1:2]) // a tags edit queued before the claim
	q.Claim("owner:", "ana", ts)
	lookup := lookupOf(ts)
	if got := body(t, q.Build(lookup)); got != `[{"threadId":"t0","tags":["vip","owner:ana"]},{"threadId":"t1","tags":["billing","refund","owner:ana"]},{"threadId":"t2","tags":["owner:ana"]}]` {
		t.Fatalf("claim sends %s", got)
	}
	if label, _ := q.Undo(); label != "claim" || q.Len() != 1 || q.Get("t1").Tags.Claim != "" {
		t.Fatalf("undo %q left %v", label, q.IDs())
	}
	q.Redo()

	// Someone claims t2 before the send: held back, never two owners.
	t2 := *ts[2]
	t2.Tags = []string{"owner:cy"}
	q.Rebase(&t2)
	if e := q.Get("t2"); !e.Tags.Conflict {
		t.Fatalf("a claim over a new owner is not a conflict: %+v", e.Tags)
	}
	// bo's tag going away, or other tags arriving, is no conflict.
	t0 := *ts[0]
	t0.Tags = []string{"vip", "owner:bo", "urgent"}
	q.Rebase(&t0)
	if q.Get("t0").Tags.Conflict {
		t.Error("a tag that is not an owner's made the claim a conflict")
	}
	// Keeping mine takes the new owner's tag off too.
	q.Settle(&t2, true)
	lookup = lookupOf([]*api.Thread{&t0, ts[1], &t2})
	if got := body(t, q.Build(lookup)); got != `[{"threadId":"t0","tags":["vip","urgent","owner:ana"]},{"threadId":"t1","tags":["billing","refund","owner:ana"]},{"threadId":"t2","tags":["owner:ana"]}]` {
		t.Fatalf("after keep mine: %s", got)
	}
}

func TestReleaseRemovesOnlyMine(t *testing.T) {
	ts := threads(2)
	ts[0].Tags = []string{"owner:ana", "vip"}
	ts[1].Tags = []string{"owner:bo"}
	q := New()
	q.Release("owner:", "ana", ts)
	if q.Len() != 1 || !slices.Equal(q.Get("t0").Tags.Remove, []string{"owner:ana"}) {
		t.Fatalf("release queued %v", q.IDs())
	}
	// A claim released before it was sent leaves nothing of an unowned
	// thread; of a thread taken over, the takeover stays (undo is the way
	// back).
	q.Discard()
	ts[0].Tags = []string{"vip"}
	q.Claim("owner:", "ana", ts)
	q.Release("owner:", "ana", ts)
	if got := body(t, q.Build(lookupOf(ts))); got != `[{"threadId":"t1","tags":[]}]` {
		t.Fatalf("claim then release sends %s", got)
	}
}

func TestExactListsAndOtherPrefixesAreNotClaims(t *testing.T) {
	te := &TagsEdit{Exact: true, List: []string{"owner:ana"}, Claim: "owner:"}
	if te.claimTaken([]string{"owner:bo"}) {
		t.Error("an exact list is judged as a claim")
	}
	te = &TagsEdit{Add: []string{"owner:ana"}, Base: []string{}, Claim: "owner:"}
	for _, server := range [][]string{{"ownership"}, {"owner:"}, {"owner:ana"}} {
		if te.claimTaken(server) {
			t.Errorf("tags %v taken as another owner", server)
		}
	}
	if !te.claimTaken([]string{"owner:bo"}) {
		t.Error("owner:bo not seen")
	}
}

func TestAClaimConflictSaysWhatKeepingMineSends(t *testing.T) {
	ts := threads(1)
	q := New()
	q.Claim("owner:", "ana", ts)
	th := *ts[0]
	th.Tags = []string{"vip", "owner:bo"}
	q.Rebase(&th)
	cs := q.Get("t0").Changes(&th)
	if len(cs) != 1 || !cs[0].Conflict || cs[0].Old != "[vip owner:bo]" || cs[0].New != "[vip owner:ana]" {
		t.Errorf("the conflict reads %+v: mine must be what keeping it sends, one owner", cs)
	}
}
