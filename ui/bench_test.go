package ui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	btable "charm.land/bubbles/v2/table"
	tea "charm.land/bubbletea/v2"
	"github.com/sahilm/fuzzy"

	"triage/api"
	"triage/api/apitest"
	"triage/journal"
	"triage/sanitize"
	"triage/session"
	"triage/threads"
	"triage/words"
)

// frameBudget is one frame at 60 Hz: the most a key may cost.
const frameBudget = time.Second / 60

// benchRows is the size of the scale benchmarks.
const benchRows = 100_000

// benchModel is a console at 120x40 with n generated threads loaded in
// one view.
func benchModel(tb testing.TB, n int) (*Model, []api.Thread) {
	tb.Helper()
	return benchModelWith(tb, n, &fakeAPI{}, session.Options{})
}

// benchModelWith is benchModel over fa (its loads set here) and a session
// of opts (its API and views set here).
func benchModelWith(tb testing.TB, n int, fa *fakeAPI, opts session.Options) (*Model, []api.Thread) {
	tb.Helper()
	ts := apitest.Generate(n, "demo-bot", 1, fixedNow)
	var pages [][]api.Thread
	for i := 0; i < len(ts); i += 100 {
		pages = append(pages, ts[i:min(i+100, len(ts))])
	}
	fa.loads = [][][]api.Thread{pages}
	opts.API, opts.Views, opts.Now = fa, []threads.View{{Name: "All"}}, fixedClock
	m := testConsole(opts, Options{})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	drain(tb, m, m.Init())
	return m, ts
}

// referenceTable is bubbles' table over the same rows and columns.
func referenceTable(ts []api.Thread) btable.Model {
	cols := []btable.Column{{Title: "RAEI", Width: 4}, {Title: "Title", Width: 50}, {Title: "Visitor", Width: 24},
		{Title: "Tags", Width: 20}, {Title: "New", Width: 4}, {Title: "+/-", Width: 6}, {Title: "Age", Width: 4}}
	rows := make([]btable.Row, len(ts))
	for i := range ts {
		t := &ts[i]
		rows[i] = btable.Row{flagsCell(t, nil, cellEnv{now: fixedNow, g: UnicodeGlyphs()}), t.Title, sanitize.Line(t.Visitor()), strings.Join(t.Tags, ","),
			strconv.Itoa(t.UnreadMessagesCount), fmt.Sprintf("+%d/-%d", t.PositiveCount, t.NegativeCount), words.Age(fixedNow, t.UpdatedAt)}
	}
	return btable.New(btable.WithColumns(cols), btable.WithRows(rows), btable.WithHeight(36), btable.WithWidth(120), btable.WithFocused(true))
}

// timePer runs f n times and returns the mean duration.
func timePer(n int, f func(i int)) time.Duration {
	start := time.Now()
	for i := range n {
		f(i)
	}
	return time.Since(start) / time.Duration(n)
}

// BenchmarkCursorMove is a cursor move plus redraw on 100,000 threads,
// beside bubbles' table doing the same on the same rows. Target: at least
// 10x faster.
func BenchmarkCursorMove(b *testing.B) {
	m, ts := benchModel(b, benchRows)
	ref := referenceTable(ts)
	down := tea.KeyPressMsg{Code: tea.KeyDown}
	const moves = 200
	for b.Loop() {
		mine := timePer(moves, func(int) { m.Update(down); _ = m.View() })
		theirs := timePer(moves, func(int) { ref, _ = ref.Update(down); _ = ref.View() })
		b.ReportMetric(float64(mine.Nanoseconds()), "triage-ns/move")
		b.ReportMetric(float64(theirs.Nanoseconds()), "ref-table-ns/move")
		b.ReportMetric(float64(theirs)/float64(mine), "x-faster(target>=10)")
	}
}

// BenchmarkSearchKeystroke is one search keystroke over 100,000 threads
// (a full pass, and the usual narrowing one), beside sahilm/fuzzy over the
// same strings: from the key to the rows on screen, the search run (off
// the UI goroutine at this size) and its answer shown. Target: at least
// 5x faster.
func BenchmarkSearchKeystroke(b *testing.B) {
	m, ts := benchModel(b, benchRows)
	hay := make([]string, len(ts))
	for i := range ts {
		t := &ts[i]
		hay[i] = strings.Join([]string{t.Title, t.VisitorName, t.VisitorEmail, strings.Join(t.Tags, " "), t.ID}, " ")
	}
	full, _ := threads.Parse("refund")
	narrowFrom, _ := threads.Parse("refun")
	const passes = 10
	applyQuery := func(q threads.Query) { // as the search line does on a key, then the search's answer
		prev := m.search.query
		m.search.query = q
		if f, ok := foundIn(m.searched(searchIntent{changed: true, prev: prev})); ok {
			m.Update(f)
		}
	}
	for b.Loop() {
		mineFull := timePer(passes, func(int) { m.search.query = threads.Query{}; applyQuery(full) })
		var narrow time.Duration
		for range passes {
			m.search.query = threads.Query{}
			applyQuery(narrowFrom)
			start := time.Now()
			applyQuery(full) // "refun" + "d": filters the rows "refun" left
			narrow += time.Since(start)
		}
		theirs := timePer(passes, func(int) { _ = fuzzy.Find("refund", hay) })
		b.ReportMetric(float64(mineFull.Nanoseconds()), "triage-full-ns/key")
		b.ReportMetric(float64((narrow / passes).Nanoseconds()), "triage-narrowing-ns/key")
		b.ReportMetric(float64(theirs.Nanoseconds()), "ref-fuzzy-ns/key")
		b.ReportMetric(float64(theirs)/float64(mineFull), "x-faster(target>=5)")
	}
}

// BenchmarkToggle10kMarked toggles a flag on 10,000 marked threads, one
// undoable action, with a real journal: the time on the UI goroutine (the
// journal writes on its own) against one frame. It also reports how long
// the journal then takes to hold the change on disk.
func BenchmarkToggle10kMarked(b *testing.B) {
	j, err := journal.Open(b.TempDir(), "bench-bot", "https://bench.example/api/v1", journal.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer j.Close()
	m, _ := benchModelWith(b, 10_000, &fakeAPI{}, session.Options{Journal: unsignalled{j}})
	press(m, "V")
	var onDisk time.Duration
	for b.Loop() {
		press(m, "i")
		b.StopTimer()
		start := time.Now()
		if err := j.Flush(); err != nil {
			b.Fatal(err)
		}
		onDisk += time.Since(start)
		b.StartTimer()
	}
	b.ReportMetric(float64(frameBudget.Nanoseconds()), "ref-frame-ns")
	b.ReportMetric(float64(onDisk.Nanoseconds())/float64(b.N), "journal-on-disk-after-ns")
}

// BenchmarkToggle100kMarkedInTurns toggles a flag on 100,000 marked
// threads and undoes it, with a real journal, each applied in turns: the
// longest the key's message and then any turn's message held the UI
// goroutine, the view drawn after it included, and the turns it took.
// The reference is the same toggle applied at once.
func BenchmarkToggle100kMarkedInTurns(b *testing.B) {
	j, err := journal.Open(b.TempDir(), "bench-bot", "https://bench.example/api/v1", journal.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer j.Close()
	m, _ := benchModelWith(b, 100_000, &fakeAPI{}, session.Options{Journal: unsignalled{j}, WorkTurn: session.DefaultWorkTurn})
	press(m, "V")
	// timed runs cmd and what follows, each turn's message timed with the
	// view drawn after it, and returns the longest and how many came.
	timed := func(cmd tea.Cmd) (longest time.Duration, turns int) {
		cmds := []tea.Cmd{cmd}
		for len(cmds) > 0 {
			c := cmds[0]
			if cmds = cmds[1:]; c == nil {
				continue
			}
			switch msg := c().(type) {
			case tea.BatchMsg:
				cmds = append(cmds, msg...)
			case session.Result:
				start := time.Now()
				_, next := m.Update(msg)
				m.render()
				longest, turns = max(longest, time.Since(start)), turns+1
				cmds = append(cmds, next)
			}
		}
		return longest, turns
	}
	var held, turn, refAtOnce time.Duration
	var turns int
	for b.Loop() {
		for _, k := range []string{"i", "u"} {
			start := time.Now()
			_, cmd := m.Update(key(k))
			m.render()
			held = max(held, time.Since(start))
			longest, n := timed(cmd)
			turn, turns = max(turn, longest), max(turns, n)
		}
		b.StopTimer()
		atOnce, _ := benchModelWith(b, 100_000, &fakeAPI{}, session.Options{Journal: unsignalled{j}})
		press(atOnce, "V")
		start := time.Now()
		press(atOnce, "i")
		refAtOnce = time.Since(start)
		b.StartTimer()
	}
	b.ReportMetric(float64(held.Microseconds())/1000, "key-ms")
	b.ReportMetric(float64(turn.Microseconds())/1000, "longest-turn-ms")
	b.ReportMetric(float64(turns), "turns")
	b.ReportMetric(float64(refAtOnce.Microseconds())/1000, "ref-at-once-ms")
}

// unsignalled is a real journal whose changes of state are not
// signalled, so that draining the console's commands ends: the status
// line's listener would otherwise wait for the next change for ever.
type unsignalled struct{ *journal.Journal }

func (unsignalled) Changed() <-chan struct{} { return nil }

// BenchmarkSendRequests counts the requests a send costs, reads included,
// for n threads with flag toggles only and with tag edits, on a chatbot
// of 5,000 threads (pages of 100). The reference is one read per thread
// plus the PATCH.
func BenchmarkSendRequests(b *testing.B) {
	for _, c := range []struct {
		name string
		n    int
		keys []string
	}{
		{"flags-3", 3, []string{"i"}}, {"tags-3", 3, []string{"t", "+x", "<enter>"}},
		{"flags-1000", 1000, []string{"i"}}, {"tags-1000", 1000, []string{"t", "+x", "<enter>"}},
		{"mode-1000", 1000, []string{"m", "j", "j", "<enter>"}}, {"notes-100", 100, []string{"n", "Called", "<tab>", "<enter>", "y"}},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				m, srv := liveModel(b, apitest.Options{Threads: 5000, Seed: 2})
				m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
				drain(b, m, m.Init())
				for _, t := range m.table.rows[:c.n] {
					m.marks.marks[t.ID] = true
				}
				burst(sendTo(m), c.keys...)
				srv.ResetRequests()
				burst(sendTo(m), "w")
				_, cmd := m.Update(key("y"))
				drain(b, m, cmd)
				if n := m.sess.Queue().Len() - m.sess.Queue().Conflicts(); n != 0 { // notes the agent never saw are held back
					b.Fatalf("%d threads still queued", n)
				}
				b.ReportMetric(float64(m.sess.Queue().Conflicts()), "held-back")
				b.ReportMetric(float64(len(srv.Requests())), "requests/send")
				b.ReportMetric(float64(c.n+1), "ref-one-read-per-thread")
			}
		})
	}
}

// BenchmarkMarking is a mark key (space, then x) on a view of 300,000
// threads beside the same on 1,000: a mark costs the same whatever the
// number of rows (target: a ratio near 1).
func BenchmarkMarking(b *testing.B) {
	big, _ := benchModel(b, 300_000)
	small, _ := benchModel(b, 1_000)
	keys := []tea.KeyPressMsg{{Code: tea.KeySpace, Text: " "}, {Code: 'x', Text: "x"}}
	const n = 400
	for b.Loop() {
		mark := func(m *Model) time.Duration {
			m.table.moveTo(0)
			return timePer(n, func(i int) { m.Update(keys[i%2]); _ = m.View() })
		}
		large, reference := mark(big), mark(small)
		b.ReportMetric(float64(large.Nanoseconds()), "300k-ns/key")
		b.ReportMetric(float64(reference.Nanoseconds()), "ref-1k-ns/key")
		b.ReportMetric(float64(large)/float64(reference), "ratio(target~1)")
	}
}

// BenchmarkPaneOfACachedThread draws the screen at 200x50 with the pane
// showing a thread of 40 messages already read, beside drawing the table
// alone: reading adds drawing, not waiting.
func BenchmarkPaneOfACachedThread(b *testing.B) {
	fa := &fakeAPI{}
	m, _ := benchModelWith(b, 1_000, fa, session.Options{})
	m.Update(tea.WindowSizeMsg{Width: 200, Height: 50})
	cur := m.table.current()
	msgs := make([]api.Message, 40)
	for i := range msgs {
		msgs[i] = api.Message{ID: fmt.Sprint(i), Role: []string{"USER", "ASSISTANT"}[i%2], CreatedAt: fixedNow.Add(-time.Duration(40-i) * time.Minute),
			Content: strings.Repeat("A message of a visitor or of the bot, long enough to wrap. ", 1+i%4)}
	}
	fa.get = func(string) (api.ThreadDetail, error) { return api.ThreadDetail{Thread: *cur}, nil }
	fa.msgs = msgs
	drain(b, m, m.run(m.sess.Read(cur.ID)))
	const n = 200
	for b.Loop() {
		m.detail.open = false
		m.resize(200, 50)
		table := timePer(n, func(int) { _ = m.render() })
		m.detail.open = true
		m.resize(200, 50)
		pane := timePer(n, func(int) { _ = m.render() })
		b.ReportMetric(float64(pane.Nanoseconds()), "pane-ns/frame")
		b.ReportMetric(float64(table.Nanoseconds()), "ref-table-alone-ns/frame")
	}
}

// BenchmarkKeysOnAMillionThreads is what a search key and a sort key cost
// the UI goroutine in a view of 1,000,000 threads, where both run off it,
// beside the same search and sort done on it (the reference: what each
// key cost before).
func BenchmarkKeysOnAMillionThreads(b *testing.B) {
	m, _ := benchModel(b, 1_000_000)
	v := m.sess.Current()
	for b.Loop() {
		press(m, "/")
		b.ReportMetric(float64(timePer(1, func(int) { press(m, "r") }).Microseconds())/1000, "search-key-ms")
		q := m.search.query
		b.ReportMetric(float64(timePer(1, func(int) {
			threads.Visible(v.List().All(), q, m.sess.Queue(), v.Def().Sort, v.Def().Reverse)
		}).Microseconds())/1000, "ref-search-on-ui-ms")
		m.Update(tea.KeyPressMsg{Code: tea.KeyEscape})
		b.ReportMetric(float64(timePer(1, func(int) { press(m, "s", "s", "s", "s") }).Microseconds())/1000/4, "sort-key-ms")
		b.ReportMetric(float64(timePer(1, func(int) {
			threads.Visible(slices.Clone(v.List().All()), threads.Query{}, nil, threads.SortTitle, false)
		}).Microseconds())/1000, "ref-title-sort-on-ui-ms")
		m.find.stop()
	}
}
