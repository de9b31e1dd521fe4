package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"triage/keymap"
	"triage/queue"
	"triage/session"
)

// TestAChangeOfManyThreadsLeavesTheKeysFree: a toggle on 3,000 marked
// threads, applied a part at a time, shows its progress; j moves at
// once meanwhile, while i (another toggle) and the j typed after it wait
// and run in their order once the toggle is done. Undo then comes in
// turns too, and an edit asked of the palette meanwhile is refused with a
// word.
func TestAChangeOfManyThreadsLeavesTheKeysFree(t *testing.T) {
	m, _, _ := loadedModelWith(t, 3000, &fakeAPI{}, session.Options{Now: fixedClock, WorkTurn: time.Nanosecond})
	q := m.sess.Queue()
	press(m, "V")
	rest := press(m, "d")
	part := q.Len()
	if !m.sess.Applying() || part == 0 || part >= 3000 {
		t.Fatalf("the toggle's first turn: applying %v, %d of 3,000 queued", m.sess.Applying(), part)
	}
	press(m, "j", "x", "/")
	if m.table.cursor != 1 || m.marks.count() != 2999 || !m.search.typing {
		t.Fatalf("j, x and / waited for the toggle: cursor on row %d, %d marked, searching %v", m.table.cursor, m.marks.count(), m.search.typing)
	}
	m.Update(tea.KeyPressMsg{Code: tea.KeyEscape})
	press(m, "x") // all 3,000 marked again
	if screen := screenOf(m); !strings.Contains(screen, fmt.Sprintf("setting resolved on 3,000 threads… %d%%", part*100/3000)) {
		t.Errorf("the status line shows no progress:\n%s", screen)
	}
	press(m, "i", "j")
	if m.table.cursor != 1 || q.Fields() != part {
		t.Fatalf("i and the j after it ran during the toggle: cursor %d, %d fields", m.table.cursor, q.Fields())
	}
	drain(t, m, rest)
	if m.sess.Applying() || q.Fields() != 6000 || m.table.cursor != 2 {
		t.Fatalf("after the turns: applying %v, %d fields (want 6,000), cursor %d (want 2)", m.sess.Applying(), q.Fields(), m.table.cursor)
	}
	if m.status.text != "important set on 3,000 threads" {
		t.Errorf("the status line says %q, not that the last toggle is done", m.status.text)
	}
	rest = press(m, "u")
	if !m.sess.Applying() || q.Fields() == 6000 {
		t.Fatalf("undo of 3,000 threads ran at once: applying %v, %d fields", m.sess.Applying(), q.Fields())
	}
	m.runAction(keymap.Tags)
	if m.screen.top() == overlayForm || !strings.HasPrefix(m.status.text, "Wait: undoing toggle important") {
		t.Errorf("the palette's tags during the undo: form open %v, status %q", m.screen.top() == overlayForm, m.status.text)
	}
	drain(t, m, rest)
	if q.Fields() != 3000 || q.Get(m.table.rows[0].ID).Flags[queue.Important] != nil {
		t.Errorf("after the undo: %d fields, want the 3,000 of the first toggle", q.Fields())
	}
}

// TestForceQuitDuringAChangeKeepsWhatWasApplied: ctrl+c while a toggle
// is applied quits at once, and the journal holds the part applied.
func TestForceQuitDuringAChangeKeepsWhatWasApplied(t *testing.T) {
	m, _, j := loadedModelWith(t, 3000, &fakeAPI{}, session.Options{Now: fixedClock, WorkTurn: time.Nanosecond})
	press(m, "V")
	press(m, "d")
	_, cmd := m.Update(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	if !isQuit(cmd) {
		t.Fatal("ctrl+c during the toggle did not quit at once")
	}
	if n := m.sess.Queue().Len(); n == 0 || n == 3000 || len(j.last) != n {
		t.Errorf("the journal holds %d edits, the queue %d of the 3,000 the toggle was on", len(j.last), n)
	}
}

// TestTheReviewAndQuitWaitForAChange: p and q during a toggle of 3,000
// threads open nothing; once it is done the review opens on the whole
// change, and q, behind it, leaves the review as it would have.
func TestTheReviewAndQuitWaitForAChange(t *testing.T) {
	m, _, _ := loadedModelWith(t, 3000, &fakeAPI{}, session.Options{Now: fixedClock, WorkTurn: time.Nanosecond})
	press(m, "V")
	rest := press(m, "d")
	press(m, "p")
	if m.screen.isOpen(overlayReview) || m.screen.top() == overlayPrompt {
		t.Fatal("the review opened on a toggle half applied")
	}
	drain(t, m, rest)
	if !m.screen.isOpen(overlayReview) || m.screen.review.built != m.sess.Queue().Version() {
		t.Fatalf("after the toggle the review is open %v, on version %d of %d", m.screen.isOpen(overlayReview),
			m.screen.review.built, m.sess.Queue().Version())
	}
	press(m, "p", "q") // closes it; q asks about the 3,000 queued edits
	if m.screen.top() != overlayPrompt || !m.screen.prompt.quitting {
		t.Errorf("q after the change: %v in front", m.screen.top())
	}
	m2, _, _ := loadedModelWith(t, 3000, &fakeAPI{}, session.Options{Now: fixedClock, WorkTurn: time.Nanosecond})
	press(m2, "V")
	rest = press(m2, "d")
	press(m2, "q")
	if m2.screen.top() == overlayPrompt {
		t.Fatal("q asked about the queue while the toggle was half applied")
	}
	drain(t, m2, rest)
	if m2.screen.top() != overlayPrompt || !m2.screen.prompt.quitting {
		t.Errorf("the q held did not ask once the toggle was done: %v in front", m2.screen.top())
	}
}
