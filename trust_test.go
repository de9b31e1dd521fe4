package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"triage/api"
	"triage/cache"
	"triage/journal"
	"triage/queue"
)

// TestAPlantedJournalIsNotRestored: a journal with valid lines in a state
// directory others can write is neither restored nor written: the console
// is read-only, and says which directory and its mode.
func TestAPlantedJournalIsNotRestored(t *testing.T) {
	state := t.TempDir()
	t.Setenv("XDG_STATE_HOME", state)
	cfg := api.Config{BaseURL: "https://x.example/api/v1", ChatbotID: "bot"}
	planted, err := startJournal(cfg, false, journal.Limits{}, nil, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	q := queue.New()
	q.Toggle(queue.Archived, []*api.Thread{{ID: "th_victim"}})
	planted.j.Record(q.TakeChanges())
	planted.finish(q.Snapshot(), "") // a journal with a valid checksum
	dir := filepath.Join(state, "triage")
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	s, err := startJournal(cfg, false, journal.Limits{}, nil, &out)
	if err != nil || len(s.restored) != 0 || s.journal() != nil || s.readOnly == "" {
		t.Fatalf("restored %d edits, read-only %q, %v", len(s.restored), s.readOnly, err)
	}
	if msg := out.String() + s.notice; !strings.Contains(msg, dir+" is writable by group and others (mode 0777)") || !strings.Contains(msg, "chmod 700 "+dir) {
		t.Errorf("the start says %q", msg)
	}
	if st, _ := os.Stat(dir); st.Mode().Perm() != 0o777 {
		t.Errorf("the directory's mode was changed to %04o", st.Mode().Perm())
	}
	// The journal file itself loose, in a private directory: not read either.
	if err := os.Chmod(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	logs, _ := filepath.Glob(filepath.Join(dir, "*.journal"))
	if len(logs) != 1 || os.Chmod(logs[0], 0o666) != nil {
		t.Fatalf("journal files %v", logs)
	}
	if s, err = startJournal(cfg, false, journal.Limits{}, nil, &bytes.Buffer{}); err != nil || len(s.restored) != 0 || s.readOnly == "" {
		t.Errorf("a 0666 journal: restored %d, read-only %q, %v", len(s.restored), s.readOnly, err)
	}
}

// TestALooseCacheIsNotRead: a cache directory others can write is not
// read (nor emptied): the start says which and loads from the server.
func TestALooseCacheIsNotRead(t *testing.T) {
	home := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", home)
	c := api.Config{BaseURL: "https://api.example.com/api/v1", ChatbotID: "bot-1"}
	dc, _ := openCache(true, c, false)
	path := dc.(*cache.Cache).Path()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("planted"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Dir(path), 0o777); err != nil {
		t.Fatal(err)
	}
	r, err := dc.Read() // the session says it, and that it loads from the server
	if r != nil || err == nil || !strings.Contains(err.Error(), filepath.Dir(path)+" is writable by group and others (mode 0777)") {
		t.Errorf("%v, %v", r, err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("the cache file was removed: %v", err)
	}
}
