package ui

import (
	"reflect"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"triage/api"
	"triage/keymap"
	"triage/queue"
	"triage/threads"
)

func rowsOf(ts []api.Thread) []*api.Thread {
	out := make([]*api.Thread, len(ts))
	for i := range ts {
		out[i] = &ts[i]
	}
	return out
}

func TestScrollTo(t *testing.T) {
	for _, c := range []struct {
		a             keymap.Action
		cursor, n, pg int
		want          int
		ok            bool
	}{
		{keymap.Down, 0, 10, 4, 1, true}, {keymap.Down, 9, 10, 4, 9, true}, {keymap.Up, 0, 10, 4, 0, true},
		{keymap.Bottom, 2, 10, 4, 9, true}, {keymap.Top, 7, 10, 4, 0, true}, {keymap.HalfDown, 0, 10, 4, 2, true},
		{keymap.PageDown, 8, 10, 4, 9, true}, {keymap.PageUp, 3, 10, 4, 0, true}, {keymap.Mark, 3, 10, 4, 3, false},
		{keymap.Down, 0, 0, 4, 0, true},
	} {
		if got, ok := scrollTo(c.a, c.cursor, c.n, c.pg); max(got, 0) != c.want || ok != c.ok {
			t.Errorf("%s from %d of %d: %d %v, want %d %v", c.a, c.cursor, c.n, got, ok, c.want, c.ok)
		}
	}
}

func TestScreenOverlaysReturnToWhereTheyWereOpened(t *testing.T) {
	var s screen
	s.open(overlayReview)
	s.open(overlayHelp)
	if s.top() != overlayHelp {
		t.Fatalf("top %v", s.top())
	}
	s.close(overlayHelp)
	if s.top() != overlayReview {
		t.Errorf("closing the help showed %v, not the review it was opened from", s.top())
	}
	s.open(overlayReview) // opening again brings it forward, once
	if len(s.front) != 1 {
		t.Errorf("front %v", s.front)
	}
}

func TestSelection(t *testing.T) {
	ts := sampleThreads(5)
	rows := rowsOf(ts)
	s := newSelection()
	if r := s.act(keymap.MarkDown, rows, rows[0]); !r.down || !s.has("t0000") {
		t.Fatalf("mark_down: %+v", r)
	}
	s.act(keymap.Mark, rows, rows[1])
	if s.count() != 2 || s.text(UnicodeGlyphs()) != "→ 2 marked" {
		t.Errorf("after two marks: %q", s.text(UnicodeGlyphs()))
	}
	// A search shows only row 2: both marks are hidden, and still targets.
	s.recount(rows[2:3])
	if s.hidden != 2 || !strings.Contains(s.text(ASCIIGlyphs()), "2 hidden") {
		t.Errorf("hidden %d", s.hidden)
	}
	lookup := func(id string) *api.Thread {
		for _, r := range rows {
			if r.ID == id {
				return r
			}
		}
		return nil
	}
	if got := s.targets(rows[2:3], rows[2], lookup); len(got) != 2 {
		t.Errorf("targets %d, want the 2 hidden marked threads", len(got))
	}
	s.act(keymap.ClearMarks, rows, rows[0])
	if got := s.targets(rows, rows[3], lookup); len(got) != 1 || got[0].ID != "t0003" {
		t.Errorf("without marks the cursor is the target: %v", got)
	}
	s.act(keymap.RangeMark, rows, rows[1])
	s.moved(rows, 1, 3)
	if s.count() != 3 || !s.stopRange() || s.ranging {
		t.Errorf("range marked %d", s.count())
	}
	s.act(keymap.MarkAll, rows, nil)
	if s.count() != 5 {
		t.Errorf("mark all: %d", s.count())
	}
	s.act(keymap.MarkAll, rows, nil)
	if s.count() != 0 {
		t.Errorf("mark all again: %d", s.count())
	}
}

func TestSearchLine(t *testing.T) {
	s := newSearchLine(threads.Owners{}, nil)
	s.open("")
	var in searchIntent
	for _, r := range "tag:vip" {
		in, _ = s.key(tea.KeyPressMsg{Code: r, Text: string(r)}, "", false)
	}
	if !in.changed || s.query.String() != "tag:vip" {
		t.Fatalf("typed query %q", s.query.String())
	}
	in, _ = s.typed(tea.PasteMsg{Content: " unread:>x"})
	if in.changed || s.err == "" || s.query.String() != "tag:vip" {
		t.Errorf("a malformed query must keep the last good one: %q, err %q", s.query.String(), s.err)
	}
	in, _ = s.key(tea.KeyPressMsg{Code: tea.KeyEnter}, keymap.Submit, true)
	if in.kept != nil || !s.typing || s.err == "" || len(s.history) != 0 {
		t.Errorf("enter on a malformed query kept %q (history %v), the line open %v, said %q", s.query.String(), s.history, s.typing, s.err)
	}
	in, _ = s.key(tea.KeyPressMsg{Code: tea.KeyEscape}, keymap.Cancel, true)
	if !in.changed || !s.query.Empty() || s.typing || in.prev.String() != "tag:vip" {
		t.Errorf("esc: %+v, query %q", in, s.query.String())
	}
}

func TestReviewIntents(t *testing.T) {
	q := queue.New()
	ts := sampleThreads(2)
	q.Toggle(queue.Resolved, rowsOf(ts))
	lookup := func(id string) *api.Thread { return nil }
	var r review
	r.build(q, lookup, UnicodeGlyphs(), func(string) string { return "" })
	if len(r.lines) != 4 || r.built != q.Version() || !strings.Contains(r.summary, "Pending: 2 changes on 2 threads") {
		t.Fatalf("lines %d, summary %q", len(r.lines), r.summary)
	}
	if in := r.key(keymap.Revert, 10); in.kind != reviewRevert || in.id != "t0000" || in.field != "" {
		t.Errorf("revert on a header: %+v", in)
	}
	r.key(keymap.Down, 10)
	if in := r.key(keymap.Revert, 10); in.kind != reviewRevert || in.field != queue.FieldResolved {
		t.Errorf("revert on a field: %+v", in)
	}
	if in := r.key(keymap.TakeAll, 10); in.kind != reviewSettleAll || in.keepMine {
		t.Errorf("take all: %+v", in)
	}
	if in := r.key(keymap.Send, 10); in.kind != reviewOther || in.action != keymap.Send {
		t.Errorf("send passes through: %+v", in)
	}
	if in := r.key(keymap.Cancel, 10); in.kind != reviewClose {
		t.Errorf("esc: %+v", in)
	}
}

// TestEveryQueueChangeReachesJournalAndReview walks every path that
// changes the queue (toggles, forms, undo, redo, discard, revert, settle,
// a page that rebases, a send answered, a send refused) with the review
// open: after each message the journal holds exactly the queue and the
// review shows its current version. A path that changed the queue without
// going through the one entry point would fail here.
func TestEveryQueueChangeReachesJournalAndReview(t *testing.T) {
	m, fa, j := loadedModel(t, 6)
	check := func(step string) {
		t.Helper()
		if q := m.sess.Queue(); !reflect.DeepEqual(j.last, q.Snapshot()) && !(len(j.last) == 0 && q.Len() == 0) {
			t.Fatalf("%s: the journal holds %d edits, the queue %d", step, len(j.last), q.Len())
		}
		if m.screen.isOpen(overlayReview) && m.screen.review.built != m.sess.Queue().Version() {
			t.Fatalf("%s: the open review shows version %d of the queue, now %d", step, m.screen.review.built, m.sess.Queue().Version())
		}
	}
	send := func(msg tea.Msg) { m.Update(msg) }
	steps := []struct {
		name string
		keys []string
	}{
		{"toggle", []string{" ", " ", "d"}}, {"open review", []string{"p"}}, {"undo", []string{"u"}}, {"redo", []string{"<ctrl+r>"}},
		{"revert field", []string{"j", "x"}}, {"close review", []string{"p"}}, {"title form", []string{"T", "<ctrl+u>", "New", "<enter>"}},
		{"tags form", []string{"t", "+vip", "<enter>"}}, {"review again", []string{"p"}}, {"discard", []string{"U", "y"}},
		{"undo discard", []string{"u"}},
	}
	for _, s := range steps {
		for _, k := range s.keys {
			if k == "<ctrl+r>" {
				send(tea.KeyPressMsg{Code: 'r', Mod: tea.ModCtrl})
			} else {
				burst(send, k)
			}
			check(s.name)
		}
	}
	// Another agent resolved t0001: a page rebases the queue.
	ts := sampleThreads(6)
	ts[1].Resolved = true
	fa.mu.Lock()
	fa.loads = append(fa.loads, [][]api.Thread{ts})
	fa.mu.Unlock()
	drain(t, m, press(m, "r"))
	check("page")
	// A send refused, then one answered.
	fa.update = func(items []api.UpdateItem) ([]api.Thread, error) {
		return nil, &api.Error{Status: 400, Fields: []api.FieldError{{Index: 0, Field: "0.title", Message: "too long"}}}
	}
	press(m, "w")
	runSend(m, press(m, "y"))
	check("refused send")
	fa.update = serverAnswer(m, -1)
	press(m, "w")
	runSend(m, press(m, "y"))
	check("answered send")
}

// TestReviewShowsRefusalOfSendWhileOpen: a send refused while the review
// is open shows the refusal in the review at once.
func TestReviewShowsRefusalOfSendWhileOpen(t *testing.T) {
	m, fa, _ := loadedModel(t, 3)
	fa.update = func(items []api.UpdateItem) ([]api.Thread, error) {
		return nil, &api.Error{Status: 400, Message: "Request validation failed",
			Fields: []api.FieldError{{Index: 0, Field: "0.resolved", Message: "Expected boolean"}}}
	}
	press(m, "d", "p", "w")
	runSend(m, press(m, "y"))
	if m.screen.top() != overlayReview {
		t.Fatalf("the review closed: %v", m.screen.top())
	}
	if !strings.Contains(screenOf(m), "refused: 0.resolved: Expected boolean") {
		t.Errorf("the open review does not show the refusal:\n%s", screenOf(m))
	}
}
