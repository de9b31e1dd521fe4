package ui

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"triage/api"
	"triage/session"
)

// testConsole is a console over a new session of sopts, with the
// console's options uopts (a clock that never ticks and the source
// "test" unless they say otherwise).
func testConsole(sopts session.Options, uopts Options) *Model {
	if uopts.Tick == nil {
		uopts.Tick = noTick
	}
	if uopts.Source == "" {
		uopts.Source = "test"
	}
	if sopts.WorkTurn == 0 {
		sopts.WorkTurn = time.Hour // a change is applied at once unless a test asks for turns
	}
	uopts.Session = session.New(sopts)
	return New(uopts)
}

// fixedClock is a session clock at fixedNow.
func fixedClock() time.Time { return fixedNow }

// errNoList is the fake's answer to a list request: the views' totals
// stay unknown.
var errNoList = errors.New("the fake lists no pages")

// fakeAPI answers updates from a function and single reads from get;
// each load delivers the next of loads (the last again once they run
// out), one page per slice, then ends with loadErr.
type fakeAPI struct {
	update func(items []api.UpdateItem) ([]api.Thread, error)
	get    func(id string) (api.ThreadDetail, error)
	msgs   []api.Message // every conversation, when set; without, 404

	// total, when set, is the chatbot's size every list request
	// answers (a count); without it they fail.
	total int

	mu      sync.Mutex
	calls   [][]api.UpdateItem
	loads   [][][]api.Thread
	loaded  int
	loadErr error
}

func (f *fakeAPI) LoadAll(_ context.Context, _ api.ListParams, _ api.LoadOptions, onPage func([]api.Thread, api.Progress)) error {
	f.mu.Lock()
	var pages [][]api.Thread
	if len(f.loads) > 0 {
		pages = f.loads[min(f.loaded, len(f.loads)-1)]
	}
	f.loaded++
	err := f.loadErr
	f.mu.Unlock()
	total := f.total // a chatbot larger than what the load lists, when set
	for _, p := range pages {
		total += len(p)
	}
	loaded := 0
	for i, p := range pages {
		loaded += len(p)
		onPage(p, api.Progress{Loaded: loaded, Total: total, Pages: i + 1, TotalPages: len(pages), Page: i + 1, Limit: 100})
	}
	return err
}

// ListThreads answers a count with total (or fails without it), and a
// page of a refresh from the pages of the last load.
func (f *fakeAPI) ListThreads(_ context.Context, p api.ListParams) (api.Page, error) {
	switch {
	case f.total > 0:
		return api.Page{Pagination: api.Pagination{Page: 1, Limit: 1, Total: f.total, TotalPages: f.total}}, nil
	case p.Limit == 1:
		return api.Page{}, errNoList
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.loads) == 0 {
		return api.Page{}, errNoList
	}
	pages := f.loads[len(f.loads)-1]
	total := 0
	for _, pg := range pages {
		total += len(pg)
	}
	page := api.Page{Pagination: api.Pagination{Page: p.Page, Limit: 100, Total: total, TotalPages: len(pages)}}
	if p.Page >= 1 && p.Page <= len(pages) {
		page.Threads = pages[p.Page-1]
	}
	return page, nil
}

func (f *fakeAPI) GetThread(_ context.Context, id string) (api.ThreadDetail, error) {
	if f.get != nil {
		return f.get(id)
	}
	return api.ThreadDetail{}, &api.Error{Status: 404}
}

func (f *fakeAPI) ListMessages(context.Context, string) (api.Messages, error) {
	if f.msgs != nil {
		return api.Messages{List: f.msgs}, nil
	}
	return api.Messages{}, &api.Error{Status: 404}
}

func (f *fakeAPI) UpdateThreads(_ context.Context, items []api.UpdateItem) ([]api.Thread, error) {
	f.mu.Lock()
	f.calls = append(f.calls, items)
	f.mu.Unlock()
	return f.update(items)
}

// feedAPI is a fake whose loads take the pages a test feeds them, one at
// a time, until the feed closes or the load is cancelled; end ends the
// load with an error.
type feedAPI struct {
	fakeAPI
	pages chan []api.Thread
	end   chan error
}

func newFeedAPI() *feedAPI {
	return &feedAPI{fakeAPI: fakeAPI{update: func([]api.UpdateItem) ([]api.Thread, error) { return nil, nil }},
		pages: make(chan []api.Thread), end: make(chan error)}
}

func (f *feedAPI) LoadAll(ctx context.Context, _ api.ListParams, _ api.LoadOptions, onPage func([]api.Thread, api.Progress)) error {
	for n := 1; ; n++ {
		select {
		case p := <-f.pages:
			onPage(p, api.Progress{Loaded: len(p), Pages: n, Page: n, TotalPages: 1000, Limit: 100})
		case err := <-f.end:
			return err
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// rig runs a console's commands as the program does, each on a goroutine
// of its own, and applies their messages on the test's goroutine while
// the test waits for what it expects.
type rig struct {
	t    testing.TB
	m    *Model
	msgs chan tea.Msg
}

// fedConsole is a console at 80x24 whose load takes pages fed by hand,
// on a rig.
func fedConsole(t testing.TB) (*Model, *feedAPI, *rig) {
	fa := newFeedAPI()
	m := testConsole(session.Options{API: fa, Now: fixedClock}, Options{})
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	r := &rig{t: t, m: m, msgs: make(chan tea.Msg, 256)}
	r.start(m.Init())
	return m, fa, r
}

// start runs cmd on a goroutine; its message is applied in until.
func (r *rig) start(cmd tea.Cmd) {
	if cmd != nil {
		go func() { r.msgs <- cmd() }()
	}
}

// key presses keys and runs what they start.
func (r *rig) key(keys ...string) {
	for _, k := range keys {
		_, cmd := r.m.Update(key(k))
		r.start(cmd)
	}
}

// page feeds a page to the load and waits until the view holds rows.
func (r *rig) page(f *feedAPI, ts []api.Thread, rows int) {
	r.t.Helper()
	f.pages <- ts
	r.until(fmt.Sprintf("%d rows", rows), func() bool { return r.m.sess.Current().List().Len() == rows })
}

// until applies the messages that come until ok holds; a hang fails the
// test after a limit only a hang reaches.
func (r *rig) until(what string, ok func() bool) {
	r.t.Helper()
	deadline := time.After(20 * time.Second)
	for !ok() {
		select {
		case msg := <-r.msgs:
			switch msg := msg.(type) {
			case nil:
			case tea.BatchMsg:
				for _, c := range msg {
					r.start(c)
				}
			default:
				if isTick(msg) {
					continue
				}
				_, cmd := r.m.Update(msg)
				r.start(cmd)
			}
		case <-deadline:
			r.t.Fatalf("waited in vain for %s", what)
		}
	}
}

// isTick reports a spinner's or a timer's tick: run on, they never end.
func isTick(msg tea.Msg) bool {
	if _, tick := msg.(interface{ Tick() }); tick {
		return true
	}
	return fmt.Sprintf("%T", msg) == "spinner.TickMsg"
}
