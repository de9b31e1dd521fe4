package apitest

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"time"

	"triage/api"
)

// Other agents: several consoles triage one chatbot at once, and visitors
// start conversations while they do. These hooks let a test or a person
// at the demo server play the other side.

// Change applies change to a thread as another agent's send would: the
// thread (with mode and notes filled in) is changed and its updatedAt
// moves forward. It reports whether the thread exists.
func (s *Server) Change(id string, change func(t *api.Thread)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.threads[id]
	if !ok {
		return false
	}
	t := rec.full()
	change(&t)
	rec.mode, rec.notes = t.Mode, t.InternalNotes
	t.Mode, t.InternalNotes = "", api.Nullable{}
	t.UpdatedAt = s.later(rec.UpdatedAt)
	rec.Thread = t
	s.touch()
	return true
}

// Delete removes a thread, as a deletion in the dashboard would: reads of
// it answer 404, and sends skip it.
func (s *Server) Delete(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.threads, id)
	s.touch()
}

// later is now, or just after prev when the clock has not moved past it,
// so a change always moves updatedAt forward.
func (s *Server) later(prev time.Time) time.Time {
	now := s.opts.Now().UTC().Truncate(time.Millisecond)
	if !now.After(prev) {
		now = prev.Add(time.Millisecond)
	}
	return now
}

// AddThreads adds n new conversations, updated now, as visitors starting
// them would, and returns their ids.
func (s *Server) AddThreads(n int) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.added++
	recs := generate(n, s.opts.ChatbotID, s.opts.Seed+uint64(s.added)*7919, s.opts.Now())
	ids := make([]string, 0, n)
	for i := range recs {
		r := recs[i]
		r.ID = fmt.Sprintf("th_new%03d%04d", s.added, i+1)
		r.Resolved, r.Archived = false, false
		r.UpdatedAt = s.later(time.Time{})
		r.sessions, r.messages = visitorStats(r.ID)
		s.add(r)
		ids = append(ids, r.ID)
	}
	return ids
}

// OtherAgent does what a colleague at another console might: it marks one
// of the newest open threads important, tags it "seen-by-colleague" and
// retitles it, and a visitor starts a new conversation. It returns what
// it did, for the demo server's log.
func (s *Server) OtherAgent(rng *rand.Rand) string {
	s.mu.Lock()
	var open []string
	for _, r := range s.sortedLocked() {
		if !r.Resolved && !r.Archived {
			open = append(open, r.ID)
		}
		if len(open) == 20 {
			break
		}
	}
	s.mu.Unlock()
	did := ""
	if len(open) > 0 {
		id := open[rng.IntN(len(open))]
		s.Change(id, func(t *api.Thread) {
			t.Important = true
			if !slices.Contains(t.Tags, "seen-by-colleague") {
				t.Tags = append(t.Tags, "seen-by-colleague")
			}
			t.Title = "Checked by a colleague: " + t.Title
		})
		did = "changed " + id + "; "
	}
	return did + "added " + s.AddThreads(1)[0]
}

// handleNewThread serves POST {Prefix}/_demo/new-thread: a visitor starts
// a conversation, which the bot escalated at once with ?escalated=true
// (to try alerts by hand).
func (s *Server) handleNewThread(w http.ResponseWriter, r *http.Request) {
	if !s.authorize(w, r) {
		return
	}
	id := s.AddThreads(1)[0]
	if r.URL.Query().Get("escalated") == "true" {
		s.Change(id, func(t *api.Thread) { t.Escalated = true })
	}
	b, _ := json.Marshal(map[string]any{"success": true, "message": "added " + id})
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(b)
}

// handleOtherAgent serves POST {Prefix}/_demo/other-agent: one move of
// the other agent, for trying two consoles by hand.
func (s *Server) handleOtherAgent(w http.ResponseWriter, r *http.Request) {
	if !s.authorize(w, r) {
		return
	}
	s.mu.Lock()
	s.agentRand++
	rng := rand.New(rand.NewPCG(s.opts.Seed, uint64(s.agentRand)))
	s.mu.Unlock()
	did := s.OtherAgent(rng)
	b, _ := json.Marshal(map[string]any{"success": true, "message": did})
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(b)
}
