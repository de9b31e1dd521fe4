package ui

import (
	"strings"
	"testing"

	"triage/api"
	"triage/api/apitest"
	"triage/keymap"
	"triage/queue"
	"triage/session"
	"triage/threads"
)

func TestPaletteFindsAndRunsAnAction(t *testing.T) {
	m, _, _ := twoConsoles(t)
	x := m.table.current()
	act(t, m, ":", "resolved")
	if scr := screenOf(m); !strings.Contains(scr, "Edit: resolved") || strings.Contains(scr, "Move: down") {
		t.Fatalf("the palette does not filter:\n%s", scr)
	}
	act(t, m, "<enter>")
	if e := m.sess.Queue().Get(x.ID); e == nil || e.Flags[queue.Resolved] == nil || e.Flags[queue.Resolved].Want == x.Resolved || m.screen.form != nil {
		t.Errorf("resolved not toggled on the cursor's thread: %+v", e)
	}
}

func TestPaletteRunsAMacroWithoutAKey(t *testing.T) {
	m, _, _ := twoConsoles(t)
	refund := spamMacro()
	refund.Name, refund.Notes = "Needs a refund", nil
	km, err := keymap.New(nil, keymap.Own{Name: "Spam", Key: "D"}, keymap.Own{Name: refund.Name})
	if err != nil {
		t.Fatal(err)
	}
	m.opts.Keys, m.opts.Macros = km, []Macro{spamMacro(), refund}
	act(t, m, ":", "refund", "<enter>")
	if m.sess.Queue().Len() != 1 || !strings.Contains(m.status.text, "Macro Needs a refund") {
		t.Errorf("%d queued, status %q", m.sess.Queue().Len(), m.status.text)
	}
}

func TestPaletteShowsAViewAndSorts(t *testing.T) {
	m, _, _ := twoConsoles(t, threads.View{Name: "Inbox"}, threads.View{Name: "Escalated"})
	act(t, m, ":", "view esc", "<enter>")
	if m.sess.Current().Index() != 1 {
		t.Errorf("view %d shown, want Escalated", m.sess.Current().Index())
	}
	act(t, m, ":", "sort title", "<tab>", "<enter>")
	if d := m.sess.Current().Def(); d.Sort != threads.SortTitle || !d.Reverse {
		t.Errorf("sort %v reverse %v, want title Z to A", d.Sort, d.Reverse)
	}
	act(t, m, ":", "no such thing", "<enter>")
	if m.screen.form == nil || !strings.Contains(screenOf(m), "Nothing by that name") {
		t.Error("enter on no match closed the palette")
	}
	act(t, m, "<esc>")
	if m.screen.form != nil {
		t.Error("esc did not close the palette")
	}
}

func TestPaletteRunsACommand(t *testing.T) {
	m, _, _ := twoConsoles(t)
	withCommand(t, m, Command{Name: "Grep the log"}, `echo found {{.ID}}`)
	act(t, m, ":", "grep", "<enter>")
	if want := "Grep the log: found " + m.table.current().ID; m.status.text != want {
		t.Errorf("status %q, want %q", m.status.text, want)
	}
}

func TestPaletteInTheReaderAndTheReview(t *testing.T) {
	m, _, _ := twoConsoles(t)
	first := m.table.current().ID
	act(t, m, "R", ":", "next thread", "<enter>")
	if m.screen.top() != overlayReader || m.table.current().ID == first {
		t.Errorf("the reader's next thread from the palette: top %v, on %s", m.screen.top(), m.table.current().ID)
	}
	act(t, m, "<esc>", "d", "p", ":", "sort")
	if scr := screenOf(m); !strings.Contains(scr, "Nothing by that name") {
		t.Fatalf("the review's palette offers orders:\n%s", scr)
	}
	act(t, m, "<esc>", ":", "revert")
	if scr := screenOf(m); !strings.Contains(scr, "Pending review: revert line") {
		t.Fatalf("the review's palette lacks revert:\n%s", scr)
	}
	act(t, m, "<enter>")
	if m.sess.Queue().Len() != 0 || m.screen.top() != overlayReview {
		t.Errorf("revert from the palette left %d queued, top %v", m.sess.Queue().Len(), m.screen.top())
	}
}

// savedRecorder keeps what the console saves, as the file would.
type savedRecorder struct{ saves [][]threads.View }

func (r *savedRecorder) Save(views []threads.View) error {
	r.saves = append(r.saves, views)
	return nil
}

// TestAViewIsSavedAndRemovedFromThePalette: "save view NAME" makes the
// view shown and its search a view of its own (shown at once, in the
// file), a name in use is refused, and the palette removes it again.
func TestAViewIsSavedAndRemovedFromThePalette(t *testing.T) {
	srv, base := serve(t, apitest.Options{Threads: 60, Seed: 4})
	f := false
	views := []threads.View{{Name: "Inbox", Params: api.ListParams{Resolved: &f, Archived: &f}}, {Name: "All"}}
	rec := &savedRecorder{}
	m := consoleUI(t, srv, base, nil, session.Options{Views: views}, Options{ASCII: true, SavedViews: rec})
	drain(t, m, m.Init())
	act(t, m, "2") // All, read to its end: the Inbox is drawn from it
	act(t, m, "1", "/", "refund", "<enter>")
	want := len(m.table.rows)
	act(t, m, ":", "save view Refunds", "<enter>")
	if n := len(m.sess.Views()); n != 3 || m.sess.Current().Def().Name != "Refunds" {
		t.Fatalf("%d views, showing %q: %q", n, m.sess.Current().Def().Name, m.status.text)
	}
	if !strings.Contains(m.status.text, "Saved the view “Refunds” (3): its filters and the search “refund”") {
		t.Errorf("the status line after saving: %q", m.status.text)
	}
	if len(m.table.rows) != want || want == 0 || !m.search.query.Empty() {
		t.Errorf("the saved view shows %d rows (the search showed %d), search line %q", len(m.table.rows), want, m.search.query)
	}
	if len(rec.saves) != 1 || len(rec.saves[0]) != 1 || rec.saves[0][0].Search.String() != "refund" || *rec.saves[0][0].Params.Resolved {
		t.Errorf("saved %+v", rec.saves)
	}
	act(t, m, ":", "save view inbox", "<enter>")
	if len(m.sess.Views()) != 3 || !strings.Contains(m.status.text, "named “inbox” already") {
		t.Errorf("a name in use: %q", m.status.text)
	}
	act(t, m, ":", "remove saved view refunds", "<enter>")
	if len(m.sess.Views()) != 2 || len(rec.saves) != 2 || len(rec.saves[1]) != 0 || m.sess.Current().Def().Name == "Refunds" {
		t.Errorf("after removing: %d views, saves %+v, showing %q", len(m.sess.Views()), rec.saves, m.sess.Current().Def().Name)
	}
}
