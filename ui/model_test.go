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
	"triage/session"
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
	m, f, r := fedConsole(t)
	r.page(f, sampleThreads(100), 100)
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
	m, f, r := fedConsole(t)
	all := sampleThreads(300)
	// Pages arrive out of order, as concurrent loads deliver them.
	r.page(f, all[100:200], 100)
	r.key("j", "j")
	want := m.table.current().ID
	screenRow := m.table.cursor - m.table.offset
	r.page(f, all[:100], 200)
	r.page(f, all[200:], 300)
	if got := m.table.current().ID; got != want {
		t.Fatalf("cursor moved from %s to %s", want, got)
	}
	if m.table.cursor-m.table.offset != screenRow {
		t.Errorf("cursor jumped on screen from row %d to %d", screenRow, m.table.cursor-m.table.offset)
	}
	for i, th := range m.sess.Current().List().All() {
		if th.ID != all[i].ID {
			t.Fatalf("row %d is %s, want %s (newest first)", i, th.ID, all[i].ID)
		}
	}
}

func TestLoadErrorShownAndRowsKept(t *testing.T) {
	m, f, r := fedConsole(t)
	r.page(f, sampleThreads(5), 5)
	err := &api.Error{Method: "GET", Path: "/chatting/x/threads", Status: 401, Code: "API_KEY_NOT_VALID", Message: "bad \x1b]0;pwn\x07key"}
	f.end <- err
	r.until("the load's end", func() bool { return !m.sess.Current().Loader().Loading() })
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
	m, _, _ := fedConsole(t)
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
		m, f, r := fedConsole(t)
		th := sampleThreads(3)
		th[0].Title = strings.Repeat("Wide title 漢字 ", 20)
		th[0].Tags = []string{"billing", "refund", "vip", "very-long-tag-name"}
		th[0].VisitorEmail = "someone.with.a.long.address@example.org"
		r.page(f, th, 3)
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
		cols, _ := layout(chosen, w-gutterWidth, fillState(chosen, rowsOf(filledThreads()), cellEnv{}), "")
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

// liveConsole is liveModel over a session of opts.
func liveConsole(t testing.TB, srvOpts apitest.Options, opts session.Options) (*Model, *apitest.Server) {
	t.Helper()
	srv, base := serve(t, srvOpts)
	return consoleWith(t, srv, base, nil, opts), srv
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
	return consoleWith(t, srv, base, tweak, session.Options{Views: views})
}

// consoleWith is consoleOn with a session of opts (its API, clock and
// context set here; without views, All).
func consoleWith(t testing.TB, srv *apitest.Server, base string, tweak func(*api.Config), opts session.Options) *Model {
	t.Helper()
	return consoleUI(t, srv, base, tweak, opts, Options{ASCII: true})
}

// consoleUI is consoleWith with the console's options uopts (its source
// and context set here).
func consoleUI(t testing.TB, srv *apitest.Server, base string, tweak func(*api.Config), opts session.Options, uopts Options) *Model {
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
	if len(opts.Views) == 0 {
		opts.Views = []threads.View{{Name: "All"}}
	}
	opts.API, opts.Context = c, ctx
	if opts.Now == nil {
		opts.Now = fixedClock
	}
	uopts.Source, uopts.Context = "demo-bot", ctx
	return testConsole(opts, uopts)
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
	m := testConsole(session.Options{API: &fakeAPI{}}, Options{Keys: km})
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
