package cli

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"triage/api"
)

// The fields of --json are the API's names of a thread's fields, read
// from the thread type itself, so a field the API gains is listed too.

// field is one JSON field of a thread and where it is in api.Thread (a
// path: the icons are a struct of their own, their fields the thread's in
// JSON).
type field struct {
	name  string
	index []int
}

// threadFields are the thread's JSON fields, in the order of the API's
// thread object.
func threadFields() []field {
	var out []field
	for _, f := range reflect.VisibleFields(reflect.TypeFor[api.Thread]()) {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.Anonymous && name != "" && name != "-" {
			out = append(out, field{name: name, index: f.Index})
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
// list object does not carry. Every value is one JSON itself decodes to
// (string, float64 or int, bool, nil, []any, map[string]any): the only
// values gojq takes.
func object(t *api.Thread, fields []field) map[string]any {
	v := reflect.ValueOf(t).Elem()
	out := make(map[string]any, len(fields))
	for _, f := range fields {
		fv, err := v.FieldByIndexErr(f.index)
		if err != nil { // through a nil pointer: a thread without icons
			fv = reflect.Zero(reflect.TypeFor[api.Thread]().FieldByIndex(f.index).Type)
		}
		out[f.name] = value(fv.Interface())
	}
	return out
}

// value is one field's value for JSON, as a JSON-native Go value.
func value(x any) any {
	switch x := x.(type) {
	case nil, string, bool, int, float64:
		return x
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
		out := make([]any, len(x))
		for i, s := range x {
			out[i] = s
		}
		return out
	}
	return native(x)
}

// native is a value of a type value does not know (a field the API
// gained) as JSON decodes it: null when it cannot be encoded.
func native(x any) any {
	b, err := json.Marshal(x)
	if err != nil {
		return nil
	}
	var out any
	if json.Unmarshal(b, &out) != nil {
		return nil
	}
	return out
}
