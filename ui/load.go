package ui

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"triage/api"
)

// Loader is what the console needs of the API client to list threads:
// whole views, and single pages for the views' totals.
type Loader interface {
	LoadAll(ctx context.Context, p api.ListParams, opt api.LoadOptions, onPage func([]api.Thread, api.Progress)) error
	ListThreads(ctx context.Context, p api.ListParams) (api.Page, error)
}

// pageMsg carries one page of a load; id ties it to the load that asked,
// so pages of a cancelled load are dropped.
type pageMsg struct {
	id       int
	threads  []api.Thread
	progress api.Progress
}

// loadDoneMsg ends a load, with its error if it failed.
type loadDoneMsg struct {
	id  int
	err error
}

// loadStream is a running load: its pages arrive on ch.
type loadStream struct {
	id     int
	ch     chan tea.Msg
	cancel context.CancelFunc
}

// startLoad runs LoadAll in the background. Its messages are read one at
// a time by next(); cancelling stops the load and its goroutine.
func startLoad(parent context.Context, l Loader, id int, p api.ListParams, opt api.LoadOptions) *loadStream {
	ctx, cancel := context.WithCancel(parent)
	s := &loadStream{id: id, ch: make(chan tea.Msg, 1), cancel: cancel}
	go func() {
		defer close(s.ch)
		err := l.LoadAll(ctx, p, opt, func(ts []api.Thread, pr api.Progress) {
			select {
			case s.ch <- pageMsg{id: id, threads: ts, progress: pr}:
			case <-ctx.Done():
			}
		})
		select {
		case s.ch <- loadDoneMsg{id: id, err: err}:
		case <-ctx.Done():
		}
	}()
	return s
}

// next is the command that waits for the stream's next message.
func (s *loadStream) next() tea.Cmd {
	ch := s.ch
	return func() tea.Msg {
		msg, ok := <-ch
		if !ok {
			return nil
		}
		return msg
	}
}
