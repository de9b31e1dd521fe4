package ui

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"triage/api"
	"triage/queue"
	"triage/session"
)

// recordingJournal counts the changes recorded and keeps what a journal
// would hold after them (last, sorted by thread).
type recordingJournal struct {
	saves  int
	last   []*queue.Edit
	state  map[string]*queue.Edit
	copies map[string][]*queue.Edit
	fail   error
}

// loadedModel is a model at 80x24 with n threads loaded, a fake API and a
// recording journal.
func loadedModel(t *testing.T, n int) (*Model, *fakeAPI, *recordingJournal) {
	t.Helper()
	return loadedModelWith(t, n, &fakeAPI{}, session.Options{})
}

// loadedModelWith is loadedModel over fa (its loads set here) and a
// session of opts.
func loadedModelWith(t *testing.T, n int, fa *fakeAPI, opts session.Options) (*Model, *fakeAPI, *recordingJournal) {
	t.Helper()
	if fa.update == nil {
		fa.update = func([]api.UpdateItem) ([]api.Thread, error) { return nil, nil }
	}
	fa.loads = [][][]api.Thread{{sampleThreads(n)}}
	j, _ := opts.Journal.(*recordingJournal)
	if j == nil {
		j = &recordingJournal{}
	}
	opts.API, opts.Journal = fa, j
	m := testConsole(opts, Options{})
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	drain(t, m, m.Init())
	return m, fa, j
}

func press(m *Model, keys ...string) tea.Cmd {
	var last tea.Cmd
	for _, k := range keys {
		_, last = m.Update(key(k))
	}
	return last
}

func screenOf(m *Model) string { return ansi.Strip(m.render()) }

func isQuit(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	_, ok := cmd().(tea.QuitMsg)
	return ok
}

// runSend runs what a key started (a send) to its end, as the program
// would.
func runSend(m *Model, cmd tea.Cmd) { drainAll(m, cmd) }

func failingJournal() *recordingJournal { return &recordingJournal{fail: errors.New("disk full")} }

// serverAnswer answers an update as the server does: each item's flags
// applied to the loaded thread, for the first n items (all when n < 0).
func serverAnswer(m *Model, n int) func([]api.UpdateItem) ([]api.Thread, error) {
	return func(items []api.UpdateItem) ([]api.Thread, error) {
		if n >= 0 && n < len(items) {
			items = items[:n]
		}
		var out []api.Thread
		for _, it := range items {
			th := *m.lookup(it.ThreadID)
			for _, f := range []struct {
				v   *bool
				dst *bool
			}{{it.Resolved, &th.Resolved}, {it.Archived, &th.Archived}, {it.Escalated, &th.Escalated}, {it.Important, &th.Important}} {
				if f.v != nil {
					*f.dst = *f.v
				}
			}
			out = append(out, th)
		}
		return out, nil
	}
}

func (j *recordingJournal) Record(puts []*queue.Edit, dels []string) {
	j.saves++
	if j.state == nil {
		j.state = map[string]*queue.Edit{}
	}
	for _, e := range puts {
		j.state[e.ThreadID] = e
	}
	for _, id := range dels {
		delete(j.state, id)
	}
	j.last = j.last[:0]
	for _, e := range j.state {
		j.last = append(j.last, e)
	}
	slices.SortFunc(j.last, func(a, b *queue.Edit) int { return strings.Compare(a.ThreadID, b.ThreadID) })
}

func (j *recordingJournal) Flush() error             { return j.fail }
func (j *recordingJournal) Err() error               { return j.fail }
func (j *recordingJournal) Changed() <-chan struct{} { return nil }

func (j *recordingJournal) WriteCopy(path string, edits []*queue.Edit) error {
	if j.copies == nil {
		j.copies = map[string][]*queue.Edit{}
	}
	j.copies[path] = edits
	return nil
}

// noTick is a clock whose scheduled messages never come: tests that run
// commands to their end must not wait seconds for a fading result.
func noTick(time.Duration, func(time.Time) tea.Msg) tea.Cmd { return nil }
