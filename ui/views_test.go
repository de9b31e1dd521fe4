package ui

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"triage/api"
	"triage/api/apitest"
	"triage/session"
	"triage/threads"
)

// twoViews is a model with views A and B, each loaded by itself with the
// threads given.
func twoViews(t *testing.T, a, b []api.Thread) *Model {
	t.Helper()
	fa := &fakeAPI{loads: [][][]api.Thread{{a}, {b}}, update: func([]api.UpdateItem) ([]api.Thread, error) { return nil, nil }}
	m := testConsole(session.Options{API: fa, Views: []threads.View{{Name: "A"}, {Name: "B"}}, Now: fixedClock}, Options{})
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 24})
	drain(t, m, m.Init())
	drain(t, m, m.switchView(1))
	drain(t, m, m.switchView(0))
	return m
}

func TestMarksSurviveSearchAndViewChanges(t *testing.T) {
	all := sampleThreads(6)
	all[0].Title, all[1].Title = "Refund please", "Refund again"
	m := twoViews(t, all[:4], all[4:])
	press(m, " ", " ") // mark the two refunds
	burst(sendTo(m), "/", "login", "<enter>")
	if len(m.table.rows) != 0 || !strings.Contains(screenOf(m), "→ 2 marked, 2 hidden") {
		t.Fatalf("search did not hide the marks:\n%s", screenOf(m))
	}
	burst(sendTo(m), "<esc>", "/", "again", "<enter>")
	if !strings.Contains(screenOf(m), "→ 2 marked, 1 hidden") {
		t.Fatalf("status:\n%s", screenOf(m))
	}
	press(m, "d") // hits both, the hidden one too
	if m.sess.Queue().Len() != 2 {
		t.Fatalf("toggle hit %v", m.sess.Queue().IDs())
	}
	press(m, "w")
	if !strings.Contains(screenOf(m), "Send 2 changes to 2 threads (1 not shown: search or other views)?") {
		t.Errorf("the confirm does not count the hidden thread:\n%s", screenOf(m))
	}
	press(m, "n", "]")
	if m.sess.Current().Index() != 1 || m.marks.count() != 2 || !strings.Contains(screenOf(m), "→ 2 marked, 2 hidden") {
		t.Fatalf("view change lost the marks:\n%s", screenOf(m))
	}
	press(m, "e") // the marked threads live in view A only
	if e := m.sess.Queue().Get(all[0].ID); e == nil || e.Flags[1] == nil {
		t.Error("an action in view B did not reach the threads marked in view A")
	}
	press(m, "[")
	burst(sendTo(m), "<esc>")
	if len(m.table.rows) != 4 || !m.search.query.Empty() {
		t.Errorf("esc did not clear the search: %d rows", len(m.table.rows))
	}
}

func TestSearchNarrowsOnEachKeyAndReportsErrors(t *testing.T) {
	all := sampleThreads(30)
	for i := range all {
		if i%3 == 0 {
			all[i].Tags = []string{"vip"}
		}
		all[i].Escalated = i%2 == 0
	}
	m := twoViews(t, all, nil)
	counts := []int{}
	for _, k := range []string{"/", "t", "a", "g", ":", "v", "i", "p"} {
		press(m, k)
		counts = append(counts, len(m.table.rows))
	}
	if counts[len(counts)-1] != 10 {
		t.Fatalf("tag:vip shows %d rows (%v)", counts[len(counts)-1], counts)
	}
	burst(sendTo(m), " -is:escalated")
	if len(m.table.rows) != 5 {
		t.Errorf("tag:vip -is:escalated shows %d", len(m.table.rows))
	}
	m.Update(tea.PasteMsg{Content: " unread:>x"})
	if m.search.err == "" || len(m.table.rows) != 5 || !strings.Contains(screenOf(m), "expected a count") {
		t.Errorf("a malformed query must keep the list and say why:\n%s", screenOf(m))
	}
}

func TestSortCyclesAndReverses(t *testing.T) {
	all := sampleThreads(4)
	for i := range all {
		all[i].UnreadMessagesCount = []int{1, 5, 0, 3}[i]
	}
	m := twoViews(t, all, nil)
	order := func() string {
		var ids []string
		for _, th := range m.table.rows {
			ids = append(ids, th.ID[len(th.ID)-1:])
		}
		return strings.Join(ids, "")
	}
	press(m, "s", "s") // updated -> started -> unread
	if got := order(); got != "1302" {
		t.Errorf("unread order %s", got)
	}
	if !strings.Contains(screenOf(m), "New▼") || !strings.Contains(screenOf(m), "sort: unread, most first") {
		t.Errorf("no sort mark:\n%s", screenOf(m))
	}
	press(m, "S")
	if got := order(); got != "2031" {
		t.Errorf("reversed %s", got)
	}
	press(m, "s", "s", "s")
	if got := order(); got != "0123" {
		t.Errorf("back to updated: %s", got)
	}
}

func TestDetailPane(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {200, 50}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			ts := apitest.Generate(30, "demo-bot", 4, fixedNow)
			m := twoViews(t, ts, nil)
			m.opts.ASCII = true
			m.look.g = ASCIIGlyphs()
			m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			press(m, "j", "d")
			m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
			out := ansi.Strip(m.render())
			if lines := strings.Split(out, "\n"); len(lines) != size[1] {
				t.Errorf("%d lines", len(lines))
			}
			for _, w := range []string{"Detail", ts[1].ID, "Platform", "Started", "resolved: false -> true"} {
				if !strings.Contains(out, w) {
					t.Errorf("detail lacks %q", w)
				}
			}
			golden.RequireEqual(t, []byte(out))
		})
	}
}

// TestViewsSendTheirFilters checks on the server's log what each view
// asks for. The default views are drawn from the pages of All, the only
// load; each sends its filters when its total is counted. A view on the
// mode, which the list object does not carry, loads its own pages with
// its filter. Switching between views drawn from All sends nothing.
func TestViewsSendTheirFilters(t *testing.T) {
	humans := threads.View{Name: "Humans", Params: api.ListParams{Mode: api.ModeHuman}}
	m, srv := liveModel(t, apitest.Options{Threads: 120, Seed: 2, ExposeModeAndNotes: true}, append(threads.DefaultViews(), humans)...)
	run := func(cmd tea.Cmd) { drain(t, m, cmd) }
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	run(m.Init())
	queries := func() map[string]int {
		by := map[string]int{}
		for _, r := range srv.RequestsFor(http.MethodGet) {
			q := r.Query
			by[fmt.Sprintf("limit=%s resolved=%s archived=%s escalated=%s important=%s mode=%s", q.Get("limit"), q.Get("resolved"),
				q.Get("archived"), q.Get("escalated"), q.Get("important"), q.Get("mode"))]++
		}
		return by
	}
	byQuery := queries()
	for want, n := range map[string]int{
		"limit=100 resolved= archived= escalated= important= mode=":         2, // All, loaded: 120 threads in pages of 100
		"limit=1 resolved=false archived=false escalated= important= mode=": 1, // Inbox, counted
		"limit=1 resolved=false archived= escalated=true important= mode=":  1,
		"limit=1 resolved=false archived= escalated= important=true mode=":  1,
		"limit=1 resolved=true archived= escalated= important= mode=":       1,
		"limit=1 resolved= archived=true escalated= important= mode=":       1,
		"limit=1 resolved= archived= escalated= important= mode=HUMAN":      1,
	} {
		if byQuery[want] != n {
			t.Errorf("%d requests %q, want %d; all: %v", byQuery[want], want, n, byQuery)
		}
	}
	if len(byQuery) != 7 {
		t.Errorf("requests besides those: %v", byQuery)
	}
	for i, v := range m.sess.Views()[:5] {
		var want []string
		for _, th := range srv.Threads() {
			if ok, _ := threads.Matches(v.Def().Params, &th); ok {
				want = append(want, th.ID)
			}
		}
		var got []string
		for _, th := range v.List().All() {
			got = append(got, th.ID)
		}
		if !slices.Equal(got, want) || len(want) == 0 {
			t.Errorf("view %d (%s) holds %d threads, the server lists %d", i, v.Def().Name, len(got), len(want))
		}
	}
	srv.ResetRequests()
	run(m.switchView(1))
	if n := len(srv.Requests()); n != 0 || len(m.table.rows) == 0 {
		t.Errorf("switching to Escalated sent %d requests and shows %d rows", n, len(m.table.rows))
	}
	run(m.switchView(6))
	if n := len(srv.RequestsFor(http.MethodGet)); n == 0 || srv.Requests()[0].Query.Get("mode") != "HUMAN" {
		t.Fatalf("switching to Humans sent %d requests: %v", n, queries())
	}
	srv.ResetRequests()
	run(m.switchView(0))
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("switching back to a loaded view sent %d requests", n)
	}
}

// drain runs commands and feeds their messages back until none is left,
// skipping the spinner's ticks.
func drain(t testing.TB, m *Model, cmd tea.Cmd) {
	t.Helper()
	drainAll(m, cmd)
}

// drainAll runs cmd and what follows to the end, as the program would,
// one at a time; it reports whether the program was told to quit.
func drainAll(m *Model, cmd tea.Cmd) (quit bool) {
	quit, _ = drainRaw(m, cmd)
	return quit
}

// drainRaw is drainAll, and what the commands wrote to the terminal
// directly (tea.Raw), in order.
func drainRaw(m *Model, cmd tea.Cmd) (quit bool, raw []string) {
	quit, raw, _ = drainUntil(m, cmd, func() bool { return false })
	return quit, raw
}

// drainUntil is drainRaw until stop holds after a message: rest is what
// was left to run then.
func drainUntil(m *Model, cmd tea.Cmd, stop func() bool) (quit bool, raw []string, rest tea.Cmd) {
	queue := []tea.Cmd{cmd}
	deadline := time.Now().Add(10 * time.Second)
	for len(queue) > 0 && time.Now().Before(deadline) {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg, done := runBefore(c, deadline)
		if !done { // a listener waiting on something that never comes
			return quit, raw, nil
		}
		switch msg := msg.(type) {
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case nil:
		case tea.QuitMsg:
			quit = true
		case tea.RawMsg:
			raw = append(raw, fmt.Sprint(msg.Msg))
		default:
			if isTick(msg) {
				continue
			}
			_, next := m.Update(msg)
			queue = append(queue, next)
			if stop() {
				return quit, raw, tea.Batch(queue...)
			}
		}
	}
	return quit, raw, nil
}

// runBefore runs c and gives its message, or gives up at deadline: a
// command that waits for ever (a listener on a channel no one signals)
// ends the drain rather than hanging the test binary.
func runBefore(c tea.Cmd, deadline time.Time) (tea.Msg, bool) {
	got := make(chan tea.Msg, 1)
	go func() { got <- c() }()
	select {
	case msg := <-got:
		return msg, true
	case <-time.After(time.Until(deadline)):
		return nil, false
	}
}

// TestServerTextCannotReachTheTerminalRaw: every place that draws server
// text (table, detail, review, forms, status) strips escape sequences and
// bidi overrides before the renderer sees them.
func TestServerTextCannotReachTheTerminalRaw(t *testing.T) {
	evil := "A\x1b]2;PWNED\x07B\x1b[2J\u202eC\u009b31m"
	ts := sampleThreads(2)
	ts[0].Title, ts[0].VisitorName, ts[0].Tags = evil, evil, []string{evil}
	ts[0].PlatformSource, ts[0].VisitorEmail, ts[0].VisitorPhone = evil, evil, evil
	ts[0].LLMModel = &api.LLMModel{ID: evil, Provider: evil, Title: evil}
	m := twoViews(t, ts, nil)
	m.Update(tea.WindowSizeMsg{Width: 200, Height: 40})
	screens := map[string]string{"table": m.render()}
	press(m, "d")
	m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	screens["detail"] = m.render()
	m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	press(m, "p")
	screens["review"] = m.render()
	press(m, "p", "t")
	screens["tags form"] = m.render()
	for name, out := range screens {
		if strings.Contains(out, "\x1b]") || strings.Contains(out, "PWNED") || strings.Contains(out, "\u202e") ||
			strings.Contains(out, "\x1b[2J") || strings.Contains(out, "\u009b") {
			t.Errorf("%s passes server escapes through: %q", name, out)
		}
	}
}

// waitIdle waits until the server serves no request.
func waitIdle(t testing.TB, srv *apitest.Server) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.WaitIdle(ctx); err != nil {
		t.Fatalf("the server never went idle: %v", err)
	}
}

// TestAnEmptyResultSaysSo: a search that finds nothing says so where the
// rows would be and in the status line, with how many it searched.
func TestAnEmptyResultSaysSo(t *testing.T) {
	m := twoViews(t, sampleThreads(30), nil)
	burst(sendTo(m), "/zzzqqq")
	press(m, "enter")
	scr := screenOf(m)
	want := "No threads match “zzzqqq” (searched 30 threads; conversations of 0)"
	if len(m.table.rows) != 0 || strings.Count(scr, want) != 2 {
		t.Errorf("want %q in the table and the status line:\n%s", want, scr)
	}
	burst(sendTo(m), "/", "<ctrl+u>", "in:title zzzqqq", "<enter>") // no conversation searched: none counted
	if want := "No threads match “in:title zzzqqq” (searched 30 threads)"; !strings.Contains(screenOf(m), want) {
		t.Errorf("want %q:\n%s", want, screenOf(m))
	}
}

// historyRecorder keeps what the search line saves.
type historyRecorder struct{ saved [][]string }

func (h *historyRecorder) Save(qs []string) error {
	h.saved = append(h.saved, qs)
	return nil
}

// TestTheSearchLineRemembersQueries: up and down go through the queries
// kept before (the last restart's too), newest first; enter keeps a new
// one and has it written down.
func TestTheSearchLineRemembersQueries(t *testing.T) {
	m := twoViews(t, sampleThreads(30), nil)
	rec := &historyRecorder{}
	m.opts.History, m.search.history = rec, []string{"tag:vip", "is:escalated"}
	burst(sendTo(m), "/")
	for _, want := range []string{"is:escalated", "tag:vip", "tag:vip"} {
		press(m, "up")
		if got := m.search.input.Value(); got != want {
			t.Errorf("up: %q, want %q", got, want)
		}
	}
	press(m, "down", "down")
	if got := m.search.input.Value(); got != "" {
		t.Errorf("down to the line: %q", got)
	}
	burst(sendTo(m), "refund")
	drain(t, m, press(m, "enter"))
	if len(rec.saved) != 1 || !slices.Equal(rec.saved[0], []string{"tag:vip", "is:escalated", "refund"}) {
		t.Errorf("saved %v", rec.saved)
	}
}

// TestTheTopBarGivesItsRoomToTheViews: at a width where every view shows
// whole, the product's name leads the bar; narrower, the name gives way
// first, then the other views are cut to three letters, then to their
// numbers, and the active one always shows whole.
func TestTheTopBarGivesItsRoomToTheViews(t *testing.T) {
	m, _, _ := loadedModel(t, 30)
	for _, c := range []struct {
		width      int
		brand      bool
		want, lose string
	}{
		{200, true, " 2 Escalated 0 ", ""},
		{80, false, " 2 Esc 0 ", "Escalated"},
		{50, false, " 2 ", "Esc"},
	} {
		m.Update(tea.WindowSizeMsg{Width: c.width, Height: 24})
		bar := strings.Split(screenOf(m), "\n")[0]
		if strings.HasPrefix(bar, " triage ") != c.brand || !strings.Contains(bar, "[1 Inbox 30]") || !strings.Contains(bar, c.want) ||
			(c.lose != "" && strings.Contains(bar, c.lose)) {
			t.Errorf("at %d columns the top bar is %q: want the name %v, %q and [1 Inbox 30]", c.width, bar, c.brand, c.want)
		}
	}
}
