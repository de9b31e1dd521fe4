// Package ui is the console's Bubble Tea front end: the root model that
// routes keys, window size and overlays, the thread table, the pending
// review, prompts, the help and the status line. It talks to the API only
// through the small interfaces it declares, in commands that send typed
// messages back; the edit model itself lives in package queue.
package ui

import (
	"context"
	"strings"
	"time"

	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"triage/api"
	"triage/keymap"
	"triage/queue"
	"triage/threads"
)

// API is what the console needs of the ContextGPT client.
type API interface {
	Loader
	UpdateThreads(ctx context.Context, items []api.UpdateItem) ([]api.Thread, error)
}

// Journal keeps the queue on disk; Save is called after every change.
type Journal interface {
	Save(edits []*queue.Edit) error
}

// Options is everything the console needs, injected by main.
type Options struct {
	// API loads and updates threads.
	API API
	// Journal, when set, receives the queue after every change.
	Journal Journal
	// Restored are edits read from the journal at start.
	Restored []*queue.Edit
	// Notice is shown in the status line at start (a journal warning).
	Notice string
	// Keys is the keymap in force.
	Keys *keymap.Keymap
	// ASCII selects the ASCII glyph set.
	ASCII bool
	// Load tunes page size and concurrency.
	Load api.LoadOptions
	// Limits bound what the forms accept (defaults: 40, 200, 5000).
	Limits Limits
	// MaxBatch splits a flush into PATCHes of at most this many threads
	// (0: one PATCH).
	MaxBatch int
	// Views are the named lists, the first shown at start (default:
	// threads.DefaultViews).
	Views []threads.View
	// Source says where the threads come from ("demo-bot @ host").
	Source string
	// Now is the clock for ages (default time.Now).
	Now func() time.Time
	// Context bounds every request; cancelling it stops all loads.
	Context context.Context
	// Events, when set, delivers what the API client reports (retries,
	// rate-limit waits) for the event log and the status line.
	Events <-chan api.Event
}

// Minimum terminal size; below it the console asks for more room.
const (
	minWidth  = 50
	minHeight = 8
	// chromeLines are the lines that are not table rows: bar, header,
	// status, hint.
	chromeLines = 4
)

// overlay is what covers the table, if anything.
type overlay int

const (
	overlayNone overlay = iota
	overlayHelp
	overlayReview
	overlayConfirm
	overlayQuit
	overlayForm
	overlayLog
)

// Model is the root model of the console.
type Model struct {
	opts   Options
	keys   *keymap.Keymap
	glyphs Glyphs
	st     styles

	width, height int
	table         table
	overlay       overlay
	detail        bool // the detail pane is open

	views   []*viewState
	active  int
	loadSeq int
	store   *threads.Store
	spinner spinner.Model

	query     threads.Query
	searching bool // the search line has the keys
	search    textinput.Model
	searchErr string

	queue   *queue.Queue
	marks   map[string]bool
	hidden  int  // marked threads the table does not show
	ranging bool // range mark mode: rows the cursor passes are marked

	flush    *flushRun
	flushID  int
	failures map[string][]string // field errors of the last flush, by thread
	review   review
	confirm  confirmation
	form     form

	log       eventLog
	waitUntil time.Time // the end of a wait the server asked for
	waitWhy   string

	status    string
	statusErr bool
}

// New returns the console's root model.
func New(opts Options) *Model {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Context == nil {
		opts.Context = context.Background()
	}
	if opts.Keys == nil {
		opts.Keys = keymap.Default()
	}
	if len(opts.Views) == 0 {
		opts.Views = threads.DefaultViews()
	}
	if opts.Limits == (Limits{}) {
		opts.Limits = Limits{Tag: 40, Title: 200, Notes: 5000}
	}
	g := UnicodeGlyphs()
	if opts.ASCII {
		g = ASCIIGlyphs()
	}
	m := &Model{opts: opts, keys: opts.Keys, glyphs: g, st: newStyles(), store: threads.NewStore(),
		queue: queue.New(), marks: map[string]bool{}, failures: map[string][]string{}}
	for _, def := range opts.Views {
		m.views = append(m.views, &viewState{def: def, set: threads.NewList(m.store), total: -1})
	}
	m.search = newTextInput()
	m.search.Prompt = "/"
	m.spinner = spinner.New(spinner.WithSpinner(g.Spinner))
	m.resize(80, 24)
	if len(opts.Restored) > 0 {
		m.queue.Restore(opts.Restored)
		m.setStatus(restoredText(m.queue.Len(), m.queue.Fields()), false)
	}
	if opts.Notice != "" {
		m.setStatus(opts.Notice, true)
	}
	return m
}

// Init starts loading the first view and counting the others.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(m.startLoad(false), m.countViews(), listenAPI(m.opts.Events))
}

// resize lays the screen out: the table takes the rows left by the bars,
// shared with the detail pane when it is open (beside the table from
// detailSideWidth columns, below it otherwise).
func (m *Model) resize(w, h int) {
	m.width, m.height = w, h
	tw, th := w, h-chromeLines
	if m.detail && w >= detailSideWidth {
		tw = w - detailWidth(w) - 1
	}
	m.table.resize(tw, th)
}

// Update routes messages: window size, keys, load and flush progress,
// spinner.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.resize(msg.Width, msg.Height)
	case tea.KeyPressMsg:
		return m, m.handleKey(msg)
	case tea.PasteMsg:
		switch {
		case m.overlay == overlayForm:
			return m, m.form.typed(msg)
		case m.searching:
			return m, m.searchTyped(msg)
		}
	case pageMsg:
		v := m.viewOfLoad(msg.id)
		if v == nil {
			return m, nil
		}
		m.mergePage(v, msg)
		if v.load == nil {
			return m, nil
		}
		return m, v.load.next()
	case loadDoneMsg:
		if v := m.viewOfLoad(msg.id); v != nil {
			m.finishLoad(v, msg.err)
		}
	case countMsg:
		if v := m.views[msg.view]; !v.loading && msg.total >= 0 {
			v.total = msg.total // a load reports its own total
		}
	case flushResultMsg:
		return m, m.handleFlushResult(msg)
	case apiEventMsg:
		return m, m.handleAPIEvent(msg.e)
	case waitTickMsg:
		if m.waitText() != "" {
			return m, waitTick()
		}
	case spinner.TickMsg:
		if !m.anyLoading() && m.flush == nil {
			return m, nil
		}
		var cmd tea.Cmd
		m.spinner, cmd = m.spinner.Update(msg)
		return m, cmd
	}
	return m, nil
}

// scroll moves the cursor and the view together by n rows, as pagers do.
func (m *Model) scroll(n int) {
	m.table.offset += n
	m.table.moveTo(m.table.cursor + n)
}

// quit ends the program. The journal already holds every edit.
func (m *Model) quit() tea.Cmd {
	for _, v := range m.views {
		if v.load != nil {
			v.load.cancel()
		}
	}
	return tea.Quit
}

// setStatus shows the latest result in the status line and records it in
// the event log, so nothing is lost from view when the next one comes.
func (m *Model) setStatus(s string, isErr bool) {
	m.status, m.statusErr = s, isErr
	if s != "" && s != "Refreshing…" {
		m.record(s, isErr)
	}
}

// View draws the screen.
func (m *Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = "triage"
	return v
}

func (m *Model) render() string {
	if m.width < minWidth || m.height < minHeight {
		return tooSmall(m.width, m.height)
	}
	var b strings.Builder
	b.Grow(m.width * m.height * 2)
	b.WriteString(m.bar())
	b.WriteByte('\n')
	switch m.overlay {
	case overlayHelp:
		b.WriteString(helpView(m.keys, m.width, m.height-1, &m.st))
		return strings.TrimSuffix(b.String(), "\n")
	case overlayReview:
		m.reviewView(&b)
	case overlayForm:
		m.formView(&b, m.height-chromeLines+1)
	case overlayLog:
		m.logView(&b, m.height-chromeLines+1)
	default:
		m.mainView(&b)
	}
	b.WriteString(m.statusLine())
	b.WriteByte('\n')
	b.WriteString(m.hintLine())
	return b.String()
}

// rowState is how the table learns of marks and pending edits.
func (m *Model) rowState(t *api.Thread) rowState {
	return rowState{marked: m.marks[t.ID], edit: m.queue.Get(t.ID), failed: len(m.failures[t.ID]) > 0}
}
