package main

import (
	"fmt"
	"io"
	"strings"

	"triage/api"
	"triage/cache"
	"triage/journal"
	"triage/session"
	"triage/words"
)

// openCache opens the disk cache of this chatbot and deployment, unless
// it is off; the session reads it behind the first frame. The demo's
// server listens on a new port each run, so its cache is keyed by "demo"
// instead of the URL, as its journal is. A cache that cannot be used is a
// note, never a reason not to start.
func openCache(on bool, c api.Config, demo bool) (session.DiskCache, string) {
	if !on {
		return nil, ""
	}
	dir, err := cache.Dir()
	if err != nil {
		return nil, "No thread cache: " + err.Error()
	}
	base := c.BaseURL
	if demo {
		base = "demo"
	}
	return cache.Open(dir, c.ChatbotID, journal.NormalizeBase(base)), ""
}

// joinNotes joins the notes that are not empty.
func joinNotes(notes ...string) string {
	var out []string
	for _, n := range notes {
		if n != "" {
			out = append(out, n)
		}
	}
	return strings.Join(out, "; ")
}

// runCacheCommand is `triage cache clear`: it empties the cache directory
// of every chatbot's threads.
func runCacheCommand(args []string, stdout, stderr io.Writer) int {
	const usage = "Usage: triage cache clear   (removes the threads cached on disk for every chatbot)"
	switch {
	case len(args) == 1 && (args[0] == "--help" || args[0] == "-h" || args[0] == "-help"):
		fmt.Fprintln(stdout, usage)
		return exitOK
	case len(args) != 1 || args[0] != "clear":
		fmt.Fprintln(stderr, usage)
		return exitUsage
	}
	dir, err := cache.Dir()
	if err != nil {
		fmt.Fprintln(stderr, "triage:", err)
		return exitRuntime
	}
	n, err := cache.Clear(dir)
	if err != nil {
		fmt.Fprintf(stderr, "triage: clearing %s: %v\n", dir, err)
		return exitRuntime
	}
	fmt.Fprintf(stdout, "Removed %s from %s\n", words.Plural(n, "cache file"), dir)
	return exitOK
}
