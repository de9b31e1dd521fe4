package ui

import (
	"strings"
	"testing"
	"triage/session"
)

// TestJournalFailureStaysAndQuitSaysSo: while the journal cannot be
// written the status line keeps saying so, whatever else happens; the
// quit question says the edits would be lost, does not offer to keep
// them as if it were safe, and writes a copy elsewhere on w.
func TestJournalFailureStaysAndQuitSaysSo(t *testing.T) {
	j := failingJournal()
	m, _, _ := loadedModelWith(t, 3, &fakeAPI{}, session.Options{Journal: j})
	press(m, "d", "j", "e", "u", "x") // later results must not hide it
	if !strings.Contains(screenOf(m), "Journal not saved: disk full") {
		t.Fatalf("the failure is gone from the status line:\n%s", screenOf(m))
	}
	press(m, "q")
	scr := screenOf(m)
	if !strings.Contains(scr, "Edits NOT saved: s send now, w write a copy and quit, esc cancel") ||
		!strings.Contains(m.statusFacts().question, "quitting otherwise loses the edits of 1 thread (disk full)") || strings.Contains(scr, "keep") {
		t.Errorf("the quit question on a failing journal:\n%s", scr)
	}
	if isQuit(press(m, "k")) || !strings.Contains(m.status.text, "Not kept") {
		t.Errorf("k quit with the edits unsaved: %q", m.status.text)
	}
	press(m, "q")
	if !isQuit(press(m, "w")) || len(j.copies) != 1 {
		t.Fatalf("w did not write a copy and quit: %v", j.copies)
	}
	for path, edits := range j.copies {
		if !strings.Contains(path, "triage-unsaved-") || len(edits) != 1 {
			t.Errorf("copy %s holds %d edits", path, len(edits))
		}
	}
}

// TestReadOnlyConsoleBrowsesButDoesNotEdit: a console started while
// another holds the journal moves, marks and searches, and refuses every
// edit, saying why.
func TestReadOnlyConsoleBrowsesButDoesNotEdit(t *testing.T) {
	m, _, j := loadedModel(t, 5)
	m.opts.ReadOnly = "pid 42 on jump holds this chatbot's journal: quit it to edit here"
	press(m, "j", " ", "d", "e", "!", "i", "t", "T", "n", "m", "u", "U", "w")
	if m.sess.Queue().Len() != 0 || j.saves != 0 || m.screen.top() != overlayNone {
		t.Fatalf("a read-only console changed the queue: %v, front %v", m.sess.Queue().IDs(), m.screen.top())
	}
	if m.table.cursor != 2 || m.marks.count() != 1 {
		t.Errorf("moving and marking must still work: cursor %d, %d marks", m.table.cursor, m.marks.count())
	}
	scr := screenOf(m)
	if !strings.Contains(scr, "Read-only · pid 42 on jump holds this chatbot's journal") {
		t.Errorf("the screen does not say why:\n%s", scr)
	}
	hint := scr[strings.LastIndex(strings.TrimRight(scr, "\n"), "\n")+1:]
	for _, offered := range []string{"d resolved", "w send", "u undo"} {
		if strings.Contains(hint, offered) {
			t.Errorf("the read-only console's hint offers %q: %q", offered, hint)
		}
	}
	if !strings.Contains(hint, "/ search") || !strings.Contains(hint, "? help") {
		t.Errorf("the read-only console's hint: %q", hint)
	}
}

// TestTheLastFrameSaysWhatWasKept: quitting draws the parting words in
// the last frame, before the screen goes; a rescue stays until a key.
func TestTheLastFrameSaysWhatWasKept(t *testing.T) {
	for _, rescue := range []bool{false, true} {
		m, _, _ := loadedModel(t, 5)
		m.opts.Leave = func(string) (string, bool) { return "triage: 1 thread with edits kept for next time", rescue }
		press(m, "d", "q")
		cmd := press(m, "k")
		if scr := screenOf(m); !strings.Contains(scr, "1 thread with edits kept for next time") {
			t.Errorf("rescue %v: the last frame does not say it:\n%s", rescue, scr)
		}
		if quits := isQuit(cmd); quits == rescue {
			t.Errorf("rescue %v: quit at once %v", rescue, quits)
		}
		if rescue {
			cmd = press(m, "j")
			if !isQuit(cmd) || !strings.Contains(screenOf(m), "kept for next time") {
				t.Error("after a rescue, the next key does not leave, or the words went before it")
			}
		}
	}
}
