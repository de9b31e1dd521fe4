// Package ui is the console's Bubble Tea front end over a chatbot
// session (package session). The root model routes keys, window size and
// messages to components that own their state and draw themselves: the
// thread table, the detail pane, the selection, the search line, the
// review, the forms, the prompt, the event log and the status bar. A
// component answers a key with an intent; the root applies it to the
// session's queue or asks the session to act. The session's tasks run as
// commands and its events come back as changes of the screen; the
// console never talks to the API itself.
package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"triage/api"
	"triage/cells"
	"triage/keymap"
	"triage/sanitize"
	"triage/session"
	"triage/threads"
	"triage/words"
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
	sess   *session.Session
	screen screen
	table  table
	detail detailPane
	search searchLine
	marks  selection
	find   finder
	status statusBar
	team   team
	held   heldKeys
}

// New returns the console's root model.
func New(opts Options) *Model {
	if opts.Tick == nil {
		opts.Tick = tea.Tick
	}
	if opts.Context == nil {
		opts.Context = context.Background()
	}
	if opts.Keys == nil {
		opts.Keys = keymap.Default()
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
	m := &Model{opts: opts, sess: opts.Session, look: lk,
		search: newSearchLine(opts.Session.Owners(), opts.Session.Texts()), marks: newSelection(), status: newStatusBar(g)}
	m.table.chosen, _ = chooseColumns(opts.Columns)
	if m.table.chosen == nil {
		m.table.chosen, _ = chooseColumns(nil)
	}
	m.table.owners = opts.Session.Owners()
	m.team.dir, m.table.others = opts.Presence, opts.Presence != nil
	m.detail.reader.find = newReaderFind()
	m.search.history = slices.Clone(opts.SearchHistory)
	m.refreshVisible(false)
	m.resize(80, 24)
	if q := m.sess.Queue(); q.Len() > 0 {
		m.setStatus(restoredText(q.Len(), q.Fields()), false)
	}
	if opts.Notice != "" {
		m.setStatus(opts.Notice, true)
	}
	m.askOther(0)
	return m
}

// Init starts the session: loading the view shown and counting the
// others, the live poll, and listening to the client and the journal.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(m.run(m.sess.Start()), listenAPI(m.opts.Events), m.pollLater(), m.prefetchLater(), listenJournal(m.sess.JournalChanged()),
		m.opts.Terminal.askBackground(), m.presenceLook())
}

// Update routes a message, then brings the screen up to date with what
// the session did.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(tea.KeyPressMsg); ok {
		m.status.keyPressed()
	}
	said := m.status.seq
	cmd := m.route(msg)
	cmd = tea.Batch(cmd, m.sync(said), m.replayHeld())
	_, tick := msg.(spinner.TickMsg)
	_, key := msg.(tea.KeyPressMsg)
	_, size := msg.(tea.WindowSizeMsg)
	_, paste := msg.(tea.PasteMsg)
	m.screen.wait = m.status.follow(m.progressFacts(), tick || key || size || paste)
	return m, tea.Batch(cmd, m.status.fadeLater(m.opts.Tick), m.readLater(), m.ringHeld())
}

// route hands a message to whoever handles it.
func (m *Model) route(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.resize(msg.Width, msg.Height)
	case tea.KeyPressMsg:
		if m.hold(msg) {
			return nil
		}
		return m.handleKey(msg)
	case tea.PasteMsg:
		return m.paste(msg)
	case session.Result:
		return m.run(m.sess.Handle(msg))
	case foundMsg:
		return m.found(msg)
	case journalMsg:
		return listenJournal(m.sess.JournalChanged()) // the status line reads the journal's state
	case readMsg:
		return m.readNow(msg)
	case Hangup:
		return m.leave(false, "")
	case pollMsg:
		if m.sess.PollStale(msg.seq) {
			return nil
		}
		return tea.Batch(m.run(m.sess.Poll()), m.pollLater())
	case prefetchMsg:
		return tea.Batch(m.run(m.sess.Prefetch()), m.prefetchLater())
	case presenceTickMsg:
		return m.presenceLook()
	case presenceMsg:
		return m.presenceFound(msg)
	case apiEventMsg:
		if text, isErr := logLine(msg.e); text != "" {
			m.screen.log.add(m.sess.Now(), text, isErr)
		}
		return tea.Batch(listenAPI(m.opts.Events), m.status.apiEvent(msg.e, m.sess.Now(), m.opts.Tick))
	case fadeMsg:
		m.status.fade(msg.seq)
	case tea.BackgroundColorMsg:
		m.look.background(msg, m.opts.Terminal)
	case copiedMsg:
		m.setStatus(msg.text, msg.isErr)
	case logMsg:
		m.screen.log.add(m.sess.Now(), msg.text, msg.isErr)
	case commandDoneMsg:
		m.commandDone(msg)
	case browserMsg:
		if msg.err != nil {
			m.setStatus("The browser did not open "+hyperlink(msg.url)+": "+msg.err.Error(), true)
		} else {
			m.screen.log.add(m.sess.Now(), "Opened "+msg.url+" in the browser", false)
		}
	case waitTickMsg:
		if m.status.waitText(m.sess.Now()) != "" {
			return waitTick(m.opts.Tick)
		}
	case spinner.TickMsg: // it turns while it shows: a load, the cache read, a sort, a send, a change
		f := m.progressFacts()
		return m.status.turn(msg, f.loading != "" || f.sending != "")
	}
	return nil
}

// run turns the session's tasks into commands: each runs on its own
// goroutine and its result comes back as a message. Work in flight keeps
// the spinner turning.
func (m *Model) run(tasks []session.Task) tea.Cmd {
	if len(tasks) == 0 {
		return nil
	}
	cmds := make([]tea.Cmd, 0, len(tasks)+1)
	for _, t := range tasks {
		cmds = append(cmds, func() tea.Msg { return t() })
	}
	return tea.Batch(append(cmds, m.status.spin())...)
}

// sync is the one entry point for what follows a message: the session
// takes the queue's changes (the journal, new conflicts), its events
// change the screen, and the open review is rebuilt when the queue moved.
// said is the status line's number before the message.
func (m *Model) sync(said int) tea.Cmd {
	m.sess.Sync()
	var cmds []tea.Cmd
	for _, e := range m.sess.TakeEvents() {
		cmds = append(cmds, m.apply(e, said))
	}
	if m.screen.isOpen(overlayReview) && m.screen.review.foreign == "" && m.screen.review.built != m.sess.Queue().Version() && !m.sess.Applying() {
		m.screen.review.build(m.sess.Queue(), m.lookup, m.look.g, m.othersText)
	}
	return tea.Batch(cmds...)
}

// resize lays the screen out: the table takes the rows left by the bars,
// shared with the detail pane when it is open.
func (m *Model) resize(w, h int) {
	m.screen.width, m.screen.height = w, h
	m.table.resize(m.detail.tableWidth(w), h-chromeLines)
}

// quit ends the program once the journal holds every edit (main reports
// and rescues what it could not write).
func (m *Model) quit() tea.Cmd { return m.leave(true, "") }

// Hangup asks the console to leave at once, as on quit: the terminal is
// gone (SIGHUP), or another console of this agent takes over (SIGTERM).
type Hangup struct{}

// leave ends the program once the journal holds every edit, its parting
// words in the last frame (a terminal may drop what comes after it); a
// rescue waits for a key when hold is set and somebody can read it.
func (m *Model) leave(hold bool, copied string) tea.Cmd {
	m.sess.Stop()
	m.sess.Flush()
	if m.opts.Leave == nil {
		return tea.Quit
	}
	text, rescue := m.opts.Leave(copied)
	m.status.part(text, rescue && hold)
	if rescue && hold {
		return nil // the agent reads it; the next key leaves
	}
	return tea.Quit
}

// lookup is the latest server state of a thread, or nil when the session
// does not hold it.
func (m *Model) lookup(id string) *api.Thread { return m.sess.Lookup(id) }

// View draws the screen: in ASCII on a terminal that is not UTF-8, with
// the window title main chose ("" leaves the terminal's alone).
func (m *Model) View() tea.View {
	if !m.screen.wait || m.screen.frame == "" {
		m.screen.frame = m.render()
		if m.opts.Terminal.ASCIIOnly {
			m.screen.frame = cells.ASCII(m.screen.frame)
		}
	}
	v := tea.NewView(m.screen.frame)
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
	b.WriteString(topBar(m.sess.Views(), m.status.shown.totals, m.sess.Current(), m.opts.Source, w, &m.look))
	b.WriteByte('\n')
	if m.status.farewell != "" {
		m.farewell(&b)
		return b.String()
	}
	switch m.behindPrompt() {
	case overlayHelp:
		b.WriteString(m.screen.help.view(m.opts.Keys, w, m.screen.height-1, &m.look.st, m.look.g))
		return strings.TrimSuffix(b.String(), "\n")
	case overlayReview:
		m.screen.review.view(&b, w, m.screen.rows(), &m.look)
	case overlayForm:
		drawForm(&b, m.screen.form, w, m.screen.rows(), &m.look)
	case overlayLog:
		m.screen.log.view(&b, w, m.screen.rows(), &m.look)
	case overlayReader:
		t := m.table.current()
		m.detail.reader.view(&b, t, m.detailFacts(), m.readState(t), w, m.screen.rows(), &m.look)
	default:
		m.detail.view(&b, &m.table, w, m.screen.rows(), m.detailFacts(), &m.look, m.rowState)
	}
	b.WriteString(m.status.view(m.statusFacts(), m.sess.Now(), w, &m.look))
	b.WriteByte('\n')
	switch {
	case m.search.typing && m.screen.top() == overlayNone:
		b.WriteString(m.search.view(w, &m.look))
	case m.detail.reader.find.typing && m.screen.top() == overlayReader:
		b.WriteString(m.detail.reader.find.view(w, &m.look))
	case m.screen.top() == overlayPrompt && m.screen.prompt.notice > 0:
		// no hint: the question names its keys, and any other is "later"
	default:
		b.WriteString(hintLine(m.opts.Keys, m.behindPrompt(), m.opts.ReadOnly != "", w, &m.look))
	}
	return b.String()
}

// farewell draws the last frame below the top bar: the parting words
// whole, at the bottom, and how to leave when they must be read first.
func (m *Model) farewell(b *strings.Builder) {
	w, st := m.screen.width, &m.look.st
	words := strings.Split(ansi.Wrap(m.status.farewell, w, " /"), "\n")
	if m.status.parting {
		words = append(words, "", "Any key leaves.")
	}
	rows := m.screen.height - 1
	b.WriteString(strings.Repeat("\n", rows-min(rows, len(words))))
	for i, l := range words[max(0, len(words)-rows):] {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(pick(m.status.parting, st.errText.Render(l), l))
	}
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
	f := progressFacts{loading: m.sess.Current().Loader().LoadText(m.sess.Now())}
	for _, v := range m.sess.Views() {
		f.totals = append(f.totals, v.TotalText())
	}
	if text, cancellable := m.sess.SendProgress(); text != "" {
		f.sending = text
		if keys := m.opts.Keys.Binding(keymap.Cancel).Keys(); cancellable && len(keys) > 0 {
			f.sending += " (" + keys[0] + " cancels)"
		}
	}
	if text := m.sess.ApplyProgress(); text != "" {
		f.sending = strings.TrimPrefix(f.sending+m.look.g.Sep+text, m.look.g.Sep)
	}
	if f.loading == "" && m.find.running() {
		f.loading = pick(m.search.query.Empty(), "sorting ", "searching ") + words.Thousands(m.sess.Current().List().Len()) + " threads…"
	}
	if n := len(m.table.rows); n > 0 && m.behindPrompt() != overlayReview {
		f.position = words.Thousands(m.table.cursor+1) + "/" + words.Thousands(n)
	}
	f.rows = len(m.table.rows) > 0
	if t := m.table.current(); t != nil && (m.detail.open || m.detail.reader.open) {
		f.read = m.sess.ReadOf(t.ID)
	}
	return f
}

// statusFacts gathers what the status line shows of the rest.
func (m *Model) statusFacts() statusFacts {
	v, q := m.sess.Current(), m.sess.Queue()
	f := statusFacts{progressFacts: m.status.shown, empty: v.List().Len() == 0,
		targets: m.marks.text(m.look.g), pending: pendingText(q), alarm: alarm(m.sess.JournalFailure(), m.opts.ReadOnly)}
	switch at, l := v.Loader().HeardAt(), v.Loader(); {
	case l.FromCache() && f.loading == "":
		f.stale = l.CacheText(m.sess.Now())
		if keys := m.opts.Keys.Binding(keymap.Refresh).Keys(); len(keys) > 0 {
			f.stale += " (" + keys[0] + " refreshes)"
		}
	case !at.IsZero() && f.loading == "":
		f.refreshed = "as of " + at.Format("15:04:05")
	}
	if m.screen.top() == overlayPrompt {
		f.question = m.screen.prompt.question
		if m.screen.prompt.quitting {
			f.question = quitQuestion(m.opts.Keys, q.Len(), m.sess.JournalFailure())
		}
	}
	if n := m.table.newAbove(); n > 0 {
		f.above = fmt.Sprintf("%s %d new", m.look.g.Above, n)
		if keys := m.opts.Keys.Binding(keymap.Top).Keys(); len(keys) > 0 {
			f.above += ": " + keys[0]
		}
	}
	if sq := m.search.query; !sq.Empty() && !m.search.typing {
		f.search = fmt.Sprintf("/%s: %s of %s", sanitize.Line(sq.String()), words.Thousands(len(m.table.rows)), words.Thousands(v.List().Len()))
		if sq.SearchesTexts() {
			f.search += fmt.Sprintf("%sconversations of %s of %s threads searched", m.look.g.Sep, words.Thousands(m.sess.Coverage(v)), words.Thousands(v.List().Len()))
		}
		if len(m.table.rows) == 0 && !m.find.running() {
			f.search = noMatch(sq, v.List().Len(), m.sess.Coverage(v))
		}
	}
	if d := v.Def(); d.Sort != threads.SortUpdated || d.Reverse {
		f.sort = "sort: " + sortText(d.Sort, d.Reverse)
	}
	return f
}

// detailFacts gathers what the detail pane shows of the cursor's thread.
func (m *Model) detailFacts() detailFacts {
	f := detailFacts{thread: m.table.current(), now: m.sess.Now(), owners: m.sess.Owners()}
	if sq := m.search.query; !sq.Empty() && len(m.table.rows) == 0 && !m.find.running() {
		f.noRows = noMatch(sq, m.sess.Current().List().Len(), m.sess.Coverage(m.sess.Current()))
	}
	if t := f.thread; t != nil {
		f.others = m.othersOn(t.ID)
		q := m.sess.Queue()
		f.read = m.readState(t)
		f.edit, f.refused = q.Get(t.ID), q.Refused(t.ID)
		if sm, ok := m.sess.SentModeOf(t.ID); ok && t.Mode == "" {
			f.sentMode = fmt.Sprintf("%s (sent %s; this server does not show modes)", sm.Mode, sm.At.Local().Format("15:04"))
		}
		f.position = words.Thousands(m.table.cursor+1) + "/" + words.Thousands(len(m.table.rows)) + "; "
	}
	return f
}

// rowState is how the table learns of marks and pending edits.
func (m *Model) rowState(t *api.Thread) rowState {
	q := m.sess.Queue()
	return rowState{marked: m.marks.has(t.ID), edit: q.Get(t.ID), failed: len(q.Refused(t.ID)) > 0, others: len(m.team.on[t.ID]) > 0}
}

// pollMsg is the time to re-read the view on screen: the wait numbered
// seq (a stale one, replaced by a sooner, is ignored).
type pollMsg struct{ seq int }

// pollLater schedules the next poll, when the live list is on.
func (m *Model) pollLater() tea.Cmd {
	every, seq := m.sess.NextPoll()
	if every <= 0 {
		return nil
	}
	return m.opts.Tick(every, func(time.Time) tea.Msg { return pollMsg{seq: seq} })
}
