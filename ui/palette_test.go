package ui

import (
	"strings"
	"testing"

	"triage/keymap"
	"triage/queue"
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
