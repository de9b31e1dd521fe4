package journal

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Owner is the console holding a journal: who to look for when a second
// console is started on the same chatbot.
type Owner struct {
	PID   int       `json:"pid"`
	Host  string    `json:"host"`
	Since time.Time `json:"since"`
	TTY   string    `json:"tty,omitempty"`
}

// String is "pid 4242 on jump-1 since 14:03 (tty /dev/pts/3)".
func (o Owner) String() string {
	s := fmt.Sprintf("pid %d on %s since %s", o.PID, o.Host, o.Since.Local().Format("Jan 2 15:04"))
	if o.TTY != "" {
		s += " (tty " + o.TTY + ")"
	}
	return s
}

// HeldError says another console holds the journal: it is the one that
// may change the queue of this chatbot.
type HeldError struct {
	Path  string
	Owner Owner
}

// Error says who holds the journal.
func (e *HeldError) Error() string {
	return "another console holds the journal " + e.Path + ": " + e.Owner.String()
}

// LastWrite is when the holder last wrote the journal (queued or sent an
// edit), the zero time when it never did: how long it has been idle.
func (e *HeldError) LastWrite() time.Time {
	st, err := os.Stat(strings.TrimSuffix(e.Path, ".lock") + ".journal")
	if err != nil {
		return time.Time{}
	}
	return st.ModTime()
}

// Takeable says why the holder may not be asked to let go, "" when it
// may: it runs on this host, as this user (a lock file under this user's
// state directory may still name a process of another host, on a shared
// home, or a pid another user's process took since).
func (e *HeldError) Takeable() string {
	host, _ := os.Hostname()
	switch {
	case e.Owner.PID <= 0:
		return "the journal does not say which process holds it"
	case e.Owner.PID == os.Getpid():
		return "it is this very process"
	case e.Owner.Host != host:
		return "it runs on " + e.Owner.Host + ", not on this host"
	}
	if uid, ok := processUID(e.Owner.PID); !ok || uid != os.Getuid() {
		return fmt.Sprintf("pid %d is not a process of yours", e.Owner.PID)
	}
	return ""
}

// LetGo asks the holder to save its queue and quit (SIGTERM, which the
// console takes as it takes a hangup), when Takeable allows.
func (e *HeldError) LetGo() error {
	if why := e.Takeable(); why != "" {
		return errors.New("the holder is not asked to quit: " + why)
	}
	return syscall.Kill(e.Owner.PID, syscall.SIGTERM)
}

// processUID is the real user of a process, from /proc.
func processUID(pid int) (int, bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, false
	}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, "Uid:"); ok {
			f := strings.Fields(rest)
			if len(f) == 0 {
				return 0, false
			}
			uid, err := strconv.Atoi(f[0])
			return uid, err == nil
		}
	}
	return 0, false
}

// lock takes the exclusive lock of a journal, which the kernel releases
// when the process ends however it ends, and writes who holds it.
func lock(path string, me Owner) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, &HeldError{Path: path, Owner: readOwner(path)}
		}
		return nil, fmt.Errorf("journal: locking %s: %w", path, err)
	}
	b, _ := json.Marshal(me)
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt(append(b, '\n'), 0)
	}
	return f, nil
}

// readOwner reads who holds a lock; unknown fields stay zero.
func readOwner(path string) Owner {
	var o Owner
	if b, err := os.ReadFile(path); err == nil {
		_ = json.Unmarshal(b, &o)
	}
	return o
}

// currentOwner describes this process.
func currentOwner(now time.Time) Owner {
	host, _ := os.Hostname()
	tty, _ := os.Readlink("/proc/self/fd/0")
	if len(tty) < 5 || tty[:5] != "/dev/" {
		tty = ""
	}
	return Owner{PID: os.Getpid(), Host: host, Since: now, TTY: tty}
}
