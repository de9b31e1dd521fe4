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
	"time"

	"triage/queue"
)

// retryEvery is how soon the writer tries again after a failed write.
const retryEvery = time.Second

// compactAt is how large the log may grow, against what it holds, before
// it is rewritten whole.
const compactAt = 4

// Record hands changed edits (copies) and the threads whose edit is gone
// to the writer and returns at once: the disk is never waited on here.
// Changes to the same thread coalesce, the latest winning.
func (j *Journal) Record(puts []*queue.Edit, dels []string) {
	if len(puts) == 0 && len(dels) == 0 {
		return
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, e := range puts {
		j.pending[e.ThreadID] = e
	}
	for _, id := range dels {
		j.pending[id] = nil
	}
	j.handed++
	j.cond.Broadcast()
}

// Flush waits until everything recorded is on disk and synced, and
// returns the error of the next write if it fails.
func (j *Journal) Flush() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	target, tried := j.handed, j.attempts
	for j.written < target && (j.failure == nil || j.attempts == tried) {
		j.cond.Wait()
	}
	if j.written >= target {
		return nil
	}
	return j.failure
}

// Err is the error of the last write, nil once a write succeeds again.
func (j *Journal) Err() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.failure
}

// Changed signals when Err may have changed: a write failed, or one
// succeeded after failures.
func (j *Journal) Changed() <-chan struct{} { return j.changed }

// Close flushes, stops the writer and releases the lock.
func (j *Journal) Close() error {
	err := j.Flush()
	j.mu.Lock()
	j.closed = true
	j.cond.Broadcast()
	j.mu.Unlock()
	if j.lockf != nil {
		j.lockf.Close()
	}
	return err
}

// writer writes what Record hands it, in order, coalesced, until Close.
func (j *Journal) writer() {
	for {
		j.mu.Lock()
		for len(j.pending) == 0 && !j.closed {
			j.cond.Wait()
		}
		if j.closed && len(j.pending) == 0 {
			j.mu.Unlock()
			return
		}
		batch, target := j.pending, j.handed
		j.pending = map[string]*queue.Edit{}
		j.mu.Unlock()

		err := j.writeBatch(batch)

		j.mu.Lock()
		j.attempts++
		if (err == nil) != (j.failure == nil) {
			select {
			case j.changed <- struct{}{}:
			default: // one signal waiting is enough
			}
		}
		if err != nil {
			for id, e := range batch { // keep it: a later change of the same thread wins
				if _, newer := j.pending[id]; !newer {
					j.pending[id] = e
				}
			}
			j.failure = err
		} else {
			j.failure, j.written = nil, target
		}
		j.cond.Broadcast()
		closed := j.closed
		j.mu.Unlock()
		if err != nil {
			if closed {
				return
			}
			time.Sleep(retryEvery)
		}
	}
}

// writeBatch applies a batch to the file: appended as lines, or, when the
// log has grown compactAt times past what it holds (or the last write
// may have left a partial line), rewritten whole; an empty queue removes
// the file. The batch is applied to the state in place, whether the write
// succeeds or not: a failed write leaves the file to be rewritten whole
// from it, and the batch is handed again anyway (copying the state at
// every batch cost a 100,000-edit queue a copy of its map each turn).
func (j *Journal) writeBatch(batch map[string]*queue.Edit) error {
	var appended bytes.Buffer
	for id, e := range batch {
		var b []byte
		var err error
		if e == nil {
			delete(j.state, id)
			b, err = delLine(id)
		} else {
			j.state[id] = e
			b, err = putLine(e)
		}
		if err != nil {
			j.dirty = true
			return fmt.Errorf("journal: encoding: %w", err)
		}
		appended.Write(append(b, '\n'))
	}
	var err error
	switch {
	case len(j.state) == 0:
		err = j.remove(j.p.log)
		j.logSize = 0
	case j.dirty || j.logSize == 0 || j.logSize+appended.Len() > compactAt*liveSize(j.state) && j.logSize > 64<<10:
		var whole []byte
		whole, err = j.encode(j.state)
		if err == nil {
			err = j.write(j.p.log, whole, false)
			j.logSize = len(whole)
		}
	default:
		err = j.write(j.p.log, appended.Bytes(), true)
		j.logSize += appended.Len()
	}
	j.dirty = err != nil
	return err
}

// liveSize estimates the bytes the edits take written whole.
func liveSize(state map[string]*queue.Edit) int { return 200 * (len(state) + 1) }

// encode writes a whole journal: the header and one line per edit.
func (j *Journal) encode(state map[string]*queue.Edit) ([]byte, error) {
	var buf bytes.Buffer
	h, _ := json.Marshal(header{Journal: "triage", Version: Version, ChatbotID: j.chatbot, BaseURL: j.base})
	buf.Write(append(h, '\n'))
	ids := make([]string, 0, len(state))
	for id := range state {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		b, err := putLine(state[id])
		if err != nil {
			return nil, fmt.Errorf("journal: encoding: %w", err)
		}
		buf.Write(append(b, '\n'))
	}
	return buf.Bytes(), nil
}

// CopyPath is where a copy of the edits goes when the journal cannot be
// written: the home directory, else the temporary one.
func CopyPath(now time.Time) string {
	dir, err := os.UserHomeDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "triage-unsaved-"+now.Format("20060102-150405")+".journal")
}

// WriteCopy writes edits, in the journal's format, to a file of their
// own: where the operator can keep them when the journal cannot be
// written. Copied over the journal's path, they are restored.
func (j *Journal) WriteCopy(path string, edits []*queue.Edit) error {
	state := make(map[string]*queue.Edit, len(edits))
	for _, e := range edits {
		state[e.ThreadID] = e
	}
	b, err := j.encode(state)
	if err != nil {
		return err
	}
	return durableWrite(path, b, false)
}

// durableWrite appends to path, or replaces it through a temporary file
// renamed over it; either way the data and the rename are synced before
// it returns.
func durableWrite(path string, data []byte, appendTo bool) error {
	if appendTo {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
		if err != nil {
			return fmt.Errorf("journal: %w", err)
		}
		if _, err := f.Write(data); err != nil {
			f.Close()
			return fmt.Errorf("journal: writing: %w", err)
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return fmt.Errorf("journal: syncing: %w", err)
		}
		return f.Close()
	}
	tmp := strings.TrimSuffix(path, filepath.Ext(path)) + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	defer os.Remove(tmp) // a no-op once renamed
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("journal: writing: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	return syncDir(filepath.Dir(path))
}

// removeDurably removes path and syncs its directory; a missing file is
// fine.
func removeDurably(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("journal: removing: %w", err)
	}
	return syncDir(filepath.Dir(path))
}

// syncDir makes a rename or removal itself durable.
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
