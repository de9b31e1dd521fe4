package cli

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"triage/api"
)

// The fields of --json are the API's names of a thread's fields, read
// from the thread type itself, so a field the API gains is listed too.

// field is one JSON field of a thread and where it is in api.Thread.
type field struct {
	name  string
	index int
}

// threadFields are the thread's JSON fields, in the order of the API's
// thread object.
func threadFields() []field {
	var out []field
	t := reflect.TypeFor[api.Thread]()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out = append(out, field{name: name, index: i})
		}
	}
	return out
}

// Fields are the names --json takes.
func Fields() []string {
	var out []string
	for _, f := range threadFields() {
		out = append(out, f.name)
	}
	return out
}

// pickFields checks the fields asked for (a comma-separated list) against
// the thread's.
func pickFields(list string) ([]field, error) {
	all := threadFields()
	var out []field
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		i := slices.IndexFunc(all, func(f field) bool { return f.name == name })
		if i < 0 {
			return nil, &UsageError{Msg: fmt.Sprintf("--json: unknown field %q (fields: %s)", name, strings.Join(Fields(), ", "))}
		}
		out = append(out, all[i])
	}
	return out, nil
}

// object is a thread as a JSON object with the fields given. What the
// server did not say is null: a time it left empty, a mode or notes the
// list object does not carry.
func object(t *api.Thread, fields []field) map[string]any {
	v := reflect.ValueOf(t).Elem()
	out := make(map[string]any, len(fields))
	for _, f := range fields {
		out[f.name] = value(v.Field(f.index).Interface())
	}
	return out
}

// value is one field's value for JSON.
func value(x any) any {
	switch x := x.(type) {
	case time.Time:
		if x.IsZero() {
			return nil
		}
		return x.UTC().Format(time.RFC3339Nano)
	case api.Nullable:
		if s, ok := x.Get(); ok {
			return s
		}
		return nil
	case api.Mode:
		if x == "" {
			return nil
		}
		return string(x)
	case *api.LLMModel:
		if x == nil {
			return nil
		}
		return map[string]any{"id": x.ID, "provider": x.Provider, "title": x.Title}
	case []string:
		if x == nil {
			return []string{}
		}
	}
	return x
}
