package threads

import (
	"fmt"
	"slices"
	"strings"

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

// String is the key's name in the config and on screen.
func (k SortKey) String() string {
	return [...]string{"updated", "started", "unread", "negative", "title"}[k]
}

// Next is the key after k in the cycle.
func (k SortKey) Next() SortKey { return (k + 1) % numSortKeys }

// ParseSortKey reads a sort key name.
func ParseSortKey(s string) (SortKey, error) {
	for k := SortUpdated; k < numSortKeys; k++ {
		if k.String() == s {
			return k, nil
		}
	}
	return 0, fmt.Errorf("unknown sort %q (updated, started, unread, negative, title)", s)
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
		c = strings.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title))
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
	if key != SortUpdated {
		slices.SortStableFunc(out, key.compare)
	}
	if reverse {
		slices.Reverse(out)
	}
	return out
}

// View is a named, server-side filtered list of threads with its order.
type View struct {
	Name    string
	Params  api.ListParams
	Sort    SortKey
	Reverse bool
}

// DefaultViews are the views used when the config names none: the inbox
// first.
func DefaultViews() []View {
	f, t := api.Bool(false), api.Bool(true)
	return []View{
		{Name: "Inbox", Params: api.ListParams{Resolved: f, Archived: f}},
		{Name: "Escalated", Params: api.ListParams{Escalated: t, Resolved: f}},
		{Name: "Important", Params: api.ListParams{Important: t, Resolved: f}},
		{Name: "Resolved", Params: api.ListParams{Resolved: t}},
		{Name: "Archived", Params: api.ListParams{Archived: t}},
		{Name: "All", Params: api.ListParams{}},
	}
}
