package threads

import (
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// Text is what the console holds of a thread beyond the list: its
// conversation and its internal notes, as of the thread's updatedAt when
// they were read.
type Text struct {
	ID           string
	AsOf         time.Time
	Conversation string
	Notes        string
}

// Texts are the conversations and notes the console holds, searched with
// the threads' fields: folded as a search word is, white space made one
// space, within a byte budget (the least recently put go first). A search
// on another goroutine reads them under their own lock.
type Texts struct {
	mu      sync.RWMutex
	byID    map[string]*heldText
	bytes   int
	budget  int
	clock   int
	version int // counts the changes
}

// heldText is a Text kept: its folded conversation and notes.
type heldText struct {
	asOf        time.Time
	conv, notes string
	raw         Text // as read, for the disk cache
	used        int
}

// DefaultTextBudget is the default byte budget of the texts kept.
const DefaultTextBudget = 64 << 20

// NewTexts keeps texts within budget bytes (DefaultTextBudget when 0).
func NewTexts(budget int) *Texts {
	if budget <= 0 {
		budget = DefaultTextBudget
	}
	return &Texts{byID: map[string]*heldText{}, budget: budget}
}

// MaxConversation is the most of a conversation kept for the search, in
// bytes: the rest of a longer one is not searched.
const MaxConversation = 256 << 10

// Put keeps t, replacing what was held of its thread.
func (x *Texts) Put(t Text) {
	if len(t.Conversation) > MaxConversation {
		cut := MaxConversation
		for cut > 0 && !utf8.RuneStart(t.Conversation[cut]) {
			cut--
		}
		t.Conversation = t.Conversation[:cut]
	}
	h := &heldText{asOf: t.AsOf, conv: searchable(t.Conversation), notes: searchable(t.Notes), raw: t}
	x.mu.Lock()
	defer x.mu.Unlock()
	x.drop(t.ID)
	x.version++
	x.clock++
	h.used = x.clock
	x.byID[t.ID] = h
	x.bytes += h.size()
	for x.bytes > x.budget && len(x.byID) > 1 {
		oldest := ""
		for id, o := range x.byID {
			if id != t.ID && (oldest == "" || o.used < x.byID[oldest].used) {
				oldest = id
			}
		}
		x.drop(oldest)
	}
}

// size is what a held text costs, roughly: both forms of both texts.
func (h *heldText) size() int {
	return 96 + len(h.conv) + len(h.notes) + len(h.raw.Conversation) + len(h.raw.Notes) + len(h.raw.ID)
}

// drop forgets a thread's text; x.mu is held.
func (x *Texts) drop(id string) {
	if h := x.byID[id]; h != nil {
		x.bytes -= h.size()
		delete(x.byID, id)
	}
}

// Fresh reports whether the text of thread id was read at asOf.
func (x *Texts) Fresh(id string, asOf time.Time) bool {
	x.mu.RLock()
	defer x.mu.RUnlock()
	h := x.byID[id]
	return h != nil && h.asOf.Equal(asOf)
}

// Version counts the changes of the texts held.
func (x *Texts) Version() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.version
}

// IDs are the threads whose text is held.
func (x *Texts) IDs() []string {
	x.mu.RLock()
	defer x.mu.RUnlock()
	out := make([]string, 0, len(x.byID))
	for id := range x.byID {
		out = append(out, id)
	}
	return out
}

// NotesOf is the notes held of thread id, as read.
func (x *Texts) NotesOf(id string) string {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if h := x.byID[id]; h != nil {
		return h.raw.Notes
	}
	return ""
}

// Len is the number of threads whose text is held.
func (x *Texts) Len() int {
	if x == nil {
		return 0
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.byID)
}

// All is every text held, as read, the most recently put first.
func (x *Texts) All() []Text {
	x.mu.RLock()
	defer x.mu.RUnlock()
	held := make([]*heldText, 0, len(x.byID))
	for _, h := range x.byID {
		held = append(held, h)
	}
	sortByUse(held)
	out := make([]Text, len(held))
	for i, h := range held {
		out[i] = h.raw
	}
	return out
}

// sortByUse orders texts most recently put first.
func sortByUse(held []*heldText) {
	slices.SortFunc(held, func(a, b *heldText) int { return b.used - a.used })
}

// withText is the ids of the threads whose text (in the places of scope)
// holds word, folded: the candidates a haystack of the threads' fields
// cannot give.
func (x *Texts) withText(word string, sc scope) map[string]bool {
	if x == nil {
		return nil
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	var out map[string]bool
	for id, h := range x.byID {
		if sc.conv && strings.Contains(h.conv, word) || sc.notes && strings.Contains(h.notes, word) {
			if out == nil {
				out = map[string]bool{}
			}
			out[id] = true
		}
	}
	return out
}

// holds reports whether the text of thread id, in the places of scope,
// holds the word term t.
func (x *Texts) holds(id string, t *term, sc scope) bool {
	x.mu.RLock()
	h := x.byID[id]
	x.mu.RUnlock()
	if h == nil {
		return false
	}
	return sc.conv && t.holdsFolded(h.conv) || sc.notes && t.holdsFolded(h.notes)
}

// searchable is s as texts are searched: folded, each run of white space
// one space.
func searchable(s string) string {
	if s == "" {
		return ""
	}
	return strings.Join(strings.FieldsFunc(fold(s), unicode.IsSpace), " ")
}

// holdsFolded reports whether a folded text holds a word term: its text
// (a phrase folded too: in conversations and notes accents do not
// count), or another form of its word.
func (t *term) holdsFolded(s string) bool {
	text := t.text
	if t.exact && !isASCII(text) {
		text = fold(text)
	}
	if strings.Contains(s, text) {
		return true
	}
	return t.stem != "" && hasFoldedStem(s, t.stem, t.root)
}
