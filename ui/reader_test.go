package ui

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"triage/api"
	"triage/api/apitest"
)

// timers records the scheduled messages of a console, to fire them by
// hand: the rest timer of a burst of keys fires only for the last.
type timers struct{ due []tea.Msg }

func (ts *timers) tick(_ time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
	ts.due = append(ts.due, fn(fixedNow))
	return nil
}

// fire delivers every recorded message and runs what they start.
func (ts *timers) fire(t *testing.T, m *Model) {
	t.Helper()
	due := ts.due
	ts.due = nil
	for _, msg := range due {
		_, cmd := m.Update(msg)
		drain(t, m, cmd)
	}
}

// readingConsole is a console on a live server, with a thread whose notes
// are known to the server, the cursor on it.
func readingConsole(t *testing.T, opts apitest.Options) (*Model, *apitest.Server, *timers, api.Thread) {
	t.Helper()
	m, srv := liveModel(t, opts)
	ts := &timers{}
	m.opts.Tick = ts.tick
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	drain(t, m, m.Init())
	x := srv.Threads()[0]
	srv.Change(x.ID, func(th *api.Thread) { th.InternalNotes = api.Value("Called back on Monday;\nwaiting for the receipt.") })
	drain(t, m, press(m, "r"))
	ts.due = nil
	x, _ = srv.Thread(x.ID)
	return m, srv, ts, x
}

func countPath(srv *apitest.Server, suffix string) int {
	n := 0
	for _, r := range srv.RequestsFor(http.MethodGet) {
		if strings.HasSuffix(r.Path, suffix) {
			n++
		}
	}
	return n
}

// TestPaneShowsNotesAndConversation: once the cursor rests, the pane
// shows the notes as the server holds them and the conversation's newest
// message; the notes form starts from those notes.
func TestPaneShowsNotesAndConversation(t *testing.T) {
	m, srv, ts, x := readingConsole(t, apitest.Options{Threads: 20, Seed: 9})
	m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	ts.fire(t, m)
	reads, msgReads := countPath(srv, "/thread/"+x.ID), countPath(srv, "/thread/"+x.ID+"/messages")
	msgs := m.sess.ReadOf(x.ID).Reading.Messages
	last := msgs[len(msgs)-1]
	scr := screenOf(m)
	firstLine := strings.SplitN(last.Content, "\n", 2)[0][:min(30, len(strings.SplitN(last.Content, "\n", 2)[0]))]
	if !strings.Contains(scr, "Called back on Monday;") || !strings.Contains(scr, "waiting for the receipt.") || !strings.Contains(scr, firstLine) {
		t.Errorf("the pane lacks the notes or the newest message %q:\n%s", firstLine, scr)
	}
	if reads != 1 || msgReads != 1 {
		t.Errorf("reads of the thread: %d, of its messages: %d", reads, msgReads)
	}
	m.Update(tea.KeyPressMsg{Code: tea.KeyEscape})
	press(m, "n")
	if scr := screenOf(m); !strings.Contains(scr, "Called back on Monday;") || strings.Contains(scr, "does not return existing notes") {
		t.Errorf("the notes form does not start from the server's notes:\n%s", scr)
	}
}

// TestBurstOfMovesReadsOnlyWhereItStops: 30 j in one burst with the pane
// open read the thread the cursor stops on and its neighbours, not every
// thread passed.
func TestBurstOfMovesReadsOnlyWhereItStops(t *testing.T) {
	m, srv, ts, _ := readingConsole(t, apitest.Options{Threads: 60, Seed: 9})
	m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	srv.ResetRequests()
	burst(sendTo(m), strings.Repeat("j", 30))
	ts.fire(t, m)
	if n := len(srv.Requests()); n == 0 || n > 6 {
		t.Errorf("%d requests for a burst of 30 moves, want at most 6 (the thread and two neighbours)", n)
	}
	srv.ResetRequests()
	burst(sendTo(m), "k", "j") // back to threads already read: nothing is sent
	ts.fire(t, m)
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests to show threads already read", n)
	}
}

// TestReaderNextPreviousAndActions: the reader goes to the next and
// previous thread, acts on the thread it shows (not the marked ones), and
// esc returns with the cursor on the last thread read.
func TestReaderNextPreviousAndActions(t *testing.T) {
	m, _, ts, _ := readingConsole(t, apitest.Options{Threads: 20, Seed: 9})
	press(m, " ") // a mark elsewhere must not be the target
	marked := m.table.rows[0].ID
	press(m, "R")
	ts.fire(t, m)
	if m.screen.top() != overlayReader {
		t.Fatalf("R did not open the reader: %v", m.screen.top())
	}
	press(m, "J", "J", "K")
	shown := m.table.current().ID
	if shown != m.table.rows[2].ID {
		t.Fatalf("J J K shows %s, want the third thread", shown)
	}
	press(m, "i")
	if e := m.sess.Queue().Get(shown); e == nil || m.sess.Queue().Get(marked) != nil {
		t.Errorf("i in the reader queued for %v, want only the thread shown %s", m.sess.Queue().IDs(), shown)
	}
	burst(sendTo(m), "<esc>")
	if m.screen.top() != overlayNone || m.table.current().ID != shown {
		t.Errorf("esc: front %v, cursor on %s, want %s", m.screen.top(), m.table.current().ID, shown)
	}
}

// TestMessagesRefusedAreAskedOnce: a server that refuses the messages
// endpoint to keys is asked once a session; the pane says so, and threads
// still read.
func TestMessagesRefusedAreAskedOnce(t *testing.T) {
	m, srv, ts, _ := readingConsole(t, apitest.Options{Threads: 20, Seed: 9, RefuseMessages: 403})
	m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	ts.fire(t, m)
	burst(sendTo(m), "j", "j", "j", "j")
	ts.fire(t, m)
	if n := countPath(srv, "/messages"); n != 1 {
		t.Errorf("%d requests for messages, want one: the refusal, then none", n)
	}
	if !strings.Contains(screenOf(m), "This server does not let an API key read") {
		t.Errorf("the pane does not say why:\n%s", screenOf(m))
	}
}

// TestPaneAndReaderScreens: golden screens of the pane and the reader of
// a thread read from the server, at 80x24 and 200x50.
func TestPaneAndReaderScreens(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {200, 50}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			m, _ := liveModel(t, apitest.Options{Threads: 12, Seed: 4})
			ts := &timers{}
			m.opts.Tick = ts.tick
			m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			drain(t, m, m.Init())
			press(m, "j", "j")
			m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
			ts.fire(t, m)
			pane := ansi.Strip(m.render())
			m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
			reader := ansi.Strip(m.render())
			for name, scr := range map[string]string{"pane": pane, "reader": reader} {
				if lines := strings.Split(scr, "\n"); len(lines) != size[1] {
					t.Errorf("the %s is %d lines", name, len(lines))
				}
			}
			if !strings.Contains(pane, "Conversation (") || !strings.Contains(pane, "Internal notes") {
				t.Errorf("the pane:\n%s", pane)
			}
			if !strings.Contains(reader, "Bulk licence quote") || !strings.Contains(reader, "3/12 · lines") || !strings.Contains(reader, "J next thread") {
				t.Errorf("the reader, at the newest message, under the thread's title:\n%s", reader)
			}
			golden.RequireEqual(t, []byte(pane+"\n----- reader -----\n"+reader))
		})
	}
}

// TestReaderSaysWhenTheConversationCouldNotBeRead: a failed read of the
// conversation is said as such, never as "no messages", and r in the
// reader reads it again.
func TestReaderSaysWhenTheConversationCouldNotBeRead(t *testing.T) {
	m, srv, ts, _ := readingConsole(t, apitest.Options{Threads: 5, Seed: 4})
	srv.Inject(apitest.Fault{Kind: apitest.FaultStatus, Status: 500, PathSuffix: "/messages"})
	press(m, "R")
	ts.fire(t, m)
	scr := screenOf(m)
	if !strings.Contains(scr, "Could not read the conversation") || !strings.Contains(scr, "r reads it again") || strings.Contains(scr, "no messages") {
		t.Fatalf("the reader does not say the read failed:\n%s", scr)
	}
	before := countPath(srv, "/messages")
	drain(t, m, press(m, "r"))
	if countPath(srv, "/messages") != before+1 {
		t.Errorf("r did not read the conversation again")
	}
	if scr := screenOf(m); strings.Contains(scr, "Could not read") || !strings.Contains(scr, "Conversation (") {
		t.Errorf("after reading it again:\n%s", scr)
	}
}

// TestTheReaderSearchesItsText: / in the reader types a search in the
// text shown: the heading counts the matches, n and N go through them
// (round the end), matches are highlighted, esc ends it and n is the
// notes form again.
func TestTheReaderSearchesItsText(t *testing.T) {
	m, _, ts, _ := readingConsole(t, apitest.Options{Threads: 20, Seed: 9})
	press(m, "R")
	ts.fire(t, m)
	burst(sendTo(m), "/RECEIPT")
	press(m, "enter")
	th := m.table.current()
	lines := readerLines(th, m.detailFacts(), m.readState(th), m.screen.width-1, &m.look)
	var want []int
	for i, l := range lines {
		if strings.Contains(strings.ToLower(ansi.Strip(l)), "receipt") {
			want = append(want, i)
		}
	}
	if len(want) == 0 {
		t.Fatal("the notes hold receipt, the reader shows none")
	}
	heading := func() string { return strings.SplitN(screenOf(m), "\n", 3)[1] }
	if h := heading(); !strings.Contains(h, fmt.Sprintf("match 1 of %d", len(want))) {
		t.Fatalf("heading %q, want match 1 of %d", h, len(want))
	}
	if !strings.Contains(m.render(), m.look.st.match.Render("receipt")) {
		t.Error("the match is not highlighted")
	}
	press(m, "N")
	if h := heading(); !strings.Contains(h, fmt.Sprintf("match %d of %d", len(want), len(want))) {
		t.Errorf("N from the first goes round to the last: %q", h)
	}
	press(m, "n")
	if h := heading(); !strings.Contains(h, "match 1 of") {
		t.Errorf("n: %q", h)
	}
	burst(sendTo(m), "/zzzz")
	press(m, "enter")
	if h := heading(); !strings.Contains(h, "no match for “RECEIPTzzzz”") {
		t.Errorf("a search with no match: %q", h)
	}
	burst(sendTo(m), "<esc>")
	if m.screen.top() != overlayReader || m.detail.reader.find.active() {
		t.Fatalf("esc did not end the search in the reader: front %v", m.screen.top())
	}
	press(m, "n")
	if m.screen.top() != overlayForm {
		t.Errorf("after the search, n is the notes form again: front %v", m.screen.top())
	}
}
