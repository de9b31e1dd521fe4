package main

import (
	"bytes"
	"errors"
	"os"
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
	defer first.finish(nil, "")
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
	p := s.finish(q.Snapshot(), "")
	if !strings.Contains(p.full, "3 threads with edits kept for next time: triage restores them") || p.rescue {
		t.Errorf("at the end: %+v", p)
	}
	file := filepath.Join(filepath.Dir(s.j.Path()), partingFile)
	if b, err := os.ReadFile(file); err != nil || !strings.Contains(string(b), p.full) || !strings.HasSuffix(p.frame, "(also in "+file+")") {
		t.Errorf("the parting words are not kept in %s (%v): %q; frame %q", file, err, b, p.frame)
	}
	failing := &rescueOnly{}
	r := rescue(failing, errors.New("no space left on device"), q.Snapshot(), "/state/bot.journal")
	if !strings.Contains(r.full, "could not be written (no space left on device)") || filepath.Base(failing.path) == "" ||
		!strings.Contains(r.frame, failing.path) || !r.rescue {
		t.Errorf("rescue: %+v", r)
	}
	none := rescue(&rescueOnly{fail: true}, errors.New("no space left on device"), q.Snapshot(), "/state/bot.journal")
	if strings.Count(none.full, "\n") != 3 || !strings.Contains(none.frame, "the edits of 3 threads follow on standard error") {
		t.Errorf("with no copy: %+v", none)
	}
}

// rescueOnly records where a copy was written.
type rescueOnly struct {
	path string
	fail bool
}

func (r *rescueOnly) WriteCopy(path string, _ []*queue.Edit) error {
	if r.fail {
		return errors.New("read-only file system")
	}
	r.path = path
	return nil
}
