package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"triage/sanitize"
)

// Role is who wrote a message, as the reader shows it.
type Role int

// The roles; RoleOther keeps the server's own word in Message.Role.
const (
	RoleVisitor Role = iota
	RoleBot
	RoleAgent
	RoleSystem
	RoleOther
)

// Message is one message of a conversation. Role is the server's word,
// cleaned; Kind reads it in any case and spelling.
type Message struct {
	ID        string    `json:"id"`
	ThreadID  string    `json:"threadId"`
	Role      string    `json:"role"`
	Content   string    `json:"content"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
	EditedBy  string    `json:"editedBy"`
	Reaction  string    `json:"reaction"`
}

// Kind reads the role: USER, ASSISTANT, AGENT, SYSTEM in any case, and
// also user / assistant / ai / bot; anything else is RoleOther.
func (m Message) Kind() Role {
	switch strings.ToLower(m.Role) {
	case "user", "visitor", "customer":
		return RoleVisitor
	case "assistant", "ai", "bot":
		return RoleBot
	case "agent", "human", "operator":
		return RoleAgent
	case "system":
		return RoleSystem
	}
	return RoleOther
}

// Author says who wrote the message for people: Visitor, Bot, Agent or
// System, else the server's own word.
func (m Message) Author() string {
	switch m.Kind() {
	case RoleVisitor:
		return "Visitor"
	case RoleBot:
		return "Bot"
	case RoleAgent:
		return "Agent"
	case RoleSystem:
		return "System"
	}
	return m.Role
}

// Messages is a conversation, oldest first, and the messages of the
// answer that could not be read.
type Messages struct {
	List    []Message
	Skipped Skipped
}

// ListMessages reads a thread's conversation. The endpoint is the one
// ContextGPT's dashboard reads and is not in the public reference: a
// deployment may refuse it to an API key (401, 403 or 404), which the
// caller should take as "this server does not let keys read messages".
// A malformed message is skipped and counted; every string is cleaned,
// the content keeping its line breaks.
func (c *Client) ListMessages(ctx context.Context, threadID string) (Messages, error) {
	type data struct {
		Messages []json.RawMessage `json:"messages"`
	}
	r := request{method: http.MethodGet, path: c.chatbotPath("/thread/" + Segment(threadID) + "/messages"), urgent: !isBackground(ctx)}
	d, err := doJSON[data](ctx, c, r)
	if err != nil {
		return Messages{}, err
	}
	var out Messages
	for _, raw := range d.Messages {
		var m Message
		if err := json.Unmarshal(raw, &m); err != nil {
			out.Skipped.add(threadProblem(raw, err))
			continue
		}
		m.clean()
		m.Content, _ = cut(m.Content, MaxMessage)
		out.List = append(out.List, m)
	}
	return out, nil
}

// backgroundKey marks a context whose reads nobody waits for.
type backgroundKey struct{}

// Background is ctx for reads nobody waits for (a prefetch): they queue
// behind the reads of threads an agent looks at, as loads do.
func Background(ctx context.Context) context.Context {
	return context.WithValue(ctx, backgroundKey{}, true)
}

func isBackground(ctx context.Context) bool { return ctx.Value(backgroundKey{}) != nil }

// MaxMessage is the most of a message's content kept, in characters: a
// longer one is shown cut with a marker (a message is never edited).
const MaxMessage = 100_000

// clean makes every string of a message safe to draw; the content keeps
// its line breaks.
func (m *Message) clean() {
	for _, s := range []*string{&m.ID, &m.ThreadID, &m.Role, &m.EditedBy, &m.Reaction} {
		*s = sanitize.Line(*s)
	}
	m.Content = sanitize.Text(m.Content)
}
