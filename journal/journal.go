// Package journal keeps the pending edits on disk so that an SSH drop, a
// SIGHUP, kill -9 or a crash loses nothing: every change is written to a
// temporary file, synced and renamed over the journal (mode 0600 in a
// 0700 directory), one file per chatbot and deployment. A journal that
// cannot be read is moved aside, never trusted and never fatal.
package journal

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"triage/queue"
)

// Version is the format version written in every journal.
const Version = 1

// File is the journal's content.
type File struct {
	Version   int           `json:"version"`
	ChatbotID string        `json:"chatbotId"`
	BaseURL   string        `json:"baseUrl"`
	SavedAt   time.Time     `json:"savedAt"`
	Edits     []*queue.Edit `json:"edits"`
}

// Journal is the journal of one chatbot on one deployment.
type Journal struct {
	path      string
	chatbotID string
	baseURL   string
	now       func() time.Time
}

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

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// Open returns the journal of chatbotID at baseURL in dir. The file name
// holds the chatbot id and a hash of the base URL, so a journal is never
// applied to another chatbot or deployment.
func Open(dir, chatbotID, baseURL string) *Journal {
	sum := sha256.Sum256([]byte(baseURL))
	name := unsafeName.ReplaceAllString(chatbotID, "_") + "-" + hex.EncodeToString(sum[:4]) + ".json"
	return &Journal{path: filepath.Join(dir, name), chatbotID: chatbotID, baseURL: baseURL, now: time.Now}
}

// Path is where the journal lives.
func (j *Journal) Path() string { return j.path }

// Save writes the edits atomically and durably. An empty queue removes
// the file.
func (j *Journal) Save(edits []*queue.Edit) error {
	if len(edits) == 0 {
		if err := os.Remove(j.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("journal: %w", err)
		}
		return nil
	}
	dir := filepath.Dir(j.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	b, err := json.Marshal(File{Version: Version, ChatbotID: j.chatbotID, BaseURL: j.baseURL, SavedAt: j.now().UTC(), Edits: edits})
	if err != nil {
		return fmt.Errorf("journal: encoding: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".journal-*.tmp")
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("journal: %w", err)
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("journal: writing: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("journal: syncing: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	if err := os.Rename(tmp.Name(), j.path); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	return syncDir(dir)
}

// syncDir makes the rename itself durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("journal: syncing directory: %w", err)
	}
	return nil
}

// Load reads the journal. No file gives no edits and no error. A file
// that cannot be read or belongs elsewhere is moved aside: the returned
// warning says where, and the edits are nil.
func (j *Journal) Load() (edits []*queue.Edit, warning string, err error) {
	b, err := os.ReadFile(j.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", fmt.Errorf("journal: %w", err)
	}
	var f File
	problem := ""
	switch err := json.Unmarshal(b, &f); {
	case err != nil:
		problem = "cannot be read (" + err.Error() + ")"
	case f.Version != Version:
		problem = fmt.Sprintf("has format version %d, not %d", f.Version, Version)
	case f.ChatbotID != j.chatbotID || f.BaseURL != j.baseURL:
		problem = "belongs to another chatbot or deployment"
	}
	if problem == "" {
		return f.Edits, "", nil
	}
	aside := j.path + ".unreadable-" + j.now().UTC().Format("20060102T150405")
	if err := os.Rename(j.path, aside); err != nil {
		return nil, "", fmt.Errorf("journal: %s %s and could not be moved aside: %w", j.path, problem, err)
	}
	return nil, fmt.Sprintf("the journal %s and was moved to %s", problem, aside), nil
}
