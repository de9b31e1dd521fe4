package ui

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"triage/api"
	"triage/api/apitest"
)

// burst sends keys as one run of messages, as one SSH packet delivers them.
// Names in angle brackets are special keys: <enter> <tab> <esc> <ctrl+u>.
func burst(send func(tea.Msg), keys ...string) {
	for _, k := range keys {
		switch k {
		case "<enter>":
			send(tea.KeyPressMsg{Code: tea.KeyEnter})
		case "<tab>":
			send(tea.KeyPressMsg{Code: tea.KeyTab})
		case "<esc>":
			send(tea.KeyPressMsg{Code: tea.KeyEscape})
		case "<ctrl+u>":
			send(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
		default:
			for _, r := range k {
				if r == ' ' {
					send(tea.KeyPressMsg{Code: tea.KeySpace, Text: " "})
				} else {
					send(tea.KeyPressMsg{Code: r, Text: string(r)})
				}
			}
		}
	}
}

func sendTo(m *Model) func(tea.Msg) { return func(msg tea.Msg) { m.Update(msg) } }

func TestFormsGetExactlyTheirKeysInOneBurst(t *testing.T) {
	m, _, _ := loadedModel(t, 5)
	// Title, then tags, then notes (typing after tab must not leak), all in one burst.
	burst(sendTo(m), "T", "<ctrl+u>", "abc", "<enter>", "t", "+xyz", "<enter>",
		"n", "hello", "<tab>", "xyz", "<enter>", "m", "j", "j", "<enter>")
	e := m.sess.Queue().Get("t0000")
	if e == nil || e.Title == nil || *e.Title.Want != "abc" {
		t.Fatalf("title: %+v", e)
	}
	if e.Tags == nil || !slices.Equal(e.Tags.Add, []string{"xyz"}) || len(e.Tags.Remove) != 0 {
		t.Errorf("tags: %+v", e.Tags)
	}
	if e.Notes == nil || *e.Notes.Want != "hello" {
		t.Errorf("notes: %+v", e.Notes)
	}
	if e.Mode == nil || e.Mode.Want != api.ModeHuman {
		t.Errorf("mode: %+v", e.Mode)
	}
	if m.screen.top() != overlayNone {
		t.Errorf("a form is still open: %v", m.screen.top())
	}
	if q := m.sess.Queue(); q.Fields() != 4 {
		t.Errorf("%d fields", q.Fields())
	}
	for range 4 { // each form was one undo step
		m.Update(key("u"))
	}
	if m.sess.Queue().Len() != 0 {
		t.Errorf("four undos left %v", m.sess.Queue().IDs())
	}
}

func TestFormValidationKeepsFormOpen(t *testing.T) {
	m, _, _ := loadedModel(t, 3)
	m.opts.Limits = Limits{Tag: 5, Title: 10, Notes: 20}
	burst(sendTo(m), "t", "+toolongtag", "<enter>")
	if m.screen.top() != overlayForm || m.sess.Queue().Len() != 0 {
		t.Fatal("an invalid tag closed the form or queued")
	}
	if !strings.Contains(screenOf(m), "the limit is 5") || !strings.Contains(screenOf(m), "longest tag: 10/5, too long") {
		t.Errorf("no error or counter:\n%s", screenOf(m))
	}
	burst(sendTo(m), "<esc>", "y") // what was typed is thrown away only when the agent says so
	if m.screen.top() != overlayNone || m.sess.Queue().Len() != 0 || !strings.Contains(screenOf(m), "nothing queued") {
		t.Fatal("esc did not cancel cleanly")
	}
	burst(sendTo(m), "T", "<ctrl+u>", "a title far too long", "<enter>")
	if m.screen.top() != overlayForm || !strings.Contains(screenOf(m), "the limit is 10") {
		t.Errorf("title limit:\n%s", screenOf(m))
	}
	burst(sendTo(m), "<esc>", "y", "t", "+a -a", "<enter>")
	if !strings.Contains(screenOf(m), "both added and removed") {
		t.Errorf("conflicting ops:\n%s", screenOf(m))
	}
}

func TestTitleQuestions(t *testing.T) {
	m, _, _ := loadedModel(t, 3)
	burst(sendTo(m), "T", "<ctrl+u>", "<enter>")
	if !strings.Contains(screenOf(m), "Clear the title of 1 thread (sent as null)? (y/N)") {
		t.Fatalf("no clear question:\n%s", screenOf(m))
	}
	burst(sendTo(m), "y")
	if e := m.sess.Queue().Get("t0000"); e == nil || e.Title == nil || e.Title.Want != nil {
		t.Fatalf("clear not queued: %+v", e)
	}
	burst(sendTo(m), "V", "T", "Same", "<enter>")
	if !strings.Contains(screenOf(m), "Set the title “Same” on all 3 threads? (y/N)") {
		t.Fatalf("no count question:\n%s", screenOf(m))
	}
	burst(sendTo(m), "n")
	if e := m.sess.Queue().Get("t0001"); e != nil {
		t.Errorf("answering no queued %+v", e)
	}
}

func TestTagsFormShowsCommonTagsAndCompletes(t *testing.T) {
	m, _, _ := loadedModel(t, 3)
	m.sess.Current().List().All()[0].Tags = []string{"billing", "vip"}
	m.sess.Current().List().All()[1].Tags = []string{"billing"}
	m.sess.Current().List().All()[2].Tags = []string{"vip-gold"}
	burst(sendTo(m), "x", "j", "x", "t")
	scr := screenOf(m)
	if !strings.Contains(scr, "All have:  billing") || !strings.Contains(scr, "Some have: vip (1)") {
		t.Errorf("common tags:\n%s", scr)
	}
	burst(sendTo(m), "+v", "<tab>")
	if !strings.Contains(screenOf(m), "> +vip") || !strings.Contains(screenOf(m), "tab: vip vip-gold") {
		t.Errorf("completion:\n%s", screenOf(m))
	}
	burst(sendTo(m), "<tab>", " -bil", "<tab>", "<enter>")
	e := m.sess.Queue().Get("t0001")
	if e == nil || !slices.Equal(e.Tags.Add, []string{"vip-gold"}) || !slices.Equal(e.Tags.Remove, []string{"billing"}) {
		t.Fatalf("tags: %+v", e)
	}
}

// TestNotesFormReadsTheNotesFirst: notes the console has not read are
// read as the form opens, which says so; a failed read says saving
// replaces whatever the server holds, as does a server that returns no
// notes; known notes are prefilled.
func TestNotesFormReadsTheNotesFirst(t *testing.T) {
	m, fa, _ := loadedModel(t, 2)
	cmd := press(m, "n")
	if !strings.Contains(screenOf(m), "Reading the notes the server holds") {
		t.Errorf("the form does not say it reads the notes:\n%s", screenOf(m))
	}
	drain(t, m, cmd) // the fake answers 404
	if scr := screenOf(m); !strings.Contains(scr, "Could not read the thread's notes") || !strings.Contains(scr, "saving replaces whatever the server holds") {
		t.Errorf("a failed read is not said:\n%s", scr)
	}
	burst(sendTo(m), "<esc>")
	fa.get = func(id string) (api.ThreadDetail, error) {
		th := *m.lookup(id)
		th.InternalNotes = api.Nullable{} // a server that never returns notes
		return api.ThreadDetail{Thread: th}, nil
	}
	drain(t, m, m.run(m.sess.ReadAgain(m.table.current().ID))) // the server's answer now
	drain(t, m, press(m, "n"))
	if !strings.Contains(screenOf(m), "The server does not return existing notes") {
		t.Errorf("no warning:\n%s", screenOf(m))
	}
	burst(sendTo(m), "<esc>")
	fa.get = func(id string) (api.ThreadDetail, error) {
		th := *m.lookup(id)
		th.InternalNotes = api.Value("known text")
		return api.ThreadDetail{Thread: th}, nil
	}
	drain(t, m, m.run(m.sess.ReadAgain(m.table.current().ID)))
	drain(t, m, press(m, "n"))
	if strings.Contains(screenOf(m), "does not return") || !strings.Contains(screenOf(m), "known text") {
		t.Errorf("known notes not prefilled:\n%s", screenOf(m))
	}
	burst(sendTo(m), "<ctrl+u>", "<tab>", "<enter>") // empty, Save
	if !strings.Contains(screenOf(m), "Clear the internal notes of 1 thread (sent as null)? (y/N)") {
		t.Fatalf("no clear question:\n%s", screenOf(m))
	}
	burst(sendTo(m), "y")
	if e := m.sess.Queue().Get("t0000"); e == nil || e.Notes == nil || e.Notes.Want != nil {
		t.Errorf("notes clear: %+v", e)
	}
}

// patchBodies returns the items of every PATCH the server received.
func patchBodies(t *testing.T, srv *apitest.Server) []map[string]any {
	t.Helper()
	var all []map[string]any
	for _, r := range srv.RequestsFor(http.MethodPatch) {
		var items []map[string]any
		if err := json.Unmarshal(r.Body, &items); err != nil {
			t.Fatal(err)
		}
		all = append(all, items...)
	}
	return all
}

// TestFormFlowsSendExactBodies runs each form against apitest and checks
// the exact PATCH it produces.
func TestFormFlowsSendExactBodies(t *testing.T) {
	tests := []struct {
		name  string
		keys  []string
		shown string   // then wait until the screen shows this
		then  []string // and press these
		want  func(ts []api.Thread) string
		setup func(srv *apitest.Server)
	}{
		{
			name: "rename one thread",
			keys: []string{"T", "<ctrl+u>", "Renamed", "<enter>"},
			want: func(ts []api.Thread) string { return `[{"threadId":"` + ts[0].ID + `","title":"Renamed"}]` },
		},
		{
			name: "mode change",
			keys: []string{"m", "j", "j", "<enter>"},
			want: func(ts []api.Thread) string { return `[{"threadId":"` + ts[0].ID + `","mode":"HUMAN"}]` },
		},
		{
			name: "notes set",
			keys: []string{"n", "Called back", "<tab>", "<enter>"},
			want: func(ts []api.Thread) string { return `[{"threadId":"` + ts[0].ID + `","internalNotes":"Called back"}]` },
		},
		{
			name: "notes cleared",
			// The server holds notes to clear: the form reads them first
			// and shows them; the agent empties it (clearing notes it
			// does not hold sends nothing).
			keys:  []string{"n"},
			shown: "Old notes",
			then:  []string{"<ctrl+u>", "<tab>", "<enter>", "y"},
			want:  func(ts []api.Thread) string { return `[{"threadId":"` + ts[0].ID + `","internalNotes":null}]` },
			setup: func(srv *apitest.Server) {
				srv.Change(srv.Threads()[0].ID, func(t *api.Thread) { t.InternalNotes = api.Value("Old notes") })
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tm, p, srv := startLive(t, 100, 30, live{server: apitest.Options{Threads: 10, Seed: 9}, setup: tt.setup})
			ts := srv.Threads()
			burst(tm.Send, tt.keys...)
			if tt.shown != "" {
				p.waitScreen(t, tt.shown)
				burst(tm.Send, tt.then...)
			}
			p.waitPending(t, 1)
			burst(tm.Send, "w", "y")
			p.waitPending(t, 0)
			finalModel(t, tm)
			patches := srv.RequestsFor(http.MethodPatch)
			if len(patches) != 1 || string(patches[0].Body) != tt.want(ts) {
				t.Fatalf("PATCH bodies %d, first %s\nwant %s", len(patches), patches[0].Body, tt.want(ts))
			}
		})
	}
}

// TestTagOpsOnMixedTags: +vip -billing on threads with mixed tags sends
// each thread's full new list, resolved against its server tags.
func TestTagOpsOnMixedTags(t *testing.T) {
	var ts []api.Thread
	tm, p, srv := startLive(t, 100, 30, live{server: apitest.Options{Threads: 10, Seed: 9}, setup: func(srv *apitest.Server) {
		ts = srv.Threads()
		ts[0].Tags, ts[1].Tags, ts[2].Tags = []string{"billing", "refund"}, []string{"vip"}, []string{"shipping"}
		for _, th := range ts[:3] {
			srv.Put(th, api.ModeAI, api.Null())
		}
	}})
	burst(tm.Send, " ", " ", " ", "t", "+vip -billing", "<enter>")
	p.waitPending(t, 2) // ts[1] already has vip and no billing
	burst(tm.Send, "w", "y")
	p.waitPending(t, 0)
	finalModel(t, tm)
	items := patchBodies(t, srv)
	want := map[string][]string{ts[0].ID: {"refund", "vip"}, ts[2].ID: {"shipping", "vip"}}
	if len(items) != 2 {
		t.Fatalf("items %v", items)
	}
	for _, it := range items {
		var got []string
		for _, tag := range it["tags"].([]any) {
			got = append(got, tag.(string))
		}
		if !slices.Equal(got, want[it["threadId"].(string)]) || len(it) != 2 {
			t.Errorf("item %v, want tags %v", it, want[it["threadId"].(string)])
		}
	}
	for id, tags := range want {
		if th, _ := srv.Thread(id); !slices.Equal(th.Tags, tags) {
			t.Errorf("server tags of %s: %v", id, th.Tags)
		}
	}
}

// TestEscAsksBeforeThrowingAwayWhatWasTyped: esc in a form with typed
// text asks; any key but y goes back to the form with the text whole;
// y closes it and queues nothing. A form nothing was typed in closes at
// once.
func TestEscAsksBeforeThrowingAwayWhatWasTyped(t *testing.T) {
	m, _, _ := loadedModel(t, 3)
	for _, open := range []string{"n", "T", "t"} {
		burst(sendTo(m), open, "half a thought")
		burst(sendTo(m), "<esc>")
		if m.screen.top() != overlayPrompt || !strings.Contains(screenOf(m), "Discard what you typed?") {
			t.Fatalf("%s: esc threw the text away without asking:\n%s", open, screenOf(m))
		}
		burst(sendTo(m), "n") // no: back to the form
		if m.screen.top() != overlayForm || !strings.Contains(screenOf(m), "half a thought") {
			t.Fatalf("%s: the form or its text is gone:\n%s", open, screenOf(m))
		}
		burst(sendTo(m), "<esc>", "y")
		if m.screen.top() != overlayNone || m.sess.Queue().Len() != 0 {
			t.Fatalf("%s: y did not close the form cleanly (queue %d)", open, m.sess.Queue().Len())
		}
	}
	burst(sendTo(m), "T", "<esc>")
	if m.screen.top() != overlayNone {
		t.Errorf("an untouched form asks before closing")
	}
}
