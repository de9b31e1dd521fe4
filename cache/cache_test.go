package cache

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"triage/api"
	"triage/api/apitest"
	"triage/threads"
)

var now = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

// sample is threads with every kind of field: nulls, notes in each of
// their three states, a model or none, tags shared between threads, cut
// fields.
func sample() []api.Thread {
	ts := apitest.Generate(50, "bot-1", 7, now)
	ts[0].InternalNotes = api.Value("call back\nafter 5")
	ts[1].InternalNotes = api.Null()
	ts[2].Mode = api.ModeHuman
	ts[3].LLMModel = nil
	ts[4].Tags = nil
	ts[5].EndedAt = time.Time{}
	ts[6].Cut = api.CutTitle // cut at decoding: still not editable after a restart
	ts[7].Cut = api.CutTitle | api.CutNotes
	return ts
}

// written writes the threads as two views sharing some of them, and
// returns the cache and the store they came from.
func written(t *testing.T, dir string) (*Cache, *threads.Store, []View) {
	t.Helper()
	store := threads.NewStore()
	var all []*api.Thread
	for _, th := range sample() {
		all = append(all, store.Put(th))
	}
	views := []View{
		{Key: ViewKey(api.ListParams{}), Total: 50, Rows: all},
		{Key: ViewKey(api.ListParams{Resolved: api.Bool(false)}), Total: 20, ReadAt: now.Add(-2 * time.Hour), Mark: now.Add(-3 * time.Hour), Rows: all[10:30]},
	}
	c := Open(dir, "bot-1", "https://api.example.com/api/v1")
	if err := c.Write(views, store.ReadLocker(), now); err != nil {
		t.Fatal(err)
	}
	return c, store, views
}

// loaded is a whole cache read, part by part, into a store, as a start
// reads it.
type loaded struct {
	SavedAt time.Time
	Store   *threads.Store
	Views   map[string]View
}

// load reads the cache c whole, in parts of 7 rows (many parts, views
// beginning within them): nil without a file.
func load(c *Cache) (*loaded, error) { return loadInParts(c, 7) }

// loadInParts reads the cache c whole in parts of n rows.
func loadInParts(c *Cache, n int) (*loaded, error) {
	r, err := c.Read()
	if r == nil || err != nil {
		return nil, err
	}
	defer r.Close()
	return readAll(r, n)
}

// readAll reads every part of r, in parts of n rows.
func readAll(r *Reader, n int) (*loaded, error) {
	out := &loaded{SavedAt: r.SavedAt(), Store: threads.NewStore(), Views: map[string]View{}}
	var all []*api.Thread
	var cur *View
	for {
		p, ok, err := r.Next(n)
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		if p.View != nil {
			cur = p.View
		}
		for i := range p.New {
			all = append(all, out.Store.Adopt(&p.New[i]))
		}
		for _, i := range p.Rows {
			cur.Rows = append(cur.Rows, all[i])
		}
		out.Views[cur.Key] = *cur
	}
	return out, nil
}

func TestWriteThenLoadGivesEveryFieldBack(t *testing.T) {
	c, _, views := written(t, t.TempDir())
	snap, err := load(c)
	if err != nil || snap == nil {
		t.Fatalf("Load: %v, %v", snap, err)
	}
	if !snap.SavedAt.Equal(now) {
		t.Errorf("saved at %v, want %v", snap.SavedAt, now)
	}
	if len(snap.Views) != 2 || snap.Store.Len() != 50 {
		t.Fatalf("%d views, %d threads; want 2 and 50", len(snap.Views), snap.Store.Len())
	}
	for _, want := range views {
		got := snap.Views[want.Key]
		if got.Total != want.Total || !got.Mark.Equal(want.Mark) || !got.ReadAt.Equal(want.ReadAt) || len(got.Rows) != len(want.Rows) {
			t.Fatalf("view %q: total %d, %d rows; want %d, %d", want.Key, got.Total, len(got.Rows), want.Total, len(want.Rows))
		}
		for i := range want.Rows {
			if !reflect.DeepEqual(*got.Rows[i], *want.Rows[i]) {
				t.Fatalf("view %q row %d:\n got %+v\nwant %+v", want.Key, i, *got.Rows[i], *want.Rows[i])
			}
			if got.Rows[i] != snap.Store.Get(got.Rows[i].ID) {
				t.Fatalf("row %d is not the store's one copy", i)
			}
		}
	}
}

func TestFilesArePrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "triage")
	c, _, _ := written(t, dir)
	for path, want := range map[string]os.FileMode{dir: 0o700, c.Path(): 0o600} {
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := st.Mode().Perm(); got != want {
			t.Errorf("%s: mode %o, want %o", path, got, want)
		}
	}
}

// rewrite changes a cache file with edit, and then fixes its checksum
// when fix is set, as a change by another program would.
func rewrite(t *testing.T, path string, fix bool, edit func([]byte) []byte) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if b2 := edit(bytes.Clone(b)); bytes.Equal(b, b2) {
		t.Fatal("the edit changed nothing")
	} else {
		b = b2
	}
	if fix {
		body := b[:len(b)-4]
		b = binary.LittleEndian.AppendUint32(body, crc32.Checksum(body, crcTable))
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// damage is a change to a cache file, its checksum fixed after it when
// fix is set, and what the error must say of it.
type damage struct {
	name string
	fix  bool
	edit func([]byte) []byte
	want string
}

// damages are the changes any cache file is refused for.
var damages = []damage{
	{"one bit flipped", false, func(b []byte) []byte { b[len(b)/2] ^= 1; return b }, "checksum"},
	{"cut short", false, func(b []byte) []byte { return b[:len(b)/3] }, "damaged"},
	{"empty", false, func([]byte) []byte { return nil }, "damaged"},
}

func TestUntrustedFilesAreDiscardedWithAReason(t *testing.T) {
	for _, tc := range append(damages, []damage{
		{"another format version", true, func(b []byte) []byte { b[len(magic)] = version + 1; return b }, "format version 3"},
		{"not a cache", true, func(b []byte) []byte { copy(b, "GARBAGE!"); return b }, "not a thread cache"},
		{"a row pointing past the threads", true, func(b []byte) []byte {
			// the second view: its key, total 20 (zigzag 40), a mark, 20 rows, the first all[10]
			j := bytes.Index(b, []byte("resolved=false\x28")) + len("resolved=false\x28")
			for range 2 { // read at and mark: 1 and a varint
				j++
				for b[j] >= 0x80 {
					j++
				}
				j++
			}
			b[j+1] = 0x7f
			return b
		}, "damaged"},
	}...) {
		t.Run(tc.name, func(t *testing.T) {
			c, _, _ := written(t, t.TempDir())
			rewrite(t, c.Path(), tc.fix, tc.edit)
			snap, err := load(c)
			if snap != nil || err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "discarded") {
				t.Fatalf("Load = %v, %v; want nothing and an error saying %q", snap, err, tc.want)
			}
			if _, err := os.Stat(c.Path()); !os.IsNotExist(err) {
				t.Errorf("the untrusted file is still there: %v", err)
			}
			if snap, err := load(c); snap != nil || err != nil {
				t.Errorf("the next start: %v, %v; want a cold start without a note", snap, err)
			}
		})
	}
}

func TestACacheOfAnotherChatbotOrDeploymentIsNeverShown(t *testing.T) {
	dir := t.TempDir()
	mine, _, _ := written(t, dir)
	for _, other := range []*Cache{
		Open(dir, "bot-2", "https://api.example.com/api/v1"),
		Open(dir, "bot-1", "https://staging.example.com/api/v1"),
	} {
		if other.Path() == mine.Path() {
			t.Fatalf("two keys share %s", mine.Path())
		}
		if snap, err := load(other); snap != nil || err != nil {
			t.Fatalf("another key loaded %v, %v", snap, err)
		}
		// Even a file moved into its place is refused by the key inside.
		b, _ := os.ReadFile(mine.Path())
		if err := os.WriteFile(other.Path(), b, 0o600); err != nil {
			t.Fatal(err)
		}
		snap, err := load(other)
		if snap != nil || err == nil || !strings.Contains(err.Error(), "another chatbot or base URL") {
			t.Fatalf("a copied file: %v, %v", snap, err)
		}
	}
}

func TestWriteWaitsForNoPutButTheChunkItReads(t *testing.T) {
	store := threads.NewStore()
	var rows []*api.Thread
	for _, th := range apitest.Generate(3000, "bot-1", 3, now) {
		rows = append(rows, store.Put(th))
	}
	c := Open(t.TempDir(), "bot-1", "b")
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := c.Write([]View{{Key: "", Total: len(rows), Rows: rows}}, store.ReadLocker(), now); err != nil {
			t.Error(err)
		}
	})
	for i := range 3000 { // the UI goroutine goes on changing threads (the race detector watches)
		th := *rows[i%len(rows)]
		th.Title = "changed"
		store.Put(th)
	}
	wg.Wait()
	if snap, err := load(c); err != nil || snap.Store.Len() != 3000 {
		t.Fatalf("%v, %v", snap, err)
	}
}

func TestClearRemovesCachesOnly(t *testing.T) {
	dir := t.TempDir()
	written(t, dir)
	Open(dir, "bot-2", "x").Write(nil, &sync.Mutex{}, now)
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o600)
	n, err := Clear(dir)
	if err != nil || n != 2 {
		t.Fatalf("Clear = %d, %v; want 2", n, err)
	}
	left, _ := os.ReadDir(dir)
	if len(left) != 1 || left[0].Name() != "notes.txt" {
		t.Fatalf("left %v", left)
	}
	if n, err := Clear(filepath.Join(dir, "none")); n != 0 || err != nil {
		t.Fatalf("no directory: %d, %v", n, err)
	}
}

func FuzzDecode(f *testing.F) {
	dir := f.TempDir()
	store := threads.NewStore()
	var rows []*api.Thread
	for _, th := range sample()[:5] {
		rows = append(rows, store.Put(th))
	}
	c := Open(dir, "bot-1", "b")
	if err := c.Write([]View{{Rows: rows}, {Key: "k", Rows: rows[1:3]}}, store.ReadLocker(), now); err != nil {
		f.Fatal(err)
	}
	good, _ := os.ReadFile(c.Path())
	f.Add(good[:len(good)-4])
	f.Fuzz(func(t *testing.T, body []byte) {
		// Past the checksum, the decoder alone stands between a file and
		// the store: it must fail cleanly, never panic or over-allocate.
		if r, err := begin(&decoder{r: bufio.NewReader(bytes.NewReader(body)), left: int64(len(body))}, c.key); err == nil {
			for {
				if _, ok, err := r.next(3); !ok || err != nil {
					break
				}
			}
		}
	})
}

// TestTwoConsolesWritingOneCacheLeaveAWholeFile: two consoles on one
// chatbot write the same cache at once; the file is always one whole
// snapshot of either.
func TestTwoConsolesWritingOneCacheLeaveAWholeFile(t *testing.T) {
	dir := t.TempDir()
	store := threads.NewStore()
	rows := store.PutAll(apitest.Generate(2000, "bot-1", 5, now))
	var wg sync.WaitGroup
	for i := range 2 {
		c := Open(dir, "bot-1", "https://api.example.com/api/v1") // each console opens its own
		wg.Go(func() {
			for range 10 {
				if err := c.Write([]View{{Total: 2000 - i, Rows: rows[i:]}}, store.ReadLocker(), now); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	snap, err := load(Open(dir, "bot-1", "https://api.example.com/api/v1"))
	if err != nil || snap == nil {
		t.Fatalf("%v, %v", snap, err)
	}
	if v := snap.Views[""]; len(v.Rows) != v.Total {
		t.Errorf("%d rows, total %d: a mix of two writes", len(v.Rows), v.Total)
	}
	if left, _ := os.ReadDir(dir); len(left) != 1 {
		t.Errorf("temporary files left: %v", left)
	}
}
