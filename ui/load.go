package ui

import (
	"context"
	"runtime/debug"

	tea "charm.land/bubbletea/v2"

	"triage/api"
)

// Loader is what the console needs of the API client to list threads:
// whole views, and single pages for the views' totals and the live poll.
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

// stream is background work whose messages the root reads one at a time
// with next(); cancelling stops the work and its goroutine.
type stream struct {
	ch     chan tea.Msg
	cancel context.CancelFunc
}

// startStream runs work in the background; emit hands a message to the
// root and reports false once the stream is cancelled.
func startStream(parent context.Context, work func(ctx context.Context, emit func(tea.Msg) bool)) *stream {
	ctx, cancel := context.WithCancel(parent)
	s := &stream{ch: make(chan tea.Msg, 1), cancel: cancel}
	go func() {
		defer close(s.ch)
		work(ctx, func(msg tea.Msg) bool {
			select {
			case s.ch <- msg:
				return true
			case <-ctx.Done():
				return false
			}
		})
	}()
	return s
}

// next is the command that waits for the stream's next message.
func (s *stream) next() tea.Cmd {
	ch := s.ch
	return func() tea.Msg {
		msg, ok := <-ch
		if !ok {
			return nil
		}
		return msg
	}
}

// startLoad runs LoadAll in the background, a pageMsg per page and a
// loadDoneMsg at the end.
func startLoad(parent context.Context, l Loader, id int, p api.ListParams, opt api.LoadOptions) *stream {
	return startStream(parent, func(ctx context.Context, emit func(tea.Msg) bool) {
		err := l.LoadAll(ctx, p, opt, func(ts []api.Thread, pr api.Progress) {
			emit(pageMsg{id: id, threads: ts, progress: pr})
		})
		emit(loadDoneMsg{id: id, err: err})
	})
}

// bigLoad is the number of threads a load must read for its end to hand
// the memory its pages used (decoded JSON, copies) back to the system.
const bigLoad = 50_000

// releaseMemory returns the free heap to the system, off the UI
// goroutine: after a large load the garbage of its pages is most of what
// the process holds, and it would stay resident until the heap grew that
// large again.
func releaseMemory() tea.Msg {
	debug.FreeOSMemory()
	return nil
}
