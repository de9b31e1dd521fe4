package journal

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestSecondConsoleIsRefused: while one console holds a chatbot's
// journal, a second is told who holds it, and gets it once it is closed.
func TestSecondConsoleIsRefused(t *testing.T) {
	dir := t.TempDir()
	a := open(t, dir, "bot", "https://x.example/api/v1")
	_, err := Open(dir, "bot", "HTTPS://X.example:443/api/v1/", Options{})
	var held *HeldError
	if !errors.As(err, &held) || held.Owner.PID != os.Getpid() || held.Owner.Host == "" || held.Owner.Since.IsZero() {
		t.Fatalf("second open: %v", err)
	}
	if !strings.Contains(err.Error(), fmt.Sprintf("pid %d on ", os.Getpid())) {
		t.Errorf("the message does not say who: %v", err)
	}
	a.Close()
	b, err := Open(dir, "bot", "https://x.example/api/v1", Options{})
	if err != nil {
		t.Fatalf("after the holder closed: %v", err)
	}
	b.Close()
}

// TestKilledHolderReleasesTheLock: a console killed with SIGKILL never
// blocks the next: the kernel released its lock.
func TestKilledHolderReleasesTheLock(t *testing.T) {
	if os.Getenv("JOURNAL_HOLD_DIR") != "" {
		j, err := Open(os.Getenv("JOURNAL_HOLD_DIR"), "bot", "u", Options{})
		if err != nil {
			fmt.Println("error", err)
			os.Exit(1)
		}
		fmt.Println("holding", j.Path())
		select {}
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKilledHolderReleasesTheLock$")
	cmd.Env = append(os.Environ(), "JOURNAL_HOLD_DIR="+dir)
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(out).ReadString('\n')
	if !strings.HasPrefix(line, "holding") {
		t.Fatalf("the holder said %q", line)
	}
	if _, err := Open(dir, "bot", "u", Options{}); err == nil {
		t.Fatal("the lock was not held")
	}
	_ = cmd.Process.Signal(syscall.SIGKILL)
	_ = cmd.Wait()
	j, err := Open(dir, "bot", "u", Options{})
	if err != nil {
		t.Fatalf("after kill -9 of the holder: %v", err)
	}
	j.Close()
}

func TestNormalizedKey(t *testing.T) {
	same := []string{"https://contextgpt.in/api/v1", "https://contextgpt.in/api/v1/", "HTTPS://ContextGPT.in/api/v1",
		"https://contextgpt.in:443/api/v1", "https://contextgpt.in/API/V1"}
	for _, s := range same {
		if got := NormalizeBase(s); got != NormalizeBase(same[0]) {
			t.Errorf("%s -> %s, want %s", s, got, NormalizeBase(same[0]))
		}
	}
	if NormalizeBase("http://localhost:8787/api/v1") != NormalizeBase("http://127.0.0.1:8787/api/v1/") {
		t.Error("localhost and 127.0.0.1 are two journals")
	}
	for _, other := range []string{"http://contextgpt.in/api/v1", "https://contextgpt.in:8443/api/v1", "https://other.in/api/v1"} {
		if NormalizeBase(other) == NormalizeBase(same[0]) {
			t.Errorf("%s shares the journal of %s", other, same[0])
		}
	}
	dir := t.TempDir()
	a := open(t, dir, "bot", "https://contextgpt.in/api/v1")
	save(t, a, sample())
	a.Close()
	b := open(t, dir, "bot", "HTTPS://contextgpt.in:443/api/v1/")
	if got, _, _ := b.Load(); len(got) != 2 {
		t.Errorf("another spelling of the base URL found %d edits", len(got))
	}
}

// TestOtherKeysAreReported: edits waiting under another key for the same
// chatbot are named at start.
func TestOtherKeysAreReported(t *testing.T) {
	dir := t.TempDir()
	a := open(t, dir, "bot", "https://a.example/api/v1")
	save(t, a, sample())
	if err := os.WriteFile(filepath.Join(dir, "bot-0a1b2c3d.json"), []byte(`{"version":1}`), 0o600); err != nil {
		t.Fatal(err)
	}
	b := open(t, dir, "bot", "https://b.example/api/v1")
	others := b.Others()
	var paths []string
	for _, o := range others {
		paths = append(paths, o.Path)
	}
	if len(others) != 2 || !strings.Contains(strings.Join(paths, "\n"), a.Path()) {
		t.Errorf("others %+v", others)
	}
	c := open(t, dir, "other-bot", "https://a.example/api/v1")
	if others := c.Others(); len(others) != 0 {
		t.Errorf("another chatbot's journal reported: %+v", others)
	}
}

// TestOnlyAnOrphanOfThisUserOnThisHostIsAskedToLetGo: the holder named by
// a lock file is signalled only when it runs here, as this user, and is
// not this process.
func TestOnlyAnOrphanOfThisUserOnThisHostIsAskedToLetGo(t *testing.T) {
	host, _ := os.Hostname()
	child := exec.Command("sleep", "30")
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = child.Process.Kill(); _, _ = child.Process.Wait() })
	for _, c := range []struct {
		owner Owner
		why   string
	}{
		{Owner{PID: child.Process.Pid, Host: "jump-2"}, "not on this host"},
		{Owner{PID: os.Getpid(), Host: host}, "this very process"},
		{Owner{PID: 0, Host: host}, "does not say"},
		{Owner{PID: 1 << 22, Host: host}, "not a process of yours"}, // no such process
	} {
		e := &HeldError{Owner: c.owner}
		if got := e.Takeable(); !strings.Contains(got, c.why) {
			t.Errorf("%+v: %q, want %q", c.owner, got, c.why)
		}
		if e.LetGo() == nil {
			t.Errorf("%+v was signalled", c.owner)
		}
	}
	// Another user's process: as root, a child run as uid 4242; else init.
	foreign := 1
	if os.Getuid() == 0 {
		other := exec.Command("sleep", "30")
		other.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 4242, Gid: 4242}}
		if err := other.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = other.Process.Kill(); _, _ = other.Process.Wait() })
		foreign = other.Process.Pid
	}
	if why := (&HeldError{Owner: Owner{PID: foreign, Host: host}}).Takeable(); !strings.Contains(why, "not a process of yours") {
		t.Errorf("another user's process pid %d: %q", foreign, why)
	}
	e := &HeldError{Owner: Owner{PID: child.Process.Pid, Host: host}}
	if why := e.Takeable(); why != "" {
		t.Fatalf("a process of this user on this host: %q", why)
	}
	if err := e.LetGo(); err != nil {
		t.Fatal(err)
	}
	st, _ := child.Process.Wait()
	if ws, ok := st.Sys().(syscall.WaitStatus); !ok || ws.Signal() != syscall.SIGTERM {
		t.Errorf("the holder ended %v, want by SIGTERM", st)
	}
}
