package ui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"triage/api"
	"triage/api/apitest"
	"triage/session"
	"triage/threads"
)

// Tests of what a first-day agent tripped on, one per item.

// TestSearchPutsTheCursorOnTheFirstMatch: while a query is typed, in one
// burst, the cursor is on the first match with the matches from the top;
// esc brings it back to the thread it was on.
func TestSearchPutsTheCursorOnTheFirstMatch(t *testing.T) {
	all := sampleThreads(60)
	for i := range all {
		if i%3 == 0 {
			all[i].Tags = []string{"refund"}
		}
	}
	m := twoViews(t, all, nil)
	burst(sendTo(m), strings.Repeat("j", 25))
	was := m.table.current().ID
	burst(sendTo(m), "/", "tag:refund -is:esc")
	if m.table.cursor != 0 || m.table.offset != 0 || m.table.current().ID != all[0].ID {
		t.Errorf("while typing the cursor is on row %d (offset %d), not the first match", m.table.cursor, m.table.offset)
	}
	burst(sendTo(m), "<esc>")
	if got := m.table.current().ID; got != was || !m.search.query.Empty() {
		t.Errorf("esc left the cursor on %s, not %s where it was", got, was)
	}
	burst(sendTo(m), "/", "refund", "<enter>", "j")
	if m.table.cursor != 1 {
		t.Errorf("after enter the cursor moves in the results: row %d", m.table.cursor)
	}
}

// TestActiveViewAlwaysInTheBar: at 80 columns, with six views, the active
// one shows whole in brackets whichever it is; the others give way.
func TestActiveViewAlwaysInTheBar(t *testing.T) {
	m, _, _ := loadedModel(t, 3)
	for i := 1; i <= len(m.sess.Views()); i++ {
		press(m, string(rune('0'+i)))
		bar := strings.Split(screenOf(m), "\n")[0]
		want := "[" + string(rune('0'+i)) + " " + m.sess.Views()[i-1].Def().Name + " "
		if !strings.Contains(bar, want) || len([]rune(bar)) > 80 {
			t.Errorf("view %d: the bar %q lacks %q", i, bar, want)
		}
	}
}

// TestOverlaysReturnToWhereTheyWereOpened: help and the event log opened
// from the review close back to the review.
func TestOverlaysReturnToWhereTheyWereOpened(t *testing.T) {
	m, _, _ := loadedModel(t, 3)
	press(m, "d", "p", "?", "x")
	if m.screen.top() != overlayReview || m.sess.Queue().Len() != 1 {
		t.Fatalf("help closed to %v (queue %d): the key that closed it must not act", m.screen.top(), m.sess.Queue().Len())
	}
	press(m, "L")
	burst(sendTo(m), "<esc>")
	if m.screen.top() != overlayReview {
		t.Errorf("the event log closed to %v, not the review", m.screen.top())
	}
	burst(sendTo(m), "<esc>")
	if m.screen.top() != overlayNone {
		t.Errorf("esc in the review left %v", m.screen.top())
	}
}

// TestDetailPaneClosesWithEscOrQ: esc closes the detail pane, and q in it
// closes it instead of quitting.
func TestDetailPaneClosesWithEscOrQ(t *testing.T) {
	m, _, _ := loadedModel(t, 3)
	m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	burst(sendTo(m), "<esc>")
	if m.detail.open {
		t.Error("esc did not close the pane")
	}
	m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	if isQuit(press(m, "q")) || m.detail.open {
		t.Error("q in the pane quit, or left it open")
	}
	if !isQuit(press(m, "q")) {
		t.Error("q without the pane did not quit")
	}
}

// TestEmptyChatbotLooksRight: with no threads the table, the status line
// and the detail pane say so, and show no position like "1/0".
func TestEmptyChatbotLooksRight(t *testing.T) {
	m, srv := liveModel(t, apitest.Options{Threads: 0})
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	drain(t, m, m.Init())
	if len(srv.Threads()) != 0 || !strings.Contains(screenOf(m), "No threads in this view.") {
		t.Errorf("empty list:\n%s", screenOf(m))
	}
	m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	scr := screenOf(m)
	if !strings.Contains(scr, "No thread under the cursor.") || strings.Contains(scr, "1/0") || strings.Contains(scr, "0/0") {
		t.Errorf("empty detail:\n%s", scr)
	}
}

// TestRefreshKeepsTheCursorOnItsThread: after r, with threads that other
// agents changed moving up, the cursor is on the thread it was on.
func TestRefreshKeepsTheCursorOnItsThread(t *testing.T) {
	m, srv := liveModel(t, apitest.Options{Threads: 30, Seed: 3})
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	drain(t, m, m.Init())
	press(m, "j", "j", "j", "j", "j")
	was := m.table.current().ID
	for _, r := range m.table.rows[10:13] {
		srv.Change(r.ID, func(th *api.Thread) { th.Important = !th.Important })
	}
	drain(t, m, press(m, "r"))
	if got := m.table.current().ID; got != was || m.table.cursor != 8 {
		t.Errorf("after r the cursor is on %s at row %d, not on %s (now row 8)", got, m.table.cursor, was)
	}
}

// TestEscThenKeyInOneRead: esc and a key read as one alt+key act as both,
// wherever esc cancels: the search is cleared and j moves; the review
// closes and j moves; a form closes and the key acts on the list.
func TestEscThenKeyInOneRead(t *testing.T) {
	m, _, _ := loadedModel(t, 10)
	alt := func(r rune) { m.Update(tea.KeyPressMsg{Code: r, Mod: tea.ModAlt}) } // as the terminal reads esc+r
	burst(sendTo(m), "/", "Thread 1")
	alt('j')
	if !m.search.query.Empty() || m.search.typing || m.table.cursor != 1 {
		t.Errorf("esc+j while searching: query %q, cursor %d", m.search.query.String(), m.table.cursor)
	}
	press(m, "d", "p")
	alt('j')
	if m.screen.top() != overlayNone || m.table.cursor != 2 {
		t.Errorf("esc+j in the review: front %v, cursor %d", m.screen.top(), m.table.cursor)
	}
	press(m, "T")
	alt('k')
	if m.screen.top() != overlayNone || m.table.cursor != 1 || m.sess.Queue().Len() != 1 {
		t.Errorf("esc+k in a form: front %v, cursor %d, queue %d", m.screen.top(), m.table.cursor, m.sess.Queue().Len())
	}
	press(m, "T")
	m.Update(tea.KeyPressMsg{Code: 'b', Mod: tea.ModAlt}) // a word back, in the text
	if m.screen.top() != overlayForm {
		t.Error("alt+b in a text field closed the form")
	}
	burst(sendTo(m), "<esc>", "p")
	m.Update(tea.KeyPressMsg{Code: 'r', ShiftedCode: 'R', Mod: tea.ModAlt | tea.ModShift}) // esc+R, as tmux delivers it
	if m.screen.top() != overlayReader {
		t.Errorf("esc+R in the review: front %v, not the reader", m.screen.top())
	}
}

// TestMarksOfConfirmedThreadsClearAfterASend: a send clears the marks of
// the threads the server confirmed, keeps those still queued, and keeps
// them all with keep_marks.
func TestMarksOfConfirmedThreadsClearAfterASend(t *testing.T) {
	for _, keep := range []bool{false, true} {
		m, fa, _ := loadedModel(t, 5)
		m.opts.KeepMarks = keep
		fa.update = serverAnswer(m, 2) // the third thread is not confirmed
		press(m, " ", " ", " ", "i", "w")
		runSend(m, press(m, "y"))
		want := 1
		if keep {
			want = 3
		}
		if m.marks.count() != want || !m.marks.has("t0002") {
			t.Errorf("keep_marks %v: %d marks left, want %d with the unconfirmed one", keep, m.marks.count(), want)
		}
	}
}

// TestSendQuestionNamesTheBatches: with max_batch splitting a send, the
// question says into how many PATCHes.
func TestSendQuestionNamesTheBatches(t *testing.T) {
	m, _, _ := loadedModelWith(t, 5, &fakeAPI{}, session.Options{MaxBatch: 2})
	press(m, "V", "i", "w")
	if q := m.screen.prompt.question; !strings.HasPrefix(q, "Send 5 changes to 5 threads in 3 PATCHes of up to 2 (max_batch)? (y/N)") {
		t.Errorf("question %q", q)
	}
}

// TestFooterAlwaysEndsWithHelp: at 80 columns the key hint ends with
// "? help", over the review also with how to close it.
func TestFooterAlwaysEndsWithHelp(t *testing.T) {
	m, _, _ := loadedModel(t, 3)
	for _, c := range []struct {
		keys []string
		want string
	}{{nil, "q quit  ? help"}, {[]string{"d", "p"}, "esc cancel, close  ? help"}} {
		press(m, c.keys...)
		lines := strings.Split(screenOf(m), "\n")
		if footer := strings.TrimRight(lines[len(lines)-1], " "); !strings.HasSuffix(footer, c.want) {
			t.Errorf("after %v the footer is %q, want it to end with %q", c.keys, footer, c.want)
		}
	}
}

// TestResultsFadeErrorsStayUntilTheNextKey: a result fades after a few
// seconds; an error stays until the next key; the journal's alarm stays.
func TestResultsFadeErrorsStayUntilTheNextKey(t *testing.T) {
	m, _, _ := loadedModel(t, 3)
	var fade tea.Msg
	m.opts.Tick = func(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
		if d == resultLife {
			fade = fn(time.Time{})
		}
		return nil
	}
	press(m, "v")
	if !strings.Contains(screenOf(m), "Range marking") || fade == nil {
		t.Fatalf("no result, or no timer for it:\n%s", screenOf(m))
	}
	m.Update(fade)
	if strings.Contains(screenOf(m), "Range marking:") {
		t.Error("the result did not fade")
	}
	m.marks.stopRange()
	m.table.rows = nil
	fade = nil
	press(m, "d") // No thread to change: an error
	if fade != nil || !strings.Contains(screenOf(m), "No thread to change") {
		t.Fatalf("an error must not fade:\n%s", screenOf(m))
	}
	press(m, "j")
	if strings.Contains(screenOf(m), "No thread to change") {
		t.Error("the error outlived the next key")
	}
}

// TestEventLogWrapsLongLines: a long error is shown whole in the event
// log, wrapped, not cut at the terminal's width.
func TestEventLogWrapsLongLines(t *testing.T) {
	m, _, _ := loadedModel(t, 3)
	long := "Load failed: GET /chatting/x/threads: dial tcp 10.1.2.3:443: connect: connection refused after 6 attempts, the server is not answering"
	m.setStatus(long, true)
	press(m, "L")
	scr := screenOf(m)
	if !strings.Contains(scr, "dial tcp 10.1.2.3:443") || !strings.Contains(scr, "refused after 6 attempts, the server is not answering") {
		t.Errorf("the log cuts the message:\n%s", scr)
	}
}

// TestColumnsChosenAndGivingWay: the config chooses the columns and their
// order; on a narrow screen empty columns give way before filled ones;
// the mode column shows only when the server sends modes; the sorted
// column is always marked, and shown even when not chosen.
func TestColumnsChosenAndGivingWay(t *testing.T) {
	ts := sampleThreads(5)
	m := twoViews(t, ts, nil)
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	header := func() string { return strings.Split(screenOf(m), "\n")[1] }
	if h := header(); strings.Contains(h, "Tags") || strings.Contains(h, "Mode") || !strings.Contains(h, "Age▼") {
		t.Errorf("no thread has tags or a mode, and the default sort is marked: %q", h)
	}
	ts[0].Tags, ts[1].Mode = []string{"vip"}, "HUMAN"
	m = twoViews(t, ts, nil)
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	if h := header(); !strings.Contains(h, "Tags") || !strings.Contains(h, "Mode") {
		t.Errorf("tags and modes are sent: %q", h)
	}
	m.opts.Columns = []string{"title", "visitor", "flags"}
	m.table.chosen, _ = chooseColumns(m.opts.Columns)
	m.refreshVisible(true)
	if h := strings.Fields(header()); strings.Join(h, " ") != "Title Visitor RAEI Age▼" {
		t.Errorf("chosen columns %v: the sorted Age must show too, last", h)
	}
	press(m, "s") // started
	if h := header(); !strings.Contains(h, "RAEI Began▼") {
		t.Errorf("sorted by started: %q", h)
	}
	if err := CheckColumns([]string{"title", "nope"}); err == nil || !strings.Contains(err.Error(), `unknown column "nope"`) || !strings.Contains(err.Error(), "visitor") {
		t.Errorf("an unknown column: %v", err)
	}
}

// TestSortPicker: O lists every order; enter sorts the view by the one
// chosen and marks its column.
func TestSortPicker(t *testing.T) {
	all := sampleThreads(4)
	for i := range all {
		all[i].UnreadMessagesCount = []int{1, 5, 0, 3}[i]
	}
	m := twoViews(t, all, nil)
	press(m, "O")
	if scr := screenOf(m); !strings.Contains(scr, "Sort the view by") || !strings.Contains(scr, "unread, fewest first") {
		t.Fatalf("the picker:\n%s", scr)
	}
	press(m, "j", "j", "j", "j") // updated both ways, started both ways, then unread, most first
	m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	var order []string
	for _, th := range m.table.rows {
		order = append(order, th.ID[len(th.ID)-1:])
	}
	if got := strings.Join(order, ""); got != "1302" || !strings.Contains(screenOf(m), "New▼") {
		t.Errorf("order %s after picking unread, most first:\n%s", got, screenOf(m))
	}
	press(m, "O", "G") // the last order, then the first
	m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	if d := m.sess.Current().Def(); d.Sort != threads.SortTitle || !d.Reverse {
		t.Errorf("G then enter sorted by %v (reversed %v), want the last order: title, Z to A", d.Sort, d.Reverse)
	}
	press(m, "O", "g")
	m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	if d := m.sess.Current().Def(); d.Sort != threads.SortUpdated || d.Reverse {
		t.Errorf("g then enter sorted by %v (reversed %v), want the first order", d.Sort, d.Reverse)
	}
}

// TestModeSearchSaysWhenTheServerSendsNoModes: mode: on threads without
// a mode says why it finds nothing.
func TestModeSearchSaysWhenTheServerSendsNoModes(t *testing.T) {
	m, _, _ := loadedModel(t, 5)
	burst(sendTo(m), "/", "mode:ai")
	if !strings.Contains(screenOf(m), "the server sends no modes") {
		t.Errorf("the search line:\n%s", screenOf(m))
	}
	m.sess.Current().List().All()[0].Mode = "AI"
	burst(sendTo(m), "<esc>", "/", "mode:ai")
	if strings.Contains(screenOf(m), "sends no modes") || len(m.table.rows) != 1 {
		t.Errorf("with a mode: %d rows\n%s", len(m.table.rows), screenOf(m))
	}
}

// TestPendingTitleAndTagsLookPending: a pending title or tag change is
// drawn in the pending style, as pending flags are.
func TestPendingTitleAndTagsLookPending(t *testing.T) {
	m, _, _ := loadedModel(t, 3)
	burst(sendTo(m), "T", "<ctrl+u>", "Renamed", "<enter>", "j")
	row := strings.Split(m.render(), "\n")[2]
	if !strings.Contains(row, m.look.st.pending.Render(fit("Renamed", m.table.widths[1], false, "…"))) {
		t.Errorf("the pending title is not styled as pending: %q", row)
	}
}
