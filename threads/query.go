package threads

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"triage/api"
)

// State tells the query what the queue knows of a thread.
type State interface {
	Pending(id string) bool
	Conflict(id string) bool
}

// termKind is what a query term tests.
type termKind int

const (
	termWord termKind = iota
	termIs
	termTag
	termOwner
	termMode
	termModel
	termPlatform
	termUnread
	termNeg
	termIn // in:title|conversation|notes, gathered into the query's scope
)

// term is one condition of a query; all must hold.
type term struct {
	neg  bool
	kind termKind
	text string // lowercased; a word's folded too (fold), unless exact
	is   string
	cmp  byte // '>', '<' or '='
	n    int
	// A word's stem when its other forms match too, and the root every
	// match holds (wordforms.go); exact is a quoted phrase, matched as
	// written but for case.
	stem, root string
	exact      bool
}

// Query is a parsed search: words that must all appear in the title,
// visitor name or email, tags or thread id, and qualifiers, each
// negatable with a leading "-". See Grammar.
type Query struct {
	raw    string
	terms  []term
	owners Owners // who owner: names (With)
	in     scope  // where words are looked for: everywhere unless in: says
	texts  *Texts // the conversations and notes held (WithTexts)
}

// scope is where a query's words are looked for: the thread's own
// fields (or its title alone), its conversation, its notes. The zero
// scope is everywhere.
type scope struct{ fields, title, conv, notes bool }

// InValues are the values of in:.
func InValues() []string { return []string{"title", "conversation", "notes"} }

// where is the scope in force.
func (q Query) where() scope {
	if q.in == (scope{}) {
		return scope{fields: true, conv: true, notes: true}
	}
	return q.in
}

// WithTexts is the query looking in the conversations and notes x holds
// too (unless in: keeps it to the title).
func (q Query) WithTexts(x *Texts) Query {
	q.texts = x
	return q
}

// inTexts is the ids of the threads whose conversation or notes held
// hold word where the query looks: nil when it looks in none.
func (q Query) inTexts(word string) map[string]bool {
	if sc := q.where(); q.texts != nil && (sc.conv || sc.notes) {
		return q.texts.withText(word, sc)
	}
	return nil
}

// SearchesTexts reports whether the query has words to look for in
// conversations or notes.
func (q Query) SearchesTexts() bool {
	sc := q.where()
	if !sc.conv && !sc.notes {
		return false
	}
	return slices.ContainsFunc(q.terms, func(t term) bool { return t.kind == termWord })
}

// With is the query judging owner: by o.
func (q Query) With(o Owners) Query {
	q.owners = o
	return q
}

// Parse reads a query. A malformed one is an error that says what is
// wrong, never a panic.
func Parse(s string) (Query, error) {
	q := Query{raw: s}
	toks, err := tokenize(s)
	if err != nil {
		return q, err
	}
	for _, tok := range toks {
		t, err := parseTerm(tok)
		if err != nil {
			return q, err
		}
		if t.kind == termIn {
			if t.neg {
				return q, fmt.Errorf("%s: in: says where to look and cannot be negated", tok.text)
			}
			switch t.text {
			case "title":
				q.in.title = true
			case "conversation":
				q.in.conv = true
			case "notes":
				q.in.notes = true
			}
			continue
		}
		q.terms = append(q.terms, t)
	}
	return q, nil
}

// token is a word of the query, with whether it was quoted.
type token struct {
	text   string
	quoted bool
}

func tokenize(s string) ([]token, error) {
	var out []token
	for i := 0; i < len(s); {
		switch {
		case s[i] == ' ' || s[i] == '\t':
			i++
		case s[i] == '"' || strings.HasPrefix(s[i:], `-"`):
			neg := s[i] == '-'
			start := i + 1
			if neg {
				start++
			}
			end := strings.IndexByte(s[start:], '"')
			if end < 0 {
				return nil, fmt.Errorf("unclosed quote in %q", s[i:])
			}
			text := s[start : start+end]
			if neg {
				text = "-" + text
			}
			out = append(out, token{text: text, quoted: true})
			i = start + end + 1
		default:
			end := strings.IndexAny(s[i:], " \t")
			if end < 0 {
				end = len(s) - i
			}
			out = append(out, token{text: s[i : i+end]})
			i += end
		}
	}
	return out, nil
}

func parseTerm(tok token) (term, error) {
	t := term{}
	text := tok.text
	if strings.HasPrefix(text, "-") && len(text) > 1 {
		t.neg, text = true, text[1:]
	}
	key, val, isQual := strings.Cut(text, ":")
	if tok.quoted {
		t.kind, t.text, t.exact = termWord, strings.ToLower(text), true
		return t, nil
	}
	if !isQual {
		t.kind, t.text = termWord, fold(text)
		if t.stem = stem(t.text); t.stem != "" {
			t.root = root(t.text, t.stem)
		}
		return t, nil
	}
	if val == "" {
		return t, fmt.Errorf("%q needs a value after the colon", tok.text)
	}
	switch strings.ToLower(key) {
	case "is":
		t.kind = termIs
		if t.is = uniquePrefix(strings.ToLower(val), IsValues()); t.is == "" {
			return t, fmt.Errorf("is:%s: expected one of %s", val, strings.Join(IsValues(), ", "))
		}
	case "in":
		t.kind = termIn
		if t.text = uniquePrefix(strings.ToLower(val), InValues()); t.text == "" {
			return t, fmt.Errorf("in:%s: expected %s", val, orList(InValues()))
		}
	case "tag":
		t.kind, t.text = termTag, strings.ToLower(val)
	case "owner":
		t.kind, t.text = termOwner, strings.ToLower(val)
	case "mode":
		t.kind = termMode
		if t.text = uniquePrefix(strings.ToUpper(val), modeValues()); t.text == "" {
			return t, fmt.Errorf("mode:%s: expected %s", val, strings.ToLower(orList(modeValues())))
		}
	case "model":
		t.kind, t.text = termModel, strings.ToLower(val)
	case "platform":
		t.kind, t.text = termPlatform, strings.ToLower(val)
	case "unread", "neg":
		t.kind = termUnread
		if strings.EqualFold(key, "neg") {
			t.kind = termNeg
		}
		t.cmp = '='
		if c := val[0]; c == '>' || c == '<' || c == '=' {
			t.cmp, val = c, val[1:]
		}
		n, err := strconv.Atoi(val)
		if err != nil || n < 0 {
			return t, fmt.Errorf("%s: expected a count like >2, <5 or =0", tok.text)
		}
		t.n = n
	default:
		return t, fmt.Errorf("unknown qualifier %q (%s; quote words with colons)", key+":", strings.Join(Qualifiers(), ", "))
	}
	return t, nil
}

// uniquePrefix returns the value that equals or alone starts with s, so
// "is:esc" reads as is:escalated while it is typed; "" when none or
// several do.
func uniquePrefix(s string, values []string) string {
	found := ""
	for _, v := range values {
		if v == s {
			return v
		}
		if strings.HasPrefix(v, s) {
			if found != "" {
				return ""
			}
			found = v
		}
	}
	return found
}

// UsesMode reports whether a term asks for the mode, which the
// documented list object does not carry.
func (q Query) UsesMode() bool {
	for _, t := range q.terms {
		if t.kind == termMode {
			return true
		}
	}
	return false
}

// UsesOwner reports a term on the owner (owner:), which finds nothing
// while nobody claims threads.
func (q Query) UsesOwner() bool {
	return slices.ContainsFunc(q.terms, func(t term) bool { return t.kind == termOwner })
}

// UsesQueue reports whether a term asks what the queue holds
// (is:pending, is:conflict): only then does Match read its State.
func (q Query) UsesQueue() bool {
	for _, t := range q.terms {
		if t.kind == termIs && (t.is == "pending" || t.is == "conflict") {
			return true
		}
	}
	return false
}

// Empty reports whether the query selects everything.
func (q Query) Empty() bool { return len(q.terms) == 0 }

// String is the query as typed.
func (q Query) String() string { return q.raw }

// Match reports whether t satisfies every term. st may be nil when no
// term asks about the queue.
func (q Query) Match(t *api.Thread, st State) bool {
	for i := range q.terms {
		if q.terms[i].match(t, st, &q) == q.terms[i].neg {
			return false
		}
	}
	return true
}

// anchor is the longest text the query requires that a haystack can
// find (folded, as the haystack holds it; the root of a word that
// matches its other forms too), and whether there is one.
func (q Query) anchor() (string, bool) {
	best := ""
	for _, t := range q.terms {
		text := t.text
		switch {
		case t.kind != termWord || t.neg || t.exact && !isASCII(text):
			continue
		case t.stem != "":
			text = t.root
		}
		if !strings.ContainsRune(text, 0) && len(text) > len(best) {
			best = text
		}
	}
	return best, best != ""
}

// decided reports whether a row the haystack (or the texts held) finds
// word in matches the query without checking it again: the query is that
// one word, looked for everywhere, whose matches all hold it as written.
func (q Query) decided(word string) bool {
	if len(q.terms) != 1 || q.in != (scope{}) {
		return false
	}
	t := q.terms[0]
	return t.kind == termWord && !t.neg && t.text == word && (t.stem == "" || t.root == word)
}

func (t *term) match(th *api.Thread, st State, q *Query) bool {
	switch t.kind {
	case termWord:
		sc := q.where()
		return sc.fields && t.inFields(th) || sc.title && t.inTitle(th) || t.inTexts(th, q.texts, sc)
	case termIs:
		return matchIs(t.is, th, st)
	case termTag:
		for _, tag := range th.Tags {
			if strings.EqualFold(tag, t.text) {
				return true
			}
		}
		return false
	case termOwner:
		return q.owners.On() && q.owners.fits(t.text, th.Tags)
	case termMode:
		return string(th.Mode) == t.text
	case termModel:
		m := th.LLMModel
		return m != nil && (containsFold(m.ID, t.text) || containsFold(m.Title, t.text) || containsFold(m.Provider, t.text))
	case termPlatform:
		return containsFold(th.PlatformSource, t.text)
	case termUnread:
		return compare(th.UnreadMessagesCount, t.cmp, t.n)
	case termNeg:
		return compare(th.NegativeCount, t.cmp, t.n)
	}
	return false
}

// inFields reports whether a word is in the thread's own fields: title,
// visitor name and email, id and tags (their other forms in the title
// and tags).
func (t *term) inFields(th *api.Thread) bool {
	if t.holds(th.VisitorName) || t.holds(th.VisitorEmail) || t.holds(th.ID) || t.inTitle(th) {
		return true
	}
	for _, tag := range th.Tags {
		if t.holds(tag) {
			return true
		}
	}
	return t.stem != "" && slices.ContainsFunc(th.Tags, func(tag string) bool { return hasWordStem(tag, t.stem, t.root) })
}

// inTitle reports whether a word, or another form of it, is in the title.
func (t *term) inTitle(th *api.Thread) bool {
	return t.holds(th.Title) || t.stem != "" && hasWordStem(th.Title, t.stem, t.root)
}

// inTexts reports whether a word is in the conversation or the notes
// held of the thread (or the notes its row carries), where sc looks.
func (t *term) inTexts(th *api.Thread, x *Texts, sc scope) bool {
	if sc.notes {
		if n, ok := th.InternalNotes.Get(); ok && n != "" && t.holdsFolded(searchable(n)) {
			return true
		}
	}
	return x != nil && (sc.conv || sc.notes) && x.holds(th.ID, t, sc)
}

func matchIs(what string, th *api.Thread, st State) bool {
	switch what {
	case "resolved":
		return th.Resolved
	case "archived":
		return th.Archived
	case "escalated":
		return th.Escalated
	case "important":
		return th.Important
	case "anonymous":
		return th.Anonymous
	case "pending":
		return st != nil && st.Pending(th.ID)
	case "conflict":
		return st != nil && st.Conflict(th.ID)
	}
	return false
}

func compare(v int, cmp byte, n int) bool {
	switch cmp {
	case '>':
		return v > n
	case '<':
		return v < n
	}
	return v == n
}

// Narrows reports whether every thread q matches also matches prev, so a
// search can filter prev's results instead of every thread: q has all of
// prev's terms, or only its last word grew (as it does while typing).
func (q Query) Narrows(prev Query) bool {
	if len(q.terms) > 0 && len(prev.terms) > 0 && len(q.terms) >= len(prev.terms) {
		if c, p := q.terms[len(prev.terms)-1], prev.terms[len(prev.terms)-1]; c.stem != "" && !strings.Contains(c.root, p.text) {
			return false // its other forms need not hold what the last query did
		}
	}
	if len(q.terms) < len(prev.terms) || q.in != prev.in {
		return false
	}
	for i, p := range prev.terms {
		c := q.terms[i]
		if c == p {
			continue
		}
		last := i == len(prev.terms)-1
		growable := p.kind == termWord || p.kind == termModel || p.kind == termPlatform
		if !last || p.neg || c.neg || c.kind != p.kind || !growable || !strings.Contains(c.text, p.text) {
			return false
		}
	}
	return true
}

// holds reports whether a field holds a word term's text: as written but
// for case when it is exact, else folded as the term was.
func (t *term) holds(s string) bool {
	if t.exact || isASCII(s) {
		return containsFold(s, t.text)
	}
	return strings.Contains(fold(s), t.text)
}

// containsFold reports whether s contains sub, ignoring case; sub must be
// lowercase. For an ASCII sub it finds candidates with strings.IndexByte
// (vectorised) and does not allocate; a non-ASCII sub falls back to
// lowercasing s.
func containsFold(s, sub string) bool {
	if sub == "" {
		return true
	}
	if !isASCII(sub) {
		return strings.Contains(strings.ToLower(s), sub)
	}
	first, upper := sub[0], sub[0]
	if 'a' <= first && first <= 'z' {
		upper = first - ('a' - 'A')
	}
	for i := 0; i+len(sub) <= len(s); i++ {
		j := indexEither(s[i:], first, upper)
		if j < 0 {
			return false
		}
		i += j
		if i+len(sub) > len(s) {
			return false
		}
		if hasPrefixFoldASCII(s[i:], sub) {
			return true
		}
	}
	return false
}

// indexEither is the first index of a or b in s, or -1.
func indexEither(s string, a, b byte) int {
	i := strings.IndexByte(s, a)
	if a == b {
		return i
	}
	j := strings.IndexByte(s, b)
	switch {
	case i < 0:
		return j
	case j < 0 || i < j:
		return i
	}
	return j
}

// hasPrefixFoldASCII compares s's prefix with the lowercase ASCII sub,
// folding only ASCII capitals (other bytes cannot match ASCII).
func hasPrefixFoldASCII(s, sub string) bool {
	for j := 0; j < len(sub); j++ {
		c := s[j]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != sub[j] {
			return false
		}
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
