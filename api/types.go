package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"
)

// Mode is who answers a thread's visitor: the bot, an agent assisted by
// the bot, or a human alone.
type Mode string

// The modes the API accepts.
const (
	ModeAI    Mode = "AI"
	ModeAgent Mode = "AGENT"
	ModeHuman Mode = "HUMAN"
)

// Modes lists every valid mode in the order pickers show them.
func Modes() []Mode { return []Mode{ModeAI, ModeAgent, ModeHuman} }

// Valid reports whether m is one of the documented modes.
func (m Mode) Valid() bool {
	return m == ModeAI || m == ModeAgent || m == ModeHuman
}

// LLMModel is the language model a thread was answered with.
type LLMModel struct {
	ID       string `json:"id"`
	Provider string `json:"provider"`
	Title    string `json:"title"`
}

// Thread is one conversation as the API returns it. Strings the server
// sends as null decode as "". Mode and InternalNotes are not part of the
// documented object: Mode is "" and InternalNotes is omitted (IsZero) when
// the server did not send them, so callers can tell "unknown" from "empty".
type Thread struct {
	ID                  string `json:"id"`
	ChatbotID           string `json:"chatbotId"`
	VisitorID           string `json:"visitorId"`
	Title               string `json:"title"`
	Anonymous           bool   `json:"anonymous"`
	UnreadMessagesCount int    `json:"unreadMessagesCount"`
	Escalated           bool   `json:"escalated"`
	Important           bool   `json:"important"`
	Resolved            bool   `json:"resolved"`
	Archived            bool   `json:"archived"`
	// Cut says which of Title and InternalNotes the client cut at
	// decoding, being longer than its limits: shown with a marker, never
	// editable, so no send shortens them.
	Cut            Cut       `json:"-"`
	Tags           []string  `json:"tags"`
	PositiveCount  int       `json:"positiveCount"`
	NegativeCount  int       `json:"negativeCount"`
	PlatformSource string    `json:"platformSource"`
	StartedAt      time.Time `json:"startedAt"`
	UpdatedAt      time.Time `json:"updatedAt"`
	EndedAt        time.Time `json:"endedAt"`
	VisitorName    string    `json:"visitorName"`
	VisitorEmail   string    `json:"visitorEmail"`
	VisitorPhone   string    `json:"visitorPhone"`
	*Icons
	LLMModel      *LLMModel `json:"llmModel"`
	Mode          Mode      `json:"mode,omitempty"`
	InternalNotes Nullable  `json:"internalNotes,omitzero"`
}

// Icons are the images a chat widget draws beside a thread's messages,
// their fields at the thread's top level in JSON. The console shows none
// of them and one chatbot's threads share one set, so a thread holds one
// shared pointer instead of four strings: the thread fits the allocator's
// 320-byte class, not its 384, 64 bytes a thread at a million. Nil is no
// icons at all; read them through IconsOf.
type Icons struct {
	BotIconSrc    string `json:"botIconSrc"`
	UserIconSrc   string `json:"userIconSrc"`
	AgentIconSrc  string `json:"agentIconSrc"`
	BubbleIconSrc string `json:"bubbleIconSrc"`
}

// IconsOf is t's icons, empty when it has none.
func (t *Thread) IconsOf() Icons {
	if t.Icons == nil {
		return Icons{}
	}
	return *t.Icons
}

// Cut is a set of the fields of a thread that were cut.
type Cut uint8

// The fields that can be cut.
const (
	CutTitle Cut = 1 << iota
	CutNotes
)

// Visitor names the thread's visitor for people: the name, else the
// email, else "anonymous".
func (t *Thread) Visitor() string {
	switch {
	case t.VisitorName != "":
		return t.VisitorName
	case t.VisitorEmail != "":
		return t.VisitorEmail
	}
	return "anonymous"
}

// ThreadDetail is one thread as the single-thread read returns it: the
// list's fields (with internal notes, which the list leaves out) plus the
// visitor's statistics. Any field may be null or missing.
type ThreadDetail struct {
	Thread
	VisitorTotalSessions int       `json:"visitorTotalSessions"`
	VisitorTotalMessages int       `json:"visitorTotalMessages"`
	VisitorFirstSeenAt   time.Time `json:"visitorFirstSeenAt"`
	VisitorLastSeenAt    time.Time `json:"visitorLastSeenAt"`
}

// Pagination is the page the server actually returned. Limit may be lower
// than the limit asked for: servers cap it.
type Pagination struct {
	Page       int `json:"page"`
	Limit      int `json:"limit"`
	Total      int `json:"total"`
	TotalPages int `json:"totalPages"`
}

// ListParams selects one page of a chatbot's threads. A nil filter is not
// sent; Page and Limit of 0 let the server choose (1 and 20).
type ListParams struct {
	Page       int
	Limit      int
	Mode       Mode
	Resolved   *bool
	Archived   *bool
	Escalated  *bool
	Important  *bool
	Anonymous  *bool
	LLMModelID string
}

// Query encodes p as the list endpoint's query string parameters.
func (p ListParams) Query() url.Values {
	q := url.Values{}
	if p.Page > 0 {
		q.Set("page", strconv.Itoa(p.Page))
	}
	if p.Limit > 0 {
		q.Set("limit", strconv.Itoa(p.Limit))
	}
	if p.Mode != "" {
		q.Set("mode", string(p.Mode))
	}
	for _, f := range []struct {
		name string
		v    *bool
	}{
		{"resolved", p.Resolved}, {"archived", p.Archived}, {"escalated", p.Escalated},
		{"important", p.Important}, {"anonymous", p.Anonymous},
	} {
		if f.v != nil {
			q.Set(f.name, strconv.FormatBool(*f.v))
		}
	}
	if p.LLMModelID != "" {
		q.Set("llmModelId", p.LLMModelID)
	}
	return q
}

// Bool returns a pointer to b, for optional boolean fields.
func Bool(b bool) *bool { return &b }

// UpdateItem is one element of the update PATCH body. Only ThreadID is
// required; every other field left at its zero value is omitted from the
// JSON and left unchanged by the server. Booleans and Mode are absolute
// values, so a resent item is idempotent. Tags, when non-nil, replaces the
// whole tag set (an empty non-nil slice clears it).
type UpdateItem struct {
	ThreadID      string   `json:"threadId"`
	Resolved      *bool    `json:"resolved,omitempty"`
	Archived      *bool    `json:"archived,omitempty"`
	Escalated     *bool    `json:"escalated,omitempty"`
	Important     *bool    `json:"important,omitempty"`
	Mode          Mode     `json:"mode,omitempty"`
	Tags          []string `json:"tags,omitzero"`
	Title         Nullable `json:"title,omitzero"`
	InternalNotes Nullable `json:"internalNotes,omitzero"`
}

// nullableState says which of its three states a Nullable is in.
type nullableState uint8

const (
	nullableOmitted nullableState = iota
	nullableNull
	nullableValue
)

// Nullable is a string field with three states: omitted (the zero value,
// "leave unchanged" in a request, "not sent" in a response), null ("clear
// it"), or a value. Tag it `json:",omitzero"` so the omitted state leaves
// the field out of the JSON.
type Nullable struct {
	state nullableState
	value string
}

// Null returns the Nullable that clears a field.
func Null() Nullable { return Nullable{state: nullableNull} }

// Value returns the Nullable that sets a field to s.
func Value(s string) Nullable { return Nullable{state: nullableValue, value: s} }

// IsZero reports whether n is omitted; encoding/json's omitzero uses it.
func (n Nullable) IsZero() bool { return n.state == nullableOmitted }

// IsNull reports whether n is an explicit null.
func (n Nullable) IsNull() bool { return n.state == nullableNull }

// Get returns the string and whether n holds one (false when omitted or null).
func (n Nullable) Get() (string, bool) { return n.value, n.state == nullableValue }

// String describes n for people: the value, "(null)" or "(omitted)".
func (n Nullable) String() string {
	switch n.state {
	case nullableNull:
		return "(null)"
	case nullableValue:
		return n.value
	}
	return "(omitted)"
}

var errOmittedNullable = errors.New("api: an omitted Nullable must be tagged omitzero")

// MarshalJSON encodes null or the string. The omitted state has no JSON
// form: encoding it is an error rather than a silent null.
func (n Nullable) MarshalJSON() ([]byte, error) {
	switch n.state {
	case nullableNull:
		return []byte("null"), nil
	case nullableValue:
		return json.Marshal(n.value)
	}
	return nil, errOmittedNullable
}

// UnmarshalJSON decodes null or a string; anything else is an error.
func (n *Nullable) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*n = Null()
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("expected a string or null: %w", err)
	}
	*n = Value(s)
	return nil
}
