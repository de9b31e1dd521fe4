// Package trust decides whether a local file may be believed, as ssh
// decides for ~/.ssh: a directory or file that someone else owns, or that
// group or others may write, could hold what another user of the machine
// planted (a journal line with a valid checksum is no proof of who wrote
// it). Such a path is named with its owner and mode, and not read.
// What triage creates, it creates 0700 (directories) and 0600 (files); it
// never changes the mode of what exists.
package trust

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// Error says which path is not trusted and why.
type Error struct {
	Path string
	Mode fs.FileMode
	Why  string // "is writable by group and others", "belongs to uid 1001, …"
	// Foreign is a path another user owns: no chmod makes it trusted.
	Foreign bool
}

// Error names the path, its mode and what to do.
func (e *Error) Error() string {
	fix := "chmod go-w " + e.Path
	if e.Mode.IsDir() {
		fix = "chmod 700 " + e.Path
	}
	if e.Foreign {
		fix = "it must be yours (or root's)"
	}
	return fmt.Sprintf("%s %s (mode %s): another user could have written in it, so it is not read; %s", e.Path, e.Why, octal(e.Mode), fix)
}

// octal is a mode as chmod writes it: 0777, 1777.
func octal(m fs.FileMode) string {
	n := uint32(m.Perm())
	if m&fs.ModeSticky != 0 {
		n |= 0o1000
	}
	if m&fs.ModeSetgid != 0 {
		n |= 0o2000
	}
	if m&fs.ModeSetuid != 0 {
		n |= 0o4000
	}
	return fmt.Sprintf("%04o", n)
}

// Dir checks a directory that holds private files: owned by this user
// (or root) and writable by nobody else. A directory that does not exist
// is fine: nothing in it can be read.
func Dir(path string) error {
	st, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return check(path, st, false)
}

// Parent checks the directory of a file others may need to reach (the
// config): as Dir, but a directory everyone may write with the sticky
// bit (/tmp) is fine, since nobody else can replace a file in it.
func Parent(path string) error {
	st, err := os.Stat(path)
	if err != nil {
		return nil // the file's own read says what is wrong
	}
	return check(path, st, true)
}

// File checks a file about to be read: a regular file, owned by this
// user (or root), writable by nobody else. A missing file is fine.
func File(path string) error {
	st, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() {
		return &Error{Path: path, Mode: st.Mode(), Why: "is not a regular file"}
	}
	return check(path, st, false)
}

// Opened checks a file already open, by its descriptor: what was opened
// is what is checked.
func Opened(f *os.File) error {
	st, err := f.Stat()
	if err != nil {
		return err
	}
	return check(f.Name(), st, false)
}

func check(path string, st fs.FileInfo, stickyOK bool) error {
	if sys, ok := st.Sys().(*syscall.Stat_t); ok {
		if uid := int(sys.Uid); uid != os.Getuid() && uid != 0 {
			return &Error{Path: path, Mode: st.Mode(), Why: fmt.Sprintf("belongs to uid %d, not to you (uid %d)", uid, os.Getuid()), Foreign: true}
		}
	}
	perm := st.Mode().Perm()
	if perm&0o022 == 0 || stickyOK && st.Mode()&fs.ModeSticky != 0 {
		return nil
	}
	who := "group and others"
	switch {
	case perm&0o020 == 0:
		who = "others"
	case perm&0o002 == 0:
		who = "its group"
	}
	return &Error{Path: path, Mode: st.Mode(), Why: "is writable by " + who}
}

// MkdirAll creates dir and its missing parents 0700, then checks dir.
func MkdirAll(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return Dir(dir)
}
