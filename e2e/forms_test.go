package e2e

import (
	"net/http"
	"slices"
	"testing"

	"triage/api"
)

// TestRenameAndTagsInOneFlush renames the cursor thread, applies
// "+vip -billing" to two marked threads, and checks that w y puts one
// PATCH on the wire holding the new title and each thread's full new tag
// list, and nothing else.
func TestRenameAndTagsInOneFlush(t *testing.T) {
	srv, base := server(t, 30)
	ts := inbox(srv.Threads())
	ts[1].Tags, ts[2].Tags = []string{"billing", "refund"}, []string{"shipping"}
	srv.Put(ts[1], api.ModeAI, api.Null())
	srv.Put(ts[2], api.ModeAI, api.Null())

	s := console(t, base, t.TempDir())
	s.waitText("[1 Inbox", "1/")
	s.keys("T", "C-u")
	s.literal("Renamed by e2e")
	s.keys("Enter")
	s.waitText("Title set on 1 thread")
	s.literal("j  t+vip -billing") // move down, mark two, open tags, type: one burst
	s.keys("Enter")
	s.waitText("Tags +vip -billing queued on 2 threads")
	s.send("to 3 threads? (y/N)")
	waitPatches(t, srv, 1)
	s.waitText("Sent ")

	items := patchItems(t, srv)
	want := map[string]map[string]any{
		ts[0].ID: {"threadId": ts[0].ID, "title": "Renamed by e2e"},
		ts[1].ID: {"threadId": ts[1].ID, "tags": []any{"refund", "vip"}},
		ts[2].ID: {"threadId": ts[2].ID, "tags": []any{"shipping", "vip"}},
	}
	if len(items) != 3 {
		t.Fatalf("items %v", items)
	}
	for _, it := range items {
		w := want[it["threadId"].(string)]
		if len(it) != len(w) || it["title"] != w["title"] || !slices.Equal(toStrings(it["tags"]), toStrings(w["tags"])) {
			t.Errorf("item %v, want %v", it, w)
		}
	}
	if n := len(srv.RequestsFor(http.MethodPatch)); n != 1 {
		t.Errorf("%d PATCHes", n)
	}
	s.keys("q")
	s.waitExit()
}

func toStrings(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, x := range list {
		out = append(out, x.(string))
	}
	return out
}
