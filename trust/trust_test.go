package trust

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLooseOrForeignPathsAreNamed(t *testing.T) {
	base := t.TempDir()
	dir := func(name string, mode os.FileMode) string {
		p := filepath.Join(base, name)
		if err := os.Mkdir(p, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil { // the umask does not apply to chmod
			t.Fatal(err)
		}
		return p
	}
	file := func(name string, mode os.FileMode) string {
		p := filepath.Join(base, name)
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	foreign := file("foreign", 0o600)
	if err := os.Chown(foreign, 4242, 4242); err != nil {
		t.Skip("cannot give a file to another user here:", err)
	}
	for _, c := range []struct {
		name  string
		check func(string) error
		path  string
		want  string // "" when trusted
	}{
		{"private dir", Dir, dir("private", 0o700), ""},
		{"readable dir", Dir, dir("readable", 0o755), ""},
		{"world-writable dir", Dir, dir("open", 0o777), "is writable by group and others (mode 0777)"},
		{"group-writable dir", Dir, dir("group", 0o770), "is writable by its group (mode 0770)"},
		{"sticky dir", Dir, dir("sticky", 0o777|os.ModeSticky), "is writable by group and others (mode 1777)"},
		{"sticky parent", Parent, dir("tmp", 0o777|os.ModeSticky), ""},
		{"world-writable parent", Parent, dir("shared", 0o777), "is writable by group and others"},
		{"missing dir", Dir, filepath.Join(base, "none"), ""},
		{"private file", File, file("mine", 0o600), ""},
		{"world-writable file", File, file("open-file", 0o666), "is writable by group and others (mode 0666)"},
		{"another user's file", File, foreign, "belongs to uid 4242"},
		{"a directory as a file", File, dir("notfile", 0o700), "is not a regular file"},
	} {
		err := c.check(c.path)
		var te *Error
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.want != "" && (!errors.As(err, &te) || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), c.path+" ")):
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
}

// TestMkdirAllIsPrivateAndLoosensNothing: what is created is 0700; an
// existing directory keeps its mode, and a loose one is refused.
func TestMkdirAllIsPrivateAndLoosensNothing(t *testing.T) {
	base := t.TempDir()
	p := filepath.Join(base, "a", "b")
	if err := MkdirAll(p); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{p, filepath.Dir(p)} {
		if st, _ := os.Stat(d); st.Mode().Perm() != 0o700 {
			t.Errorf("%s created %04o", d, st.Mode().Perm())
		}
	}
	if err := os.Chmod(p, 0o500); err != nil {
		t.Fatal(err)
	}
	_ = MkdirAll(p)
	if st, _ := os.Stat(p); st.Mode().Perm() != 0o500 {
		t.Errorf("the mode was changed to %04o", st.Mode().Perm())
	}
	if err := os.Chmod(p, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := MkdirAll(p); err == nil || !strings.Contains(err.Error(), "chmod 700 "+p) {
		t.Errorf("a loose directory: %v", err)
	}
	if st, _ := os.Stat(p); st.Mode().Perm() != 0o777 {
		t.Errorf("the mode was changed to %04o", st.Mode().Perm())
	}
}
