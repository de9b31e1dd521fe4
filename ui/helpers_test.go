package ui

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"triage/api"
	"triage/queue"
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

// fakeAPI answers updates from a function; loads are fed by hand.
type fakeAPI struct {
	update func(items []api.UpdateItem) ([]api.Thread, error)
	calls  [][]api.UpdateItem
	// get answers single-thread reads; nil answers 404.
	get func(id string) (api.ThreadDetail, error)
}

// loadedModel is a model at 80x24 with n threads loaded, a fake API and a
// recording journal.
func loadedModel(t *testing.T, n int) (*Model, *fakeAPI, *recordingJournal) {
	t.Helper()
	fa := &fakeAPI{update: func([]api.UpdateItem) ([]api.Thread, error) { return nil, nil }}
	j := &recordingJournal{}
	m := New(Options{API: fa, Journal: j, Source: "test", Tick: noTick})
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	expectLoad(m)
	m.Update(pageMsg{id: 1, threads: sampleThreads(n)})
	m.Update(loadDoneMsg{id: 1})
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

// runSend runs a flush command chain to its end, as the program would.
func runSend(m *Model, cmd tea.Cmd) {
	for cmd != nil {
		msg := cmd()
		switch msg := msg.(type) {
		case tea.BatchMsg:
			cmd = nil
			for _, c := range msg {
				if c == nil {
					continue
				}
				if r, ok := c().(sendResultMsg); ok {
					_, cmd = m.Update(r)
				}
			}
		case sendResultMsg:
			_, cmd = m.Update(msg)
		default:
			return
		}
	}
}

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
			th := *m.views.current().set.Get(it.ThreadID)
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

func (f *fakeAPI) LoadAll(context.Context, api.ListParams, api.LoadOptions, func([]api.Thread, api.Progress)) error {
	return nil
}

func (f *fakeAPI) GetThread(_ context.Context, id string) (api.ThreadDetail, error) {
	if f.get != nil {
		return f.get(id)
	}
	return api.ThreadDetail{}, &api.Error{Status: 404}
}

func (f *fakeAPI) ListMessages(context.Context, string) (api.Messages, error) {
	return api.Messages{}, &api.Error{Status: 404}
}

func (f *fakeAPI) ListThreads(context.Context, api.ListParams) (api.Page, error) {
	return api.Page{}, nil
}

func (f *fakeAPI) UpdateThreads(_ context.Context, items []api.UpdateItem) ([]api.Thread, error) {
	f.calls = append(f.calls, items)
	return f.update(items)
}

// noTick is a clock whose scheduled messages never come: tests that run
// commands to their end must not wait seconds for a fading result.
func noTick(time.Duration, func(time.Time) tea.Msg) tea.Cmd { return nil }
