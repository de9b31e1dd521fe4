package journal

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
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
