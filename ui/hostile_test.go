package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"triage/api"
	"triage/api/apitest"
	"triage/session"
)

// TestTitleFormStartsFromTheTitleShown: a title carrying escape sequences
// reaches the console clean; the title form starts from exactly the text
// the table shows, and enter without a change queues nothing.
func TestTitleFormStartsFromTheTitleShown(t *testing.T) {
	m, srv := liveModel(t, apitest.Options{Threads: 5, Seed: 2})
	x := srv.Threads()[0]
	srv.Change(x.ID, func(th *api.Thread) { th.Title = "Help\x1b]0;PWNED\x07\x1b[2J\x1b[31mRED #1003" })
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	drain(t, m, m.Init())
	if got := m.table.current().Title; got != "HelpRED #1003" {
		t.Fatalf("the title decoded as %q", got)
	}
	burst(sendTo(m), "T")
	if !strings.Contains(screenOf(m), "> HelpRED #1003") {
		t.Errorf("the form does not start from the title shown:\n%s", screenOf(m))
	}
	burst(sendTo(m), "<enter>")
	if m.sess.Queue().Len() != 0 || m.status.text != "No change: nothing queued" {
		t.Errorf("enter without a change queued %v (%q)", m.sess.Queue().IDs(), m.status.text)
	}
}

// TestRowsAreExactlyTheTerminalsWidth: titles and names of every kind of
// wide or joined text (ZWJ families, skin tones, Thai, Hangul jamo, CJK,
// format characters) leave every row exactly the terminal's width as the
// renderer measures it in tmux and over SSH (wcwidth), so no column is
// pushed off the row.
func TestRowsAreExactlyTheTerminalsWidth(t *testing.T) {
	texts := []string{
		strings.Repeat("👨\u200d👩\u200d👧\u200d👦", 8), "👍🏽👍🏿 thumbs", "ภาษาไทย ผู้ใช้งาน", "\u1100\u1161\u11a8 jamo",
		"漢字かな交じり文の件名", "zero\u200bwidth\ufeff\u00adsoft\u2028x", "e\u0301\u0301 combining",
	}
	srv, base := serve(t, apitest.Options{Threads: len(texts), Seed: 5})
	for i, th := range srv.Threads() {
		srv.Change(th.ID, func(x *api.Thread) { x.Title, x.VisitorName, x.Tags = texts[i], texts[len(texts)-1-i], []string{"tag"} })
	}
	m := consoleOn(t, srv, base, nil)
	for _, w := range []int{80, 120, 200} {
		m.Update(tea.WindowSizeMsg{Width: w, Height: 20})
		drain(t, m, m.Init())
		lines := strings.Split(m.render(), "\n")
		for i, l := range lines[2 : 2+len(texts)] {
			if got := ansi.StringWidthWc(l); got != w {
				t.Errorf("width %d: row %d is %d cells as the renderer measures: %q", w, i, got, ansi.Strip(l))
			}
		}
	}
}

// TestRetriesSayAttemptAndSince: while a request is retried, the status
// line says which attempt failed, why, and since when; an answer clears it.
func TestRetriesSayAttemptAndSince(t *testing.T) {
	m, _, _ := loadedModelWith(t, 3, &fakeAPI{}, session.Options{Now: fixedClock})
	timeout := fmt.Errorf("no answer in time (timeout): %w", context.DeadlineExceeded)
	m.Update(apiEventMsg{api.Event{Kind: api.EventRetry, Method: "GET", Path: "/chatting/b/threads", Attempt: 2, Of: 6, Err: timeout, Wait: time.Second}})
	if scr := screenOf(m); !strings.Contains(scr, "attempt 2 of 6 failed, waiting since 12:00:00: no answer in time (timeout)") {
		t.Errorf("the status line while retrying:\n%s", scr)
	}
	m.Update(apiEventMsg{api.Event{Kind: api.EventRequest, Method: "GET", Path: "/chatting/b/threads", Status: 200}})
	if strings.Contains(screenOf(m), "attempt 2 of 6") {
		t.Error("an answer did not clear the retry")
	}
	line, _ := logLine(api.Event{Kind: api.EventRetry, Method: "GET", Path: "/x", Attempt: 1, Of: 6, Err: timeout})
	if strings.Count(line, "GET /x") != 1 {
		t.Errorf("the event log repeats the request: %q", line)
	}
}
