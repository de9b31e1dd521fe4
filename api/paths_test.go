package api_test

import (
	"context"
	"strings"
	"testing"

	"triage/api"
	"triage/api/apitest"
)

// oddIDs are thread ids a server may hand out that a path must carry
// whole, with the segment the request line must hold for each.
var oddIDs = map[string]string{
	"a/b":         "a%2Fb",
	"../x":        "..%2Fx",
	"..":          "%2E%2E",
	".":           "%2E",
	"%2F":         "%252F",
	" sp ":        "%20sp%20",
	"what?":       "what%3F",
	"#frag":       "%23frag",
	"Émile-🚀":     "%C3%89mile-%F0%9F%9A%80",
	"a/b/../../c": "a%2Fb%2F..%2F..%2Fc",
}

// TestOddIDsAreEscapedOnce: every read, the messages and the PATCH reach
// the server with each id escaped once, dot segments encoded, and the
// server reads back the id that was meant.
func TestOddIDsAreEscapedOnce(t *testing.T) {
	f := newFixture(t, apitest.Options{Threads: 3, Seed: 1}, nil)
	ctx := context.Background()
	var items []api.UpdateItem
	for id := range oddIDs {
		f.srv.Put(api.Thread{ID: id, ChatbotID: "bot-1", Title: "odd " + id}, "", api.Value("notes of "+id))
		items = append(items, api.UpdateItem{ThreadID: id, Tags: []string{"seen"}})
	}
	for id, segment := range oddIDs {
		got, err := f.client.GetThread(ctx, id)
		if err != nil || got.ID != id || got.Title != "odd "+id {
			t.Errorf("GetThread(%q): %q, %v", id, got.ID, err)
		}
		if _, err := f.client.ListMessages(ctx, id); err != nil {
			t.Errorf("ListMessages(%q): %v", id, err)
		}
		reqs := f.srv.Requests()
		read, messages := reqs[len(reqs)-2], reqs[len(reqs)-1]
		if want := apitest.Prefix + "/chatting/bot-1/thread/" + segment; read.RawPath != want || read.Path != apitest.Prefix+"/chatting/bot-1/thread/"+id {
			t.Errorf("read of %q: the server got %q (%q), want %q", id, read.RawPath, read.Path, want)
		}
		if want := apitest.Prefix + "/chatting/bot-1/thread/" + segment + "/messages"; messages.RawPath != want {
			t.Errorf("messages of %q: the server got %q, want %q", id, messages.RawPath, want)
		}
	}
	updated, err := f.client.UpdateThreads(ctx, items)
	if err != nil || len(updated) != len(oddIDs) {
		t.Fatalf("the PATCH of %d odd ids: %d updated, %v", len(oddIDs), len(updated), err)
	}
	for id := range oddIDs {
		if th, _ := f.srv.Thread(id); strings.Join(th.Tags, ",") != "seen" {
			t.Errorf("%q was not updated: %v", id, th.Tags)
		}
	}
}

func TestSegment(t *testing.T) {
	for id, want := range oddIDs {
		if got := api.Segment(id); got != want {
			t.Errorf("Segment(%q) = %q, want %q", id, got, want)
		}
	}
}
