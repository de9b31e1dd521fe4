package main

import (
	"fmt"
	"io"
	"strings"

	"triage/api"
	"triage/cache"
	"triage/journal"
	"triage/session"
	"triage/threads"
	"triage/words"
)

// openCache reads the disk cache of this chatbot and deployment, unless
// it is off. The demo's server listens on a new port each run, so its
// cache is keyed by "demo" instead of the URL, as its journal is. A cache
// that cannot be used is a note at start, never a reason not to start.
func openCache(on bool, c api.Config, demo bool) (session.DiskCache, *cache.Snapshot, string) {
	if !on {
		return nil, nil, ""
	}
	dir, err := cache.Dir()
	if err != nil {
		return nil, nil, "No thread cache: " + err.Error()
	}
	base := c.BaseURL
	if demo {
		base = "demo"
	}
	dc := cache.Open(dir, c.ChatbotID, journal.NormalizeBase(base))
	snap, err := dc.Load()
	if err != nil {
		return dc, nil, err.Error() + "; loading from the server"
	}
	return dc, snap, ""
}

// keptTexts are the conversations the console kept beside the thread
// cache for the search (the console's alone: the command line does not
// search them), or the note of why none could be used.
func keptTexts(dc session.DiskCache) ([]threads.Text, string) {
	c, ok := dc.(*cache.Cache)
	if !ok {
		return nil, ""
	}
	texts, err := c.LoadTexts()
	if err != nil {
		return nil, err.Error() + "; the search starts without the conversations kept"
	}
	return texts, ""
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
