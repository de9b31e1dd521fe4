package ui

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"triage/api/apitest"
	"triage/session"
	"triage/words"
)

// probe wraps the model so a test can read its state while the program
// runs: the byte stream is diffed cell by cell, so waiting for text in it
// is unreliable.
type probe struct {
	*Model
	mu      *sync.Mutex
	rows    *int
	loading *bool
	pending *int    // threads with queued edits
	screen  *string // the screen as drawn after the last message
	sending *bool   // a send or the reads before it in flight
}

// newProbe watches m.
func newProbe(m *Model) probe {
	return probe{Model: m, mu: &sync.Mutex{}, rows: new(int), loading: new(bool), pending: new(int), screen: new(string), sending: new(bool)}
}

func (p probe) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := p.Model.Update(msg)
	p.mu.Lock()
	v := p.Model.sess.Current()
	*p.rows, *p.loading, *p.pending = v.List().Len(), v.Loading(), p.Model.sess.Queue().Len()
	*p.screen = ansi.Strip(p.Model.render())
	*p.sending = p.Model.sess.Busy()
	p.mu.Unlock()
	return p, cmd
}

// waitSent waits until no send is in flight.
func (p probe) waitSent(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		p.mu.Lock()
		done := !*p.sending
		p.mu.Unlock()
		if done {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("the send did not end")
}

// waitScreen waits until the screen shows text.
func (p probe) waitScreen(t *testing.T, text string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		p.mu.Lock()
		done := strings.Contains(*p.screen, text)
		p.mu.Unlock()
		if done {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	t.Fatalf("the screen never showed %q:\n%s", text, *p.screen)
}

// waitPending waits until n threads have queued edits.
func (p probe) waitPending(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		p.mu.Lock()
		done := *p.pending == n
		p.mu.Unlock()
		if done {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	t.Fatalf("the queue never held %d threads:\n%s", n, *p.screen)
}

// waitLoaded waits until the program's model has loaded n rows and
// finished loading.
func (p probe) waitLoaded(t testing.TB, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		p.mu.Lock()
		done := *p.rows == n && !*p.loading
		p.mu.Unlock()
		if done {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("the console did not load %d threads", n)
}

// waitFirstPage waits until some threads are shown.
func (p probe) waitFirstPage(t testing.TB) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		p.mu.Lock()
		done := *p.rows > 0
		p.mu.Unlock()
		if done {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatal("no thread was shown")
}

// startProgram runs the console on a virtual terminal against apitest
// and waits until every thread is loaded.
func startProgram(t *testing.T, w, h int, threads int) *teatest.TestModel {
	t.Helper()
	tm, _, _ := startLive(t, w, h, live{server: apitest.Options{Threads: threads, Seed: 3, MaxLimit: 50}})
	return tm
}

// live sets up a console against apitest: the server's options, the
// console's max_batch, and changes to the server before the console starts.
type live struct {
	server   apitest.Options
	maxBatch int
	setup    func(*apitest.Server)
}

// startLive is startProgram with the server options, the probe and the
// server returned.
func startLive(t *testing.T, w, h int, l live) (*teatest.TestModel, probe, *apitest.Server) {
	t.Helper()
	m, srv := liveConsole(t, l.server, session.Options{MaxBatch: l.maxBatch})
	if l.setup != nil {
		l.setup(srv)
	}
	p := newProbe(m)
	*p.loading = true
	tm := teatest.NewTestModel(t, p, teatest.WithInitialTermSize(w, h), teatest.WithProgramOptions(
		tea.WithColorProfile(colorprofile.Ascii), tea.WithEnvironment([]string{"TERM=xterm-256color"})))
	p.waitLoaded(t, l.server.Threads)
	return tm, p, srv
}

func finalModel(t *testing.T, tm *teatest.TestModel) *Model {
	t.Helper()
	tm.Send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}) // q would ask when edits are pending
	return tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(probe).Model
}

func TestDemoDataAt80x24(t *testing.T) {
	tm := startProgram(t, 80, 24, 120)
	m := finalModel(t, tm)
	if m.sess.Current().List().Len() != 120 {
		t.Fatalf("%d rows loaded, want 120", m.sess.Current().List().Len())
	}
	lines := strings.Split(ansi.Strip(m.View().Content), "\n")
	if len(lines) != 24 {
		t.Fatalf("%d lines, want 24", len(lines))
	}
	golden.RequireEqual(t, []byte(strings.Join(lines, "\n")))
}

func TestNavigationThroughProgram(t *testing.T) {
	tm := startProgram(t, 80, 24, 120)
	tm.Type("jjjj")
	tm.Type("k")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyPgDown})
	m := finalModel(t, tm)
	want := 3 + (24 - chromeLines)
	if m.table.cursor != want {
		t.Errorf("cursor %d, want %d", m.table.cursor, want)
	}
	if !strings.Contains(ansi.Strip(m.View().Content), words.Thousands(want+1)+"/120") {
		t.Error("status line does not show the cursor position")
	}
}

func TestHelpOverlayAt80x24(t *testing.T) {
	tm := startProgram(t, 80, 24, 10)
	tm.Type("?")
	tm.Type("x") // any key closes the help
	tm.Type("j") // and is not also an action
	m := finalModel(t, tm)
	if m.screen.top() != overlayNone || m.table.cursor != 1 {
		t.Errorf("overlay %v cursor %d after closing the help and one j", m.screen.top(), m.table.cursor)
	}
}

// TestMarkToggleFlushSendsOnePatch is the triage flow against apitest:
// mark three rows, toggle resolved and escalated, send: exactly one PATCH
// whose items hold threadId and only the fields whose values change.
func TestMarkToggleFlushSendsOnePatch(t *testing.T) {
	tm, p, srv := startLive(t, 100, 30, live{server: apitest.Options{Threads: 40, Seed: 5}})
	before := srv.Threads()[:3]
	tm.Type("   ") // space x3: mark the three newest
	tm.Type("d!")
	p.waitPending(t, 3)
	tm.Type("w")
	tm.Type("y")
	p.waitPending(t, 0)
	m := finalModel(t, tm)

	patches := srv.RequestsFor(http.MethodPatch)
	if len(patches) != 1 {
		t.Fatalf("%d PATCH requests, want 1", len(patches))
	}
	var items []map[string]any
	if err := json.Unmarshal(patches[0].Body, &items); err != nil {
		t.Fatal(err)
	}
	want := make([]map[string]any, 0, 3)
	for _, th := range before {
		it := map[string]any{"threadId": th.ID}
		if !th.Resolved {
			it["resolved"] = true
		}
		if !th.Escalated {
			it["escalated"] = true
		}
		if len(it) > 1 {
			want = append(want, it)
		}
	}
	slices.SortFunc(want, func(a, b map[string]any) int { return strings.Compare(a["threadId"].(string), b["threadId"].(string)) })
	if !reflect.DeepEqual(items, want) {
		t.Errorf("PATCH body\n got %v\nwant %v", items, want)
	}
	lines := strings.Split(ansi.Strip(m.View().Content), "\n")
	for i, th := range before {
		now, _ := srv.Thread(th.ID)
		if !now.Resolved || !now.Escalated {
			t.Errorf("server thread %s not updated: %+v", th.ID, now)
		}
		row := lines[2+i]
		if !strings.Contains(row, "R") || !strings.Contains(row, "E") || strings.Contains(row[:4], "~") {
			t.Errorf("row %d does not show the new flags without a pending marker: %q", i, row)
		}
	}
}

// TestBatchFailureKeepsTheRest: with max_batch 2, the second of three
// batches fails: the first batch is confirmed, the rest stay queued, and
// nothing is sent after the failure.
func TestBatchFailureKeepsTheRest(t *testing.T) {
	tm, p, srv := startLive(t, 100, 30, live{server: apitest.Options{Threads: 40, Seed: 5}, maxBatch: 2})
	srv.Inject(apitest.Fault{Kind: apitest.FaultStatus, Status: 500, Method: http.MethodPatch, After: 1})
	n := 0
	for _, th := range srv.Threads() {
		if !th.Important {
			n++
		}
	}
	tm.Type("V") // mark all 40: the ones not yet important get queued
	tm.Type("i")
	p.waitPending(t, n)
	tm.Type("wy")
	p.waitPending(t, n-2)
	p.waitSent(t) // the second batch's answer, the failure
	m := finalModel(t, tm)
	if got := len(srv.RequestsFor(http.MethodPatch)); got != 2 {
		t.Errorf("%d PATCHes, want 2 (stop at the failure)", got)
	}
	// The error stayed on the status line until the key that quit; the
	// event log keeps it.
	failure := logTexts(m)[len(logTexts(m))-1]
	if want := fmt.Sprintf("batch 2 of %d", (n+1)/2); !strings.Contains(failure, want) || !strings.Contains(failure, "500") {
		t.Errorf("the send's failure %q lacks %q", failure, want)
	}
}

// TestUnmentionedThreadsStayQueued: the server applies a PATCH but its
// answer leaves a thread out; that thread stays queued, marked not
// confirmed, and a resend is harmless.
func TestUnmentionedThreadsStayQueued(t *testing.T) {
	tm, p, srv := startLive(t, 100, 30, live{server: apitest.Options{Threads: 10, Seed: 5}})
	srv.Inject(apitest.Fault{Kind: apitest.FaultDropItems, Drop: 1})
	tm.Type("   ")
	tm.Type("i")
	p.waitPending(t, 3)
	tm.Type("wy")
	p.waitPending(t, 1)
	tm.Type("wy") // the resend confirms it
	p.waitPending(t, 0)
	finalModel(t, tm)
	patches := srv.RequestsFor(http.MethodPatch)
	if len(patches) != 2 || strings.Count(string(patches[1].Body), "threadId") != 1 {
		t.Fatalf("patches: %d, second %s", len(patches), patches[len(patches)-1].Body)
	}
}
