package main

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"triage/api"
)

// TestDebugLogHoldsNoBodyNorPassword: retry and request lines carry the
// status and code of an error, never its text (which can quote a body),
// and a URL is logged with its password masked.
func TestDebugLogHoldsNoBodyNorPassword(t *testing.T) {
	var out bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&out, nil))
	body := &api.Error{Method: "PATCH", Path: "/x", Status: 502, ContentType: "text/html", Snippet: "<html>secret notes of a visitor</html>"}
	logEvent(logger, api.Event{Kind: api.EventRetry, Method: "PATCH", Path: "/x", Attempt: 1, Err: fmt.Errorf("wrapped: %w", body)})
	logEvent(logger, api.Event{Kind: api.EventRequest, Method: "GET", Path: "/y", Err: errors.New("dial tcp: refused")})
	logger.Info("start", "base_url", redactedURL("https://agent:hunter2@contextgpt.in/api/v1"))
	log := out.String()
	for _, never := range []string{"secret notes", "hunter2"} {
		if strings.Contains(log, never) {
			t.Errorf("the debug log holds %q:\n%s", never, log)
		}
	}
	if !strings.Contains(log, `"error_status":502`) || !strings.Contains(log, "contextgpt.in") {
		t.Errorf("the log lost what it needs:\n%s", log)
	}
}
