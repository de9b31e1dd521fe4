package journal

import (
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"triage/api"
	"triage/queue"
)

func sample() []*queue.Edit {
	q := queue.New()
	ts := []*api.Thread{{ID: "a"}, {ID: "b", Title: "x"}}
	q.Toggle(queue.Resolved, ts)
	q.SetTitle(nil, ts[1:])
	return q.Snapshot()
}

var limits = Limits{Tag: 40, Title: 200, Notes: 5000}

func open(t *testing.T, dir, bot, base string) *Journal {
	t.Helper()
	j, err := Open(dir, bot, base, Options{Limits: limits})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	return j
}

// save records edits and waits until they are on disk.
func save(t *testing.T, j *Journal, edits []*queue.Edit, dels ...string) {
	t.Helper()
	j.Record(edits, dels)
	if err := j.Flush(); err != nil {
		t.Fatal(err)
	}
}

func TestRoundTripAndPermissions(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state", "triage")
	j := open(t, dir, "bot/../1", "https://contextgpt.in/api/v1")
	if filepath.Dir(j.Path()) != dir || strings.Contains(filepath.Base(j.Path()), "/") {
		t.Fatalf("unsafe path %s", j.Path())
	}
	save(t, j, sample())
	st, err := os.Stat(j.Path())
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("file mode %o", st.Mode().Perm())
	}
	if dst, _ := os.Stat(dir); dst.Mode().Perm() != 0o700 {
		t.Errorf("dir mode %o", dst.Mode().Perm())
	}
	edits, notes, err := j.Load()
	if err != nil || len(notes) != 0 || len(edits) != 2 || edits[1].Title == nil || edits[1].Title.Want != nil {
		t.Fatalf("load: %v %q %+v", err, notes, edits)
	}
	save(t, j, nil, "a", "b")
	if _, err := os.Stat(j.Path()); !os.IsNotExist(err) {
		t.Error("an empty queue left a journal")
	}
	if edits, notes, err := j.Load(); edits != nil || len(notes) != 0 || err != nil {
		t.Errorf("missing journal: %v %q %v", edits, notes, err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(left) != 1 || !strings.HasSuffix(left[0], ".lock") {
		t.Errorf("files left besides the lock: %v", left)
	}
}

// TestAppendThenCompact: changes are appended as lines; the log is
// rewritten whole once it has grown well past what it holds, and reads
// back the same.
func TestAppendThenCompact(t *testing.T) {
	dir := t.TempDir()
	j := open(t, dir, "bot", "u")
	e := sample()
	save(t, j, e)
	first, _ := os.Stat(j.Path())
	for range 3 {
		save(t, j, e[:1])
	}
	grown, _ := os.Stat(j.Path())
	if grown.Size() <= first.Size() {
		t.Errorf("a change was not appended: %d then %d bytes", first.Size(), grown.Size())
	}
	for range 2000 { // far more than compactAt times what it holds
		save(t, j, e[:1])
	}
	if st, _ := os.Stat(j.Path()); st.Size() > 70<<10 {
		t.Errorf("the log was never compacted: %d bytes", st.Size())
	}
	got, _, err := j.Load()
	if err != nil || len(got) != 2 || got[0].ThreadID != "a" {
		t.Errorf("after compaction: %+v %v", got, err)
	}
}

// TestCoalescedWritesKeepTheLatest: changes recorded faster than the disk
// takes them coalesce, and the last change of each thread wins.
func TestCoalescedWritesKeepTheLatest(t *testing.T) {
	dir := t.TempDir()
	j := open(t, dir, "bot", "u")
	q := queue.New()
	ts := []*api.Thread{{ID: "a"}, {ID: "b"}}
	for i := range 200 {
		if i%2 == 0 {
			q.Toggle(queue.Resolved, ts)
		} else {
			q.Toggle(queue.Important, ts[:1])
		}
		j.Record(q.TakeChanges())
	}
	q.Undo() // the last step: important on a
	j.Record(q.TakeChanges())
	if err := j.Flush(); err != nil {
		t.Fatal(err)
	}
	got, _, _ := j.Load()
	want := q.Snapshot()
	if len(got) != len(want) {
		t.Fatalf("journal %d edits, queue %d", len(got), len(want))
	}
	for i := range got {
		if got[i].Fields() != want[i].Fields() || got[i].Flags[queue.Important] != nil != (want[i].Flags[queue.Important] != nil) {
			t.Errorf("edit %d: journal %+v, queue %+v", i, got[i], want[i])
		}
	}
}

func TestUnreadableJournalMovedAside(t *testing.T) {
	for name, content := range map[string]string{
		"truncated": `{"journal":"triage","version":2,"chatbotId":"bo`,
		"garbage":   "\x00\x01not json",
		"version":   `{"journal":"triage","version":99,"chatbotId":"bot","baseUrl":"u"}`,
		"other bot": `{"journal":"triage","version":2,"chatbotId":"other","baseUrl":"u"}`,
		"old":       `{"version":1,"chatbotId":"bot","baseUrl":"u","edits":[{"threadId":"a"}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			j := open(t, dir, "bot", "u")
			if err := os.WriteFile(j.Path(), []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			edits, notes, err := j.Load()
			if err != nil || edits != nil || !strings.Contains(strings.Join(notes, ""), "moved to") {
				t.Fatalf("edits %v notes %q err %v", edits, notes, err)
			}
			if _, err := os.Stat(j.Path()); !os.IsNotExist(err) {
				t.Error("the unreadable journal is still in place")
			}
			moved, _ := filepath.Glob(j.Path() + ".unreadable-*")
			if len(moved) != 1 {
				t.Errorf("moved aside: %v", moved)
			}
		})
	}
}

// TestDamagedEntriesAreRejectedNotDropped: a flipped byte, a truncated
// line, an unknown field, an empty thread id and values the forms would
// refuse are each left out, named by thread and field, and kept in the
// .rejected file; the good entries load.
func TestDamagedEntriesAreRejectedNotDropped(t *testing.T) {
	dir := t.TempDir()
	j := open(t, dir, "bot", "u")
	save(t, j, sample())
	good, _ := os.ReadFile(j.Path())
	lines := strings.Split(strings.TrimSpace(string(good)), "\n")
	put := func(edit string) string {
		b, _ := putLineRaw(edit)
		return b
	}
	bad := []string{
		strings.Replace(lines[1], `"threadId":"a"`, `"threadId":"c"`, 1), // damaged: checksum
		lines[2][:len(lines[2])/2],                                       // truncated
		put(`{"threadId":"d","flags":[{"want":true,"base":false},null,null,null],"notez":{"want":"x"}}`),
		put(`{"threadId":"","flags":[{"want":true,"base":false},null,null,null]}`),
		put(`{"threadId":"e","flags":[null,null,null,null],"mode":{"want":"ROBOT"}}`),
		put(`{"threadId":"f","flags":[null,null,null,null],"tags":{"add":["` + strings.Repeat("x", 5000) + `"]}}`),
	}
	content := strings.Join(append(lines, bad...), "\n") + "\n"
	if err := os.WriteFile(j.Path(), []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	edits, notes, err := j.Load()
	if err != nil || len(edits) != 2 {
		t.Fatalf("%d edits, %v", len(edits), err)
	}
	msg := strings.Join(notes, "\n")
	for _, w := range []string{"6 entries of the journal rejected", "checksum", "notez", "threadId: missing", `thread e: mode: "ROBOT" is not a mode`, "thread f: tags:"} {
		if !strings.Contains(msg, w) {
			t.Errorf("the notice lacks %q: %s", w, msg)
		}
	}
	rejected, _ := os.ReadFile(filepath.Join(dir, strings.TrimSuffix(filepath.Base(j.Path()), ".journal")+".rejected"))
	entries := 0
	for _, l := range strings.Split(string(rejected), "\n") {
		if strings.HasPrefix(l, "# ") {
			entries++
		}
	}
	if entries != len(bad) {
		t.Errorf("the .rejected file holds %d entries, want %d:\n%s", entries, len(bad), rejected)
	}
	// The next write rewrites the journal without the rejected lines.
	save(t, j, sample()[:1])
	if again, notes, _ := j.Load(); len(again) != 2 || len(notes) != 0 {
		t.Errorf("after the rewrite: %d edits, notes %q", len(again), notes)
	}
}

// crcOf is the checksum of a payload as written.
func crcOf(payload string) uint32 { return crc32.ChecksumIEEE([]byte(payload)) }

// putLineRaw is a journal line around a raw edit, with a right checksum.
func putLineRaw(edit string) (string, error) {
	return fmt.Sprintf(`{"crc":%d,"put":%s}`, crcOf(edit), edit), nil
}

// TestLeftoverTempFileIsRemoved: a rewrite cut short by kill -9 leaves
// a temporary file; the next Open removes it, and the journal is intact.
func TestLeftoverTempFileIsRemoved(t *testing.T) {
	dir := t.TempDir()
	j := open(t, dir, "bot", "u")
	save(t, j, sample())
	j.Close()
	tmp := strings.TrimSuffix(j.Path(), ".journal") + ".tmp"
	if err := os.WriteFile(tmp, []byte("half a rewrite"), 0o600); err != nil {
		t.Fatal(err)
	}
	// An earlier version wrote .journal-NNN.tmp files; one left by a
	// write an hour ago is an orphan, one just written may be in use.
	orphan, fresh := filepath.Join(dir, ".journal-123.tmp"), filepath.Join(dir, ".journal-456.tmp")
	for _, p := range []string{orphan, fresh} {
		if err := os.WriteFile(p, []byte("{}"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-2 * time.Hour)
	_ = os.Chtimes(orphan, old, old)
	j2 := open(t, dir, "bot", "u")
	if _, err := os.Stat(tmp); !os.IsNotExist(err) {
		t.Error("the leftover temporary file is still there")
	}
	if _, err := os.Stat(orphan); !os.IsNotExist(err) {
		t.Error("an orphan temporary file of an earlier version is still there")
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Error("a temporary file that may be in use was removed")
	}
	if got, _, _ := j2.Load(); len(got) != 2 {
		t.Errorf("%d edits", len(got))
	}
}

// TestFailingDiskIsReportedAndNothingIsLost: while writes fail, Flush and
// Err say so and the changes stay pending; once the disk recovers, the
// next write holds them all.
func TestFailingDiskIsReportedAndNothingIsLost(t *testing.T) {
	dir := t.TempDir()
	j := open(t, dir, "bot", "u")
	var mu sync.Mutex
	full := true
	write := j.write
	j.write = func(path string, data []byte, appendTo bool) error {
		mu.Lock()
		defer mu.Unlock()
		if full {
			return errors.New("no space left on device")
		}
		return write(path, data, appendTo)
	}
	j.Record(sample(), nil)
	if err := j.Flush(); err == nil || !strings.Contains(err.Error(), "no space") || j.Err() == nil {
		t.Fatalf("flush on a full disk: %v", err)
	}
	mu.Lock()
	full = false
	mu.Unlock()
	j.Record(nil, []string{"zzz"}) // any later change retries the whole
	if err := j.Flush(); err != nil {
		t.Fatalf("after the disk recovered: %v", err)
	}
	if got, _, _ := j.Load(); len(got) != 2 || j.Err() != nil {
		t.Errorf("after recovery %d edits, err %v", len(got), j.Err())
	}
}

func TestDeploymentsDoNotShareJournals(t *testing.T) {
	dir := t.TempDir()
	a, b := open(t, dir, "bot", "https://a.example/api/v1"), open(t, dir, "bot", "https://b.example/api/v1")
	if a.Path() == b.Path() {
		t.Fatal("two deployments share one journal file")
	}
	save(t, a, sample())
	if edits, _, _ := b.Load(); edits != nil {
		t.Error("b read a's journal")
	}
}

// TestWriteCopy: the copy written elsewhere restores when put in place.
func TestWriteCopy(t *testing.T) {
	dir := t.TempDir()
	j := open(t, dir, "bot", "u")
	copyPath := filepath.Join(t.TempDir(), "rescue.journal")
	if err := j.WriteCopy(copyPath, sample()); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(copyPath)
	if err := os.WriteFile(j.Path(), b, 0o600); err != nil {
		t.Fatal(err)
	}
	if got, notes, _ := j.Load(); len(got) != 2 || len(notes) != 0 {
		t.Errorf("restored %d edits, notes %q", len(got), notes)
	}
}

// TestDurableWriteReportsAFullDisk: a write the disk refuses is an error,
// never a silent success (/dev/full refuses every write with ENOSPC).
func TestDurableWriteReportsAFullDisk(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full on this system")
	}
	if err := durableWrite("/dev/full", []byte("x\n"), true); err == nil || !strings.Contains(err.Error(), "no space") {
		t.Errorf("writing to a full disk: %v", err)
	}
}
