package ui

import (
	"context"
	"errors"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"triage/api"
	"triage/queue"
)

// recordingJournal counts saves and keeps the last one.
type recordingJournal struct {
	saves int
	last  []*queue.Edit
}

// fakeAPI answers updates from a function; loads are fed by hand.
type fakeAPI struct {
	update func(items []api.UpdateItem) ([]api.Thread, error)
	calls  [][]api.UpdateItem
}

// loadedModel is a model at 80x24 with n threads loaded, a fake API and a
// recording journal.
func loadedModel(t *testing.T, n int) (*Model, *fakeAPI, *recordingJournal) {
	t.Helper()
	fa := &fakeAPI{update: func([]api.UpdateItem) ([]api.Thread, error) { return nil, nil }}
	j := &recordingJournal{}
	m := New(Options{API: fa, Journal: j, Source: "test"})
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

type failingJournal struct{}

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

func (j *recordingJournal) Save(edits []*queue.Edit) error {
	j.saves++
	j.last = edits
	return nil
}

func (f *fakeAPI) LoadAll(context.Context, api.ListParams, api.LoadOptions, func([]api.Thread, api.Progress)) error {
	return nil
}

func (f *fakeAPI) GetThread(context.Context, string) (api.ThreadDetail, error) {
	return api.ThreadDetail{}, &api.Error{Status: 404}
}

func (f *fakeAPI) ListThreads(context.Context, api.ListParams) (api.Page, error) {
	return api.Page{}, nil
}

func (f *fakeAPI) UpdateThreads(_ context.Context, items []api.UpdateItem) ([]api.Thread, error) {
	f.calls = append(f.calls, items)
	return f.update(items)
}

func (failingJournal) Save([]*queue.Edit) error { return errors.New("disk full") }
