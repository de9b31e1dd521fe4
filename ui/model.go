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
	tea "charm.land/bubbletea/v2"

	"triage/api"
	"triage/keymap"
	"triage/queue"
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
	// Params are the server-side filters of the list.
	Params api.ListParams
	// ViewName names the list in the top bar.
	ViewName string
	// Source says where the threads come from ("demo-bot @ host").
	Source string
	// Now is the clock for ages (default time.Now).
	Now func() time.Time
	// Context bounds every request; cancelling it stops all loads.
	Context context.Context
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
)

// Model is the root model of the console.
type Model struct {
	opts   Options
	keys   *keymap.Keymap
	glyphs Glyphs
	st     styles

	width, height int
	rows          *rowSet
	table         table
	overlay       overlay

	load     *loadStream
	loadID   int
	loading  bool
	progress api.Progress
	seen     map[string]bool // ids seen by the current load, to drop vanished rows
	spinner  spinner.Model

	queue   *queue.Queue
	marks   map[string]bool
	ranging bool // range mark mode: rows the cursor passes are marked

	flush    *flushRun
	flushID  int
	failures map[string][]string // field errors of the last flush, by thread
	review   review
	confirm  confirmation
	form     form

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
	if opts.ViewName == "" {
		opts.ViewName = "All threads"
	}
	if opts.Limits == (Limits{}) {
		opts.Limits = Limits{Tag: 40, Title: 200, Notes: 5000}
	}
	g := UnicodeGlyphs()
	if opts.ASCII {
		g = ASCIIGlyphs()
	}
	m := &Model{opts: opts, keys: opts.Keys, glyphs: g, st: newStyles(), rows: newRowSet(),
		queue: queue.New(), marks: map[string]bool{}, failures: map[string][]string{}}
	m.table.rows = m.rows
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

// Init starts loading the list.
func (m *Model) Init() tea.Cmd {
	return m.startLoad()
}

func (m *Model) startLoad() tea.Cmd {
	if m.load != nil {
		m.load.cancel()
	}
	m.loadID++
	m.loading = true
	m.seen = map[string]bool{}
	m.progress = api.Progress{}
	m.load = startLoad(m.opts.Context, m.opts.API, m.loadID, m.opts.Params, m.opts.Load)
	return tea.Batch(m.load.next(), m.spinner.Tick)
}

func (m *Model) resize(w, h int) {
	m.width, m.height = w, h
	m.table.resize(w, h-chromeLines)
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
		if m.overlay == overlayForm {
			return m, m.form.typed(msg)
		}
	case pageMsg:
		if msg.id != m.loadID {
			return m, nil
		}
		m.mergePage(msg)
		if m.load == nil {
			return m, nil
		}
		return m, m.load.next()
	case loadDoneMsg:
		if msg.id != m.loadID {
			return m, nil
		}
		m.finishLoad(msg.err)
	case flushResultMsg:
		return m, m.handleFlushResult(msg)
	case spinner.TickMsg:
		if !m.loading && m.flush == nil {
			return m, nil
		}
		var cmd tea.Cmd
		m.spinner, cmd = m.spinner.Update(msg)
		return m, cmd
	}
	return m, nil
}

// handleKey sends a key to the overlay in front, or to the table.
func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	switch m.overlay {
	case overlayHelp:
		if a, _ := m.keys.Lookup(keymap.List, msg); a == keymap.ForceQuit {
			return m.quit()
		}
		m.overlay = overlayNone
		return nil
	case overlayConfirm:
		return m.answerConfirm(msg)
	case overlayQuit:
		return m.answerQuit(msg)
	case overlayReview:
		return m.reviewKey(msg)
	case overlayForm:
		return m.formMsg(msg)
	}
	action, ok := m.keys.Lookup(keymap.List, msg)
	if !ok {
		return nil
	}
	if m.moveKey(action) {
		return nil
	}
	return m.listAction(action)
}

// moveKey handles the movement actions of the table; it reports whether
// action was one.
func (m *Model) moveKey(action keymap.Action) bool {
	page := m.table.height
	from := m.table.cursor
	switch action {
	case keymap.Down:
		m.table.moveTo(m.table.cursor + 1)
	case keymap.Up:
		m.table.moveTo(m.table.cursor - 1)
	case keymap.Top:
		m.table.moveTo(0)
	case keymap.Bottom:
		m.table.moveTo(m.rows.len() - 1)
	case keymap.HalfDown:
		m.scroll(page / 2)
	case keymap.HalfUp:
		m.scroll(-page / 2)
	case keymap.PageDown:
		m.scroll(page)
	case keymap.PageUp:
		m.scroll(-page)
	default:
		return false
	}
	if m.ranging {
		m.markRange(from, m.table.cursor)
	}
	return true
}

// listAction handles the table's actions other than movement.
func (m *Model) listAction(action keymap.Action) tea.Cmd {
	switch action {
	case keymap.MarkDown, keymap.Mark, keymap.RangeMark, keymap.MarkAll, keymap.ClearMarks:
		m.markAction(action)
	case keymap.Resolve:
		m.toggle(queue.Resolved)
	case keymap.Archive:
		m.toggle(queue.Archived)
	case keymap.Escalate:
		m.toggle(queue.Escalated)
	case keymap.Important:
		m.toggle(queue.Important)
	case keymap.SetMode, keymap.Tags, keymap.Title, keymap.Notes:
		return m.openEditForm(action)
	case keymap.Cancel:
		if m.ranging {
			m.ranging = false
			m.setStatus("Range marking off", false)
		}
	case keymap.Refresh:
		m.setStatus("Refreshing…", false)
		return m.startLoad()
	default:
		return m.commonAction(action)
	}
	return nil
}

// commonAction handles the actions the table and the review share.
func (m *Model) commonAction(action keymap.Action) tea.Cmd {
	switch action {
	case keymap.Help:
		m.overlay = overlayHelp
	case keymap.Review:
		m.openReview()
	case keymap.Flush:
		m.askFlush()
	case keymap.Undo:
		m.undo()
	case keymap.Redo:
		m.redo()
	case keymap.Discard:
		m.askDiscard()
	case keymap.Quit:
		if m.queue.Len() > 0 {
			m.overlay = overlayQuit
			return nil
		}
		return m.quit()
	case keymap.ForceQuit:
		return m.quit()
	}
	return nil
}

// scroll moves the cursor and the view together by n rows, as pagers do.
func (m *Model) scroll(n int) {
	m.table.offset += n
	m.table.moveTo(m.table.cursor + n)
}

// quit ends the program. The journal already holds every edit.
func (m *Model) quit() tea.Cmd {
	if m.load != nil {
		m.load.cancel()
	}
	return tea.Quit
}

func (m *Model) setStatus(s string, isErr bool) {
	m.status, m.statusErr = s, isErr
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
		m.formView(&b, m.table.height+1)
	default:
		m.table.view(&b, m.opts.Now(), m.glyphs, &m.st, m.rowState)
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
