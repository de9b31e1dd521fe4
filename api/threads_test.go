package api_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
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

// TestMalformedThreadIsSkippedNotFatal: a thread with a wrong type or an
// empty time in the middle of a page is skipped and named; the others
// load, and so do the next pages.
func TestMalformedThreadIsSkippedNotFatal(t *testing.T) {
	page := `{"success":true,"data":{"threads":[
		{"id":"good-1","updatedAt":"2026-11-23T12:00:00Z"},
		{"id":"bad-1","unreadMessagesCount":"3"},
		{"id":"bad-2","updatedAt":""},
		{"id":"good-2","updatedAt":"2026-11-23T11:00:00Z"}],
		"pagination":{"page":1,"limit":4,"total":8,"totalPages":2}}}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(page))
	}))
	defer srv.Close()
	c, err := api.New(api.Config{BaseURL: srv.URL + "/api/v1", ChatbotID: "b", APIKey: "k", RateLimit: -1})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	var last api.Progress
	err = c.LoadAll(context.Background(), api.ListParams{}, api.LoadOptions{PageLimit: 4}, func(ts []api.Thread, p api.Progress) {
		for _, th := range ts {
			got = append(got, th.ID)
		}
		last = p
	})
	if err != nil || len(got) != 4 || last.Pages != 2 {
		t.Fatalf("loaded %v over %d pages: %v", got, last.Pages, err)
	}
	if last.Skipped.Count != 4 || !strings.HasPrefix(last.Skipped.First, "thread bad-1: unreadMessagesCount: ") {
		t.Errorf("skipped %+v", last.Skipped)
	}
	one, _ := c.ListThreads(context.Background(), api.ListParams{})
	if !strings.Contains(one.Skipped.First, "bad-1") || one.Skipped.Count != 2 {
		t.Errorf("a page's skipped: %+v", one.Skipped)
	}
}

// TestListMessages: a conversation reads oldest first with every role;
// a refusal is one request that says 403; a malformed message is skipped
// and counted; hostile content is cleaned with its line breaks kept.
func TestListMessages(t *testing.T) {
	f := newFixture(t, apitest.Options{Threads: 10, Seed: 3}, nil)
	ctx := context.Background()
	kinds := map[api.Role]bool{}
	for _, th := range f.srv.Threads() {
		msgs, err := f.client.ListMessages(ctx, th.ID)
		if err != nil || len(msgs.List) == 0 {
			t.Fatalf("%s: %v", th.ID, err)
		}
		for i, m := range msgs.List {
			kinds[m.Kind()] = true
			if i > 0 && m.CreatedAt.Before(msgs.List[i-1].CreatedAt) {
				t.Errorf("%s: not oldest first", th.ID)
			}
		}
	}
	if !kinds[api.RoleVisitor] || !kinds[api.RoleBot] {
		t.Errorf("roles seen %v", kinds)
	}

	refusing := newFixture(t, apitest.Options{Threads: 2, RefuseMessages: 403}, nil)
	_, err := refusing.client.ListMessages(ctx, refusing.srv.Threads()[0].ID)
	if !errors.Is(err, api.ErrForbidden) || len(refusing.srv.RequestsFor(http.MethodGet)) != 1 {
		t.Errorf("a refusal: %v after %d requests", err, len(refusing.srv.RequestsFor(http.MethodGet)))
	}

	body := `{"success":true,"data":{"messages":[
		{"id":"1","role":"USER","content":"hello\nsecond line \u001b]0;pwn\u0007","createdAt":"2026-11-23T10:00:00Z"},
		{"id":"2","role":"Assistant","content":42},
		{"id":"3","role":"MODERATOR","content":null,"createdAt":null,"reaction":null}]}}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body))
	}))
	defer srv.Close()
	c, _ := api.New(api.Config{BaseURL: srv.URL + "/api/v1", ChatbotID: "b", APIKey: "k", RateLimit: -1})
	msgs, err := c.ListMessages(ctx, "t1")
	if err != nil || len(msgs.List) != 2 || msgs.Skipped.Count != 1 || !strings.Contains(msgs.Skipped.First, "content") {
		t.Fatalf("%+v %v", msgs, err)
	}
	if got := msgs.List[0].Content; got != "hello\nsecond line " {
		t.Errorf("content %q", got)
	}
	if m := msgs.List[1]; m.Kind() != api.RoleOther || m.Role != "MODERATOR" {
		t.Errorf("an unknown role: %+v", m)
	}
}

// TestARefusedLargePageIsAskedAgainSmaller: a server that refuses a page
// of 1,000 with a 400 (instead of capping it) is asked again at 100 once;
// the load completes, and later lists ask for 100 at once.
func TestARefusedLargePageIsAskedAgainSmaller(t *testing.T) {
	f := newFixture(t, apitest.Options{Threads: 450, MaxLimit: 1000, RefuseLimitAbove: 100}, nil)
	n := 0
	err := f.client.LoadAll(context.Background(), api.ListParams{}, api.LoadOptions{PageLimit: 1000}, func(ts []api.Thread, _ api.Progress) {
		n += len(ts)
	})
	if err != nil || n != 450 {
		t.Fatalf("loaded %d threads: %v", n, err)
	}
	var limits []string
	for _, r := range f.srv.RequestsFor(http.MethodGet) {
		limits = append(limits, r.Query.Get("limit"))
	}
	if strings.Join(limits, " ") != "1000 100 100 100 100 100" {
		t.Errorf("limits asked: %v; want one refusal, then pages of 100", limits)
	}
	// A refusal of something else is not asked again.
	g := newFixture(t, apitest.Options{Threads: 5}, nil)
	_, err = g.client.ListThreads(context.Background(), api.ListParams{Limit: 1000, Mode: "NOPE"})
	var e *api.Error
	if !errors.As(err, &e) || e.Status != http.StatusBadRequest || len(g.srv.Requests()) != 1 {
		t.Errorf("a bad mode: %v after %d requests", err, len(g.srv.Requests()))
	}
}
