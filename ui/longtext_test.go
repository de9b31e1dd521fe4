package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"triage/api"
)

// TestACutTitleIsNotEditable: a title the client cut (longer than
// max_title_length) opens no title form on its own thread: the form says
// why, typing and enter queue nothing, so no send can shorten it. Notes
// alike. A title for several threads, which replaces theirs, still can.
func TestACutTitleIsNotEditable(t *testing.T) {
	m, _, _ := loadedModel(t, 5)
	th := m.table.current()
	th.Title, th.Cut = "Spam spam spam [cut: 10485760 characters in all]", api.CutTitle|api.CutNotes
	th.InternalNotes = api.Value("long notes [cut: 2000000 characters in all]")
	for _, key := range []string{"T", "n"} {
		act(t, m, key)
		scr := screenOf(m)
		if !strings.Contains(scr, "it is shown cut") || !strings.Contains(scr, "cannot be edited here") {
			t.Fatalf("%s:\n%s", key, scr)
		}
		act(t, m, "x", "y", "z", "<enter>")
		if m.sess.Queue().Len() != 0 || m.screen.form != nil {
			t.Errorf("%s: queued %v, form %v", key, m.sess.Queue().IDs(), m.screen.form)
		}
	}
	if !strings.Contains(screenOf(m), "Spam spam spam [cut: 10485760") {
		t.Errorf("the cut title is not shown with its marker:\n%s", screenOf(m))
	}
	act(t, m, "x", "j", "x", "T")
	if _, ok := m.screen.form.(*titleForm); !ok {
		t.Fatalf("two targets: form %T", m.screen.form)
	}
	m.Update(tea.KeyPressMsg{Code: tea.KeyEscape})
}
