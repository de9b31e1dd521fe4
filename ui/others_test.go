package ui

import (
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"triage/api"
	"triage/queue"
	"triage/session"
)

// TestAnotherJournalIsToldOfAtStart: a journal of the chatbot under
// another key is named at start with what it holds; v shows its edits
// read-only (nothing there changes them), esc asks again, D sets it aside
// and says where; any other key leaves it for later.
func TestAnotherJournalIsToldOfAtStart(t *testing.T) {
	q := queue.New()
	q.Toggle(queue.Resolved, []*api.Thread{{ID: "th_demo1", Title: "From the demo"}})
	asideTo := ""
	other := OtherJournal{About: "for the demo (triage --demo), written 2h ago", Edits: q.Snapshot(), Path: "/state/demo.journal",
		SetAside: func() (string, error) { asideTo = "/state/demo.journal.set-aside"; return asideTo, nil }}
	m := testConsole(session.Options{API: &fakeAPI{}}, Options{Others: []OtherJournal{other}})
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	scr := screenOf(m)
	if !strings.Contains(scr, "Another journal: v shows its 1 edit, D sets it aside, other keys: later") ||
		strings.Contains(scr, "x mark") {
		t.Fatalf("the question at start, at 80 columns, does not show its keys (or the hint shows others):\n%s", scr)
	}
	if !slices.ContainsFunc(m.screen.log.events, func(e event) bool { return strings.HasSuffix(e.text, ": /state/demo.journal") }) {
		t.Error("the journal's path is not in the event log")
	}
	press(m, "v")
	if scr := screenOf(m); !strings.Contains(scr, "Read-only: the journal for the demo") || !strings.Contains(scr, "th_demo1") {
		t.Fatalf("the other journal's edits are not shown:\n%s", scr)
	}
	press(m, "x") // revert, in a review of one's own edits
	if !strings.Contains(m.status.text, "belong to another journal") || m.screen.top() != overlayReview {
		t.Errorf("an edit of another journal was acted on: %q", m.status.text)
	}
	burst(sendTo(m), "<esc>")
	if m.screen.top() != overlayPrompt || m.screen.prompt.notice != 1 {
		t.Fatalf("closing the look does not ask again: front %v", m.screen.top())
	}
	press(m, "D")
	if asideTo == "" || !strings.Contains(m.status.text, "set aside, whole, at /state/demo.journal.set-aside") {
		t.Errorf("D did not set it aside: %q", m.status.text)
	}
	if m.screen.top() != overlayNone {
		t.Errorf("a question stays: front %v", m.screen.top())
	}

	m2 := testConsole(session.Options{API: &fakeAPI{}}, Options{Others: []OtherJournal{other}})
	press(m2, "j")
	if m2.screen.top() != overlayNone || asideTo != "/state/demo.journal.set-aside" {
		t.Errorf("any other key does not leave it for later: front %v", m2.screen.top())
	}
}
