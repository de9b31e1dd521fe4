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
// the threads' fields: only in their searchable form (folded as a search
// word is, white space made one space), which is also what the disk
// cache keeps, within a byte budget (the least recently put go first).
// A search on another goroutine reads them under their own lock.
type Texts struct {
	mu      sync.RWMutex
	byID    map[string]*heldText
	order   []putAt // the puts, oldest first: what eviction takes from
	bytes   int
	budget  int
	clock   int
	version int // counts the changes
}

// heldText is a Text kept, searchable.
type heldText struct {
	Text
	used int
}

// putAt is one put: a held text is evicted by its last.
type putAt struct {
	id   string
	used int
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

// Put keeps t as read, made searchable, replacing what was held of its
// thread.
func (x *Texts) Put(t Text) {
	if len(t.Conversation) > MaxConversation {
		cut := MaxConversation
		for cut > 0 && !utf8.RuneStart(t.Conversation[cut]) {
			cut--
		}
		t.Conversation = t.Conversation[:cut]
	}
	t.Conversation, t.Notes = searchable(t.Conversation), searchable(t.Notes)
	x.mu.Lock()
	defer x.mu.Unlock()
	x.keep(t)
	x.version++
}

// Restore holds texts as All gave them (searchable already: a file that
// was changed only searches worse, it never reaches the screen), the most
// recent first, as many as the budget holds; a thread whose text is held
// already keeps it (read in this session, it is newer).
func (x *Texts) Restore(texts []Text) {
	x.mu.Lock()
	defer x.mu.Unlock()
	n := 0
	for size := 0; n < len(texts); n++ {
		if size += heldSize(texts[n]); size > x.budget {
			break
		}
	}
	for i := n - 1; i >= 0; i-- { // the oldest first, so the newest are the last put
		if x.byID[texts[i].ID] == nil {
			x.keep(texts[i])
		}
	}
	x.version++
}

// keep holds a searchable t and evicts the least recently put beyond the
// budget; x.mu is held.
func (x *Texts) keep(t Text) {
	x.drop(t.ID)
	x.clock++
	x.byID[t.ID] = &heldText{Text: t, used: x.clock}
	x.order = append(x.order, putAt{t.ID, x.clock})
	x.bytes += heldSize(t)
	for x.bytes > x.budget && len(x.byID) > 1 {
		oldest := x.order[0]
		x.order = x.order[1:]
		if h := x.byID[oldest.id]; h != nil && h.used == oldest.used && oldest.id != t.ID {
			x.drop(oldest.id)
		}
	}
	if len(x.order) > 2*len(x.byID)+64 { // puts of threads held again or dropped since
		x.order = slices.DeleteFunc(x.order, func(p putAt) bool { h := x.byID[p.id]; return h == nil || h.used != p.used })
	}
}

// heldSize is what a held text costs, roughly.
func heldSize(t Text) int { return 64 + len(t.ID) + len(t.Conversation) + len(t.Notes) }

// drop forgets a thread's text; x.mu is held.
func (x *Texts) drop(id string) {
	if h := x.byID[id]; h != nil {
		x.bytes -= heldSize(h.Text)
		delete(x.byID, id)
	}
}

// Fresh reports whether the text of thread id was read at asOf.
func (x *Texts) Fresh(id string, asOf time.Time) bool {
	x.mu.RLock()
	defer x.mu.RUnlock()
	h := x.byID[id]
	return h != nil && h.AsOf.Equal(asOf)
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

// NotesOf is the notes held of thread id, searchable (putting them again
// keeps them as they are).
func (x *Texts) NotesOf(id string) string {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if h := x.byID[id]; h != nil {
		return h.Notes
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

// All is every text held, searchable, the most recently put first: what
// the disk cache keeps, and Restore takes back.
func (x *Texts) All() []Text {
	x.mu.RLock()
	defer x.mu.RUnlock()
	held := make([]*heldText, 0, len(x.byID))
	for _, h := range x.byID {
		held = append(held, h)
	}
	slices.SortFunc(held, func(a, b *heldText) int { return b.used - a.used })
	out := make([]Text, len(held))
	for i, h := range held {
		out[i] = h.Text
	}
	return out
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
		if sc.conv && strings.Contains(h.Conversation, word) || sc.notes && strings.Contains(h.Notes, word) {
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
	return sc.conv && t.holdsFolded(h.Conversation) || sc.notes && t.holdsFolded(h.Notes)
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
