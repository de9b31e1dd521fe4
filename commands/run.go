package commands

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"time"

	"triage/sanitize"
)

// Result is how a background command ended.
type Result struct {
	Output []string // the lines of its standard output, cleaned (the last maxLines)
	Err    error    // nil, or its exit status and the last lines of its standard error
}

// maxLines is how many lines of a command's output are kept; tailBytes
// how much of its standard error.
const (
	maxLines  = 200
	tailBytes = 4096
)

// Background runs line with /bin/sh in a process group of its own, away
// from the terminal (standard input is /dev/null): at the timeout or when
// ctx ends the whole group is stopped. hide names environment variables
// the command must not see (the API key's).
func Background(ctx context.Context, line Line, timeout time.Duration, hide []string) Result {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "/bin/sh", "-c", line.Script)
	cmd.Env = environ(hide, line.Env)
	stdout, stderr := Tail{max: 1 << 20}, Tail{max: tailBytes}
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = time.Second
	err := cmd.Run()
	out := lines(stdout.String())
	if len(out) > maxLines {
		out = out[len(out)-maxLines:]
	}
	if ctx.Err() == context.DeadlineExceeded {
		return Result{Output: out, Err: fmt.Errorf("did not finish within %s and was stopped", timeout)}
	}
	if errors.Is(err, syscall.E2BIG) {
		return Result{Err: fmt.Errorf("could not run: its values are too large for one command (%d variables): run it on fewer threads", len(line.Env))}
	}
	return Result{Output: out, Err: Failure(err, &stderr)}
}

// Foreground is the command line as a process that takes the terminal
// (tea.ExecProcess gives it the console's input and output); its standard
// error goes to the terminal and is also kept, for Failure.
func Foreground(line Line, hide []string) (*exec.Cmd, *Tail) {
	cmd := exec.Command("/bin/sh", "-c", line.Script)
	cmd.Env = environ(hide, line.Env)
	t := &Tail{max: tailBytes}
	cmd.Stderr = multi{os.Stderr, t}
	return cmd, t
}

// Tail keeps the last bytes written to it.
type Tail struct {
	b   []byte
	max int
}

// Write keeps p; the oldest bytes beyond the limit are dropped.
func (t *Tail) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if len(t.b) > 2*t.max { // dropped in halves: a chatty command costs a copy per max bytes, not per write
		t.b = append(t.b[:0], t.b[len(t.b)-t.max:]...)
	}
	return len(p), nil
}

// String is the last max bytes written.
func (t *Tail) String() string { return string(t.b[max(0, len(t.b)-t.max):]) }

// multi writes to the terminal and to the tail; a failing terminal does
// not stop the tail.
type multi struct {
	term io.Writer
	t    *Tail
}

// Write keeps p in the tail and writes it to the terminal.
func (m multi) Write(p []byte) (int, error) {
	_, _ = m.t.Write(p)
	return m.term.Write(p)
}

// Failure is a command's error as the agent reads it: its exit status and
// the last three lines of its standard error, cleaned; nil for success.
func Failure(err error, stderr *Tail) error {
	if err == nil {
		return nil
	}
	last := lines(stderr.String())
	if len(last) > 3 {
		last = last[len(last)-3:]
	}
	why := strings.Join(last, " / ")
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if why == "" {
			why = "no error output"
		}
		return fmt.Errorf("failed with exit status %d: %s", ee.ExitCode(), why)
	}
	return fmt.Errorf("could not run: %w", err)
}

// lines are the non-empty lines of s, cleaned of escape sequences.
func lines(s string) []string {
	var out []string
	for l := range strings.Lines(s) {
		if l = sanitize.Line(strings.TrimSpace(l)); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// environ is this process's environment without the variables in hide
// and without any TRIAGE_ variable of its own, then the command's values.
func environ(hide, values []string) []string {
	env := slices.DeleteFunc(os.Environ(), func(e string) bool {
		name, _, _ := strings.Cut(e, "=")
		return slices.Contains(hide, name) || strings.HasPrefix(name, "TRIAGE_")
	})
	return append(env, values...)
}
