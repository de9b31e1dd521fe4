package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"triage/api"
	"triage/api/apitest"
)

// TestTitleFormStartsFromTheTitleShown: a title carrying escape sequences
// reaches the console clean; the title form starts from exactly the text
// the table shows, and enter without a change queues nothing.
func TestTitleFormStartsFromTheTitleShown(t *testing.T) {
	m, srv := liveModel(t, apitest.Options{Threads: 5, Seed: 2})
	x := srv.Threads()[0]
	srv.Change(x.ID, func(th *api.Thread) { th.Title = "Help\x1b]0;PWNED\x07\x1b[2J\x1b[31mRED #1003" })
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	drain(t, m, m.Init())
	if got := m.table.current().Title; got != "HelpRED #1003" {
		t.Fatalf("the title decoded as %q", got)
	}
	burst(sendTo(m), "T")
	if !strings.Contains(screenOf(m), "> HelpRED #1003") {
		t.Errorf("the form does not start from the title shown:\n%s", screenOf(m))
	}
	burst(sendTo(m), "<enter>")
	if m.out.q.Len() != 0 || m.status.text != "No change: nothing queued" {
		t.Errorf("enter without a change queued %v (%q)", m.out.q.IDs(), m.status.text)
	}
}
