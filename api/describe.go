package api

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"triage/sanitize"
)

// Describe says an error for people, in one line: what the server said
// first, then what to check, then the details that are cut first when the
// line is short. It is cleaned of control sequences.
func Describe(err error) string {
	e, ok := AsError(err)
	if !ok {
		return sanitize.Line(err.Error())
	}
	var b strings.Builder
	if e.Status != 0 {
		b.WriteString(strconv.Itoa(e.Status) + " ")
	}
	switch {
	case e.Snippet != "" || e.Err != nil && e.Message == "":
		ct := e.ContentType
		if ct == "" {
			ct = "a body"
		}
		b.WriteString("answered with " + ct + ", not the API's JSON")
		if e.Err != nil {
			b.WriteString(" (" + e.Err.Error() + ")")
		}
	case e.Message != "":
		b.WriteString(e.Message)
		if e.Code != "" {
			b.WriteString(" (" + e.Code + ")")
		}
	default:
		b.WriteString(e.StatusText())
	}
	switch {
	case errors.Is(err, ErrUnauthorized):
		b.WriteString(", check the API key")
	case errors.Is(err, ErrForbidden):
		b.WriteString(", the key's plan does not allow this chatbot")
	case errors.Is(err, ErrNotFound):
		b.WriteString(", check the chatbot id and base URL")
	case errors.Is(err, ErrNotJSON):
		b.WriteString(", a proxy or the wrong base URL?")
	}
	for i, f := range e.Fields {
		if i == 2 {
			b.WriteString(fmt.Sprintf("; %d more", len(e.Fields)-2))
			break
		}
		b.WriteString("; " + f.String())
	}
	if e.Snippet != "" {
		b.WriteString(": " + strconv.Quote(e.Snippet))
	}
	if e.RetryAfter > 0 {
		b.WriteString(" (retry after " + e.RetryAfter.Round(time.Second).String() + ")")
	}
	if e.Attempts > 1 {
		b.WriteString(fmt.Sprintf(" (after %d attempts)", e.Attempts))
	}
	return sanitize.Line(b.String())
}
