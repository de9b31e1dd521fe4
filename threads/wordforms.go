package threads

import (
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	snowball "github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/danish"
	"github.com/blevesearch/snowballstem/dutch"
	"github.com/blevesearch/snowballstem/english"
	"github.com/blevesearch/snowballstem/finnish"
	"github.com/blevesearch/snowballstem/french"
	"github.com/blevesearch/snowballstem/german"
	"github.com/blevesearch/snowballstem/hungarian"
	"github.com/blevesearch/snowballstem/italian"
	"github.com/blevesearch/snowballstem/norwegian"
	"github.com/blevesearch/snowballstem/portuguese"
	"github.com/blevesearch/snowballstem/romanian"
	"github.com/blevesearch/snowballstem/russian"
	"github.com/blevesearch/snowballstem/spanish"
	"github.com/blevesearch/snowballstem/swedish"
	"github.com/blevesearch/snowballstem/turkish"
	"golang.org/x/text/unicode/norm"
)

// Word forms: a search word matches the other forms of its word
// ("refunds", "refunded", "refund") by their Snowball stem, in the
// language set once at start (SetLanguage; English by default), and
// matches letters without their accents ("cafe" finds "Café").

// stemmers are the Snowball stemmers by language.
var stemmers = map[string]func(*snowball.Env) bool{
	"danish": danish.Stem, "dutch": dutch.Stem, "english": english.Stem, "finnish": finnish.Stem,
	"french": french.Stem, "german": german.Stem, "hungarian": hungarian.Stem, "italian": italian.Stem,
	"norwegian": norwegian.Stem, "portuguese": portuguese.Stem, "romanian": romanian.Stem,
	"russian": russian.Stem, "spanish": spanish.Stem, "swedish": swedish.Stem, "turkish": turkish.Stem,
}

// Languages are the languages words can be stemmed in, and "none".
func Languages() []string {
	out := make([]string, 0, len(stemmers)+1)
	for name := range stemmers {
		out = append(out, name)
	}
	slices.Sort(out)
	return append(out, "none")
}

// stemmer is the stemmer in force; nil stems nothing.
var stemmer atomic.Pointer[func(*snowball.Env) bool]

func init() { _ = SetLanguage("english") }

// SetLanguage sets the language search words are stemmed in ("none":
// words match as they are written), for queries parsed after it: once,
// at start, from the config.
func SetLanguage(name string) error {
	if name == "none" {
		stemmer.Store(nil)
		return nil
	}
	s, ok := stemmers[name]
	if !ok {
		return fmt.Errorf("%q: not a language words can be stemmed in (%s)", name, strings.Join(Languages(), ", "))
	}
	stemmer.Store(&s)
	return nil
}

// minStem is the shortest word stemmed: shorter ones match as written.
const minStem = 3

// stem is the stem of a folded, lower-case word, "" when it is too short,
// when no language is set, or when the stem is the word itself.
func stem(word string) string {
	s := stemmer.Load()
	if s == nil || utf8.RuneCountInString(word) < minStem {
		return ""
	}
	env := snowball.NewEnv(word)
	(*s)(env)
	if st := env.Current(); st != word {
		return st
	}
	return ""
}

// stemOf is the stem of a word as it is written: its own form when the
// stemmer keeps it.
func stemOf(word string) string {
	if s := stem(word); s != "" {
		return s
	}
	return word
}

// Fold is s in lower case without its letters' accents: what a search
// word and the text it is looked for in are compared as. ASCII is only
// lower-cased.
func Fold(s string) string { return fold(s) }

func fold(s string) string {
	if isASCII(s) {
		return strings.ToLower(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue // a combining accent
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// root is what every form of a word that stems to st shares with word,
// as far as it can be told: their common beginning less its last letter
// (the stem may change it: happy, happi). A haystack looks for it.
func root(word, st string) string {
	n := 0
	for n < len(word) && n < len(st) && word[n] == st[n] {
		n++
	}
	if n <= 1 {
		return ""
	}
	return word[:n-1]
}

// hasWordStem reports whether a word of s stems to st and holds root (so
// a haystack, looking for the root, finds every thread that matches):
// only the words around the root's places are stemmed.
func hasWordStem(s, st, root string) bool { return hasFoldedStem(fold(s), st, root) }

// hasFoldedStem is hasWordStem of a text already folded.
func hasFoldedStem(f, st, root string) bool {
	if root == "" {
		root = st[:1]
	}
	for from := 0; ; {
		i := strings.Index(f[from:], root)
		if i < 0 {
			return false
		}
		a, b := from+i, from+i+len(root)
		for a > 0 {
			r, n := utf8.DecodeLastRuneInString(f[:a])
			if !isWordRune(r) {
				break
			}
			a -= n
		}
		for b < len(f) {
			r, n := utf8.DecodeRuneInString(f[b:])
			if !isWordRune(r) {
				break
			}
			b += n
		}
		if stemOf(f[a:b]) == st {
			return true
		}
		from = b
	}
}

// isWordRune reports a letter or a digit: what words are made of.
func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
