package threads

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"triage/api"
)

// SortKey is what a view is ordered by.
type SortKey int

// The sort keys, in the order the sort key cycles through them. Each has
// the natural direction an agent wants first: newest, most, A to Z.
const (
	SortUpdated SortKey = iota
	SortStarted
	SortUnread
	SortNegative
	SortTitle
	numSortKeys
)

// SortKeys lists every sort key in cycling order: the one vocabulary the
// config, the help, the sort picker and parsing read.
func SortKeys() []SortKey {
	return []SortKey{SortUpdated, SortStarted, SortUnread, SortNegative, SortTitle}
}

// String is the key's name in the config and on screen.
func (k SortKey) String() string {
	return [...]string{"updated", "started", "unread", "negative", "title"}[k]
}

// SortKeyNames is every key's name, comma separated, for help and errors.
func SortKeyNames() string {
	names := make([]string, 0, numSortKeys)
	for _, k := range SortKeys() {
		names = append(names, k.String())
	}
	return strings.Join(names, ", ")
}

// Next is the key after k in the cycle.
func (k SortKey) Next() SortKey { return (k + 1) % numSortKeys }

// ParseSortKey reads a sort key name.
func ParseSortKey(s string) (SortKey, error) {
	for _, k := range SortKeys() {
		if k.String() == s {
			return k, nil
		}
	}
	return 0, fmt.Errorf("unknown sort %q (%s)", s, SortKeyNames())
}

// compare orders a before b in the key's natural direction, newest update
// first on ties so the order is stable.
func (k SortKey) compare(a, b *api.Thread) int {
	c := 0
	switch k {
	case SortStarted:
		c = b.StartedAt.Compare(a.StartedAt)
	case SortUnread:
		c = b.UnreadMessagesCount - a.UnreadMessagesCount
	case SortNegative:
		c = b.NegativeCount - a.NegativeCount
	case SortTitle:
		c = compareFold(a.Title, b.Title)
	}
	if c != 0 {
		return c
	}
	return Newer(a, b)
}

// Visible returns the threads of all that q matches, in the order of key
// (reversed if asked). When nothing filters or reorders it returns all
// itself, without copying.
func Visible(all []*api.Thread, q Query, st State, key SortKey, reverse bool) []*api.Thread {
	if q.Empty() && key == SortUpdated && !reverse {
		return all
	}
	out := all
	if !q.Empty() {
		out = make([]*api.Thread, 0, len(all)/4)
		for _, t := range all {
			if q.Match(t, st) {
				out = append(out, t)
			}
		}
	} else {
		out = slices.Clone(all)
	}
	return order(out, key, reverse)
}

// order sorts rows of the list's order (newest update first) in place
// by key, reversed if asked.
func order(rows []*api.Thread, key SortKey, reverse bool) []*api.Thread {
	if key != SortUpdated {
		slices.SortStableFunc(rows, key.compare)
	}
	if reverse {
		slices.Reverse(rows)
	}
	return rows
}

// MergeVisible is what Visible would return for the threads of rows and
// fresh together, where rows is Visible's answer for the others and fresh
// holds threads it has not seen: the fresh ones q matches are sorted and
// merged in, O(f·log n) comparisons and one copy of the rows instead of filtering and sorting
// everything again. rows is left as it is.
func MergeVisible(rows, fresh []*api.Thread, q Query, st State, key SortKey, reverse bool) []*api.Thread {
	cmp := key.compare
	if reverse { // compare is a total order: reversing the sorted rows is sorting by its opposite
		cmp = func(a, b *api.Thread) int { return key.compare(b, a) }
	}
	add := make([]*api.Thread, 0, len(fresh))
	for _, t := range fresh {
		if q.Empty() || q.Match(t, st) {
			add = append(add, t)
		}
	}
	slices.SortFunc(add, cmp)
	out := make([]*api.Thread, 0, len(rows)+len(add))
	i := 0
	for _, t := range add { // each found by binary search: the rows between are copied, not compared
		k := i + sort.Search(len(rows)-i, func(x int) bool { return cmp(t, rows[i+x]) < 0 })
		out = append(append(out, rows[i:k]...), t)
		i = k
	}
	return append(out, rows[i:]...)
}

// compareFold orders two strings as their lower case would, rune by rune,
// without building the lower-case copies (a sort compares each title
// about log n times).
func compareFold(a, b string) int {
	for a != "" && b != "" {
		ra, na := rune(a[0]), 1
		if ra >= utf8.RuneSelf {
			ra, na = utf8.DecodeRuneInString(a)
		} else if 'A' <= ra && ra <= 'Z' {
			ra += 'a' - 'A'
		}
		rb, nb := rune(b[0]), 1
		if rb >= utf8.RuneSelf {
			rb, nb = utf8.DecodeRuneInString(b)
		} else if 'A' <= rb && rb <= 'Z' {
			rb += 'a' - 'A'
		}
		if ra >= utf8.RuneSelf || rb >= utf8.RuneSelf {
			ra, rb = unicode.ToLower(ra), unicode.ToLower(rb)
		}
		if ra != rb {
			if ra < rb {
				return -1
			}
			return 1
		}
		a, b = a[na:], b[nb:]
	}
	return len(a) - len(b)
}
