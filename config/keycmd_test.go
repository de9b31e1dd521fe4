package config

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// groupAlive lists the live processes (not zombies) of process group pgid.
func groupAlive(pgid int) []string {
	var alive []string
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, p := range stats {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		// pid (comm) state ppid pgrp ...: comm may hold spaces, so read after the last ")".
		s := string(b)
		fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(fields) > 2 && fields[0] != "Z" && fields[2] == strconv.Itoa(pgid) {
			alive = append(alive, s[:strings.LastIndexByte(s, ')')+1])
		}
	}
	return alive
}

// waitGroupGone waits until no process of group pgid runs, and fails the
// test naming them if some still do after a few seconds.
func waitGroupGone(t *testing.T, pgid int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		alive := groupAlive(pgid)
		if len(alive) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("still running after the key command: %v", alive)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// shellPid reads the pid the command wrote to file.
func shellPid(t *testing.T, file string) int {
	t.Helper()
	b, err := os.ReadFile(file)
	pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid == 0 {
		t.Fatalf("the command wrote no pid: %q, %v", b, err)
	}
	return pid
}

// TestKeyCommandGrandchildIsStopped: a key printed while a grandchild
// keeps standard output open is taken at once, and the grandchild is
// stopped with the rest of the group.
func TestKeyCommandGrandchildIsStopped(t *testing.T) {
	dir := t.TempDir()
	ready, group := filepath.Join(dir, "ready"), filepath.Join(dir, "group")
	cmd := `echo $$ > ` + group + `; sh -c 'echo $$ > ` + ready + `; sleep 200; echo X' & while [ ! -s ` + ready + ` ]; do :; done; echo KEY`
	start := time.Now()
	key, err := runKeyCommand(context.Background(), cmd, 15*time.Second)
	if err != nil || key != "KEY" {
		t.Errorf("key %q, %v", key, err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("took %s", d)
	}
	waitGroupGone(t, shellPid(t, group))
}

// TestKeyCommandOutputIsCapped: a command that prints far more than a key
// is refused quickly, naming the cap, without its output being read, and
// nothing of it runs on.
func TestKeyCommandOutputIsCapped(t *testing.T) {
	group := filepath.Join(t.TempDir(), "group")
	start := time.Now()
	key, err := runKeyCommand(context.Background(), `echo $$ > `+group+`; head -c 200000000 /dev/zero | tr "\0" a`, 15*time.Second)
	if err == nil || key != "" || !strings.Contains(err.Error(), "more than 4 KiB") {
		t.Errorf("key of %d bytes, %v", len(key), err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("took %s to refuse", d)
	}
	waitGroupGone(t, shellPid(t, group))
	if _, err := runKeyCommand(context.Background(), `head -c 4096 /dev/zero | tr "\0" a`, 15*time.Second); err != nil {
		t.Errorf("4 KiB exactly: %v", err)
	}
}

// TestKeyCommandTimeLimit: a command still running at its time limit is
// stopped whole and the start says so.
func TestKeyCommandTimeLimit(t *testing.T) {
	group := filepath.Join(t.TempDir(), "group")
	_, err := runKeyCommand(context.Background(), `echo $$ > `+group+`; sleep 100 & sleep 100`, 300*time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), "did not finish within 300ms") {
		t.Errorf("%v", err)
	}
	waitGroupGone(t, shellPid(t, group))
}
