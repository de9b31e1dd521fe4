// Package ui is the console's Bubble Tea front end. The root model (this
// file, keys.go, apply.go, send.go and views.go) routes keys, window size
// and messages to components that own their state and draw themselves:
// the thread table, the detail pane, the selection, the search line, the
// review, the forms, the prompt, the event log and the status bar. A
// component answers a key with an intent; the root applies it to the
// queue. It talks to the API only through the interfaces it declares, in
// commands that send typed messages back.
package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"triage/api"
	"triage/keymap"
	"triage/queue"
	"triage/sanitize"
	"triage/threads"
)

// Minimum terminal size; below it the console asks for more room.
const (
	minWidth  = 50
	minHeight = 8
	// chromeLines are the lines that are not table rows: bar, header,
	// status, hint.
	chromeLines = 4
)

// Model is the root model of the console.
type Model struct {
	opts   Options
	look   look
	screen screen
	views  *viewSet
	cache  diskCache
	find   finder
	table  table
	detail detailPane
	search searchLine
	marks  selection
	out    outbox
	review review
	prompt prompt
	form   form
	log    eventLog
	status statusBar
	help   helpPane
}

// New returns the console's root model.
func New(opts Options) *Model {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Tick == nil {
		opts.Tick = tea.Tick
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
	if opts.ASCII || opts.Terminal.ASCIIOnly {
		g = ASCIIGlyphs()
	}
	if opts.Terminal.Profile == 0 {
		opts.Terminal.Profile = colorprofile.TrueColor // the renderer converts to what the terminal has
	}
	lk := look{g: g, dark: opts.Terminal.darkAtStart(), profile: opts.Terminal.Profile}
	lk.st = newStyles(lk.dark, lk.profile)
	m := &Model{opts: opts, look: lk, views: newViewSet(opts.Views),
		search: newSearchLine(), marks: newSelection(), status: newStatusBar(g),
		detail: detailPane{reads: newReads(opts.ReadBudget)},
		out:    outbox{q: queue.New(), journal: opts.Journal}, cache: diskCache{c: opts.Cache}}
	if opts.Cached != nil {
		m.views.adoptCache(opts.Cached)
		m.refreshVisible(false)
	}
	if opts.UndoBudget > 0 {
		m.out.q.SetHistoryBudget(opts.UndoBudget)
	}
	m.table.chosen, _ = chooseColumns(opts.Columns)
	if m.table.chosen == nil {
		m.table.chosen, _ = chooseColumns(nil)
	}
	m.resize(80, 24)
	if len(opts.Restored) > 0 {
		m.out.q.Restore(opts.Restored)
		m.out.synced = m.out.q.Version() // the journal holds them already
		m.setStatus(restoredText(m.out.q.Len(), m.out.q.Fields()), false)
	}
	if opts.Notice != "" {
		m.setStatus(opts.Notice, true)
	}
	return m
}

// Init starts loading the first view and counting the others.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(m.startLoad(loadRefresh), m.countViews(), listenAPI(m.opts.Events), m.pollLater(), m.out.listen(),
		m.opts.Terminal.askBackground())
}

// Update routes a message, then brings everything derived from the queue
// up to date.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(tea.KeyPressMsg); ok {
		m.status.keyPressed()
	}
	cmd := m.route(msg)
	m.sync()
	_, tick := msg.(spinner.TickMsg)
	_, key := msg.(tea.KeyPressMsg)
	_, size := msg.(tea.WindowSizeMsg)
	m.status.follow(m.progressFacts(), tick || key || size)
	return m, tea.Batch(cmd, m.status.fadeLater(m.opts.Tick), m.readLater())
}

// route hands a message to whoever handles it.
func (m *Model) route(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.resize(msg.Width, msg.Height)
	case tea.KeyPressMsg:
		return m.handleKey(msg)
	case tea.PasteMsg:
		return m.paste(msg)
	case pageMsg:
		return m.pageArrived(msg)
	case refreshPageMsg:
		return m.refreshPageArrived(msg)
	case cacheSavedMsg:
		return m.cacheSaved(msg)
	case foundMsg:
		return m.found(msg)
	case loadDoneMsg:
		if v := m.views.ofLoad(msg.id); v != nil {
			return m.finishLoad(v, msg.err, 0)
		}
	case countMsg:
		if v := m.views.all[msg.view]; !v.loading && msg.total >= 0 {
			v.total = msg.total // a load reports its own total
		}
	case sendResultMsg:
		return m.sendResult(msg)
	case journalMsg:
		return m.out.listen() // the status line reads the journal's state
	case readMsg:
		return m.readNow(msg)
	case readDoneMsg:
		return m.readDone(msg)
	case checkedMsg:
		return m.checked(msg)
	case checkDoneMsg:
		return m.checkDone(msg)
	case pollMsg:
		return tea.Batch(m.poll(), m.pollLater())
	case polledMsg:
		m.polled(msg)
	case apiEventMsg:
		if text, isErr := logLine(msg.e); text != "" {
			m.log.add(m.opts.Now(), text, isErr)
		}
		return tea.Batch(listenAPI(m.opts.Events), m.status.apiEvent(msg.e, m.opts.Now(), m.opts.Tick))
	case fadeMsg:
		m.status.fade(msg.seq)
	case tea.BackgroundColorMsg:
		m.look.background(msg, m.opts.Terminal)
	case copiedMsg:
		m.setStatus(msg.text, msg.isErr)
	case commandDoneMsg:
		m.commandDone(msg)
	case browserMsg:
		if msg.err != nil {
			m.setStatus("The browser did not open "+hyperlink(msg.url)+": "+msg.err.Error(), true)
		} else {
			m.log.add(m.opts.Now(), "Opened "+msg.url+" in the browser", false)
		}
	case waitTickMsg:
		if m.status.waitText(m.opts.Now()) != "" {
			return waitTick(m.opts.Tick)
		}
	case spinner.TickMsg:
		if !m.views.loading() && m.out.run == nil && m.out.check == nil {
			return nil
		}
		var cmd tea.Cmd
		m.status.spinner, cmd = m.status.spinner.Update(msg)
		return cmd
	}
	return nil
}

// sync is the one entry point for changes to the queue: whatever changed
// it (a key, a form, an answer from the server, a page), the changes go
// to the journal and the review is rebuilt, once, at the end of the
// message.
func (m *Model) sync() {
	if !m.out.moved() {
		return
	}
	m.out.save()
	if n := m.out.q.TakeDropped(); n > 0 {
		m.setStatus(fmt.Sprintf("The oldest %s of the undo history dropped to keep it within undo_budget", plural(n, "step")), false)
	}
	if m.screen.isOpen(overlayReview) {
		m.review.build(m.out.q, m.lookup, m.look.g)
	}
}

// resize lays the screen out: the table takes the rows left by the bars,
// shared with the detail pane when it is open.
func (m *Model) resize(w, h int) {
	m.screen.width, m.screen.height = w, h
	m.table.resize(m.detail.tableWidth(w), h-chromeLines)
}

// quit ends the program once the journal holds every edit (main reports
// and rescues what it could not write).
func (m *Model) quit() tea.Cmd {
	m.views.cancelLoads()
	m.sync()
	m.out.flush()
	return tea.Quit
}

// Edits are the queued edits, copied: what main reports, or rescues when
// the journal could not be written, once the console has ended.
func (m *Model) Edits() []*queue.Edit { return m.out.q.Snapshot() }

// View draws the screen: in ASCII on a terminal that is not UTF-8, with
// the window title main chose ("" leaves the terminal's alone).
func (m *Model) View() tea.View {
	frame := m.render()
	if m.opts.Terminal.ASCIIOnly {
		frame = transliterate(frame)
	}
	v := tea.NewView(frame)
	v.AltScreen = true
	v.WindowTitle = m.opts.Terminal.Title
	return v
}

func (m *Model) render() string {
	w := m.screen.width
	if m.screen.tooSmall() {
		return tooSmall(w, m.screen.height)
	}
	var b strings.Builder
	b.Grow(w * m.screen.height * 2)
	b.WriteString(topBar(m.views, m.opts.Source, w, &m.look))
	b.WriteByte('\n')
	switch m.behindPrompt() {
	case overlayHelp:
		b.WriteString(m.help.view(m.opts.Keys, w, m.screen.height-1, &m.look.st, m.look.g))
		return strings.TrimSuffix(b.String(), "\n")
	case overlayReview:
		m.review.view(&b, w, m.screen.rows(), &m.look)
	case overlayForm:
		drawForm(&b, m.form, w, m.screen.rows(), &m.look)
	case overlayLog:
		m.log.view(&b, w, m.screen.rows(), &m.look)
	case overlayReader:
		t := m.table.current()
		m.detail.reader.view(&b, t, m.detailFacts(), m.readState(t), w, m.screen.rows(), &m.look)
	default:
		m.detail.view(&b, &m.table, w, m.screen.rows(), m.detailFacts(), &m.look, m.rowState)
	}
	b.WriteString(m.status.view(m.statusFacts(), m.opts.Now(), w, &m.look))
	b.WriteByte('\n')
	switch {
	case m.search.typing && m.screen.top() == overlayNone:
		b.WriteString(m.search.view(w, &m.look))
	default:
		b.WriteString(hintLine(m.opts.Keys, m.behindPrompt(), w, &m.look))
	}
	return b.String()
}

// behindPrompt is the overlay drawn in the table's place: a prompt shows
// in the status line, over whatever it was asked from.
func (m *Model) behindPrompt() overlay {
	for i := len(m.screen.front) - 1; i >= 0; i-- {
		if o := m.screen.front[i]; o != overlayPrompt {
			return o
		}
	}
	return overlayNone
}

// progressFacts are the parts of the status line that move by themselves
// while loading or sending: they are shown at the spinner's pace.
func (m *Model) progressFacts() progressFacts {
	f := progressFacts{sending: m.out.progress(), loading: m.views.current().loader().loadText(m.opts.Now())}
	if f.loading == "" && m.find.running() {
		f.loading = pick(m.search.query.Empty(), "sorting ", "searching ") + thousands(m.views.current().set.Len()) + " threads…"
	}
	if n := len(m.table.rows); n > 0 && m.behindPrompt() != overlayReview {
		f.position = thousands(m.table.cursor+1) + "/" + thousands(n)
	}
	return f
}

// statusFacts gathers what the status line shows of the rest.
func (m *Model) statusFacts() statusFacts {
	v := m.views.current()
	f := statusFacts{progressFacts: m.status.shown, empty: v.set.Len() == 0,
		targets: m.marks.text(m.look.g), pending: m.out.pendingText(), alarm: m.alarm()}
	switch at, l := m.views.refreshedAt, v.loader(); {
	case l.fromCache && f.loading == "":
		f.stale = l.cacheText(m.opts.Now())
		if keys := m.opts.Keys.Binding(keymap.Refresh).Keys(); len(keys) > 0 {
			f.stale += " (" + keys[0] + " refreshes)"
		}
	case !at.IsZero() && f.loading == "":
		f.refreshed = "as of " + at.Format("15:04:05")
	}
	if m.screen.top() == overlayPrompt {
		f.question = m.prompt.question
		if m.prompt.quitting {
			f.question = quitQuestion(m.opts.Keys, m.out.q.Len(), m.out.failure())
		}
	}
	if q := m.search.query; !q.Empty() && !m.search.typing {
		f.search = fmt.Sprintf("/%s: %s of %s", sanitize.Line(q.String()), thousands(len(m.table.rows)), thousands(v.set.Len()))
	}
	if v.def.Sort != threads.SortUpdated || v.def.Reverse {
		f.sort = "sort: " + sortText(v.def.Sort, v.def.Reverse)
	}
	return f
}

// alarm is what stays wrong and the status line keeps saying, whatever
// else it says: the journal cannot be written, or the console may not
// edit.
func (m *Model) alarm() string {
	switch {
	case m.out.failure() != "":
		return "Journal not saved: " + m.out.failure()
	case m.opts.ReadOnly != "":
		return "Read-only"
	}
	return ""
}

// detailFacts gathers what the detail pane shows of the cursor's thread.
func (m *Model) detailFacts() detailFacts {
	f := detailFacts{thread: m.table.current(), now: m.opts.Now()}
	if f.thread != nil {
		f.read = m.readState(f.thread)
		f.edit, f.refused = m.out.q.Get(f.thread.ID), m.out.q.Refused(f.thread.ID)
		f.position = thousands(m.table.cursor+1) + "/" + thousands(len(m.table.rows)) + "; "
	}
	return f
}

// rowState is how the table learns of marks and pending edits.
func (m *Model) rowState(t *api.Thread) rowState {
	return rowState{marked: m.marks.has(t.ID), edit: m.out.q.Get(t.ID), failed: len(m.out.q.Refused(t.ID)) > 0}
}
