package apitest

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"net/http"
	"strings"
	"time"

	"triage/api"
)

// Conversations: each thread's messages are generated from its id, the
// same every time: 1 to 40 of them, visitor, bot and agent turns and now
// and then a system line, some long, some on several lines, reactions on
// the bot's answers.

// Conversation is the generated conversation of t, as the messages
// endpoint serves it (benchmarks hold it as the console would).
func Conversation(t api.Thread) []api.Message { return conversation(t) }

// conversation generates the messages of a thread.
func conversation(t api.Thread) []api.Message {
	h := fnv.New64a()
	_, _ = h.Write([]byte(t.ID))
	rng := rand.New(rand.NewPCG(h.Sum64(), 7))
	n := 1 + rng.IntN(40)
	at := t.StartedAt
	if at.IsZero() {
		at = t.UpdatedAt.Add(-time.Hour)
	}
	step := max(time.Second, t.UpdatedAt.Sub(at)/time.Duration(n+1))
	topic := t.Title
	if topic == "" {
		topic = "my account"
	}
	out := make([]api.Message, 0, n)
	for i := range n {
		at = at.Add(step)
		m := api.Message{ID: fmt.Sprintf("%s-m%02d", t.ID, i+1), ThreadID: t.ID, CreatedAt: at, UpdatedAt: at}
		switch {
		case i == 0:
			m.Role, m.Content = "USER", "Hi, about "+strings.ToLower(topic)+": can you help?"
		case i%7 == 6:
			m.Role, m.Content = "SYSTEM", "The conversation was handed to a human agent."
		case i%2 == 1 && rng.IntN(5) == 0:
			m.Role, m.Content, m.EditedBy = "AGENT", "This is an agent. I have looked into it:\nyour request is being processed,\nand you will hear from us within a day.", "agent@example.com"
		case i%2 == 1:
			m.Role = []string{"ASSISTANT", "assistant", "ai", "bot"}[rng.IntN(4)]
			m.Content = botAnswers[rng.IntN(len(botAnswers))]
			m.Reaction = []string{"", "", "POSITIVE", "NEGATIVE"}[rng.IntN(4)]
		default:
			m.Role = []string{"USER", "user"}[rng.IntN(2)]
			m.Content = visitorLines[rng.IntN(len(visitorLines))]
		}
		out = append(out, m)
	}
	return out
}

var botAnswers = []string{
	"I can help with that. Could you tell me your order number?",
	"Thanks! I have found your order. It shipped yesterday and should arrive within three working days.",
	"Here is what I found in our help centre:\n\n1. Open Settings.\n2. Choose Account.\n3. Press Export and wait for the email.\n\nDoes that answer your question?",
	strings.Repeat("Our refund policy allows returns within 30 days of delivery for items in their original condition. ", 6),
	"I am sorry, I do not have an answer to that. Would you like to talk to a human?",
}

var visitorLines = []string{
	"It's #4471.", "That did not work, I still cannot log in.", "Yes please.", "Thanks, that helps!",
	"I was charged twice this month\nand nobody answers my emails.\nThis is the third time I write.",
	"Can I talk to a human?", "ok",
}

// handleMessages serves GET …/thread/{threadId}/messages, or refuses it
// as a deployment that keeps it from API keys does.
func (s *Server) handleMessages(w http.ResponseWriter, r *http.Request) {
	if !s.authorize(w, r) {
		return
	}
	if code := s.opts.RefuseMessages; code != 0 {
		writeError(w, code, "MESSAGES_FORBIDDEN", "This endpoint is not available to API keys", nil)
		return
	}
	s.mu.Lock()
	rec, ok := s.threads[r.PathValue("threadId")]
	var msgs []api.Message
	if ok {
		msgs = conversation(rec.Thread)
	}
	s.mu.Unlock()
	if !ok {
		writeError(w, http.StatusNotFound, "THREAD_NOT_FOUND", "Thread not found", nil)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"success": true, "data": map[string]any{"messages": msgs}})
}
