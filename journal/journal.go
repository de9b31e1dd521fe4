// Package journal keeps the pending edits on disk so that an SSH drop, a
// SIGHUP, kill -9 or a crash loses nothing. One console owns a chatbot's
// journal at a time (a lock the kernel releases when the process dies);
// the journal is a log of checksummed lines appended by a writer of its
// own, off the UI goroutine, coalescing changes, and rewritten whole when
// it has grown; every entry is validated on load and a damaged one is
// kept aside, never dropped in silence. Files are 0600 in a 0700
// directory, one set per chatbot and normalised deployment.
package journal

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"triage/queue"
	"triage/trust"
)

// DefaultDir is $XDG_STATE_HOME/triage, falling back to
// ~/.local/state/triage.
func DefaultDir() (string, error) {
	if d := os.Getenv("XDG_STATE_HOME"); d != "" {
		return filepath.Join(d, "triage"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("journal: no state directory: %w", err)
	}
	return filepath.Join(home, ".local", "state", "triage"), nil
}

// Journal is the journal of one chatbot on one deployment, held by this
// process. Record, Flush and Err are safe to call from any goroutine.
type Journal struct {
	dir     string
	p       paths
	chatbot string
	base    string // normalised
	lim     Limits
	now     func() time.Time
	lockf   *os.File
	// write and remove are the disk operations of the writer; tests swap
	// in ones that fail.
	write  func(path string, data []byte, appendTo bool) error
	remove func(path string) error

	mu       sync.Mutex
	cond     *sync.Cond
	pending  map[string]*queue.Edit // nil: the thread's edit is gone
	handed   int                    // batches handed to the writer
	written  int                    // batches on disk
	attempts int                    // writes tried
	failure  error                  // the last write failed with it
	closed   bool
	changed  chan struct{} // signals a change of failure

	// Owned by the writer goroutine.
	state   map[string]*queue.Edit
	logSize int
	dirty   bool // the file may hold a partial line: rewrite it whole
}

// Options tunes Open.
type Options struct {
	// Limits are the forms' limits; loaded edits must keep to them.
	Limits Limits
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Open takes the journal of chatbotID at baseURL in dir for this process.
// When another console holds it, the error is a *HeldError naming that
// console. Files a write cut short left behind are removed.
func Open(dir, chatbotID, baseURL string, opts Options) (*Journal, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if err := trust.MkdirAll(dir); err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	base := NormalizeBase(baseURL)
	j := &Journal{dir: dir, p: pathsOf(dir, fileStem(chatbotID, base)), chatbot: chatbotID, base: base,
		lim: opts.Limits, now: opts.Now, write: durableWrite, remove: removeDurably,
		pending: map[string]*queue.Edit{}, state: map[string]*queue.Edit{}, changed: make(chan struct{}, 1)}
	j.cond = sync.NewCond(&j.mu)
	f, err := lock(j.p.lock, currentOwner(opts.Now()))
	if err != nil {
		return nil, err
	}
	j.lockf = f
	_ = os.Remove(j.p.tmp) // an interrupted rewrite; the journal itself is intact
	removeOrphans(dir, opts.Now())
	go j.writer()
	return j, nil
}

// removeOrphans removes the temporary files an earlier version's writes
// left when they were cut short (.journal-NNN.tmp), once they are an hour
// old: no write takes that long, so nobody is using them.
func removeOrphans(dir string, now time.Time) {
	old, _ := filepath.Glob(filepath.Join(dir, ".journal-*.tmp"))
	for _, p := range old {
		if st, err := os.Stat(p); err == nil && now.Sub(st.ModTime()) > time.Hour {
			_ = os.Remove(p)
		}
	}
}

// Path is where the journal lives.
func (j *Journal) Path() string { return j.p.log }

// Load reads the journal and returns its edits. An entry that is damaged
// or fails validation is left out, written to the .rejected file and
// named in the notices; a journal of another format, chatbot or
// deployment is moved aside. The file is then rewritten with what was
// kept.
func (j *Journal) Load() (edits []*queue.Edit, notices []string, err error) {
	if err := trust.File(j.p.log); err != nil {
		return nil, nil, fmt.Errorf("journal: %w", err)
	}
	b, err := os.ReadFile(j.p.log)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("journal: %w", err)
	}
	lines := bytes.Split(b, []byte("\n"))
	var h header
	problem := ""
	switch err := json.Unmarshal(lines[0], &h); {
	case err != nil || h.Journal != "triage":
		problem = "is not a triage journal"
	case h.Version != Version:
		problem = fmt.Sprintf("has format version %d, not %d", h.Version, Version)
	case h.ChatbotID != j.chatbot || h.BaseURL != j.base:
		problem = "belongs to another chatbot or deployment"
	}
	if problem != "" {
		aside := j.p.log + ".unreadable-" + j.now().UTC().Format("20060102T150405")
		if err := os.Rename(j.p.log, aside); err != nil {
			return nil, nil, fmt.Errorf("journal: %s %s and could not be moved aside: %w", j.p.log, problem, err)
		}
		return nil, []string{fmt.Sprintf("the journal %s and was moved to %s", problem, aside)}, nil
	}
	state := map[string]*queue.Edit{}
	var rejected []string
	for n, raw := range lines[1:] {
		if len(bytes.TrimSpace(raw)) == 0 {
			continue
		}
		put, del, why := decodeLine(raw, j.lim)
		switch {
		case why != "":
			rejected = append(rejected, fmt.Sprintf("line %d: %s", n+2, why))
			j.reject(raw, n+2, why)
		case put != nil:
			state[put.ThreadID] = put
		default:
			delete(state, del)
		}
	}
	ids := make([]string, 0, len(state))
	for id := range state {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		edits = append(edits, state[id])
	}
	if len(rejected) > 0 {
		notices = append(notices, fmt.Sprintf("%s of the journal rejected, kept in %s: %s",
			countOf(len(rejected), "entry", "entries"), j.p.rejected, strings.Join(rejected, "; ")))
	}
	j.mu.Lock()
	j.state, j.dirty = state, true // rewrite the file clean with the next write
	j.mu.Unlock()
	return edits, notices, nil
}

// reject appends a rejected line and why to the .rejected file.
func (j *Journal) reject(raw []byte, n int, why string) {
	entry := fmt.Sprintf("# %s line %d: %s\n%s\n", j.now().UTC().Format(time.RFC3339), n, why, raw)
	_ = j.write(j.p.rejected, []byte(entry), true)
}

func countOf(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
