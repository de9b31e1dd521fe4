package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"unicode"
	"unicode/utf8"

	"triage/api"
	"triage/queue"
)

// edit is the change apply makes to one thread: the PATCH item's fields,
// tag operations (add, remove) or an exact list, each nil or zero when not
// changed.
type edit struct {
	threadID            string
	flags               [4]*bool // queue.Flag order: resolved, archived, escalated, important
	mode                api.Mode
	tags                []string // an exact list, when not nil
	addTags, removeTags []string
	title, notes        api.Nullable
}

// empty reports an edit that changes nothing.
func (e edit) empty() bool {
	return e.flags == [4]*bool{} && e.mode == "" && e.tags == nil && len(e.addTags) == 0 && len(e.removeTags) == 0 &&
		e.title.IsZero() && e.notes.IsZero()
}

// set sets a field from its name and a value as a person writes it.
func (e *edit) set(name, v string) error {
	for _, f := range queue.Flags() {
		if f.String() != name {
			continue
		}
		switch strings.ToLower(v) {
		case "true":
			e.flags[f] = api.Bool(true)
		case "false":
			e.flags[f] = api.Bool(false)
		default:
			return fmt.Errorf("%s=%q: want true or false", name, v)
		}
		return nil
	}
	if name == "mode" {
		m := api.Mode(strings.ToUpper(v))
		if !m.Valid() {
			return fmt.Errorf("mode=%q: want AI, AGENT or HUMAN", v)
		}
		e.mode = m
		return nil
	}
	return fmt.Errorf("%q is not a field --set takes (resolved, archived, escalated, important, mode)", name)
}

// line is one JSON Line of apply: the PATCH item's fields, with tags as
// the whole list, plus addTags and removeTags as operations.
type line struct {
	ThreadID      string       `json:"threadId"`
	Resolved      *bool        `json:"resolved"`
	Archived      *bool        `json:"archived"`
	Escalated     *bool        `json:"escalated"`
	Important     *bool        `json:"important"`
	Mode          *string      `json:"mode"`
	Tags          *[]string    `json:"tags"`
	AddTags       []string     `json:"addTags"`
	RemoveTags    []string     `json:"removeTags"`
	Title         api.Nullable `json:"title"`
	InternalNotes api.Nullable `json:"internalNotes"`
}

// maxLine is the longest JSON Line apply reads: notes at their longest,
// escaped, fit many times over.
const maxLine = 4 << 20

// parseLines reads JSON Lines of edits. Every line is checked as the
// console's forms check (a thread id, a known mode, tags that are words
// within the limit, a title and notes within theirs, one field at
// least); any problem is named with its line, and then nothing is sent.
func parseLines(r io.Reader, lim Limits) ([]edit, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	var edits []edit
	var problems []string
	seen := map[string]int{}
	for n := 1; sc.Scan(); n++ {
		raw := bytes.TrimSpace(sc.Bytes())
		if len(raw) == 0 {
			continue
		}
		e, err := parseLine(raw, lim)
		switch {
		case err != nil:
			problems = append(problems, fmt.Sprintf("line %d: %v", n, err))
		case seen[e.threadID] > 0:
			problems = append(problems, fmt.Sprintf("line %d: thread %s is on line %d too: one line a thread", n, e.threadID, seen[e.threadID]))
		default:
			seen[e.threadID] = n
			edits = append(edits, e)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, &UsageError{Msg: fmt.Sprintf("reading the edits: %v (a line may hold at most %d bytes)", err, maxLine)}
	}
	if len(problems) > 0 {
		return nil, &UsageError{Msg: strings.Join(problems, "\n") + "\nnothing was sent"}
	}
	return edits, nil
}

// decodeLine reads a line as JSON into its fields, each problem said in
// JSON's words (an object, a field, a list), not Go's.
func decodeLine(raw []byte) (line, error) {
	var l line
	var fields map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(raw))
	var typeErr *json.UnmarshalTypeError
	switch err := dec.Decode(&fields); {
	case errors.As(err, &typeErr):
		return l, fmt.Errorf("not an edit: a JSON object is wanted, not %s", article(typeErr.Value))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return l, errors.New("not JSON: the line ends inside it")
	case err != nil:
		return l, fmt.Errorf("not JSON: %v", err)
	case dec.More():
		return l, errors.New("more than one object")
	}
	v := reflect.ValueOf(&l).Elem()
	known := make([]string, v.NumField())
	for i := range v.NumField() {
		known[i], _, _ = strings.Cut(v.Type().Field(i).Tag.Get("json"), ",")
		value, ok := fields[known[i]]
		if !ok {
			continue
		}
		delete(fields, known[i])
		if err := json.Unmarshal(value, v.Field(i).Addr().Interface()); err != nil {
			want, got := wanted(v.Field(i).Type()), jsonKind(value)
			if got == "array" {
				return l, fmt.Errorf("%s: %s is wanted, and an item of it is not a string", known[i], want)
			}
			return l, fmt.Errorf("%s: %s is wanted, not %s", known[i], want, article(got))
		}
	}
	for name := range fields {
		return l, fmt.Errorf("%q is not a field of an edit (the fields: %s)", name, strings.Join(known, ", "))
	}
	return l, nil
}

// wanted is what a field of line takes, said in JSON's words.
func wanted(t reflect.Type) string {
	switch {
	case t == reflect.TypeFor[api.Nullable]():
		return "a string or null"
	case t.Kind() == reflect.Pointer:
		return wanted(t.Elem())
	case t.Kind() == reflect.Bool:
		return "true or false"
	case t.Kind() == reflect.Slice:
		return "a list of strings"
	}
	return "a string"
}

// jsonKind is the kind of a JSON value: "string", "number", "object"…
func jsonKind(raw json.RawMessage) string {
	switch b := bytes.TrimSpace(raw); {
	case len(b) == 0:
		return "nothing"
	case b[0] == '"':
		return "string"
	case b[0] == '{':
		return "object"
	case b[0] == '[':
		return "array"
	case b[0] == 't' || b[0] == 'f':
		return "bool"
	case b[0] == 'n':
		return "null"
	}
	return "number"
}

// article is a JSON kind with its article: "an array", "a string".
func article(kind string) string {
	switch kind {
	case "array", "object":
		return "an " + kind
	case "bool":
		return "a boolean"
	case "null", "nothing":
		return kind
	}
	return "a " + kind
}

// parseLine reads and checks one line.
func parseLine(raw []byte, lim Limits) (edit, error) {
	l, err := decodeLine(raw)
	if err != nil {
		return edit{}, err
	}
	e := edit{threadID: strings.TrimSpace(l.ThreadID), flags: [4]*bool{l.Resolved, l.Archived, l.Escalated, l.Important},
		addTags: l.AddTags, removeTags: l.RemoveTags, title: l.Title, notes: l.InternalNotes}
	if e.threadID == "" || strings.ContainsFunc(e.threadID, unicode.IsControl) {
		return e, fmt.Errorf("threadId: missing or not a thread id")
	}
	if l.Mode != nil {
		if e.mode = api.Mode(*l.Mode); !e.mode.Valid() {
			return e, fmt.Errorf("mode: %q is not AI, AGENT or HUMAN", *l.Mode)
		}
	}
	if l.Tags != nil {
		if e.tags = *l.Tags; e.tags == nil {
			e.tags = []string{}
		}
		if len(e.addTags) > 0 || len(e.removeTags) > 0 {
			return e, fmt.Errorf("tags (the whole list) and addTags/removeTags do not go together")
		}
	}
	for _, tags := range [][]string{e.tags, e.addTags, e.removeTags} {
		for _, tag := range tags {
			if tag == "" || strings.ContainsFunc(tag, unicode.IsSpace) || lim.Tag > 0 && utf8.RuneCountInString(tag) > lim.Tag {
				return e, fmt.Errorf("tags: %q is not a tag of at most %d characters without spaces", tag, lim.Tag)
			}
		}
	}
	for _, f := range []struct {
		name  string
		v     api.Nullable
		limit int
	}{{"title", e.title, lim.Title}, {"internalNotes", e.notes, lim.Notes}} {
		if s, ok := f.v.Get(); ok && f.limit > 0 && utf8.RuneCountInString(s) > f.limit {
			return e, fmt.Errorf("%s: %d characters, more than the limit of %d", f.name, utf8.RuneCountInString(s), f.limit)
		}
	}
	if e.empty() {
		return e, fmt.Errorf("no field to change")
	}
	return e, nil
}
