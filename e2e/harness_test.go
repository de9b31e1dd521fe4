// Package e2e drives the built triage binary in tmux, as a person would:
// keys sent with send-keys (often in one burst, as they arrive over SSH),
// the screen read with capture-pane. Without tmux the tests skip, except
// under CI=true, where a missing tmux is a failure.
package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// triageBin is the binary TestMain builds once for every test.
var triageBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "triage-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	triageBin = filepath.Join(dir, "triage")
	if bin := os.Getenv("TRIAGE_E2E_BIN"); bin != "" { // another build to measure, beside this one's figures
		triageBin = bin
	} else if out, err := exec.Command("go", "build", "-o", triageBin, "..").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// needTmux skips the test when tmux is missing, except under CI.
func needTmux(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("tmux is not installed; .ci/run must install it")
		}
		t.Skip("tmux is not installed: skipping the end-to-end tests (apt-get install tmux to run them)")
	}
}

// session is one tmux server on a private socket running one command.
type session struct {
	t      testing.TB
	socket string
	status string // file the wrapper writes the exit status to
}

// start runs triage with args in a fresh tmux of size w x h, with env added.
func start(t testing.TB, w, h int, env []string, args ...string) *session {
	t.Helper()
	quoted := make([]string, 0, len(args)+1)
	quoted = append(quoted, shellQuote(triageBin))
	for _, a := range args {
		quoted = append(quoted, shellQuote(a))
	}
	return startShell(t, w, h, env, strings.Join(quoted, " "))
}

// startRecorded is start with everything triage writes to the terminal
// recorded in file from its first byte: the shell waits for a key until
// tmux pipes the pane, then starts triage.
func startRecorded(t testing.TB, w, h int, env []string, file string, args ...string) *session {
	t.Helper()
	quoted := []string{"read -r _ &&", shellQuote(triageBin)}
	for _, a := range args {
		quoted = append(quoted, shellQuote(a))
	}
	s := startShell(t, w, h, env, strings.Join(quoted, " "))
	s.tmux("pipe-pane", "-t", "main", "-o", "cat > "+shellQuote(file))
	s.keys("Enter")
	return s
}

// startB starts triage at 120x40 for a benchmark.
func startB(b *testing.B, args []string) *session { return start(b, 120, 40, nil, args...) }

// startCommand runs any shell command at 120x40, as a reference.
func startCommand(b *testing.B, command string) *session { return startShell(b, 120, 40, nil, command) }

// startShell runs a shell command line in a fresh tmux of size w x h.
func startShell(t testing.TB, w, h int, env []string, line string) *session {
	t.Helper()
	needTmux(t)
	s := &session{t: t, socket: fmt.Sprintf("triage-e2e-%d-%d", os.Getpid(), time.Now().UnixNano()),
		status: filepath.Join(t.TempDir(), "status")}
	// tmux does not always record a dead pane's status, so a shell runs
	// the command in the foreground and writes it down.
	command := line + "; echo $? > " + shellQuote(s.status)
	conf := filepath.Join(t.TempDir(), "tmux.conf")
	if err := os.WriteFile(conf, []byte("set -g remain-on-exit on\nset -g status off\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cmdArgs := []string{"-f", conf, "new-session", "-d", "-s", "main", "-x", fmt.Sprint(w), "-y", fmt.Sprint(h)}
	// A UTF-8 locale unless the test says otherwise: the console writes
	// ASCII to any other.
	for _, e := range withDefaults(env, "TERM=xterm-256color", "XDG_CONFIG_HOME="+t.TempDir(), "XDG_STATE_HOME="+t.TempDir(),
		"XDG_CACHE_HOME="+t.TempDir(), "TMPDIR="+t.TempDir(), "LANG=C.UTF-8", "LC_ALL=", "LC_CTYPE=") {
		cmdArgs = append(cmdArgs, "-e", e)
	}
	cmdArgs = append(cmdArgs, command)
	s.tmux(cmdArgs...)
	t.Cleanup(func() {
		pids := s.processes()
		_ = exec.Command("tmux", "-L", s.socket, "kill-server").Run()
		// triage leaves on the hangup and writes its cache on the way out:
		// wait for it, before the test's directories are removed.
		deadline := time.Now().Add(10 * time.Second)
		for _, pid := range pids {
			for time.Now().Before(deadline) {
				if _, err := os.Stat(fmt.Sprintf("/proc/%d", pid)); err != nil {
					break
				}
				time.Sleep(20 * time.Millisecond)
			}
		}
	})
	return s
}

// processes are the pane's shell and its children, if the pane runs.
func (s *session) processes() []int {
	out, err := exec.Command("tmux", "-L", s.socket, "display-message", "-p", "-t", "main", "#{pane_pid}").Output()
	if err != nil {
		return nil
	}
	shell := strings.TrimSpace(string(out))
	pids := []int{}
	var pid int
	if _, err := fmt.Sscan(shell, &pid); err == nil {
		pids = append(pids, pid)
	}
	b, _ := os.ReadFile("/proc/" + shell + "/task/" + shell + "/children")
	for _, f := range strings.Fields(string(b)) {
		if _, err := fmt.Sscan(f, &pid); err == nil {
			pids = append(pids, pid)
		}
	}
	return pids
}

// withDefaults adds each default VAR=value that env does not set.
func withDefaults(env []string, defaults ...string) []string {
	out := append([]string(nil), env...)
	for _, d := range defaults {
		name, _, _ := strings.Cut(d, "=")
		set := false
		for _, e := range env {
			set = set || strings.HasPrefix(e, name+"=")
		}
		if !set {
			out = append(out, d)
		}
	}
	return out
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func (s *session) tmux(args ...string) string {
	s.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", s.socket}, args...)...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// keys sends keys in one burst (one send-keys call); "Enter", "PgDn",
// "C-d" and the like are tmux key names.
func (s *session) keys(keys ...string) {
	s.t.Helper()
	s.tmux(append([]string{"send-keys", "-t", "main"}, keys...)...)
}

// send sends the queue as an agent does: w, then y once the question is
// on screen (it must hold the texts of question, "(y/N)" by default).
func (s *session) send(question ...string) {
	s.t.Helper()
	s.literal("w")
	if len(question) == 0 {
		question = []string{"(y/N)"}
	}
	s.waitText(question...)
	s.literal("y")
}

// literal types text exactly, in one burst.
func (s *session) literal(text string) {
	s.t.Helper()
	s.tmux("send-keys", "-t", "main", "-l", text)
}

func (s *session) screen() string {
	s.t.Helper()
	return s.tmux("capture-pane", "-p", "-J", "-t", "main")
}

// scrollback is the pane with its history: what a program printed before
// it exited, even if the "Pane is dead" line scrolled it off the screen.
func (s *session) scrollback() string {
	s.t.Helper()
	return s.tmux("capture-pane", "-p", "-J", "-S", "-", "-t", "main")
}

// format reads a tmux format variable of the pane, e.g. "pane_dead".
func (s *session) format(name string) string {
	s.t.Helper()
	return strings.TrimSpace(s.tmux("display-message", "-p", "-t", "main", "#{"+name+"}"))
}

// waitFor waits until the screen satisfies ok and returns it.
func (s *session) waitFor(what string, ok func(screen string) bool) string {
	s.t.Helper()
	return s.waitWithin(20*time.Second, what, ok)
}

// waitWithin is waitFor with a deadline of its own, for work that takes
// long on purpose (a million threads).
func (s *session) waitWithin(limit time.Duration, what string, ok func(screen string) bool) string {
	s.t.Helper()
	deadline := time.Now().Add(limit)
	var scr string
	for time.Now().Before(deadline) {
		scr = s.screen()
		if ok(scr) {
			return scr
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.t.Fatalf("timed out waiting for %s; screen:\n%s", what, scr)
	return ""
}

// waitText waits until the screen contains every text.
func (s *session) waitText(texts ...string) string {
	s.t.Helper()
	return s.waitFor(fmt.Sprintf("%q", texts), func(scr string) bool {
		for _, t := range texts {
			if !strings.Contains(scr, t) {
				return false
			}
		}
		return true
	})
}

// waitExit waits for the program to end and returns its exit status.
func (s *session) waitExit() string {
	s.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(s.status); err == nil && len(b) > 0 {
			return strings.TrimSpace(string(b))
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.t.Fatalf("the program did not exit; screen:\n%s", s.screen())
	return ""
}

// pid is the process id of triage, the child of the pane's shell.
func (s *session) pid() int {
	s.t.Helper()
	shell := s.format("pane_pid")
	b, err := os.ReadFile("/proc/" + shell + "/task/" + shell + "/children")
	if err != nil {
		s.t.Fatalf("finding triage's pid: %v", err)
	}
	var pid int
	if _, err := fmt.Sscan(string(b), &pid); err != nil {
		s.t.Fatalf("the pane's shell %s has no child: %q", shell, b)
	}
	return pid
}
