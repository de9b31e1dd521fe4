// Package cache keeps the threads of a chatbot's views on disk, so a
// console starts on the last list at once and refreshes behind it. One
// file per normalised base URL and chatbot, 0600 in a 0700 directory,
// under $XDG_CACHE_HOME/triage/. The file is a compact binary encoding
// (format.go) with a version and a checksum; a damaged file, a file of
// another version or of another chatbot or deployment is never trusted.
// It holds threads as the server listed them and nothing else: no key,
// no edits (those are the journal's).
package cache

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"triage/api"
	"triage/trust"
)

// suffix ends the name of every cache file; Clear removes only those.
const suffix = ".cache"

// Dir is where caches live: $XDG_CACHE_HOME/triage, else ~/.cache/triage.
func Dir() (string, error) {
	if d := os.Getenv("XDG_CACHE_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "triage"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("no cache directory: set XDG_CACHE_HOME or HOME, or run with --no-cache: %w", err)
	}
	return filepath.Join(home, ".cache", "triage"), nil
}

// Cache is the cache file of one chatbot on one deployment. Writes are
// serialised, each to a temporary file renamed over the last, so a
// reader or a second console sees one whole snapshot or the one before.
type Cache struct {
	path string
	key  string
	mu   sync.Mutex // one write at a time
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// Open returns the cache of chatbotID on the deployment whose normalised
// base URL is base. Nothing is read or created until Load or Write.
func Open(dir, chatbotID, base string) *Cache {
	key := base + "\n" + chatbotID
	sum := sha256.Sum256([]byte(key))
	name := unsafeName.ReplaceAllString(chatbotID, "_") + "-" + hex.EncodeToString(sum[:6]) + suffix
	return &Cache{path: filepath.Join(dir, name), key: key}
}

// Path is the cache's file.
func (c *Cache) Path() string { return c.path }

// View is one view's threads as cached: the filter it was listed with
// (ViewKey), the server's total, when the view was last read to its end
// (ReadAt) and the newest update the server listed then (Mark: an
// incremental refresh stops at threads older than that), and its rows,
// newest update first.
type View struct {
	Key    string
	Total  int
	ReadAt time.Time
	Mark   time.Time
	Rows   []*api.Thread
}

// ViewKey names a view's server-side filter in the cache: the list
// query without page and limit, so a view renamed or reordered in the
// config keeps its cache and two views with one filter share it.
func ViewKey(p api.ListParams) string {
	p.Page, p.Limit = 0, 0
	return p.Query().Encode()
}

// Reader reads a thread cache a part at a time, so a start shows the
// first rows before the rest is decoded. The file's checksum held before
// the first part; a part that cannot be decoded (a file this version did
// not write) removes the file, and the error says so.
type Reader struct {
	f       *os.File
	path    string
	d       *decoder
	savedAt time.Time
	views   int // views not begun
	left    int // rows of the view under way not read
	threads int // threads the parts brought so far
}

// Read opens the cache for reading: no file is (nil, nil). A file that is
// damaged, of another format version or of another chatbot or base URL
// is removed and reported as an error saying so. Close the reader when
// done.
func (c *Cache) Read() (*Reader, error) {
	f, r, size, err := c.open(c.path, "thread cache")
	if f == nil || err != nil {
		return nil, err
	}
	rd, err := begin(&decoder{r: r, left: size - 4}, c.key)
	if err != nil {
		f.Close()
		return nil, discard(c.path, "thread cache", err)
	}
	rd.f, rd.path = f, c.path
	return rd, nil
}

// begin reads a thread cache's header from d: its format version and key,
// when it was written and how many views it holds.
func begin(d *decoder, key string) (*Reader, error) {
	err := d.header(magic, version, key, "thread cache")
	savedAt := time.Unix(0, d.int())
	views := d.count()
	if err == nil {
		err = d.err
	}
	if err != nil {
		return nil, err
	}
	return &Reader{d: d, savedAt: savedAt, views: views}, nil
}

// SavedAt is when the cache was written.
func (r *Reader) SavedAt() time.Time { return r.savedAt }

// Next reads up to n more rows (at least one): the rest of the view
// under way, or the start of the next. ok is false at the end of the
// file. A part that cannot be decoded removes the file.
func (r *Reader) Next(n int) (p Part, ok bool, err error) {
	p, ok, err = r.next(max(n, 1))
	if err != nil {
		return Part{}, false, discard(r.path, "thread cache", err)
	}
	return p, ok, nil
}

// Close ends the reading.
func (r *Reader) Close() error { return r.f.Close() }

// open checks the file at path (what, for messages) and returns it open
// at its start once its checksum holds, with its size: a file of another
// user is not read, a damaged one is removed, and the error says so. No
// file is no file and no error.
func (c *Cache) open(path, what string) (*os.File, *bufio.Reader, int64, error) {
	if err := c.trusted(path, what); err != nil {
		return nil, nil, 0, err
	}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, 0, nil
	}
	if err != nil {
		return nil, nil, 0, fmt.Errorf("the %s %s cannot be read: %w", what, path, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, 0, fmt.Errorf("the %s %s cannot be read: %w", what, path, err)
	}
	r := bufio.NewReaderSize(f, 1<<16)
	if err := checksum(r, st.Size()); err != nil {
		f.Close()
		return nil, nil, 0, discard(path, what, err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		return nil, nil, 0, fmt.Errorf("the %s %s cannot be read: %w", what, path, err)
	}
	r.Reset(f)
	return f, r, st.Size(), nil
}

// trusted refuses a cache in a directory, or a file, that another user
// could have written: it is not read (nor removed: it is not ours to
// remove), and the console loads from the server.
func (c *Cache) trusted(path, what string) error {
	if err := trust.Dir(filepath.Dir(path)); err != nil {
		return fmt.Errorf("the %s is not used: %w", what, err)
	}
	if err := trust.File(path); err != nil {
		return fmt.Errorf("the %s is not used: %w", what, err)
	}
	return nil
}

// discard removes a cache file that cannot be trusted and says why.
func discard(path, what string, why error) error {
	os.Remove(path)
	return fmt.Errorf("the %s %s was discarded: %w", what, path, why)
}

// Write replaces the cache with views, read from their threads under
// lock (the store's ReadLocker): call it off the UI goroutine with the
// views' rows copied on it. The file is complete on disk (synced, then
// renamed) when Write returns nil; on failure the last cache stays.
func (c *Cache) Write(views []View, lock sync.Locker, now time.Time) error {
	return c.write(c.path, "thread cache", func(w io.Writer) error { return encode(w, c.key, now, views, lock) })
}

// write replaces the file at path with what encode writes: a temporary
// file (0600) in the directory, synced, then renamed over it.
func (c *Cache) write(path, what string, encode func(w io.Writer) error) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	dir := filepath.Dir(path)
	if err := trust.MkdirAll(dir); err != nil {
		return fmt.Errorf("writing the %s: %w", what, err)
	}
	tmp, err := os.CreateTemp(dir, ".tmp-*"+suffix)
	if err != nil {
		return fmt.Errorf("writing the %s: %w", what, err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	w := bufio.NewWriterSize(tmp, 1<<16)
	err = encode(w)
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("writing the %s %s: %w", what, path, err)
	}
	return nil
}

// Clear removes every cache file in dir (and temporary files a killed
// console left) and returns how many it removed.
func Clear(dir string) (int, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range entries {
		if e.Type().IsRegular() && strings.HasSuffix(e.Name(), suffix) {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}
