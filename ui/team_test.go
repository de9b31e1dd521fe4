package ui

import (
	"path/filepath"

	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"triage/api"
	"triage/api/apitest"
	"triage/presence"
	"triage/session"
	"triage/threads"
)

// owners are ana's claims, as the default config makes them.
var owners = threads.Owners{Prefix: "owner:", Me: "ana"}

// claimConsole is ana's console on a server of 30 threads, loaded, its
// first three threads (newest first) owned by bo, by cy and by nobody.
func claimConsole(t *testing.T) (*Model, *apitest.Server, []string) {
	t.Helper()
	srv, base := serve(t, apitest.Options{Threads: 30, Seed: 5})
	ids := make([]string, 3)
	for i, th := range srv.Threads()[:3] {
		ids[i] = th.ID
	}
	srv.Change(ids[0], func(th *api.Thread) { th.Tags = []string{"vip", "owner:bo"} })
	srv.Change(ids[1], func(th *api.Thread) { th.Tags = []string{"owner:cy"} })
	srv.Change(ids[2], func(th *api.Thread) { th.Tags = nil })
	m := consoleWith(t, srv, base, nil, session.Options{Owners: owners})
	drain(t, m, m.Init())
	m.table.moveToThread(ids[0])
	return m, srv, ids
}

// serverTags are the tags the server holds on a thread.
func serverTags(t *testing.T, srv *apitest.Server, id string) []string {
	t.Helper()
	th, _ := srv.Thread(id)
	return th.Tags
}

func TestClaimAsksBeforeTakingAnothersThread(t *testing.T) {
	m, srv, ids := claimConsole(t)
	act(t, m, "c")
	if q := m.screen.prompt.question; q != "Owned by bo; take it over? (y/N)" {
		t.Fatalf("claiming bo's thread asked %q", q)
	}
	act(t, m, "n")
	if m.sess.Queue().Len() != 0 {
		t.Fatal("no still claimed it")
	}
	act(t, m, "c", "y")
	if got := ownerCell(m.table.current(), m.sess.Queue().Get(ids[0]), cellEnv{owners: owners}); got != "ana" {
		t.Errorf("the owner column shows %q for a queued claim", got)
	}
	act(t, m, "w", "y")
	if got := serverTags(t, srv, ids[0]); !slices.Equal(got, []string{"vip", "owner:ana"}) {
		t.Fatalf("after the takeover the server holds %v", got)
	}
	act(t, m, "C", "w", "y")
	if got := serverTags(t, srv, ids[0]); !slices.Equal(got, []string{"vip"}) {
		t.Errorf("after the release the server holds %v", got)
	}
}

func TestClaimingSeveralSaysHowManyAreOwned(t *testing.T) {
	m, srv, ids := claimConsole(t)
	for _, id := range ids {
		m.table.moveToThread(id)
		act(t, m, "x")
	}
	act(t, m, "c")
	if q := m.screen.prompt.question; q != "2 of 3 threads are owned: 1 by bo, 1 by cy; take them over? (y/N)" {
		t.Fatalf("asked %q", q)
	}
	act(t, m, "y", "w", "y")
	for _, id := range ids {
		if got := owners.Of(serverTags(t, srv, id)); got != "ana" || len(owners.Others(serverTags(t, srv, id))) != 0 {
			t.Errorf("%s: %v", id, serverTags(t, srv, id))
		}
	}
	// An unowned thread is claimed without a question.
	m.table.moveTo(5)
	act(t, m, "X", "c")
	if m.screen.isOpen(overlayPrompt) || m.sess.Queue().Len() != 1 {
		t.Errorf("claiming an unowned thread asked %q, queued %d", m.screen.prompt.question, m.sess.Queue().Len())
	}
}

func TestTheTagsColumnLeavesTheOwnerToItsColumn(t *testing.T) {
	th := &api.Thread{Tags: []string{"vip", "owner:bo", "refund"}}
	env := cellEnv{owners: owners}
	if got := tagsCell(th, nil, env); got != "vip,refund" {
		t.Errorf("tags column %q", got)
	}
	if got := ownerCell(th, nil, env); got != "bo" {
		t.Errorf("owner column %q", got)
	}
	if got := tagsCell(th, nil, cellEnv{}); got != "vip,owner:bo,refund" {
		t.Errorf("with claiming off the tags column shows %q", got)
	}
	cols, _ := chooseColumns(nil)
	if filled := fillState(cols, []*api.Thread{th}, cellEnv{}); filled["owner"] {
		t.Error("the owner column shows with claiming off")
	}
}

// presenceConsoles are ana's and bo's consoles on one server, sharing a
// presence directory, each loaded and having looked once.
func presenceConsoles(t *testing.T) (ana, bo *Model) {
	t.Helper()
	srv, base := serve(t, apitest.Options{Threads: 30, Seed: 5})
	path := filepath.Join(t.TempDir(), "presence")
	for _, who := range []string{"ana", "bo"} {
		d, err := presence.Open(path, "bot")
		if err != nil {
			t.Fatal(err)
		}
		m := consoleUI(t, srv, base, nil, session.Options{Owners: threads.Owners{Prefix: "owner:", Me: who}},
			Options{ASCII: true, Agent: who, Presence: d})
		drain(t, m, m.Init())
		if who == "ana" {
			ana = m
		} else {
			bo = m
		}
	}
	return ana, bo
}

// lookAround has each console write its file and read the others'.
func lookAround(t *testing.T, ms ...*Model) {
	t.Helper()
	for _, m := range ms {
		drain(t, m, m.presenceLook())
	}
}

// TestAConsoleNobodyTouchesIsCounted: two consoles whose agents have not
// moved yet see each other and share the poll's budget: the first look
// writes this console's file.
func TestAConsoleNobodyTouchesIsCounted(t *testing.T) {
	ana, bo := presenceConsoles(t)
	lookAround(t, ana, bo)
	if len(ana.team.peers) != 1 || len(bo.team.peers) != 1 {
		t.Fatalf("untouched consoles see %d and %d others", len(ana.team.peers), len(bo.team.peers))
	}
}

func TestPresenceShowsWhoIsOnAThread(t *testing.T) {
	ana, bo := presenceConsoles(t)
	first := ana.table.rows[0].ID
	act(t, ana, "j", "j", "d", "k", "k") // an edit on the third thread
	act(t, ana, "<enter>")               // the pane shows the first
	lookAround(t, ana, bo)
	if !bo.rowState(bo.table.rows[0]).others || !bo.rowState(bo.table.rows[2]).others {
		t.Fatalf("bo's rows do not show ana: %v %v", bo.rowState(bo.table.rows[0]).others, bo.rowState(bo.table.rows[2]).others)
	}
	if bo.rowState(bo.table.rows[1]).others {
		t.Error("a thread nobody is on shows someone")
	}
	if got := bo.othersOn(first); !strings.HasPrefix(got, "ana") || !strings.HasSuffix(got, "is reading") {
		t.Errorf("bo's pane says %q of the thread ana reads", got)
	}
	if got := bo.othersOn(bo.table.rows[2].ID); !strings.HasSuffix(got, "has 1 edit queued") {
		t.Errorf("bo's pane says %q of the thread ana has an edit on", got)
	}

	// bo's send counts what ana is on, and the review shows which.
	act(t, bo, "x", "j", "j", "x", "d", "w")
	q := bo.screen.prompt.question
	if !strings.Contains(q, "1 is open by ana") || !strings.Contains(q, "1 has edits queued by ana") || !strings.Contains(q, "(p shows which)") {
		t.Fatalf("the send's question: %q", q)
	}
	act(t, bo, "p")
	var shown []string
	for _, l := range bo.screen.review.lines {
		if strings.Contains(l.text, "others:") {
			shown = append(shown, l.text)
		}
	}
	if !bo.screen.isOpen(overlayReview) || len(shown) != 2 || !strings.Contains(shown[0]+shown[1], "open by ana") {
		t.Errorf("p in the question showed %v", shown)
	}

	// ana leaves: bo's next look drops her.
	ana.team.dir.Remove()
	lookAround(t, bo)
	if bo.rowState(bo.table.rows[0]).others || bo.othersOn(first) != "" {
		t.Error("ana's console left, bo still shows her")
	}
}

// alertConsole is a live console ringing on new and newly escalated
// threads, by bell and OSC 9, inside a multiplexer (or none: "").
func alertConsole(t *testing.T, mux string) (*Model, *apitest.Server) {
	t.Helper()
	srv, base := serve(t, apitest.Options{Threads: 20, Seed: 5})
	all, _ := threads.Parse("")
	esc, _ := threads.Parse("is:escalated")
	m := consoleUI(t, srv, base, nil, session.Options{Alerts: []threads.Query{all, esc}},
		Options{ASCII: true, AlertVia: []string{"bell", "osc9"}, Terminal: Terminal{Multiplexer: mux}})
	drain(t, m, m.Init())
	return m, srv
}

// actRaw is act, returning what the keys wrote to the terminal directly.
func actRaw(t *testing.T, m *Model, keys ...string) []string {
	t.Helper()
	var cmds []tea.Cmd
	burst(func(msg tea.Msg) {
		_, cmd := m.Update(msg)
		cmds = append(cmds, cmd)
	}, keys...)
	_, raw := drainRaw(m, tea.Batch(cmds...))
	return raw
}

// polled runs a poll and returns what it wrote to the terminal.
func polled(t *testing.T, m *Model) []string {
	t.Helper()
	_, raw := drainRaw(m, m.run(m.sess.Poll()))
	return raw
}

func TestAnAlertRingsOnceAndGoesThere(t *testing.T) {
	m, srv := alertConsole(t, "")
	if raw := polled(t, m); len(raw) != 0 {
		t.Fatalf("a poll with nothing new rang: %q", raw)
	}
	ids := srv.AddThreads(3)
	srv.Change(ids[1], func(th *api.Thread) { th.Escalated = true })
	raw := polled(t, m)
	if len(raw) != 1 || strings.Count(raw[0], "\a") != 2 || !strings.HasPrefix(raw[0], "\a\x1b]9;New ") {
		t.Fatalf("three arrivals wrote %q: want one BEL and one OSC 9, once", raw)
	}
	if !strings.HasPrefix(m.status.text, "New escalated: ") || !strings.HasSuffix(m.status.text, "(and 2 more): a goes there") {
		t.Errorf("status %q", m.status.text)
	}
	m.table.moveTo(len(m.table.rows) - 1)
	act(t, m, "a")
	if m.table.current().ID != ids[1] {
		t.Errorf("a went to %s, want the escalated %s", m.table.current().ID, ids[1])
	}
}

func TestAlertsWaitWhileTheAgentTypes(t *testing.T) {
	m, srv := alertConsole(t, "tmux")
	act(t, m, "t", "urg") // typing a tag
	srv.AddThreads(1)
	if raw := polled(t, m); len(raw) != 0 || strings.HasPrefix(m.status.text, "New") {
		t.Fatalf("rang while the agent typed: %q, status %q", raw, m.status.text)
	}
	if f := m.screen.form; f == nil {
		t.Fatal("the alert closed the form")
	}
	raw := actRaw(t, m, "<enter>")
	if len(raw) != 1 || !strings.Contains(raw[0], "\x1bPtmux;\x1b\x1b]9;New thread: ") || !strings.HasSuffix(raw[0], "\x1b\\") {
		t.Fatalf("after the form closed: %q, want the bell and OSC 9 wrapped for tmux", raw)
	}
	if !strings.HasPrefix(m.status.text, "New thread: ") {
		t.Errorf("status %q", m.status.text)
	}
}

// TestPresenceListsTheQueueSorted: the queue's threads are taken in no
// order on the UI goroutine and written sorted, each with its fields.
func TestPresenceListsTheQueueSorted(t *testing.T) {
	e := presence.Entry{Queued: []string{"t3", "t1", "t2"}, Fields: []int{3, 1, 2}}
	sortQueued(&e)
	if !slices.Equal(e.Queued, []string{"t1", "t2", "t3"}) || !slices.Equal(e.Fields, []int{1, 2, 3}) {
		t.Errorf("sorted: %v %v", e.Queued, e.Fields)
	}
}
