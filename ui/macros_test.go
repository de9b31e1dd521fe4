package ui

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"triage/api"
	"triage/keymap"
	"triage/queue"
)

// spamMacro resolves, archives, tags spam and writes who closed it.
func spamMacro() Macro {
	in, _ := queue.ParseTagInput("+spam -vip", 40)
	return Macro{
		Name:  "Spam",
		Flags: []FlagValue{{queue.Resolved, true}, {queue.Archived, true}},
		Tags:  &in,
		Notes: func(today time.Time) (string, error) {
			return "Spam, closed by ana on " + today.Format(time.DateOnly), nil
		},
	}
}

// withMacros binds the macros on key D (the first) and Z (the second).
func withMacros(t *testing.T, m *Model, ms ...Macro) {
	t.Helper()
	var bound []keymap.Own
	for i, mc := range ms {
		bound = append(bound, keymap.Own{Name: mc.Name, Key: []string{"D", "Z"}[i]})
	}
	km, err := keymap.New(nil, bound...)
	if err != nil {
		t.Fatal(err)
	}
	m.opts.Keys, m.opts.Macros = km, ms
}

func TestMacroOnMarkedThreadsIsOneStepAndOnePatch(t *testing.T) {
	a, b, srv := twoConsoles(t)
	withMacros(t, a, spamMacro())
	rows := a.table.rows[:3]
	act(t, b, "t", "+beta", "<enter>", "w", "y") // B tags the first thread after A loaded it
	act(t, a, "x", "j", "x", "j", "x", "D")
	if a.sess.Queue().Len() != 3 || !strings.Contains(a.status.text, "Macro Spam on 3 threads") {
		t.Fatalf("%d queued, status %q", a.sess.Queue().Len(), a.status.text)
	}
	act(t, a, "u")
	if a.sess.Queue().Len() != 0 {
		t.Fatalf("one u left %v: the macro is not one step", a.sess.Queue().IDs())
	}
	a.Update(tea.KeyPressMsg{Code: 'r', Mod: tea.ModCtrl})
	n := len(srv.RequestsFor(http.MethodPatch))
	act(t, a, "w", "y")
	if patchesFrom(srv, n) != 1 {
		t.Fatalf("%d PATCH requests for one macro on three threads", patchesFrom(srv, n))
	}
	var body []json.RawMessage
	if err := json.Unmarshal(srv.RequestsFor(http.MethodPatch)[n].Body, &body); err != nil || len(body) != 3 {
		t.Fatalf("PATCH body %s: %v", srv.RequestsFor(http.MethodPatch)[n].Body, err)
	}
	for i, r := range rows {
		got, _ := srv.Thread(r.ID)
		if notes, _ := got.InternalNotes.Get(); !got.Resolved || !got.Archived || !slices.Contains(got.Tags, "spam") ||
			slices.Contains(got.Tags, "vip") || notes != "Spam, closed by ana on 2026-11-23" {
			t.Errorf("thread %d on the server: %+v", i, got)
		}
		if i == 0 && !slices.Contains(got.Tags, "beta") {
			t.Errorf("the macro's send dropped B's tag: %v", got.Tags)
		}
	}
}

func TestMacroInReaderActsOnTheShownThread(t *testing.T) {
	m, _, _ := twoConsoles(t)
	withMacros(t, m, spamMacro())
	act(t, m, "x", "j", "x", "R", "D")
	shown := m.table.current().ID
	if ids := m.sess.Queue().IDs(); len(ids) != 1 || ids[0] != shown {
		t.Errorf("the reader's macro changed %v, want the shown %s only", ids, shown)
	}
}

func TestMacroWithNothingToChangeSaysSo(t *testing.T) {
	m, _, srv := twoConsoles(t)
	closeIt := Macro{Name: "Close", Flags: []FlagValue{{queue.Resolved, true}}}
	withMacros(t, m, spamMacro(), closeIt)
	x := m.table.current()
	srv.Change(x.ID, func(th *api.Thread) { th.Resolved = true })
	act(t, m, "r")
	act(t, m, "Z")
	if m.sess.Queue().Len() != 0 || !strings.Contains(m.status.text, "nothing to change") {
		t.Errorf("%d queued, status %q", m.sess.Queue().Len(), m.status.text)
	}
}

func TestHelpListsMacros(t *testing.T) {
	m, _, _ := twoConsoles(t)
	withMacros(t, m, spamMacro())
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 80})
	act(t, m, "?", "G")
	scr := screenOf(m)
	if !strings.Contains(scr, "Macros") || !regexp.MustCompile(`\bD +Spam\b`).MatchString(scr) {
		t.Errorf("help does not list the macro:\n%s", scr)
	}
}

func TestMacroRefusedReadOnly(t *testing.T) {
	m, _, _ := twoConsoles(t)
	withMacros(t, m, spamMacro())
	m.opts.ReadOnly = "Read-only: another console holds the journal"
	act(t, m, "D")
	if m.sess.Queue().Len() != 0 || m.status.text != m.opts.ReadOnly {
		t.Errorf("read-only macro queued %d, status %q", m.sess.Queue().Len(), m.status.text)
	}
}

func TestMacroEmptyTitleClearsIt(t *testing.T) {
	m, _, _ := twoConsoles(t)
	empty, named := "", "Spam"
	withMacros(t, m, Macro{Name: "Untitle", Title: &empty}, Macro{Name: "Name", Title: &named})
	x := m.table.current()
	act(t, m, "D")
	if e := m.sess.Queue().Get(x.ID); e == nil || e.Title == nil || e.Title.Want != nil {
		t.Fatalf("title \"\" did not queue a clear: %+v", e)
	}
	act(t, m, "Z")
	if e := m.sess.Queue().Get(x.ID); e.Title.Want == nil || *e.Title.Want != "Spam" {
		t.Errorf("the second macro's title: %+v", e.Title)
	}
}
