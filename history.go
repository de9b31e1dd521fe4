package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"

	"triage/journal"
	"triage/trust"
	"triage/ui"
)

// searchHistory keeps the search line's queries across restarts: one a
// line, oldest first, in search-history beside the journals (0600).
type searchHistory struct{ path string }

// historyLimit bounds what is read back, whatever the file holds.
const historyLimit = 100

// openHistory is the history file and what it holds; none when the state
// directory is unknown or the file cannot be trusted (a note says why).
func openHistory() (ui.History, []string, string) {
	dir, err := journal.DefaultDir()
	if err != nil {
		return nil, nil, ""
	}
	h := &searchHistory{path: filepath.Join(dir, "search-history")}
	if err := errors.Join(trust.Dir(dir), trust.File(h.path)); err != nil {
		return nil, nil, "The search history is not used: " + err.Error()
	}
	b, err := os.ReadFile(h.path)
	if err != nil {
		return h, nil, "" // none yet
	}
	var queries []string
	for line := range strings.Lines(string(b)) {
		if q := strings.TrimSpace(line); q != "" {
			queries = append(queries, q)
		}
	}
	return h, queries[max(0, len(queries)-historyLimit):], ""
}

// Save writes the history whole: a new file renamed over the last.
func (h *searchHistory) Save(queries []string) error {
	if err := os.MkdirAll(filepath.Dir(h.path), 0o700); err != nil {
		return err
	}
	tmp := h.path + ".tmp"
	if err := os.WriteFile(tmp, []byte(strings.Join(queries, "\n")+"\n"), 0o600); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, h.path)
}
