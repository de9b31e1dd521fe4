package config

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// running reports whether a process with this exact command line lives.
func running(cmdline string) bool {
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range procs {
		if b, err := os.ReadFile(p); err == nil && strings.ReplaceAll(strings.TrimRight(string(b), "\x00"), "\x00", " ") == cmdline {
			return true
		}
	}
	return false
}

// TestKeyCommandTimeoutHolds: a command that does not finish is stopped at
// the timeout with its whole process group, a grandchild holding the
// pipes included, and start-up goes on at once.
func TestKeyCommandTimeoutHolds(t *testing.T) {
	start := time.Now()
	_, err := runKeyCommand(context.Background(), "sh -c 'sleep 31.25; echo k'; echo k", 300*time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), "did not finish within 300ms") {
		t.Fatalf("err %v", err)
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("took %s: the timeout did not hold", took)
	}
	deadline := time.Now().Add(2 * time.Second)
	for running("sleep 31.25") {
		if time.Now().After(deadline) {
			t.Fatal("the grandchild outlived the key command")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestKeyCommandStderrNeverShowsTheKey: a failing command that echoes the
// key on standard error too does not get it printed, and escape sequences
// in its errors are stripped.
func TestKeyCommandStderrNeverShowsTheKey(t *testing.T) {
	_, err := runKeyCommand(context.Background(), `echo sk-live-123; echo "bad key sk-live-123 \033]0;pwn\007" >&2; exit 3`, 5*time.Second)
	if err == nil || strings.Contains(err.Error(), "sk-live-123") || strings.Contains(err.Error(), "\x1b") {
		t.Fatalf("err %q", err)
	}
	if !strings.Contains(err.Error(), "exit status 3") || !strings.Contains(err.Error(), "bad key [redacted]") {
		t.Errorf("err %q", err)
	}
}
