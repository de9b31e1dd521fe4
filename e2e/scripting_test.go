package e2e

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"triage/api"
)

// readmeExamples are the shell blocks of the README's Scripting section,
// in order.
func readmeExamples(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	start := strings.Index(s, "\n## Scripting\n")
	end := strings.Index(s[start+1:], "\n## ")
	if start < 0 || end < 0 {
		t.Fatal("the README has no Scripting section")
	}
	var out []string
	for _, m := range regexp.MustCompile("(?s)```sh\n(.*?)```").FindAllStringSubmatch(s[start:start+1+end], -1) {
		out = append(out, m[1])
	}
	return out
}

// scriptShell runs a README example with sh in dir, triage on the PATH
// and a config naming the server; it returns the command, started.
func scriptShell(t *testing.T, dir, base, script string) *exec.Cmd {
	t.Helper()
	cfg := filepath.Join(dir, "config", "triage")
	if err := os.MkdirAll(cfg, 0o700); err != nil {
		t.Fatal(err)
	}
	conf := fmt.Sprintf("base_url = %q\nchatbot_id = \"361628903185318481\"\n", base)
	if err := os.WriteFile(filepath.Join(cfg, "config.toml"), []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("sh", "-ec", script)
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + filepath.Dir(triageBin) + ":/usr/bin:/bin", "CONTEXTGPT_API_KEY=e2e-key", "HOME=" + dir,
		"XDG_CONFIG_HOME=" + filepath.Join(dir, "config"), "XDG_STATE_HOME=" + filepath.Join(dir, "state"),
		"XDG_CACHE_HOME=" + filepath.Join(dir, "cache"), "LANG=C.UTF-8"}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	return cmd
}

// runExample runs one example to its end in a directory of its own.
func runExample(t *testing.T, base, script string) string {
	t.Helper()
	return runExampleIn(t, t.TempDir(), base, script)
}

// runExampleIn runs one example to its end in dir, with the state and
// cache an earlier command left there.
func runExampleIn(t *testing.T, dir, base, script string) string {
	t.Helper()
	cmd := scriptShell(t, dir, base, script)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the example failed: %v\n%s\n%s", err, script, out)
	}
	return dir
}

// TestScriptingExamplesWork runs the five examples of the README as they
// are written, each on a server set up for it, and checks what the server
// holds (or what the example wrote) afterwards.
func TestScriptingExamplesWork(t *testing.T) {
	ex := readmeExamples(t)
	if len(ex) != 5 {
		t.Fatalf("the README has %d examples, want 5", len(ex))
	}

	t.Run("monthly archive", func(t *testing.T) {
		srv, base := cappedServer(t, 200)
		runExample(t, base, ex[0])
		cut := time.Now().Add(-30 * 24 * time.Hour)
		archived := 0
		for _, th := range srv.Threads() {
			old := th.Resolved && th.UpdatedAt.Before(cut.Add(-time.Hour))
			if old && !th.Archived {
				t.Errorf("%s resolved %s ago is not archived", th.ID, time.Since(th.UpdatedAt).Round(time.Hour))
			}
			if old {
				archived++
			}
		}
		if archived == 0 {
			t.Fatal("no thread was old enough: the example proves nothing")
		}
	})
	t.Run("tag a release", func(t *testing.T) {
		srv, base := cappedServer(t, 60)
		ids := []string{srv.Threads()[3].ID, srv.Threads()[40].ID}
		for _, id := range ids {
			srv.Change(id, func(th *api.Thread) { th.Title = "Crash after updating to v2.3.1" })
		}
		runExample(t, base, ex[1])
		for _, th := range srv.Threads() {
			if slices.Contains(th.Tags, "release-2.3.1") != slices.Contains(ids, th.ID) {
				t.Errorf("%s %q tags %v", th.ID, th.Title, th.Tags)
			}
		}
	})
	t.Run("csv report", func(t *testing.T) {
		srv, base := cappedServer(t, 80)
		dir := runExample(t, base, ex[2])
		b, err := os.ReadFile(filepath.Join(dir, "escalated.csv"))
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, th := range srv.Threads() {
			if th.Escalated && !th.Resolved {
				want = append(want, th.ID)
			}
		}
		lines := strings.Split(strings.TrimSpace(string(b)), "\n")
		if len(lines) != len(want) || len(want) == 0 || !strings.HasPrefix(lines[0], want[0]+",") {
			t.Errorf("%d lines for %d escalated threads:\n%s", len(lines), len(want), b)
		}
	})
	t.Run("alert loop", func(t *testing.T) {
		srv, base := cappedServer(t, 40)
		dir := t.TempDir()
		script := strings.Replace(ex[3], "--interval 1m", "--interval 5s", 1) // a test waits seconds, not minutes
		cmd := scriptShell(t, dir, base, script)
		said := &lockedBuffer{}
		cmd.Stderr = said
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		defer func() { _ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM); _ = cmd.Wait() }()
		deadline := time.Now().Add(30 * time.Second)
		for !strings.Contains(said.String(), "Watching") { // the view is read: what comes now is news
			if time.Now().After(deadline) {
				t.Fatalf("watch did not start: %s", said.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
		id := srv.AddThreads(1)[0]
		srv.Change(id, func(th *api.Thread) { th.Escalated = true })
		for {
			b, _ := os.ReadFile(filepath.Join(dir, "escalations.jsonl"))
			if strings.Contains(string(b), id) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("no alert for %s: %q", id, b)
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
	t.Run("undo a bulk tag", func(t *testing.T) {
		srv, base := cappedServer(t, 60)
		dir := runExample(t, base, "triage list --view All > /dev/null") // the cache holds the threads without the tag
		for _, th := range srv.Threads()[:5] {
			srv.Change(th.ID, func(th *api.Thread) { th.Tags = append(th.Tags, "wrong-tag") })
		}
		runExampleIn(t, dir, base, ex[4])
		for _, th := range srv.Threads() {
			if slices.Contains(th.Tags, "wrong-tag") {
				t.Errorf("%s still has the tag: %v", th.ID, th.Tags)
			}
		}
	})
}

// lockedBuffer is a buffer a process writes to while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
