package ui

import (
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
)

// probe wraps the model so a test can read its state while the program
// runs: the byte stream is diffed cell by cell, so waiting for text in it
// is unreliable.
type probe struct {
	*Model
	mu      *sync.Mutex
	rows    *int
	loading *bool
}

func (p probe) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := p.Model.Update(msg)
	p.mu.Lock()
	*p.rows, *p.loading = p.Model.rows.len(), p.Model.loading
	p.mu.Unlock()
	return p, cmd
}

// waitLoaded waits until the program's model has loaded n rows and
// finished loading.
func (p probe) waitLoaded(t *testing.T, n int) {
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

// startProgram runs the console on a virtual terminal against apitest
// and waits until every thread is loaded.
func startProgram(t *testing.T, w, h int, threads int) *teatest.TestModel {
	t.Helper()
	m, _ := liveModel(t, apitest.Options{Threads: threads, Seed: 3, MaxLimit: 50})
	p := probe{Model: m, mu: &sync.Mutex{}, rows: new(int), loading: new(bool)}
	*p.loading = true
	tm := teatest.NewTestModel(t, p, teatest.WithInitialTermSize(w, h), teatest.WithProgramOptions(
		tea.WithColorProfile(colorprofile.Ascii), tea.WithEnvironment([]string{"TERM=xterm-256color"})))
	p.waitLoaded(t, threads)
	return tm
}

func finalModel(t *testing.T, tm *teatest.TestModel) *Model {
	t.Helper()
	tm.Send(tea.KeyPressMsg{Code: 'q', Text: "q"})
	return tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(probe).Model
}

func TestDemoDataAt80x24(t *testing.T) {
	tm := startProgram(t, 80, 24, 120)
	m := finalModel(t, tm)
	if m.rows.len() != 120 {
		t.Fatalf("%d rows loaded, want 120", m.rows.len())
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
	if !strings.Contains(ansi.Strip(m.View().Content), thousands(want+1)+"/120") {
		t.Error("status line does not show the cursor position")
	}
}

func TestHelpOverlayAt80x24(t *testing.T) {
	tm := startProgram(t, 80, 24, 10)
	tm.Type("?")
	tm.Type("x") // any key closes the help
	tm.Type("j") // and is not also an action
	m := finalModel(t, tm)
	if m.overlay != overlayNone || m.table.cursor != 1 {
		t.Errorf("overlay %v cursor %d after closing the help and one j", m.overlay, m.table.cursor)
	}
}
