package ui

import (
	"fmt"
	"strings"
	"time"

	bkey "charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"triage/api"
	"triage/keymap"
	"triage/queue"
	"triage/session"
	"triage/words"
)

// statusBar is the line above the key hint: the last result or error, a
// wait the server asked for, and the spinner of work in flight. What it
// shows besides is derived from the rest of the screen (statusFacts).
type statusBar struct {
	text      string
	isErr     bool
	seq       int       // numbers results, so a fading one is not taken for a later one
	fading    bool      // a result was set that fades: the root starts its timer
	stays     bool      // the text stays until the next key (keep)
	farewell  string    // the parting words: the last frame shows them whole
	parting   bool      // they must be read: the next key leaves
	waitUntil time.Time // the end of a wait the server asked for
	waitWhy   string
	retrying  string    // the last failed attempt of a request being retried
	since     time.Time // when the failures began
	spinner   spinner.Model
	spinning  bool          // a tick is on its way: one chain of ticks at a time
	shown     progressFacts // the progress drawn, which follows the work at the spinner's pace
}

func newStatusBar(g Glyphs) statusBar {
	sp := g.Spinner
	sp.FPS = spinnerFrame
	return statusBar{spinner: spinner.New(spinner.WithSpinner(sp))}
}

// set shows the latest result; an error is drawn first and in red. A
// result that is not an error fades after resultLife; an error stays
// until the next key.
func (s *statusBar) set(text string, isErr bool) {
	s.text, s.isErr, s.stays = text, isErr, false
	s.seq++
	s.fading = text != "" && !isErr
}

// part shows the console's parting words in its last frame; held, they
// stay until a key leaves.
func (s *statusBar) part(text string, held bool) {
	s.farewell, s.parting = text, held && text != ""
}

// keep shows a text that is no error but stays, as one does, until the
// next key: an alert the agent may have been away for.
func (s *statusBar) keep(text string) {
	s.set(text, false)
	s.fading, s.stays = false, true
}

// spin starts the spinner's ticks unless they are already coming: a
// second chain would turn it at the pace of the work, not its own.
func (s *statusBar) spin() tea.Cmd {
	if s.spinning {
		return nil
	}
	s.spinning = true
	return s.spinner.Tick
}

// turn advances the spinner on its tick while there is work in flight,
// and lets the ticks end when there is none.
func (s *statusBar) turn(msg spinner.TickMsg, busy bool) tea.Cmd {
	if !busy {
		s.spinning = false
		return nil
	}
	var cmd tea.Cmd
	s.spinner, cmd = s.spinner.Update(msg)
	return cmd
}

// spinnerFrame is the spinner's pace: two frames a second, so a console
// that is only loading or sending costs the SSH link about two packets a
// second (a key still redraws at once).
const spinnerFrame = time.Second / 2

// resultLife is how long a result that is not an error stays.
const resultLife = 5 * time.Second

// fadeMsg ends the result numbered seq, if it is still shown.
type fadeMsg struct{ seq int }

// fadeLater is the timer of a result just set, nil when none fades.
func (s *statusBar) fadeLater(tick func(time.Duration, func(time.Time) tea.Msg) tea.Cmd) tea.Cmd {
	if !s.fading {
		return nil
	}
	s.fading = false
	seq := s.seq
	return tick(resultLife, func(time.Time) tea.Msg { return fadeMsg{seq} })
}

// fade clears the result seq names if it is still the one shown.
func (s *statusBar) fade(seq int) {
	if seq == s.seq && !s.isErr {
		s.text = ""
	}
}

// keyPressed clears an error shown: it stayed until the next action.
func (s *statusBar) keyPressed() {
	if s.isErr || s.stays {
		s.text, s.isErr, s.stays = "", false, false
	}
}

// waitTickMsg redraws the countdown of a wait for the server.
type waitTickMsg struct{}

func waitTick(tick func(time.Duration, func(time.Time) tea.Msg) tea.Cmd) tea.Cmd {
	return tick(time.Second, func(time.Time) tea.Msg { return waitTickMsg{} })
}

// apiEvent starts the countdown of a wait the server asked for (a 429 and
// its Retry-After) or a long backoff; it returns the ticking command then.
func (s *statusBar) apiEvent(e api.Event, now time.Time, tick func(time.Duration, func(time.Time) tea.Msg) tea.Cmd) tea.Cmd {
	switch {
	case e.Kind == api.EventRequest && e.Err == nil && e.Status > 0 && e.Status < 400:
		s.retrying = "" // an answer came: the failures are over
	case e.Kind == api.EventRetry:
		if s.retrying == "" {
			s.since = now
		}
		s.retrying = fmt.Sprintf("%s failed, waiting since %s: %s", attemptText(e), s.since.Format("15:04:05"), clip(retryCause(e), 40))
	}
	if e.Kind != api.EventRetry || e.Status != 429 && e.Wait < 2*time.Second {
		return nil
	}
	s.waitUntil = now.Add(e.Wait)
	s.waitWhy = "rate limited by the server"
	if e.Status != 429 {
		s.waitWhy = "the server is failing"
	}
	return waitTick(tick)
}

// waitText is the countdown of a wait for the server, "" when none.
func (s *statusBar) waitText(now time.Time) string {
	left := s.waitUntil.Sub(now)
	if s.waitUntil.IsZero() || left <= 0 {
		return ""
	}
	return fmt.Sprintf("%s: retrying in %ds", s.waitWhy, int(left.Seconds()+0.999))
}

// clip shortens a text to n runes.
func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// statusFacts is what the rest of the screen tells the status line.
type statusFacts struct {
	progressFacts
	question  string // a question in front: it takes the whole line
	alarm     string // something that stays wrong (the journal): always first
	empty     bool   // the view has no threads
	search    string // the query kept and what it matches
	sort      string // a sort other than the default
	targets   string // what an action would hit
	pending   string // what is queued
	refreshed string // when the list last heard from the server
	stale     string // rows from the disk cache a refresh did not replace
	above     string // threads that arrived above the rows shown: "↑ 6 new: g"
}

// progressFacts are the parts of the status line that move by themselves
// while work is in flight.
type progressFacts struct {
	sending  string // a send in flight
	loading  string // a load in flight
	position string // the cursor's row, on the right
	rows     bool   // the table shows rows: the first to come show at once
	// read is the read of the conversation the pane or the reader
	// shows: the agent waits for it, so it shows at once when it comes.
	read session.ReadState
	// totals are the views' totals in the top bar: while pages merge,
	// the views drawn from All count up at each page.
	totals []string
}

// follow takes the progress to show: at once when fresh (a key, the
// spinner's tick), when nothing is in flight, when work starts or ends,
// when the first rows come, or when the conversation read comes; otherwise it waits for the spinner's next
// tick, so a busy console that nobody types in redraws at the spinner's
// pace. It reports whether the whole screen waits for that tick too: it
// does whenever the progress does, so what else changes while work is in
// flight (the rows a page or a part of the cache brings, a row's age, a
// poll's answer) is shown with the spinner's next frame, and a load or a
// send writes to the terminal at the spinner's pace alone.
func (s *statusBar) follow(now progressFacts, fresh bool) (wait bool) {
	idle := now.sending == "" && now.loading == ""
	changed := (now.sending == "") != (s.shown.sending == "") || (now.loading == "") != (s.shown.loading == "") || now.rows != s.shown.rows || now.read != s.shown.read
	if fresh || idle || changed {
		s.shown = now
		return false
	}
	return true
}

// view is the status line: a question when one is asked; otherwise work
// in flight, an error, the search, the targets, what is pending and the
// last result on the left, and the cursor's row on the right.
func (s *statusBar) view(f statusFacts, now time.Time, width int, lk *look) string {
	if f.question != "" {
		return lk.st.cursor.Render(fit(" "+f.question, width, false, lk.g.Ellipsis))
	}
	var parts []string
	add := func(p string) {
		if p != "" {
			parts = append(parts, p)
		}
	}
	add(f.alarm)
	switch {
	case f.sending != "":
		add(s.spinner.View() + " " + f.sending)
	case f.loading != "":
		add(s.spinner.View() + " " + f.loading)
	case f.empty && s.text == "":
		add("No threads in this view.")
	}
	add(f.stale)
	add(s.waitText(now))
	add(s.retrying)
	if s.isErr {
		add(s.text) // an error goes first, so it is never cut off
	}
	add(f.search)
	add(f.sort)
	add(f.targets)
	add(f.pending)
	if !s.isErr {
		add(s.text)
	}
	right := f.position
	if f.above != "" {
		right = lk.st.errText.Render(f.above) + " " + f.position
	}
	room := max(0, width-ansi.StringWidthWc(right)-1)
	left := strings.Join(parts, lk.g.Sep)
	if f.refreshed != "" && ansi.StringWidthWc(left)+len(lk.g.Sep)+len(f.refreshed) <= room {
		left += lk.g.Sep + f.refreshed // shown only whole, and only when the rest fits
	}
	left = fit(left, room, false, lk.g.Ellipsis)
	if s.isErr || f.alarm != "" {
		left = lk.st.errText.Render(left)
	}
	return left + " " + right
}

// hintLine is the one-line key reminder for what is in front, generated
// from the keymap; a read-only console is reminded only of what it may
// do. It always ends with how to get help (and, over an overlay, how to
// close it); the others give way on narrow screens.
func hintLine(km *keymap.Keymap, front overlay, readOnly bool, width int, lk *look) string {
	acts := []keymap.Action{keymap.Mark, keymap.Resolve, keymap.Escalate, keymap.Review, keymap.Send, keymap.Undo, keymap.Quit}
	last := []keymap.Action{keymap.Help}
	switch {
	case front == overlayForm:
		return "" // the form shows its own keys
	case front == overlayLog:
		acts, last = []keymap.Action{keymap.Down, keymap.Up, keymap.Top}, []keymap.Action{keymap.Cancel}
	case front == overlayReview:
		acts = []keymap.Action{keymap.Revert, keymap.KeepMine, keymap.TakeTheirs, keymap.KeepAllMine, keymap.TakeAll, keymap.Send, keymap.Undo}
		last = []keymap.Action{keymap.Cancel, keymap.Help}
	case front == overlayReader && readOnly:
		acts = []keymap.Action{keymap.NextThread, keymap.PrevThread, keymap.CopyIDs, keymap.OpenLink}
		last = []keymap.Action{keymap.Cancel, keymap.Help}
	case front == overlayReader:
		acts = []keymap.Action{keymap.NextThread, keymap.PrevThread, keymap.Resolve, keymap.Escalate, keymap.Tags, keymap.Notes}
		last = []keymap.Action{keymap.Cancel, keymap.Help}
	case readOnly:
		acts = []keymap.Action{keymap.Detail, keymap.Reader, keymap.Search, keymap.NextView, keymap.Refresh, keymap.CopyIDs, keymap.Quit}
	}
	part := func(b bkey.Binding) ([2]string, int) {
		keys := b.Keys()
		if len(keys) == 0 {
			return [2]string{}, 0
		}
		desc := b.Help().Desc
		return [2]string{keys[0], desc}, ansi.StringWidthWc(keys[0]) + 1 + ansi.StringWidthWc(desc) + 2
	}
	var tail [][2]string
	room := width
	for _, b := range km.Short(last...) {
		if p, w := part(b); w > 0 {
			tail, room = append(tail, p), room-w
		}
	}
	var parts [][2]string
	for _, b := range km.Short(acts...) {
		p, w := part(b)
		if w == 0 {
			continue
		}
		if w > room {
			break
		}
		parts, room = append(parts, p), room-w
	}
	return lk.st.hints(append(parts, tail...))
}

// alarm is what stays wrong and the status line keeps saying, whatever
// else it says: the journal cannot be written (failure says why), or the
// console may not edit (readOnly says why).
func alarm(failure, readOnly string) string {
	switch {
	case failure != "":
		return "Journal not saved: " + failure
	case readOnly != "":
		return "Read-only"
	}
	return ""
}

// pendingText is what is queued, for the status line.
func pendingText(q *queue.Queue) string {
	if n := q.Len(); n > 0 {
		return fmt.Sprintf("%s pending (%s)", words.Thousands(q.Fields()), words.Plural(n, "thread"))
	}
	return ""
}

// journalMsg says the journal's state may have changed.
type journalMsg struct{}

// listenJournal waits for the journal's next change of state (changed
// is nil without a journal).
func listenJournal(changed <-chan struct{}) tea.Cmd {
	if changed == nil {
		return nil
	}
	return func() tea.Msg {
		if _, ok := <-changed; !ok {
			return nil
		}
		return journalMsg{}
	}
}
