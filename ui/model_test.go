package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"triage/api"
	"triage/api/apitest"
	"triage/keymap"
	"triage/threads"
)

var fixedNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// threads makes n threads, newest first, an hour apart.
func sampleThreads(n int) []api.Thread {
	out := make([]api.Thread, n)
	for i := range out {
		out[i] = api.Thread{ID: fmt.Sprintf("t%04d", i), Title: fmt.Sprintf("Thread %d", i),
			UpdatedAt: fixedNow.Add(-time.Duration(i) * time.Hour)}
	}
	return out
}

// newTestModel is a model at 80x24 whose load is fed by hand.
func newTestModel() *Model {
	m := New(Options{Now: func() time.Time { return fixedNow }, Source: "test"})
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	expectLoad(m)
	return m
}

// expectLoad readies the active view (or the view it is drawn from) for
// pages fed by hand and returns the load id they must carry.
func expectLoad(m *Model) int {
	v := m.views.current().loader()
	m.views.seq++
	v.loadID, v.loading, v.seen, v.fetched = m.views.seq, true, map[string]bool{}, map[int]bool{}
	return v.loadID
}

func key(s string) tea.KeyPressMsg {
	switch s {
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "ctrl+d":
		return tea.KeyPressMsg{Code: 'd', Mod: tea.ModCtrl}
	}
	return tea.KeyPressMsg{Code: []rune(s)[0], Text: s}
}

func TestNavigation(t *testing.T) {
	m := newTestModel()
	all := sampleThreads(100)
	m.Update(pageMsg{id: 1, threads: all, progress: api.Progress{Loaded: 100, Total: 100, Pages: 1, TotalPages: 1}})
	visible := 24 - chromeLines
	steps := []struct {
		key          string
		cursor, offs int
	}{
		{"j", 1, 0}, {"j", 2, 0}, {"k", 1, 0}, {"G", 99, 100 - visible}, {"g", 0, 0},
		{"pgdown", visible, visible}, {"ctrl+d", visible + visible/2, visible + visible/2},
		{"k", visible + visible/2 - 1, visible + visible/2 - 1},
	}
	for _, s := range steps {
		m.Update(key(s.key))
		if m.table.cursor != s.cursor || m.table.offset != s.offs {
			t.Fatalf("after %s: cursor %d offset %d, want %d %d", s.key, m.table.cursor, m.table.offset, s.cursor, s.offs)
		}
	}
	m.Update(key("G"))
	m.Update(key("j"))
	if m.table.cursor != 99 {
		t.Errorf("cursor ran past the end: %d", m.table.cursor)
	}
}

func TestPagesKeepCursorOnItsThread(t *testing.T) {
	m := newTestModel()
	all := sampleThreads(300)
	// Pages arrive out of order, as concurrent loads deliver them.
	m.Update(pageMsg{id: 1, threads: all[100:200]})
	m.Update(key("j"))
	m.Update(key("j"))
	want := m.table.current().ID
	screenRow := m.table.cursor - m.table.offset
	m.Update(pageMsg{id: 1, threads: all[:100]})
	m.Update(pageMsg{id: 1, threads: all[200:]})
	if got := m.table.current().ID; got != want {
		t.Fatalf("cursor moved from %s to %s", want, got)
	}
	if m.table.cursor-m.table.offset != screenRow {
		t.Errorf("cursor jumped on screen from row %d to %d", screenRow, m.table.cursor-m.table.offset)
	}
	for i, th := range m.views.current().set.All() {
		if th.ID != all[i].ID {
			t.Fatalf("row %d is %s, want %s (newest first)", i, th.ID, all[i].ID)
		}
	}
	// A stale load's page is ignored.
	m.Update(pageMsg{id: 0, threads: sampleThreads(400)[300:]})
	if m.views.current().set.Len() != 300 {
		t.Errorf("a stale page was merged: %d rows", m.views.current().set.Len())
	}
}

func TestDuplicatesAcrossPagesAndPrune(t *testing.T) {
	m := newTestModel()
	all := sampleThreads(50)
	m.Update(pageMsg{id: 1, threads: all[:30]})
	m.Update(pageMsg{id: 1, threads: all[25:]})
	m.Update(loadDoneMsg{id: 1})
	if m.views.current().set.Len() != 50 {
		t.Fatalf("%d rows, want 50", m.views.current().set.Len())
	}
	// A refresh that no longer lists the first ten drops them at the end,
	// and their marks with them.
	m.marks.marks[all[0].ID], m.marks.marks[all[20].ID] = true, true
	expectLoad(m)
	m.Update(pageMsg{id: 2, threads: all[10:]})
	if m.views.current().set.Len() != 50 {
		t.Fatal("rows dropped before the refresh finished")
	}
	m.Update(loadDoneMsg{id: 2})
	if m.views.current().set.Len() != 40 || m.views.current().set.All()[0].ID != all[10].ID {
		t.Errorf("after prune %d rows, first %s", m.views.current().set.Len(), m.views.current().set.All()[0].ID)
	}
	if m.marks.has(all[0].ID) || !m.marks.has(all[20].ID) {
		t.Errorf("marks after prune: %v", m.marks)
	}
}

func TestLoadErrorShownAndRowsKept(t *testing.T) {
	m := newTestModel()
	m.Update(pageMsg{id: 1, threads: sampleThreads(5)})
	err := &api.Error{Method: "GET", Path: "/chatting/x/threads", Status: 401, Code: "API_KEY_NOT_VALID", Message: "bad \x1b]0;pwn\x07key"}
	m.Update(loadDoneMsg{id: 1, err: err})
	screen := ansi.Strip(m.render())
	for _, w := range []string{"Load failed", "401", "API_KEY_NOT_VALID", "check the API key", "Thread 4"} {
		if !strings.Contains(screen, w) {
			t.Errorf("screen lacks %q:\n%s", w, screen)
		}
	}
	if strings.Contains(m.render(), "\x1b]0;") {
		t.Error("an escape sequence from the server reached the screen")
	}
}

func TestTooSmall(t *testing.T) {
	m := newTestModel()
	m.Update(tea.WindowSizeMsg{Width: 30, Height: 6})
	if !strings.Contains(m.render(), "too small") {
		t.Error("no too-small message at 30x6")
	}
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	if strings.Contains(m.render(), "too small") {
		t.Error("too-small message stays after growing")
	}
}

func TestRowsFitWidth(t *testing.T) {
	for _, w := range []int{50, 80, 120, 200} {
		m := newTestModel()
		th := sampleThreads(3)
		th[0].Title = strings.Repeat("Wide title 漢字 ", 20)
		th[0].Tags = []string{"billing", "refund", "vip", "very-long-tag-name"}
		th[0].VisitorEmail = "someone.with.a.long.address@example.org"
		m.Update(pageMsg{id: 1, threads: th})
		m.Update(tea.WindowSizeMsg{Width: w, Height: 24})
		lines := strings.Split(m.render(), "\n")
		if len(lines) != 24 {
			t.Errorf("width %d: %d lines, want 24", w, len(lines))
		}
		for i, l := range lines {
			if got := ansi.StringWidthWc(l); got > w {
				t.Errorf("width %d: line %d is %d wide: %q", w, i, got, ansi.Strip(l))
			}
		}
	}
}

func TestLayoutDropsColumnsByPriority(t *testing.T) {
	titles := func(w int) string {
		chosen, _ := chooseColumns([]string{"flags", "title", "visitor", "tags", "unread", "feedback", "updated"})
		cols, _ := layout(chosen, w, fillState(chosen, rowsOf(filledThreads())), "")
		var s []string
		for _, c := range cols {
			s = append(s, c.title)
		}
		return strings.Join(s, ",")
	}
	if got := titles(200); got != "RAEI,Title,Visitor,Tags,New,+/-,Age" {
		t.Errorf("200: %s", got)
	}
	if got := titles(50); got != "RAEI,Title,Age" { // the title keeps 28 columns before any other shows
		t.Errorf("50: %s", got)
	}
}

// liveModel runs the console against an apitest server over HTTP.
func liveModel(t testing.TB, srvOpts apitest.Options, views ...threads.View) (*Model, *apitest.Server) {
	t.Helper()
	return liveModelWith(t, srvOpts, nil, views...)
}

// liveModelWith is liveModel with the client's config adjusted by tweak.
func liveModelWith(t testing.TB, srvOpts apitest.Options, tweak func(*api.Config), views ...threads.View) (*Model, *apitest.Server) {
	t.Helper()
	srv, base := serve(t, srvOpts)
	return consoleOn(t, srv, base, tweak, views...), srv
}

// serve runs an apitest server on a loopback port for the test.
func serve(t testing.TB, srvOpts apitest.Options) (*apitest.Server, string) {
	t.Helper()
	srvOpts.Now = func() time.Time { return fixedNow }
	srv := apitest.New(srvOpts)
	base, stop, err := srv.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return srv, base
}

// consoleOn is a console against a running server: several consoles on
// one server are several agents on one chatbot. Without views it shows
// one, All.
func consoleOn(t testing.TB, srv *apitest.Server, base string, tweak func(*api.Config), views ...threads.View) *Model {
	t.Helper()
	cfg := api.Config{BaseURL: base, ChatbotID: srv.ChatbotID(), APIKey: srv.APIKey(), RateLimit: -1}
	if tweak != nil {
		tweak(&cfg)
	}
	c, err := api.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	if len(views) == 0 {
		views = []threads.View{{Name: "All"}}
	}
	return New(Options{API: c, Now: func() time.Time { return fixedNow }, Source: "demo-bot", Context: ctx, ASCII: true,
		Views: views, Tick: noTick})
}

func TestLoadAgainstServer(t *testing.T) {
	m, srv := liveModel(t, apitest.Options{Threads: 250, MaxLimit: 50})
	s := startLoad(context.Background(), m.opts.API, 1, api.ListParams{}, api.LoadOptions{PageLimit: 100})
	v := m.views.current()
	v.loadID, v.load, v.loading, v.seen, v.fetched = 1, s, true, map[string]bool{}, map[int]bool{}
	for msg := range s.ch {
		m.Update(msg)
	}
	if m.views.current().loading || m.views.current().set.Len() != 250 || m.status.text != "" {
		t.Fatalf("loading=%v rows=%d status=%q", m.views.current().loading, m.views.current().set.Len(), m.status.text)
	}
	want := srv.Threads()
	for i := range want {
		if m.views.current().set.All()[i].ID != want[i].ID {
			t.Fatalf("row %d is %s, want %s", i, m.views.current().set.All()[i].ID, want[i].ID)
		}
	}
	if n := len(srv.Requests()); n != 5 {
		t.Errorf("%d requests for 250 threads at limit 50", n)
	}
}

func TestCancelledLoadStopsItsGoroutine(t *testing.T) {
	m, srv := liveModel(t, apitest.Options{Threads: 2000, MaxLimit: 10, Latency: 5 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	s := startLoad(ctx, m.opts.API, 1, api.ListParams{}, api.LoadOptions{})
	<-s.ch // first page
	cancel()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case _, ok := <-s.ch:
			if !ok {
				if n := len(srv.Requests()); n > 20 {
					t.Errorf("%d requests after cancelling", n)
				}
				return
			}
		case <-deadline:
			t.Fatal("the load goroutine did not end after cancel")
		}
	}
}

func TestDescribeError(t *testing.T) {
	err := fmt.Errorf("wrapped: %w", &api.Error{Status: 404, Message: "Chatbot not found"})
	if !strings.Contains(api.Describe(err), "check the chatbot id") {
		t.Error(api.Describe(err))
	}
	if api.Describe(errors.New("x")) != "x" {
		t.Error("plain errors changed")
	}
}

func TestHelpShowsKeysInForce(t *testing.T) {
	km, err := keymap.New(map[string][]string{"down": {"ctrl+n"}})
	if err != nil {
		t.Fatal(err)
	}
	m := New(Options{Keys: km})
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m.Update(key("?"))
	// The help scrolls at 80x24: read it page by page.
	screen := ansi.Strip(m.render())
	for range 4 {
		m.Update(tea.KeyPressMsg{Code: tea.KeyPgDown})
		screen += ansi.Strip(m.render())
	}
	if m.screen.top() != overlayHelp {
		t.Fatal("scrolling closed the help")
	}
	for _, w := range []string{"Move", "General", "Pending review", "half page down", "escalated", "ctrl+n    down",
		"x/delete  revert line", "123456789 view 1-9", "take theirs, all", "Search (/)", "a leading - negates"} {
		if !strings.Contains(screen, w) {
			t.Errorf("help lacks %q:\n%s", w, screen)
		}
	}
	if strings.Contains(screen, "~") {
		t.Errorf("the help cuts a text:\n%s", screen)
	}
	if strings.Contains(screen, "j/down") {
		t.Error("help shows the default j after rebinding down")
	}
	if lines := strings.Split(m.render(), "\n"); len(lines) > 24 {
		t.Errorf("help is %d lines at 80x24", len(lines))
	}
}

// filledThreads are threads that fill every column.
func filledThreads() []api.Thread {
	ts := sampleThreads(1)
	ts[0].Tags, ts[0].UnreadMessagesCount, ts[0].PositiveCount = []string{"vip"}, 2, 1
	return ts
}
