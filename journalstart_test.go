package main

import (
	"bytes"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"triage/api"
	"triage/journal"
	"triage/queue"
)

// TestSecondConsoleChooses: a console started while another holds the
// chatbot's journal says who holds it, and quits or goes on read-only as
// the agent answers.
func TestSecondConsoleChooses(t *testing.T) {
	state := t.TempDir()
	t.Setenv("XDG_STATE_HOME", state)
	cfg := api.Config{BaseURL: "https://x.example/api/v1", ChatbotID: "bot"}
	first, err := startJournal(cfg, false, journal.Limits{}, strings.NewReader(""), &bytes.Buffer{})
	if err != nil || first.j == nil {
		t.Fatalf("first console: %v", err)
	}
	defer first.finish(nil, &bytes.Buffer{})
	for _, c := range []struct {
		answer   string
		readOnly bool
	}{{"r\n", true}, {"q\n", false}, {"", false}} {
		var out bytes.Buffer
		second, err := startJournal(cfg, false, journal.Limits{}, strings.NewReader(c.answer), &out)
		if !strings.Contains(out.String(), "another console holds the journal") || !strings.Contains(out.String(), "[q]uit or [r]ead-only?") {
			t.Errorf("%q: the question: %s", c.answer, out.String())
		}
		if c.readOnly != (err == nil && second.readOnly != "" && second.journal() == nil) {
			t.Errorf("%q: read-only %q, err %v", c.answer, second.readOnly, err)
		}
	}
}

// TestFinishSaysWhatWasKeptOrRescues: at the end the console says how
// many threads' edits it kept; when the journal cannot be written it
// writes a copy and says where.
func TestFinishSaysWhatWasKeptOrRescues(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	q := queue.New()
	q.Toggle(queue.Resolved, []*api.Thread{{ID: "a"}, {ID: "b"}, {ID: "c"}})
	s, err := startJournal(api.Config{BaseURL: "https://x.example/api/v1", ChatbotID: "bot"}, false, journal.Limits{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.j.Record(q.TakeChanges())
	var out bytes.Buffer
	s.finish(q.Snapshot(), &out)
	if !strings.Contains(out.String(), "3 threads with edits kept for next time: triage restores them") {
		t.Errorf("at the end: %s", out.String())
	}
	failing := &rescueOnly{}
	out.Reset()
	rescue(failing, errors.New("no space left on device"), q.Snapshot(), "/state/bot.journal", &out)
	if !strings.Contains(out.String(), "could not be written (no space left on device)") || filepath.Base(failing.path) == "" ||
		!strings.Contains(out.String(), failing.path) {
		t.Errorf("rescue: %s", out.String())
	}
}

// rescueOnly records where a copy was written.
type rescueOnly struct{ path string }

func (r *rescueOnly) WriteCopy(path string, _ []*queue.Edit) error {
	r.path = path
	return nil
}
