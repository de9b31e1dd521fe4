package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"triage/sanitize"
)

// allStrings lists every string reachable in v.
func allStrings(v reflect.Value) []string {
	var out []string
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			out = allStrings(v.Elem())
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				out = append(out, allStrings(v.Field(i))...)
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			out = append(out, allStrings(v.Index(i))...)
		}
	case reflect.String:
		out = append(out, v.String())
	}
	return out
}

// FuzzDecodeResponses feeds arbitrary bodies to everything that reads a
// server's answer: list pages (hostile and malformed threads among good
// ones), update answers (nested or flat), and error bodies. None may
// panic; an error must describe the body in printable text; a decoded
// thread keeps no control, escape or format character.
func FuzzDecodeResponses(f *testing.F) {
	for _, s := range []string{
		`{"success":true,"data":{"threads":[{"id":"a","title":null,"tags":["x"]}],"pagination":{"page":1,"limit":20,"total":1,"totalPages":1}}}`,
		`{"success":true,"data":{"updatedThreads":[[{"id":"a"}],{"id":"b"}]}}`,
		`{"success":false,"message":"no","errors":[{"path":[0,"mode"],"message":"bad"},"plain",{"field":"1.title"}]}`,
		`{"success":true,"data":{"threads":[{"id":"a"},{"id":"b","unreadMessagesCount":"3"},{"id":"c\u001b[2J","title":"\u202e\u200bx","updatedAt":""}],"pagination":{"page":1}}}`,
		`<html><title>502</title></html>`, `{"success":false,"message":"\u001b]0;pwned\u0007","code":"\u009b2J"}`, `{"success":true,"data":{"threads":[{"id":`, "\x1b]0;x\x07", `[]`, `{}`,
	} {
		f.Add([]byte(s), 200)
		f.Add([]byte(s), 400)
	}
	f.Fuzz(func(t *testing.T, body []byte, status int) {
		resp := &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {"application/json"}, "Retry-After": {"3"}}}
		r := request{method: http.MethodGet, path: "/chatting/b/threads"}
		now := time.Unix(0, 0)
		checkErr := func(err error) {
			if err != nil && (!utf8.ValidString(err.Error()) || strings.ContainsAny(err.Error(), "\x1b\x07")) {
				t.Fatalf("error text is not printable: %q", err)
			}
		}
		page, err := decode[Page](r, resp, body, now)
		checkErr(err)
		(&Client{cfg: Config{MaxTitle: 200, MaxNotes: 5000}}).cleanAll(page.Threads)
		for _, th := range page.Threads {
			for _, str := range allStrings(reflect.ValueOf(th)) {
				if sanitize.Text(str) != str {
					t.Fatalf("a decoded thread keeps %q", str)
				}
			}
		}
		checkErr(errors.New(page.Skipped.First))
		type updated struct {
			UpdatedThreads []json.RawMessage `json:"updatedThreads"`
		}
		if data, err := decode[updated](r, resp, body, now); err == nil {
			_, err = flattenUpdated(data.UpdatedThreads)
			_ = err
		} else {
			checkErr(err)
		}
		checkErr(newHTTPError(r.method, r.path, resp, body, now))
	})
}
