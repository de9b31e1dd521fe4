package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzDecodeResponses feeds arbitrary bodies to everything that reads a
// server's answer: list pages, update answers (nested or flat), and error
// bodies. None may panic; an error must describe the body in printable
// text.
func FuzzDecodeResponses(f *testing.F) {
	for _, s := range []string{
		`{"success":true,"data":{"threads":[{"id":"a","title":null,"tags":["x"]}],"pagination":{"page":1,"limit":20,"total":1,"totalPages":1}}}`,
		`{"success":true,"data":{"updatedThreads":[[{"id":"a"}],{"id":"b"}]}}`,
		`{"success":false,"message":"no","errors":[{"path":[0,"mode"],"message":"bad"},"plain",{"field":"1.title"}]}`,
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
		_, err := decode[Page](r, resp, body, now)
		checkErr(err)
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
