// Package ui is the console's Bubble Tea front end: the root model that
// routes keys, window size and overlays, the thread table, the help and
// the status line. It talks to the API only through the small interfaces
// it declares, in commands that send typed messages back.
package ui

import (
	"context"
	"strings"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"triage/api"
	"triage/keymap"
)

// Options is everything the console needs, injected by main.
type Options struct {
	// API loads threads.
	API Loader
	// Keys is the keymap in force.
	Keys *keymap.Keymap
	// ASCII selects the ASCII glyph set.
	ASCII bool
	// Load tunes page size and concurrency.
	Load api.LoadOptions
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
	g := UnicodeGlyphs()
	if opts.ASCII {
		g = ASCIIGlyphs()
	}
	m := &Model{opts: opts, keys: opts.Keys, glyphs: g, st: newStyles(), rows: newRowSet()}
	m.table.rows = m.rows
	m.spinner = spinner.New(spinner.WithSpinner(g.Spinner))
	m.resize(80, 24)
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

// Update routes messages: window size, keys, load progress, spinner.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.resize(msg.Width, msg.Height)
	case tea.KeyPressMsg:
		return m, m.handleKey(msg)
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
	case spinner.TickMsg:
		if !m.loading {
			return m, nil
		}
		var cmd tea.Cmd
		m.spinner, cmd = m.spinner.Update(msg)
		return m, cmd
	}
	return m, nil
}

func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	action, ok := m.keys.Lookup(msg)
	if action == keymap.ForceQuit {
		return m.quit()
	}
	if m.overlay == overlayHelp {
		m.overlay = overlayNone
		return nil
	}
	if !ok {
		return nil
	}
	page := m.table.height
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
	case keymap.Help:
		m.overlay = overlayHelp
	case keymap.Refresh:
		m.setStatus("Refreshing…", false)
		return m.startLoad()
	case keymap.Quit:
		return m.quit()
	}
	return nil
}

// scroll moves the cursor and the view together by n rows, as pagers do.
func (m *Model) scroll(n int) {
	m.table.offset += n
	m.table.moveTo(m.table.cursor + n)
}

func (m *Model) quit() tea.Cmd {
	if m.load != nil {
		m.load.cancel()
	}
	return tea.Quit
}

// mergePage adds a page, keeping the cursor on the same thread and at the
// same screen row, so streaming pages never move what the operator reads.
func (m *Model) mergePage(msg pageMsg) {
	var curID string
	screenRow := m.table.cursor - m.table.offset
	if t := m.table.current(); t != nil {
		curID = t.ID
	}
	for i := range msg.threads {
		m.seen[msg.threads[i].ID] = true
	}
	m.rows.merge(msg.threads)
	m.progress = msg.progress
	if curID != "" {
		if i := m.rows.position(curID); i >= 0 {
			m.table.cursor = i
			m.table.offset = i - screenRow
		}
	}
	m.table.clamp()
}

// finishLoad ends a load: on success rows the server no longer lists in
// this view are dropped; on failure everything loaded stays.
func (m *Model) finishLoad(err error) {
	m.loading = false
	if err != nil {
		m.setStatus("Load failed: "+describeError(err), true)
		return
	}
	if len(m.seen) < m.rows.len() {
		m.prune()
	}
	m.setStatus("", false)
}

// prune removes rows the last complete load did not return.
func (m *Model) prune() {
	var curID string
	if t := m.table.current(); t != nil {
		curID = t.ID
	}
	kept := m.rows.rows[:0]
	for _, t := range m.rows.rows {
		if m.seen[t.ID] {
			kept = append(kept, t)
		} else {
			delete(m.rows.index, t.ID)
		}
	}
	clear(m.rows.rows[len(kept):])
	m.rows.rows = kept
	if i := m.rows.position(curID); i >= 0 {
		m.table.cursor = i
	}
	m.table.clamp()
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
	if m.overlay == overlayHelp {
		b.WriteString(helpView(m.keys, m.width, m.height-1, &m.st))
		return strings.TrimSuffix(b.String(), "\n")
	}
	m.table.view(&b, m.opts.Now(), m.glyphs, &m.st)
	b.WriteString(m.statusLine())
	b.WriteByte('\n')
	b.WriteString(m.hintLine())
	return b.String()
}
