package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// BenchmarkStartup is the time from exec to the first frame with rows,
// with --demo in tmux, beside the same harness running a shell that
// prints one word (the cost of tmux and polling, not of triage).
func BenchmarkStartup(b *testing.B) {
	needTmux(b)
	for b.Loop() {
		t0 := time.Now()
		s := startB(b, []string{"--demo", "--demo-threads", "2000"})
		s.waitFor("the first rows", func(scr string) bool {
			return strings.Contains(scr, "[1 Inbox") && strings.Contains(scr, "GDPR")
		})
		mine := time.Since(t0)
		s.keys("q")

		t1 := time.Now()
		ref := startCommand(b, "echo ready; sleep 5")
		ref.waitText("ready")
		theirs := time.Since(t1)
		b.ReportMetric(float64(mine.Milliseconds()), "startup-ms")
		b.ReportMetric(float64(theirs.Milliseconds()), "ref-shell-echo-ms")
	}
}

// BenchmarkBinarySize builds triage as a release would and reports its
// size beside the smallest Bubble Tea v2 program built the same way.
func BenchmarkBinarySize(b *testing.B) {
	dir := b.TempDir()
	size := func(name, pkg string) float64 {
		out := filepath.Join(dir, name)
		cmd := exec.Command("go", "build", "-ldflags=-s -w", "-o", out, pkg)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if msg, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("go build %s: %v\n%s", pkg, err, msg)
		}
		st, err := os.Stat(out)
		if err != nil {
			b.Fatal(err)
		}
		return float64(st.Size()) / (1 << 20)
	}
	for b.Loop() {
		b.ReportMetric(size("triage", ".."), "triage-MiB")
		b.ReportMetric(size("hello", "./testdata/hello"), "ref-hello-MiB")
	}
}
