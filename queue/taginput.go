package queue

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"triage/api"
)

// TagInput is what the operator typed in the tags form: operations, or,
// after a leading "=", the exact list.
type TagInput struct {
	Add, Remove []string
	Exact       bool
	List        []string
}

// ParseTagInput reads space-separated tokens: "+tag" or "tag" adds, "-tag"
// removes; a leading "=" makes the rest the exact tag list. Tags are
// trimmed and duplicates collapsed; an empty tag, a tag longer than maxLen
// runes (0: no limit), or a tag both added and removed is an error that
// says which.
func ParseTagInput(s string, maxLen int) (TagInput, error) {
	var in TagInput
	rest := strings.TrimSpace(s)
	if after, ok := strings.CutPrefix(rest, "="); ok {
		in.Exact = true
		in.List = []string{}
		rest = after
	}
	tokens := strings.Fields(rest)
	if !in.Exact && len(tokens) == 0 {
		return in, fmt.Errorf("type tags to add (tag or +tag) or remove (-tag), or = and the exact list")
	}
	for _, tok := range tokens {
		op, tag := byte('+'), tok
		if tok[0] == '+' || tok[0] == '-' {
			op, tag = tok[0], tok[1:]
			if in.Exact {
				return in, fmt.Errorf("%q: an exact list (=) takes plain tags, without + or -", tok)
			}
		}
		if tag == "" {
			return in, fmt.Errorf("%q alone is not a tag", tok)
		}
		if maxLen > 0 && utf8.RuneCountInString(tag) > maxLen {
			return in, fmt.Errorf("tag %q is %d characters long; the limit is %d", tag, utf8.RuneCountInString(tag), maxLen)
		}
		switch {
		case in.Exact:
			in.List = appendNew(in.List, tag)
		case op == '-':
			in.Remove = appendNew(in.Remove, tag)
		default:
			in.Add = appendNew(in.Add, tag)
		}
	}
	for _, tag := range in.Add {
		if slices.Contains(in.Remove, tag) {
			return in, fmt.Errorf("tag %q is both added and removed", tag)
		}
	}
	return in, nil
}

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// Apply queues the input on the targets as one action.
func (in TagInput) Apply(q *Queue, targets []*api.Thread) {
	if in.Exact {
		q.SetTags(in.List, targets)
		return
	}
	q.EditTags(in.Add, in.Remove, targets)
}
