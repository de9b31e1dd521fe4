package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"triage/sanitize"
)

// Sentinel errors matched with errors.Is against an *Error by its status.
var (
	ErrUnauthorized = errors.New("unauthorized")
	ErrForbidden    = errors.New("forbidden")
	ErrNotFound     = errors.New("not found")
	ErrRateLimited  = errors.New("rate limited")
	ErrValidation   = errors.New("validation failed")
	ErrServer       = errors.New("server error")
	ErrNotJSON      = errors.New("response is not JSON")
)

// FieldError is one entry of the API's "errors" array: which field of which
// request item was refused, and why.
type FieldError struct {
	// Index is the position of the item in the PATCH body, or -1 when the
	// error does not name one.
	Index int
	// ThreadID is the thread the error is about, when the server says so.
	ThreadID string
	// Field is the dotted path of the field ("mode", "0.title").
	Field   string
	Message string
	Code    string
}

// String is the field and what the server said of it.
func (f FieldError) String() string {
	s := f.Field
	if s == "" {
		s = "request"
	}
	if f.Message != "" {
		s += ": " + f.Message
	}
	return s
}

// Error is a failed request: an HTTP status other than 2xx, or a 2xx whose
// body could not be understood. It never holds the API key.
type Error struct {
	Method string
	Path   string
	Status int
	// Code is the API's error code (API_KEY_NOT_VALID, ...), when sent.
	Code    string
	Message string
	Fields  []FieldError
	// RetryAfter is the server's Retry-After, zero when absent.
	RetryAfter time.Duration
	// ContentType and Snippet describe a body that was not JSON.
	ContentType string
	Snippet     string
	// Err is the decoding error of a body that was not understood.
	Err error
	// Attempts is how many tries the client made before giving up on a
	// retryable error; 0 when it did not retry.
	Attempts int
}

// Error is the request, the status and what the server said.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: ", e.Method, e.Path)
	if e.Status != 0 {
		fmt.Fprintf(&b, "%d %s", e.Status, http.StatusText(e.Status))
	}
	switch {
	case e.Snippet != "" || e.Err != nil && e.Message == "":
		ct := e.ContentType
		if ct == "" {
			ct = "no content type"
		}
		fmt.Fprintf(&b, " with %s, not the API's JSON", ct)
		if e.Err != nil {
			fmt.Fprintf(&b, " (%v)", e.Err)
		}
		if e.Snippet != "" {
			fmt.Fprintf(&b, ": %q", e.Snippet)
		}
	default:
		if e.Message != "" {
			fmt.Fprintf(&b, ": %s", e.Message)
		}
		if e.Code != "" {
			fmt.Fprintf(&b, " (%s)", e.Code)
		}
		for _, f := range e.Fields {
			fmt.Fprintf(&b, "; %s", f)
		}
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter.Round(time.Second))
	}
	return b.String()
}

// StatusText is the standard text of an HTTP status code ("Too Many
// Requests"), for those who do not talk HTTP themselves.
func StatusText(code int) string { return http.StatusText(code) }

// StatusText is the standard text of the HTTP status ("Not Found").
func (e *Error) StatusText() string { return http.StatusText(e.Status) }

// Unwrap exposes the decoding error, if any.
func (e *Error) Unwrap() error { return e.Err }

// Is matches the sentinel errors by status (and ErrNotJSON by body).
func (e *Error) Is(target error) bool {
	switch target {
	case ErrUnauthorized:
		return e.Status == http.StatusUnauthorized
	case ErrForbidden:
		return e.Status == http.StatusForbidden
	case ErrNotFound:
		return e.Status == http.StatusNotFound
	case ErrRateLimited:
		return e.Status == http.StatusTooManyRequests
	case ErrValidation:
		return e.Status == http.StatusBadRequest || e.Status == http.StatusUnprocessableEntity
	case ErrServer:
		return e.Status >= 500
	case ErrNotJSON:
		return e.Snippet != "" || e.ContentType != "" && !isJSONType(e.ContentType)
	}
	return false
}

// AsError returns the *Error inside err, if there is one.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// snippetLen is how many bytes of a non-JSON body an error quotes.
const snippetLen = 120

func isJSONType(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

// looksLikeJSON reports whether a body starts like a JSON object or array.
func looksLikeJSON(body []byte) bool {
	for _, c := range body {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		case '{', '[':
			return true
		}
		return false
	}
	return false
}

// snippet returns the first bytes of a body as printable text on one line.
func snippet(body []byte) string {
	if len(body) > snippetLen {
		body = body[:snippetLen]
	}
	return strings.Join(strings.Fields(sanitize.Line(strings.ToValidUTF8(string(body), "?"))), " ")
}

// errorBody is the documented shape of an error response.
type errorBody struct {
	Success    *bool             `json:"success"`
	Message    string            `json:"message"`
	Code       string            `json:"code"`
	ErrorCode  string            `json:"errorCode"`
	StatusCode int               `json:"statusCode"`
	Errors     []json.RawMessage `json:"errors"`
}

// newHTTPError builds the *Error for a non-2xx response.
func newHTTPError(method, path string, resp *http.Response, body []byte, now time.Time) *Error {
	e := &Error{Method: method, Path: path, Status: resp.StatusCode}
	e.RetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), now)
	var eb errorBody
	if !looksLikeJSON(body) || json.Unmarshal(body, &eb) != nil {
		e.ContentType = resp.Header.Get("Content-Type")
		e.Snippet = snippet(body)
		if e.Snippet == "" {
			e.Snippet = "(empty body)"
		}
		return e
	}
	e.fill(eb)
	return e
}

// fill takes the message, code and field errors of an error body. Server
// text is cleaned here, so no error of this package can carry an escape
// sequence to a terminal or a log.
func (e *Error) fill(eb errorBody) {
	e.Message = sanitize.Line(eb.Message)
	e.Code = sanitize.Line(eb.Code)
	if e.Code == "" {
		e.Code = sanitize.Line(eb.ErrorCode)
	}
	for _, raw := range eb.Errors {
		fe := parseFieldError(raw)
		fe.Field, fe.Message, fe.Code, fe.ThreadID = sanitize.Line(fe.Field), sanitize.Line(fe.Message), sanitize.Line(fe.Code), sanitize.Line(fe.ThreadID)
		e.Fields = append(e.Fields, fe)
	}
}

// parseFieldError reads the common shapes of a field error: a "field",
// "path" (string or array, as zod sends) or "param" key, a "message" or
// "msg", a "code", and a "threadId" or leading numeric path element.
func parseFieldError(raw json.RawMessage) FieldError {
	fe := FieldError{Index: -1}
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			fe.Message = s
		}
		return fe
	}
	str := func(keys ...string) string {
		for _, k := range keys {
			if v, ok := m[k].(string); ok && v != "" {
				return v
			}
		}
		return ""
	}
	fe.Message = str("message", "msg", "error")
	fe.Code = str("code")
	fe.ThreadID = str("threadId")
	if idx, ok := m["index"].(float64); ok {
		fe.Index = int(idx)
	}
	switch p := firstOf(m, "path", "field", "param", "property").(type) {
	case string:
		fe.Field = p
	case []any:
		parts := make([]string, 0, len(p))
		for i, el := range p {
			switch v := el.(type) {
			case float64:
				if i == 0 && fe.Index < 0 {
					fe.Index = int(v)
				}
				parts = append(parts, strconv.Itoa(int(v)))
			case string:
				parts = append(parts, v)
			}
		}
		fe.Field = strings.Join(parts, ".")
	}
	if fe.Index < 0 {
		if head, _, ok := strings.Cut(fe.Field, "."); ok {
			if n, err := strconv.Atoi(head); err == nil {
				fe.Index = n
			}
		}
	}
	return fe
}

func firstOf(m map[string]any, keys ...string) any {
	for _, k := range keys {
		if v, ok := m[k]; ok {
			return v
		}
	}
	return nil
}
