package ui

import (
	"bytes"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"triage/api/apitest"
)

// startProgram runs the console on a virtual terminal against apitest.
func startProgram(t *testing.T, w, h int, threads int) *teatest.TestModel {
	t.Helper()
	m, _ := liveModel(t, apitest.Options{Threads: threads, Seed: 3, MaxLimit: 50})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(w, h), teatest.WithProgramOptions(
		tea.WithColorProfile(colorprofile.Ascii), tea.WithEnvironment([]string{"TERM=xterm-256color"})))
	total := []byte(thousands(threads) + " threads")
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, total) },
		teatest.WithDuration(10*time.Second))
	return tm
}

func finalModel(t *testing.T, tm *teatest.TestModel) *Model {
	t.Helper()
	tm.Send(tea.KeyPressMsg{Code: 'q', Text: "q"})
	return tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Model)
}

func TestDemoDataAt80x24(t *testing.T) {
	tm := startProgram(t, 80, 24, 120)
	m := finalModel(t, tm)
	if m.rows.len() != 120 {
		t.Fatalf("%d rows loaded, want 120", m.rows.len())
	}
	// The status line is left out: whether the load's last message was
	// handled before the quit key is a race the screen may show.
	lines := strings.Split(ansi.Strip(m.View().Content), "\n")
	if len(lines) != 24 {
		t.Fatalf("%d lines, want 24", len(lines))
	}
	screen := strings.Join(append(lines[:22:22], lines[23]), "\n")
	golden.RequireEqual(t, []byte(screen))
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
	if !bytes.Contains([]byte(ansi.Strip(m.View().Content)), []byte(thousands(want+1)+"/120")) {
		t.Error("status line does not show the cursor position")
	}
}

func TestHelpOverlayAt80x24(t *testing.T) {
	tm := startProgram(t, 80, 24, 10)
	tm.Type("?")
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("half page down")) },
		teatest.WithDuration(5*time.Second))
	tm.Type("x") // any key closes the help
	m := finalModel(t, tm)
	if m.overlay != overlayNone {
		t.Error("help still open")
	}
}
