package ui

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"triage/api"
	"triage/api/apitest"
	"triage/threads"
)

// Two agents at two consoles on one chatbot, in every way their work can
// collide, against a server that caps the page at 50 and whose list rows
// carry neither mode nor notes (as documented; modes only where a
// scenario says the server shows them). Each scenario asserts what the
// server holds at the end: no agent's edit is overwritten without the
// other being told (a conflict held back from the send).

// collision is one scenario: what A, B (and a third party) do to thread
// x, and what the server must hold at the end.
type collision struct {
	name  string
	modes bool // the server shows modes in its threads
	run   func(t *testing.T, a, b *Model, srv *apitest.Server, x string)
	// held is the console whose send must hold a conflict back (nil: none).
	held func(a, b *Model) *Model
	// want checks the server's copy of x at the end (before: at the
	// start); it returns what it holds.
	want func(t *testing.T, before, th api.Thread) string
}

// pairOn starts two loaded consoles on one server of 80 threads, with
// the default views, showing All (where every thread is).
func pairOn(t *testing.T, modes bool) (a, b *Model, srv *apitest.Server) {
	t.Helper()
	srv, base := serve(t, apitest.Options{Threads: 80, Seed: 21, MaxLimit: 50, ExposeModeAndNotes: modes})
	views := threads.DefaultViews()
	a, b = consoleOn(t, srv, base, nil, views...), consoleOn(t, srv, base, nil, views...)
	for _, m := range []*Model{a, b} {
		m.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
		drain(t, m, m.Init())
		drain(t, m, m.switchView(len(views)-1))
	}
	return a, b, srv
}

func second(_, b *Model) *Model { return b }
func first(a, _ *Model) *Model  { return a }

func collisions() []collision {
	title := func(th api.Thread) string { return "title " + th.Title }
	return []collision{
		{name: "tags: +alpha and +beta", run: func(t *testing.T, a, b *Model, _ *apitest.Server, _ string) {
			act(t, a, "t", "+alpha", "<enter>")
			act(t, b, "t", "+beta", "<enter>")
			act(t, a, "w", "y")
			act(t, b, "w", "y")
		}, want: func(t *testing.T, before, th api.Thread) string {
			if !slices.Contains(th.Tags, "alpha") || !slices.Contains(th.Tags, "beta") {
				t.Errorf("tags %v: one agent's tag was lost", th.Tags)
			}
			return fmt.Sprintf("tags %v", th.Tags)
		}},
		{name: "title: A renames, then B", held: second, run: func(t *testing.T, a, b *Model, _ *apitest.Server, _ string) {
			act(t, a, "T", "<ctrl+u>", "From A", "<enter>")
			act(t, b, "T", "<ctrl+u>", "From B", "<enter>")
			act(t, a, "w", "y")
			act(t, b, "w", "y")
		}, want: func(t *testing.T, before, th api.Thread) string {
			if th.Title != "From A" {
				t.Errorf("B overwrote A's title: %q", th.Title)
			}
			return title(th)
		}},
		{name: "notes: both write, no pane opened", held: second, run: func(t *testing.T, a, b *Model, _ *apitest.Server, _ string) {
			act(t, a, "n", "From A", "<tab>", "<enter>")
			act(t, b, "n", "From B", "<tab>", "<enter>")
			act(t, a, "w", "y")
			act(t, b, "w", "y")
		}, want: wantNotes("From A")},
		{name: "notes: a third party writes while B's are queued", held: second, run: func(t *testing.T, _, b *Model, srv *apitest.Server, x string) {
			act(t, b, "n", "From B", "<tab>", "<enter>")
			srv.Change(x, func(th *api.Thread) { th.InternalNotes = api.Value("From a third party") })
			act(t, b, "w", "y")
		}, want: wantNotes("From a third party")},
		{name: "notes: B sets notes on two threads never read", held: second, run: func(t *testing.T, _, b *Model, srv *apitest.Server, x string) {
			srv.Change(x, func(th *api.Thread) { th.InternalNotes = api.Value("Kept") })
			act(t, b, "x", "j", "x", "n", "Bulk", "<tab>", "<enter>", "y")
			act(t, b, "w", "y")
		}, want: wantNotes("Kept")},
		{name: "mode: HUMAN then AGENT, the server shows modes", modes: true, held: second, run: func(t *testing.T, a, b *Model, _ *apitest.Server, _ string) {
			act(t, a, "m", "j", "j", "<enter>")
			act(t, b, "m", "j", "<enter>")
			act(t, a, "w", "y")
			act(t, b, "w", "y")
		}, want: wantMode(api.ModeHuman)},
		{name: "mode: HUMAN then AGENT, the server shows no modes", held: second, run: func(t *testing.T, a, b *Model, _ *apitest.Server, _ string) {
			act(t, a, "m", "j", "j", "<enter>")
			act(t, b, "m", "j", "<enter>")
			act(t, a, "w", "y")
			act(t, b, "w", "y")
		}, want: wantMode(api.ModeHuman)},
		{name: "flags: A resolves, B archives", run: func(t *testing.T, a, b *Model, _ *apitest.Server, _ string) {
			act(t, a, "d")
			act(t, b, "e")
			act(t, a, "w", "y")
			act(t, b, "w", "y")
		}, want: func(t *testing.T, before, th api.Thread) string {
			if !th.Resolved || !th.Archived {
				t.Errorf("resolved %v archived %v", th.Resolved, th.Archived)
			}
			return fmt.Sprintf("resolved %v, archived %v", th.Resolved, th.Archived)
		}},
		{name: "tags: B's =list queued, A adds +extra and sends first", held: second, run: func(t *testing.T, a, b *Model, _ *apitest.Server, _ string) {
			act(t, b, "t", "=only", "<enter>")
			act(t, a, "t", "+extra", "<enter>", "w", "y")
			act(t, b, "w", "y")
		}, want: func(t *testing.T, before, th api.Thread) string {
			if !slices.Contains(th.Tags, "extra") {
				t.Errorf("B's exact list wiped A's tag: %v", th.Tags)
			}
			return fmt.Sprintf("tags %v", th.Tags)
		}},
		{name: "tags: B sends =list first, then A's +extra", run: func(t *testing.T, a, b *Model, _ *apitest.Server, _ string) {
			act(t, a, "t", "+extra", "<enter>")
			act(t, b, "t", "=only", "<enter>", "w", "y")
			act(t, a, "w", "y")
		}, want: func(t *testing.T, before, th api.Thread) string {
			if want := append(slices.Clone(before.Tags), "only", "extra"); !slices.Equal(th.Tags, want) {
				t.Errorf("tags %v, want %v: B's list, then A's tag", th.Tags, want)
			}
			return fmt.Sprintf("tags %v", th.Tags)
		}},
		{name: "title: a third party renames while A's is queued, seen by the poll", held: first, run: func(t *testing.T, a, _ *Model, srv *apitest.Server, x string) {
			act(t, a, "T", "<ctrl+u>", "From A", "<enter>")
			srv.Change(x, func(th *api.Thread) { th.Title = "From a third party" })
			drain(t, a, a.run(a.sess.Poll()))
			act(t, a, "w") // nothing else queued: nothing to ask
		}, want: func(t *testing.T, before, th api.Thread) string {
			if th.Title != "From a third party" {
				t.Errorf("A overwrote the title: %q", th.Title)
			}
			return title(th)
		}},
		{name: "tags: a third party tags while A's -old +new are queued", run: func(t *testing.T, a, _ *Model, srv *apitest.Server, x string) {
			srv.Change(x, func(th *api.Thread) { th.Tags = []string{"old"} })
			drain(t, a, a.run(a.sess.Poll()))
			act(t, a, "t", "-old +new", "<enter>")
			srv.Change(x, func(th *api.Thread) { th.Tags = append(th.Tags, "third") })
			act(t, a, "w", "y")
		}, want: func(t *testing.T, before, th api.Thread) string {
			if !slices.Equal(th.Tags, []string{"third", "new"}) {
				t.Errorf("tags %v, want [third new]", th.Tags)
			}
			return fmt.Sprintf("tags %v", th.Tags)
		}},
		{name: "title and flag: A renames and marks important, B renamed first", held: first, run: func(t *testing.T, a, b *Model, _ *apitest.Server, _ string) {
			act(t, a, "T", "<ctrl+u>", "From A", "<enter>", "i")
			act(t, b, "T", "<ctrl+u>", "From B", "<enter>", "w", "y")
			act(t, a, "w", "y")
		}, want: func(t *testing.T, before, th api.Thread) string {
			if th.Title != "From B" || th.Important == before.Important {
				t.Errorf("title %q important %v: want B's title and A's flag", th.Title, th.Important)
			}
			return fmt.Sprintf("title %q, important %v", th.Title, th.Important)
		}},
	}
}

func wantNotes(want string) func(*testing.T, api.Thread, api.Thread) string {
	return func(t *testing.T, _, th api.Thread) string {
		if got, _ := th.InternalNotes.Get(); got != want {
			t.Errorf("notes %q, want %q", got, want)
		}
		return "notes " + th.InternalNotes.String()
	}
}

func wantMode(want api.Mode) func(*testing.T, api.Thread, api.Thread) string {
	return func(t *testing.T, _, th api.Thread) string {
		if th.Mode != want {
			t.Errorf("mode %q, want %q", th.Mode, want)
		}
		return "mode " + string(th.Mode)
	}
}

// TestTwoAgentsNeverOverwriteEachOther runs every collision. The console
// that must hold a conflict back says so in its status line and names the
// field in its event log.
func TestTwoAgentsNeverOverwriteEachOther(t *testing.T) {
	for _, c := range collisions() {
		t.Run(c.name, func(t *testing.T) {
			a, b, srv := pairOn(t, c.modes)
			x := a.table.current().ID
			if b.table.current().ID != x {
				t.Fatalf("the consoles start on %s and %s", x, b.table.current().ID)
			}
			before, _ := srv.Thread(x)
			c.run(t, a, b, srv, x)
			th, ok := srv.Thread(x)
			if !ok {
				t.Fatal("the thread is gone")
			}
			got := c.want(t, before, th)
			if c.held == nil {
				for _, m := range []*Model{a, b} {
					if n := m.sess.Queue().Conflicts(); n > 0 {
						t.Errorf("a conflict where none should be: %v", m.sess.Queue().Get(x))
					}
				}
				t.Logf("%s → %s", c.name, got)
				return
			}
			m := c.held(a, b)
			e := m.sess.Queue().Get(x)
			if e == nil || e.Conflicts() == 0 {
				t.Fatalf("the losing edit is not a conflict: %+v", e)
			}
			if !strings.Contains(m.status.text, "conflict") {
				t.Errorf("the status line does not say a conflict was held back: %q", m.status.text)
			}
			if !slices.ContainsFunc(logTexts(m), func(l string) bool { return strings.Contains(l, "Held back from the send") && strings.Contains(l, x) }) {
				t.Errorf("the event log does not name the held-back field: %q", logTexts(m))
			}
			t.Logf("%s → %s (the other edit held back as a conflict)", c.name, got)
		})
	}
}

// TestPaneSaysAModeWasSentWhereTheServerShowsNone: after a mode is sent to
// a server whose threads carry no mode, the pane and the reader say what
// was sent and when, instead of "-".
func TestPaneSaysAModeWasSentWhereTheServerShowsNone(t *testing.T) {
	a, _, _ := pairOn(t, false)
	act(t, a, "m", "j", "j", "<enter>", "w", "y", "R")
	want := "mode HUMAN (sent " + fixedNow.Local().Format("15:04") + "; this server does not show modes)"
	if scr := screenOf(a); !strings.Contains(scr, want) {
		t.Errorf("the pane does not say the mode was sent:\n%s", scr)
	}
}
