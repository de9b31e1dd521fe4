package ui

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

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
	first := progressFacts{loading: "loading 50/1,000", position: "1/50", totals: []string{"50", "3"}}
	s.follow(first, false)
	if !reflect.DeepEqual(s.shown, first) {
		t.Fatalf("a load that starts is not shown at once: %+v", s.shown)
	}
	s.follow(progressFacts{loading: "loading 100/1,000", position: "1/100", totals: []string{"100", "7"}}, false) // a page, no tick
	if !reflect.DeepEqual(s.shown, first) {
		t.Errorf("a page redrew the progress or the views' totals between ticks: %+v", s.shown)
	}
	later := progressFacts{loading: "loading 150/1,000", position: "1/150", totals: []string{"150", "9"}}
	s.follow(later, true) // the spinner's tick, or a key
	if !reflect.DeepEqual(s.shown, later) {
		t.Errorf("the tick did not show the progress: %+v", s.shown)
	}
	done := progressFacts{position: "1/1,000", totals: []string{"1,000", "60"}}
	s.follow(done, false)
	if !reflect.DeepEqual(s.shown, done) {
		t.Errorf("the end of the load is not shown at once: %+v", s.shown)
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
