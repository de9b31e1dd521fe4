package api_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"triage/api"
	"triage/api/apitest"
)

func TestGetThread(t *testing.T) {
	f := newFixture(t, apitest.Options{Threads: 20, Seed: 3}, nil)
	var withNotes, without api.Thread
	for _, th := range f.srv.Threads() {
		if _, ok := th.InternalNotes.Get(); ok && withNotes.ID == "" {
			withNotes = th
		} else if th.InternalNotes.IsNull() && without.ID == "" {
			without = th
		}
	}
	ctx := context.Background()
	got, err := f.client.GetThread(ctx, withNotes.ID)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := withNotes.InternalNotes.Get()
	if notes, ok := got.InternalNotes.Get(); !ok || notes != want || got.Title != withNotes.Title {
		t.Errorf("read %+v, want the notes %q", got.Thread, want)
	}
	if got.VisitorTotalSessions < 1 || got.VisitorTotalMessages < 2 || got.VisitorLastSeenAt.IsZero() {
		t.Errorf("visitor statistics %+v", got)
	}
	if got, err := f.client.GetThread(ctx, without.ID); err != nil || !got.InternalNotes.IsNull() {
		t.Errorf("a thread without notes: %v %v (want null, known)", got.InternalNotes, err)
	}
	_, err = f.client.GetThread(ctx, "no-such-thread")
	if !errors.Is(err, api.ErrNotFound) {
		t.Errorf("a missing thread: %v, want a 404", err)
	}
	reqs := f.srv.RequestsFor(http.MethodGet)
	if last := reqs[len(reqs)-1]; last.Path != apitest.Prefix+"/chatting/bot-1/thread/no-such-thread" || !last.Authorized {
		t.Errorf("request %+v", last)
	}
}
