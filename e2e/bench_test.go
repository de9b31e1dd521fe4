package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"triage/words"
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

// BenchmarkRSSPerThread loads 1,000,000 threads (100,000 with -short)
// from a demo server in its own process and reads the console's resident
// memory once loaded, again after a sort by title, and after a search
// then (which builds the search text of every thread): with one view
// (All) and with the six default views (drawn from All), beside the same
// console on an empty chatbot.
func BenchmarkRSSPerThread(b *testing.B) {
	needTmux(b)
	n := 1_000_000
	if testing.Short() {
		n = 100_000
	}
	config := func(views string) string {
		cfg := filepath.Join(b.TempDir(), "config.toml")
		if err := os.WriteFile(cfg, []byte("rate_limit = 6000\nconcurrency = 8\npage_size = 1000\npoll_interval = \"0s\"\n"+views), 0o600); err != nil {
			b.Fatal(err)
		}
		return cfg
	}
	all, six := config("[[views]]\nname = \"All\"\n"), config("")
	rss := func(threads int, cfg, shown string) (loaded, sorted, searched float64) {
		_, key, base, bot := runDemoServer(b, "--threads", fmt.Sprint(threads), "--max-limit", "1000")
		s := start(b, 120, 40, []string{"CONTEXTGPT_API_KEY=" + key}, "--base-url", base, "--chatbot", bot, "--config", cfg, "--no-cache")
		s.waitWithin(5*time.Minute, "the whole load", func(scr string) bool { return strings.Contains(scr, shown) && strings.Contains(scr, "as of") })
		loaded = settledRSS(b, s.pid())
		s.keys("O")
		s.waitText("Sort the view by")
		s.keys("j", "j", "j", "j", "j", "j", "j", "j", "j", "Enter") // the picker's tenth order: title, Z to A
		s.waitWithin(5*time.Minute, "the sort", func(scr string) bool {
			return strings.Contains(scr, "sort: title, Z to A") && !strings.Contains(scr, "sorting ")
		})
		sorted = settledRSS(b, s.pid())
		s.literal("/grace")
		s.keys("Enter")
		s.waitFor("the search's answer", func(scr string) bool { // rows, or none on an empty chatbot
			return strings.Contains(scr, "/grace: ") || strings.Contains(scr, "No threads match “grace”")
		})
		searched = settledRSS(b, s.pid())
		s.keys("q")
		s.waitExit()
		return loaded, sorted, searched
	}
	for b.Loop() {
		full, sorted, searched := rss(n, all, "/"+words.Thousands(n))
		fullSix, sortedSix, searchedSix := rss(n, six, "[1 Inbox")
		empty, _, _ := rss(0, all, "No threads")
		per := func(v float64) float64 { return v / float64(n) }
		b.ReportMetric(per(full), "rss-B/thread")
		b.ReportMetric(per(sorted), "sorted-rss-B/thread")
		b.ReportMetric(per(searched), "sorted-searched-rss-B/thread")
		b.ReportMetric(per(fullSix), "six-views-rss-B/thread")
		b.ReportMetric(per(sortedSix), "six-views-sorted-rss-B/thread")
		b.ReportMetric(per(searchedSix), "six-views-sorted-searched-rss-B/thread")
		b.ReportMetric(empty/(1<<20), "ref-empty-rss-MiB")
	}
}

// settledRSS is a process's resident set in bytes once it stopped
// falling: the end of a large load hands its garbage back to the system
// in the background, which takes a while at a million threads.
func settledRSS(b *testing.B, pid int) float64 {
	low, since := vmRSS(b, pid), time.Now()
	for time.Since(since) < time.Second {
		time.Sleep(100 * time.Millisecond)
		if now := vmRSS(b, pid); now < low*0.99 {
			low, since = now, time.Now()
		}
	}
	return low * 1024
}

// vmRSS is a process's resident set in KiB.
func vmRSS(b *testing.B, pid int) float64 { return float64(statOf(b, pid).rss) / 1024 }
