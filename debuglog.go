package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"

	"triage/api"
)

// openDebugLog opens the --debug-log file for appending structured lines;
// without a path it returns a logger that writes nowhere.
func openDebugLog(path string) (*slog.Logger, func(), error) {
	if path == "" {
		return slog.New(slog.NewTextHandler(io.Discard, nil)), func() {}, nil
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("--debug-log: %w", err)
	}
	return slog.New(slog.NewJSONHandler(f, nil)), func() { _ = f.Close() }, nil
}

// observe is the API client's observer: every report goes to the debug
// log and, without ever blocking the request, to the console. Events hold
// no key and no body, so neither can reach the log.
func observe(events chan<- api.Event, logger *slog.Logger) func(api.Event) {
	return func(e api.Event) {
		logEvent(logger, e)
		select {
		case events <- e:
		default: // the console is behind; the debug log still has it
		}
	}
}

// logEvent writes one structured line per attempt, retry and wait.
func logEvent(logger *slog.Logger, e api.Event) {
	attrs := []any{"method", e.Method, "path", e.Path, "attempt", e.Attempt}
	switch e.Kind {
	case api.EventRequest:
		attrs = append(attrs, "status", e.Status, "duration_ms", e.Duration.Milliseconds(), "bytes", e.Bytes)
		logger.Info("request", append(attrs, errorAttrs(e.Err)...)...)
	case api.EventRetry:
		attrs = append(attrs, "wait_ms", e.Wait.Milliseconds())
		logger.Warn("retry", append(attrs, errorAttrs(e.Err)...)...)
	case api.EventRateWait:
		logger.Info("rate_wait", append(attrs, "wait_ms", e.Wait.Milliseconds())...)
	}
}

// errorAttrs describe an error without its text: an API error's text can
// quote the body (notes, titles), which the debug log never holds; so it
// logs the status and code, and for other errors only their kind.
func errorAttrs(err error) []any {
	if err == nil {
		return nil
	}
	if e, ok := api.AsError(err); ok {
		return []any{"error_status", e.Status, "error_code", e.Code}
	}
	return []any{"error_kind", fmt.Sprintf("%T", errors.Unwrap(err))}
}

// redactedURL is a URL for the log, any password in it masked.
func redactedURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable URL)"
	}
	return u.Redacted()
}
