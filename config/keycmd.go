package config

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"triage/sanitize"
)

// KeyOutputCap is the most api_key_cmd may print on standard output: a key
// is one short line, so more is a mistake (the wrong command, a file
// printed whole) and is refused without being read.
const KeyOutputCap = 4 << 10

// keyErrCap is how much of api_key_cmd's standard error is kept.
const keyErrCap = 4 << 10

// drainGrace is how long the pipes are read after the command's process
// group is stopped: what the command wrote is in them already, and a
// process outside the group that still holds them is not waited for.
const drainGrace = 500 * time.Millisecond

// keyRun is what api_key_cmd did: its standard output and error (capped),
// how it ended, and whether it was stopped at the time limit or for
// printing too much.
type keyRun struct {
	stdout, stderr []byte
	err            error
	timedOut       bool
	tooMuch        bool
}

// runBounded runs command with /bin/sh in a process group of its own,
// reading at most outCap bytes of its standard output. The whole group is
// stopped (SIGKILL) as soon as the command itself ends, its time is up or
// it prints more than outCap bytes: no child it left behind runs on, and
// nothing it holds (a pipe kept open by a grandchild) makes the start wait.
func runBounded(ctx context.Context, command string, timeout time.Duration, outCap int) keyRun {
	outR, outW, err := os.Pipe()
	if err != nil {
		return keyRun{err: err}
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		outR.Close()
		outW.Close()
		return keyRun{err: err}
	}
	defer outR.Close()
	defer errR.Close()
	cmd := exec.Command("/bin/sh", "-c", command)
	cmd.Stdout, cmd.Stderr = outW, errW // files: no copying goroutine for Wait to wait on
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	err = cmd.Start()
	outW.Close()
	errW.Close()
	if err != nil {
		return keyRun{err: err}
	}
	pgid := cmd.Process.Pid

	overflow := make(chan struct{})
	stdout, stderr := make(chan []byte, 1), make(chan []byte, 1)
	go func() { stdout <- readCapped(outR, outCap, overflow) }()
	go func() { stderr <- readTail(errR, keyErrCap) }()
	exited := make(chan struct{})
	go func() {
		// Wait for the exit without reaping: while the shell is a zombie
		// its pid, and so its group's id, cannot be taken by another.
		var info unix.Siginfo
		for unix.Waitid(unix.P_PID, pgid, &info, unix.WEXITED|unix.WNOWAIT, nil) == unix.EINTR {
		}
		close(exited)
	}()

	var r keyRun
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case <-exited:
	case <-timer.C:
		r.timedOut = true
	case <-overflow:
		r.tooMuch = true
	case <-ctx.Done():
		r.timedOut = true
	}
	_ = syscall.Kill(-pgid, syscall.SIGKILL)
	r.err = cmd.Wait()
	deadline := time.Now().Add(drainGrace)
	_ = outR.SetReadDeadline(deadline)
	_ = errR.SetReadDeadline(deadline)
	r.stdout, r.stderr = <-stdout, <-stderr
	select {
	case <-overflow:
		r.tooMuch = true
	default:
	}
	return r
}

// readCapped reads r to its end, or until it has more than limit bytes:
// then it closes overflow and stops reading.
func readCapped(r io.Reader, limit int, overflow chan<- struct{}) []byte {
	b, _ := io.ReadAll(io.LimitReader(r, int64(limit)+1))
	if len(b) > limit {
		close(overflow)
		return nil
	}
	return b
}

// readTail reads r to its end and keeps its last limit bytes.
func readTail(r io.Reader, limit int) []byte {
	var b []byte
	buf := make([]byte, 4096)
	for {
		n, err := r.Read(buf)
		b = append(b, buf[:n]...)
		if len(b) > 2*limit {
			b = append(b[:0], b[len(b)-limit:]...)
		}
		if err != nil {
			return b[max(0, len(b)-limit):]
		}
	}
}

// runKeyCommand runs api_key_cmd (see runBounded) and reads the key from
// its standard output. Its standard error is shown only cleaned of escape
// sequences and of anything it also printed on standard output (the key,
// when a command echoes it twice).
func runKeyCommand(ctx context.Context, command string, timeout time.Duration) (string, error) {
	r := runBounded(ctx, command, timeout, KeyOutputCap)
	errText := string(r.stderr)
	for _, secret := range strings.Fields(string(r.stdout)) {
		errText = strings.ReplaceAll(errText, secret, "[redacted]")
	}
	errText = sanitize.Line(strings.TrimSpace(errText))
	if len(errText) > 300 {
		errText = errText[:300] + "..."
	}
	switch {
	case r.tooMuch:
		return "", fmt.Errorf("api_key_cmd printed more than %d KiB on standard output and was stopped; it must print only the key", KeyOutputCap>>10)
	case r.timedOut:
		return "", fmt.Errorf("api_key_cmd did not finish within %s and was stopped", timeout)
	case r.err != nil:
		var ee *exec.ExitError
		if errors.As(r.err, &ee) && ee.Exited() {
			return "", fmt.Errorf("api_key_cmd failed with exit status %d: %s", ee.ExitCode(), orNone(errText))
		}
		if errors.As(r.err, &ee) {
			return "", fmt.Errorf("api_key_cmd was stopped (%v): %s", ee, orNone(errText))
		}
		return "", fmt.Errorf("api_key_cmd could not run: %w", r.err)
	}
	key := string(bytes.TrimSpace(r.stdout))
	if key == "" {
		return "", fmt.Errorf("api_key_cmd printed nothing on standard output (stderr: %s)", orNone(errText))
	}
	if strings.ContainsAny(key, "\n\r") {
		return "", errors.New("api_key_cmd printed more than one line; it must print only the key")
	}
	return key, nil
}
