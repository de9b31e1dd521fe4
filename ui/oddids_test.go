package ui

import (
	"net/http"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"triage/api"
	"triage/api/apitest"
)

// TestASendWithAnOddIDGoesWhole: ten tag edits, one on a thread whose id is
// "..", are read and sent like any others: the reads before the send
// reach the right thread and the PATCH carries all ten.
func TestASendWithAnOddIDGoesWhole(t *testing.T) {
	srv, base := serve(t, apitest.Options{Threads: 5, Seed: 2})
	ids := []string{"..", "th_a", "th_b", "th_c", "th_d", "th_e", "th_f", "th_g", "th_h", "a/b"}
	for i, id := range ids {
		srv.Put(api.Thread{ID: id, ChatbotID: srv.ChatbotID(), Title: "odd " + id,
			UpdatedAt: fixedNow.Add(time.Duration(i+1) * time.Minute)}, "", api.Null())
	}
	m := consoleOn(t, srv, base, nil)
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	drain(t, m, m.Init())
	act(t, m, strings.Repeat(" ", len(ids)), "t", "+seen", "<enter>")
	if m.sess.Queue().Len() != len(ids) {
		t.Fatalf("queued %v", m.sess.Queue().IDs())
	}
	srv.ResetRequests()
	act(t, m, "w", "y")
	if m.sess.Queue().Len() != 0 || len(srv.RequestsFor(http.MethodPatch)) != 1 {
		t.Fatalf("not all sent: queue %v, status %q", m.sess.Queue().IDs(), m.status.text)
	}
	for _, id := range ids {
		if th, _ := srv.Thread(id); !strings.Contains(strings.Join(th.Tags, " "), "seen") {
			t.Errorf("%q was not sent: tags %v", id, th.Tags)
		}
	}
}
