package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"triage/api"
	"triage/queue"
	"triage/session"
)

func TestMarkingKeys(t *testing.T) {
	m, _, _ := loadedModel(t, 20)
	press(m, " ", " ", " ")
	if m.marks.count() != 3 || m.table.cursor != 3 {
		t.Fatalf("space x3: %d marks, cursor %d", m.marks.count(), m.table.cursor)
	}
	if !strings.Contains(screenOf(m), "→ 3 marked") {
		t.Errorf("status does not say 3 marked:\n%s", screenOf(m))
	}
	press(m, "k", "x") // unmark the third
	if m.marks.count() != 2 {
		t.Fatalf("x did not unmark: %d", m.marks.count())
	}
	press(m, "X")
	if m.marks.count() != 0 || !strings.Contains(screenOf(m), "→ cursor") {
		t.Fatal("X did not clear")
	}
	press(m, "V")
	if m.marks.count() != 20 {
		t.Fatalf("V marked %d", m.marks.count())
	}
	press(m, "V")
	if m.marks.count() != 0 {
		t.Fatalf("V on all marked left %d", m.marks.count())
	}
	press(m, "g", "v", "j", "j", "G")
	if m.marks.count() != 20 {
		t.Fatalf("range to the bottom marked %d", m.marks.count())
	}
	press(m, "X", "g", "v", "j", "j")
	m.Update(tea.KeyPressMsg{Code: tea.KeyEscape})
	press(m, "j")
	if m.marks.count() != 3 || m.marks.ranging {
		t.Fatalf("range then esc: %d marks, ranging %v", m.marks.count(), m.marks.ranging)
	}
}

func TestTogglesQueueAndShow(t *testing.T) {
	m, _, j := loadedModel(t, 10)
	press(m, " ", " ", " ", "d", "!")
	if m.sess.Queue().Len() != 3 || m.sess.Queue().Fields() != 6 {
		t.Fatalf("%d threads %d fields", m.sess.Queue().Len(), m.sess.Queue().Fields())
	}
	lines := strings.Split(screenOf(m), "\n")
	for i := 2; i < 5; i++ {
		if !strings.Contains(lines[i], "●~ R·E·") {
			t.Errorf("row %d does not show mark, pending and new flags: %q", i-2, lines[i])
		}
	}
	if strings.Contains(lines[5], "~") {
		t.Errorf("unmarked row shows pending: %q", lines[5])
	}
	if !strings.Contains(screenOf(m), "6 pending (3 threads)") {
		t.Errorf("no pending count:\n%s", screenOf(m))
	}
	if j.saves != 2 || len(j.last) != 3 {
		t.Errorf("journal saved %d times with %d edits", j.saves, len(j.last))
	}
	press(m, "d")
	if m.sess.Queue().Fields() != 3 {
		t.Errorf("toggling resolved back left %d fields", m.sess.Queue().Fields())
	}
	// Without marks the cursor row is the target.
	press(m, "X", "g", "e")
	if e := m.sess.Queue().Get(m.sess.Current().List().All()[0].ID); e == nil || e.Flags[queue.Archived] == nil {
		t.Error("e did not archive the cursor row")
	}
}

func TestUndoRedoDiscardKeys(t *testing.T) {
	m, _, _ := loadedModel(t, 5)
	press(m, "V", "i", "d")
	press(m, "u")
	if m.sess.Queue().Fields() != 5 {
		t.Fatalf("undo left %d fields", m.sess.Queue().Fields())
	}
	m.Update(tea.KeyPressMsg{Code: 'r', Mod: tea.ModCtrl})
	if m.sess.Queue().Fields() != 10 {
		t.Fatalf("redo gave %d fields", m.sess.Queue().Fields())
	}
	press(m, "U")
	if !strings.Contains(screenOf(m), "Discard 10 pending changes on 5 threads?") {
		t.Fatalf("no discard question:\n%s", screenOf(m))
	}
	press(m, "n")
	if m.sess.Queue().Len() != 5 || !strings.Contains(screenOf(m), "Cancelled") {
		t.Fatal("n did not cancel the discard")
	}
	press(m, "U", "y")
	if m.sess.Queue().Len() != 0 {
		t.Fatal("U y did not discard")
	}
	press(m, "u")
	if m.sess.Queue().Fields() != 10 {
		t.Errorf("undo of discard gave %d", m.sess.Queue().Fields())
	}
}

func TestQuitAsksWhenEditsPending(t *testing.T) {
	m, _, _ := loadedModel(t, 3)
	press(m, "d")
	if isQuit(press(m, "q")) || m.screen.top() != overlayPrompt {
		t.Fatal("q quit with edits pending")
	}
	if !strings.Contains(screenOf(m), "s send now, k keep for next time, esc cancel") {
		t.Errorf("question:\n%s", screenOf(m))
	}
	m.Update(tea.KeyPressMsg{Code: tea.KeyEscape})
	if m.screen.top() != overlayNone {
		t.Fatal("esc did not cancel")
	}
	press(m, "q")
	if !isQuit(press(m, "k")) {
		t.Error("k did not quit")
	}
	m2, _, _ := loadedModel(t, 3)
	if !isQuit(press(m2, "q")) {
		t.Error("q with nothing pending did not quit at once")
	}
	press(m2, "d")
	_, cmd := m2.Update(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	if !isQuit(cmd) {
		t.Error("ctrl+c did not quit at once")
	}
}

func TestReviewRevertsFieldAndThread(t *testing.T) {
	m, _, _ := loadedModel(t, 3)
	press(m, " ", " ", "d", "!", "p")
	scr := screenOf(m)
	for _, w := range []string{"Pending: 4 changes on 2 threads; a send carries 4 fields in 2 items", "resolved: false → true", "escalated: false → true", "Thread 0  t0000"} {
		if !strings.Contains(scr, w) {
			t.Errorf("review lacks %q:\n%s", w, scr)
		}
	}
	press(m, "j", "x") // the first thread's resolved line
	if e := m.sess.Queue().Get("t0000"); e == nil || e.Flags[queue.Resolved] != nil || e.Flags[queue.Escalated] == nil {
		t.Fatalf("field revert: %+v", e)
	}
	press(m, "g", "x") // the first thread's header
	if m.sess.Queue().Get("t0000") != nil || m.sess.Queue().Len() != 1 {
		t.Fatalf("thread revert left %v", m.sess.Queue().IDs())
	}
	press(m, "u")
	if m.sess.Queue().Get("t0000") == nil {
		t.Error("undo in the review did not bring the thread back")
	}
	press(m, "p")
	if m.screen.top() != overlayNone {
		t.Error("p did not close the review")
	}
}

func TestSendSuccessFailureAndFieldErrors(t *testing.T) {
	m, fa, j := loadedModel(t, 4)
	press(m, " ", " ", " ", "d")
	fa.update = func(items []api.UpdateItem) ([]api.Thread, error) {
		return nil, &api.Error{Status: 400, Message: "Request validation failed", Code: "REQUEST_VALIDATION_FAILED",
			Fields: []api.FieldError{{Index: 1, Field: "1.resolved", Message: "Expected boolean"}}}
	}
	press(m, "w")
	if !strings.Contains(screenOf(m), "Send 3 changes to 3 threads? (y/N)") {
		t.Fatalf("no confirm:\n%s", screenOf(m))
	}
	cmd := press(m, "y")
	runSend(m, cmd)
	if m.sess.Queue().Fields() != 3 || m.sess.Busy() {
		t.Fatalf("a failed send cleared edits: %d", m.sess.Queue().Fields())
	}
	scr := screenOf(m)
	if !strings.Contains(scr, "Send failed, all still queued: 400") {
		t.Errorf("failure not shown:\n%s", scr)
	}
	if lines := strings.Split(scr, "\n"); !strings.Contains(lines[3], "●! R") {
		t.Errorf("the refused thread is not flagged: %q", lines[3])
	}
	press(m, "p")
	if !strings.Contains(screenOf(m), "refused: 1.resolved: Expected boolean") {
		t.Errorf("field error not in the review:\n%s", screenOf(m))
	}
	press(m, "p")

	// Now the server answers for two of three: the third stays queued.
	fa.update = serverAnswer(m, 2)
	saves := j.saves
	runSend(m, press(m, "w", "y"))
	if m.sess.Queue().Len() != 1 || !m.sess.Queue().Get("t0002").NotConfirmed {
		t.Fatalf("after a partial answer: %v", m.sess.Queue().IDs())
	}
	if !m.sess.Current().List().Get("t0000").Resolved {
		t.Error("the answer did not replace the local copy")
	}
	if j.saves == saves {
		t.Error("the journal was not saved after the answer")
	}
	lines := strings.Split(screenOf(m), "\n")
	// Confirmed: no longer pending, and unmarked after the send; not
	// confirmed: still marked and queued.
	if !strings.HasPrefix(lines[2], "    R") || !strings.Contains(lines[4], "●? R") {
		t.Errorf("rows after partial answer:\n%s\n%s", lines[2], lines[4])
	}
	if len(fa.calls) != 2 || len(fa.calls[1]) != 3 {
		t.Errorf("calls %v", fa.calls)
	}
}

func TestJournalErrorIsShownNotFatal(t *testing.T) {
	m, _, _ := loadedModelWith(t, 2, &fakeAPI{}, session.Options{Journal: failingJournal()})
	press(m, "d")
	if !strings.Contains(screenOf(m), "Journal not saved: disk full") || m.sess.Queue().Len() != 1 {
		t.Errorf("journal failure:\n%s", screenOf(m))
	}
}

func TestRestoredEditsAreRebasedOnLoad(t *testing.T) {
	old := queue.New()
	ts := sampleThreads(3)
	old.Toggle(queue.Resolved, []*api.Thread{&ts[0], &ts[1]})
	// Meanwhile another agent resolved t0000: that edit is satisfied.
	ts[0].Resolved = true
	fa := newFeedAPI()
	m := testConsole(session.Options{API: fa, Restored: old.Snapshot(), Journal: &recordingJournal{}}, Options{})
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	if !strings.Contains(screenOf(m), "Restored 2 changes on 2 threads") {
		t.Fatalf("restore not announced:\n%s", screenOf(m))
	}
	r := &rig{t: t, m: m, msgs: make(chan tea.Msg, 64)}
	r.start(m.Init())
	r.page(fa, ts, 2) // the Inbox: t0000 is resolved now
	if m.sess.Queue().Len() != 1 || m.sess.Queue().Get("t0001") == nil {
		t.Errorf("after load: %v", m.sess.Queue().IDs())
	}
}

func TestQuitSendNowSendsThenQuits(t *testing.T) {
	m, fa, j := loadedModel(t, 3)
	fa.update = serverAnswer(m, -1)
	press(m, "d", "q")
	quit := drainAll(m, press(m, "s"))
	if !quit || len(fa.calls) != 1 || m.sess.Queue().Len() != 0 || len(j.last) != 0 {
		t.Errorf("quit %v, %d sends, queue %v, journal %v", quit, len(fa.calls), m.sess.Queue().IDs(), j.last)
	}
}

func TestReviewFollowsTheQueueWhileOpen(t *testing.T) {
	m, fa, _ := loadedModel(t, 3)
	fa.update = serverAnswer(m, -1)
	press(m, "V", "i", "p")
	if !strings.Contains(screenOf(m), "Pending: 3 changes on 3 threads") {
		t.Fatalf("review:\n%s", screenOf(m))
	}
	runSend(m, press(m, "w", "y")) // sent from the review
	if !strings.Contains(screenOf(m), "Pending: 0 changes on 0 threads") || !strings.Contains(screenOf(m), "Nothing pending") {
		t.Errorf("the open review did not follow the answer:\n%s", screenOf(m))
	}
}
