package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"triage/api/apitest"
	"triage/session"
)

// TestAPrefetchedConversationJoinsTheSearchShown: a search for a phrase
// only visitors said finds nothing until conversations are read in the
// background; each one read that holds it brings its thread into the
// rows shown, and the search line says how many conversations it
// searched.
func TestAPrefetchedConversationJoinsTheSearchShown(t *testing.T) {
	m, _ := liveConsole(t, apitest.Options{Threads: 12, Seed: 3}, session.Options{RateLimit: 500, PrefetchShare: 0.5})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	drain(t, m, m.Init())
	burst(sendTo(m), "/", `"charged twice"`, "<enter>")
	if len(m.table.rows) != 0 || !strings.Contains(screenOf(m), "conversations of 0)") {
		t.Fatalf("before any conversation was read:\n%s", screenOf(m))
	}
	for range 12 {
		_, cmd := m.Update(prefetchMsg{})
		drain(t, m, cmd)
	}
	if m.sess.Texts().Len() != 12 || len(m.table.rows) == 0 {
		t.Fatalf("%d conversations held, %d rows shown", m.sess.Texts().Len(), len(m.table.rows))
	}
	for _, r := range m.table.rows {
		if strings.Contains(strings.ToLower(r.Title), "charged") {
			t.Errorf("a title holds the phrase: %q", r.Title)
		}
	}
	if want := ": 8 of 12 | conversations of 12 of 12 threads searched"; !strings.Contains(m.statusFacts().search, want) {
		t.Errorf("the search line says %q, want %q", m.statusFacts().search, want)
	}
}
