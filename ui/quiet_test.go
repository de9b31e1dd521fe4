package ui

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"triage/api"
	"triage/api/apitest"
	"triage/session"
	"triage/threads"
)

// runOn runs a model on a virtual 120x40 terminal writing to out.
func runOn(model tea.Model, out *countingWriter) (prog *tea.Program, quit func()) {
	prog = tea.NewProgram(model, tea.WithOutput(out), tea.WithInput(nil), tea.WithWindowSize(120, 40),
		tea.WithColorProfile(colorprofile.ANSI256), tea.WithEnvironment([]string{"TERM=xterm-256color"}), tea.WithoutSignals())
	done := make(chan struct{})
	go func() { _, _ = prog.Run(); close(done) }()
	return prog, func() { prog.Quit(); <-done }
}

// spinnerOnly is the reference: a program showing the default spinner
// of bubbles, as a loading screen commonly is.
type spinnerOnly struct{ s spinner.Model }

func (r spinnerOnly) Init() tea.Cmd { return r.s.Tick }
func (r spinnerOnly) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	r.s, cmd = r.s.Update(msg)
	return r, cmd
}
func (r spinnerOnly) View() tea.View { return tea.NewView(r.s.View() + " loading") }

// BenchmarkFramesWhileLoading counts the frames the console writes a
// second while it loads 12,000 threads in 50-thread pages from a slow
// server and nobody types: the spinner and the progress count are all
// that move. The target is at most 2 frames a second; the reference is
// the default spinner of bubbles alone, over the same time.
func BenchmarkFramesWhileLoading(b *testing.B) {
	for b.Loop() {
		m, _ := liveConsole(b, apitest.Options{Threads: 12000, MaxLimit: 50, Latency: 40 * time.Millisecond, Seed: 3},
			session.Options{Load: api.LoadOptions{PageLimit: 50, Concurrency: 2}})
		p := newProbe(m)
		*p.loading = true
		out := &countingWriter{}
		start := time.Now()
		_, quit := runOn(p, out)
		p.waitFirstPage(b)
		from, fromAt := out.frames(), time.Now() // the first page and the table's first draw are not idle
		p.waitLoaded(b, 12000)
		frames, took := out.frames()-from, time.Since(fromAt)
		quit()

		ref := &countingWriter{}
		_, quitRef := runOn(spinnerOnly{spinner.New()}, ref)
		time.Sleep(took)
		refFrames := ref.frames()
		quitRef()

		b.ReportMetric(float64(frames)/took.Seconds(), "frames/s(target<=2)")
		b.ReportMetric(float64(refFrames)/took.Seconds(), "ref-spinner-frames/s")
		b.ReportMetric(took.Seconds(), "load-s")
		b.ReportMetric(time.Since(start).Seconds(), "total-s")
	}
}

func TestProgressMovesAtTheSpinnersPace(t *testing.T) {
	s := newStatusBar(ASCIIGlyphs())
	if s.spinner.Spinner.FPS != time.Second/2 {
		t.Errorf("the spinner draws every %s", s.spinner.Spinner.FPS)
	}
	started := progressFacts{loading: "loading 0/1,000"}
	if s.follow(started, false) || !reflect.DeepEqual(s.shown, started) {
		t.Fatalf("a load that starts is not shown at once: %+v", s.shown)
	}
	first := progressFacts{loading: "loading 50/1,000", position: "1/50", rows: true, totals: []string{"50", "3"}}
	if s.follow(first, false) || !reflect.DeepEqual(s.shown, first) {
		t.Fatalf("the first rows are not shown at once: %+v", s.shown)
	}
	if !s.follow(progressFacts{loading: "loading 100/1,000", position: "1/100", rows: true, totals: []string{"100", "7"}}, false) || // a page, no tick
		!reflect.DeepEqual(s.shown, first) {
		t.Errorf("a page redrew the screen, the progress or the views' totals between ticks: %+v", s.shown)
	}
	read := progressFacts{loading: "loading 100/1,000", position: "1/100", rows: true, read: session.ReadState{Loading: true}}
	if s.follow(read, false) || !reflect.DeepEqual(s.shown, read) {
		t.Errorf("the conversation the agent reads waits for a tick: %+v", s.shown)
	}
	later := progressFacts{loading: "loading 150/1,000", position: "1/150", rows: true, totals: []string{"150", "9"}}
	if s.follow(later, true) || !reflect.DeepEqual(s.shown, later) { // the spinner's tick, or a key
		t.Errorf("the tick did not show the progress: %+v", s.shown)
	}
	done := progressFacts{position: "1/1,000", rows: true, totals: []string{"1,000", "60"}}
	if s.follow(done, false) || !reflect.DeepEqual(s.shown, done) {
		t.Errorf("the end of the load is not shown at once: %+v", s.shown)
	}
	if s.follow(progressFacts{position: "2/1,000", rows: true}, false) {
		t.Errorf("an idle console waits for a tick")
	}
}

// TestOneChainOfSpinnerTicks: work that starts while the spinner turns
// does not start a second chain of ticks (each would advance it, and a
// load would redraw at the pace of its pages); the chain ends when the
// work does, and the next work starts it again.
func TestOneChainOfSpinnerTicks(t *testing.T) {
	s := newStatusBar(ASCIIGlyphs())
	if s.spin() == nil {
		t.Fatal("the first work did not start the spinner")
	}
	if s.spin() != nil {
		t.Fatal("more work started a second chain of ticks")
	}
	if s.turn(spinner.TickMsg{}, true) == nil {
		t.Fatal("the spinner stopped while work is in flight")
	}
	if s.turn(spinner.TickMsg{}, false) != nil || s.spin() == nil {
		t.Error("the ticks did not end with the work, or did not start again with the next")
	}
}

// TestPagesMergeIntoASortedView: a view sorted by title that loads page
// by page shows what sorting everything at the end would.
func TestPagesMergeIntoASortedView(t *testing.T) {
	m, _ := liveConsole(t, apitest.Options{Threads: 430, MaxLimit: 50, Seed: 9}, session.Options{
		Views: []threads.View{{Name: "By title", Sort: threads.SortTitle, Reverse: true}}, Load: api.LoadOptions{PageLimit: 50, Concurrency: 3}})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	drain(t, m, m.Init())
	v := m.sess.Current()
	want := threads.Visible(v.List().All(), threads.Query{}, m.sess.Queue(), threads.SortTitle, true)
	if v.List().Len() != 430 || !slices.Equal(m.table.rows, want) {
		t.Errorf("%d loaded; the rows shown are not the sorted view", v.List().Len())
	}
}

// TestASendRedrawsAtTheSpinnersPace: while a send is in flight, what
// changes without a key (here a copy's answer) waits for the spinner's
// next frame, so nothing but the spinner writes to the terminal; a key is
// answered at once, and the screen then shows all that changed.
func TestASendRedrawsAtTheSpinnersPace(t *testing.T) {
	m, _ := liveModel(t, apitest.Options{Threads: 20, Seed: 4})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	drain(t, m, m.Init())
	act(t, m, "t", "+x", "<enter>", "w")
	m.Update(key("y")) // the check's reads are left unanswered: the send stays in flight
	sending := m.View().Content
	if !strings.Contains(sending, "checking 1 thread before sending") {
		t.Fatalf("no send in flight:\n%s", sending)
	}
	m.Update(copiedMsg{text: "Copied 1 id"})
	if m.View().Content != sending {
		t.Errorf("a copy's answer redrew the screen between the spinner's frames:\n%s", m.View().Content)
	}
	m.Update(spinner.TickMsg{ID: m.status.spinner.ID(), Time: time.Now()})
	if !strings.Contains(m.View().Content, "Copied 1 id") {
		t.Errorf("the spinner's frame did not show the copy's answer:\n%s", m.View().Content)
	}
	m.Update(copiedMsg{text: "Copied 2 ids"})
	m.Update(key("j"))
	if screen := m.View().Content; !strings.Contains(screen, "Copied 2 ids") || !strings.Contains(screen, "2/20") {
		t.Errorf("a key did not redraw at once:\n%s", screen)
	}
	// The conversation the agent opened shows as soon as it is read, not
	// at the spinner's next frame.
	m.Update(key("enter"))
	read := m.readNow(readMsg{id: m.table.current().ID, seq: m.detail.seq})
	if read == nil {
		t.Fatal("opening the pane read nothing")
	}
	waiting := ansi.Strip(m.View().Content)
	if !strings.Contains(waiting, "reading") {
		t.Fatalf("the pane does not say the conversation is being read:\n%s", waiting)
	}
	m.Update(read())
	if screen := ansi.Strip(m.View().Content); strings.Contains(screen, "reading") || screen == waiting {
		t.Errorf("the conversation read waits for the spinner:\n%s", screen)
	}
}
