package api_test

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"triage/api"
	"triage/api/apitest"
)

// TestLongStringsAreCutAtDecoding: a title or notes longer than the
// client's limits is kept cut, with a marker saying how long it was, and
// the thread says so; shorter ones are whole and not marked.
func TestLongStringsAreCutAtDecoding(t *testing.T) {
	f := newFixture(t, apitest.Options{Threads: 2, Seed: 1}, func(c *api.Config) { c.MaxTitle, c.MaxNotes = 200, 5000 })
	long := strings.Repeat("é", 300_000)
	f.srv.Put(api.Thread{ID: "th_long", ChatbotID: "bot-1", Title: long}, "", api.Value(strings.Repeat("n", 6000)))
	f.srv.Put(api.Thread{ID: "th_short", ChatbotID: "bot-1", Title: strings.Repeat("é", 200)}, "", api.Value("short"))
	page, err := f.client.ListThreads(context.Background(), api.ListParams{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]api.Thread{}
	for _, th := range page.Threads {
		byID[th.ID] = th
	}
	got := byID["th_long"]
	if got.Cut != api.CutTitle || got.Title != strings.Repeat("é", 200)+" [cut: 300000 characters in all]" {
		t.Errorf("cut %v, title of %d characters", got.Cut, utf8.RuneCountInString(got.Title))
	}
	if short := byID["th_short"]; short.Cut != 0 || utf8.RuneCountInString(short.Title) != 200 {
		t.Errorf("a title at the limit: cut %v", short.Cut)
	}
	read, err := f.client.GetThread(context.Background(), "th_long")
	notes, _ := read.InternalNotes.Get()
	if err != nil || read.Cut != api.CutTitle|api.CutNotes || !strings.HasSuffix(notes, " [cut: 6000 characters in all]") || len(notes) > 5100 {
		t.Errorf("read: cut %v, notes of %d bytes, %v", read.Cut, len(notes), err)
	}
}
