package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"triage/words"
)

// Benchmarks of what the agent feels, measured from outside on a
// pseudo-terminal (pty_test.go), each beside the minimal Bubble Tea list
// (testdata/list) in the same run. With -short (as .ci/run runs them)
// they take small sizes and short windows, and only print figures.

// demoConsole is `triage --demo` at w x h on a pseudo-terminal, its first
// rows on screen.
func demoConsole(b *testing.B, w, h int, threads int) *ptyRun {
	r := startPTY(b, w, h, nil, triageBin, "--demo", "--demo-threads", strconv.Itoa(threads))
	r.waitText(time.Minute, "[1 Inbox", "GDPR")
	return r
}

// listReference is the minimal list at w x h, its rows on screen.
func listReference(b *testing.B, w, h int) *ptyRun {
	bin, err := referenceList()
	if err != nil {
		b.Fatal(err)
	}
	r := startPTY(b, w, h, nil, bin)
	r.waitText(time.Minute, "Threads", "GDPR")
	return r
}

// BenchmarkIdleConsole: an idle console's wake-ups (context switches of
// all its threads) a second and share of a core, after it settled, beside
// the minimal list's.
func BenchmarkIdleConsole(b *testing.B) {
	window := 10 * time.Second
	if testing.Short() {
		window = 2 * time.Second
	}
	for b.Loop() {
		r := demoConsole(b, 120, 40, 2000)
		r.quiet(3 * time.Second)
		wake, cpu := idleCost(b, r.cmd.Process.Pid, window)
		ref := listReference(b, 120, 40)
		ref.quiet(3 * time.Second)
		refWake, refCPU := idleCost(b, ref.cmd.Process.Pid, window)
		b.ReportMetric(wake, "idle-wakeups/s")
		b.ReportMetric(cpu, "idle-cpu-%")
		b.ReportMetric(refWake, "ref-list-idle-wakeups/s")
		b.ReportMetric(refCPU, "ref-list-idle-cpu-%")
		r.stop()
		ref.stop()
	}
}

// BenchmarkKeyToScreen: from a key's write to the first byte of the
// screen's change (j: median, 90th percentile, most), the bytes a j and a
// PgDn cost, and the first frame's bytes, at 80x24 and 120x40, beside the
// minimal list.
func BenchmarkKeyToScreen(b *testing.B) {
	presses := 40
	if testing.Short() {
		presses = 10
	}
	// measure reports what r's first frame, js and PgDns cost, each
	// metric's name starting with prefix.
	measure := func(r *ptyRun, prefix string) {
		first := r.quiet(500 * time.Millisecond)
		var j []time.Duration
		var jBytes, pgBytes float64
		for range presses {
			k := r.press("j")
			j = append(j, k.latency)
			jBytes += float64(k.bytes)
		}
		for range presses / 4 {
			pgBytes += float64(r.press("\x1b[6~").bytes)
		}
		med, p90, most := spread(j)
		b.ReportMetric(float64(first), prefix+"first-frame-B")
		b.ReportMetric(med, prefix+"j-median-ms")
		b.ReportMetric(p90, prefix+"j-p90-ms")
		b.ReportMetric(most, prefix+"j-max-ms")
		b.ReportMetric(jBytes/float64(presses), prefix+"j-B")
		b.ReportMetric(pgBytes/float64(presses/4), prefix+"pgdn-B")
		r.stop()
	}
	for b.Loop() {
		for _, size := range [][2]int{{80, 24}, {120, 40}} {
			name := fmt.Sprintf("%dx%d-", size[0], size[1])
			measure(demoConsole(b, size[0], size[1], 2000), name)
			measure(listReference(b, size[0], size[1]), name+"ref-list-")
		}
	}
}

// threadsToMeasure is the size of a chatbot a benchmark measures:
// TRIAGE_THREADS, else 100,000 (10,000 with -short).
func threadsToMeasure(b *testing.B) int {
	v := os.Getenv("TRIAGE_THREADS")
	switch {
	case v == "" && testing.Short():
		return 10_000
	case v == "":
		return 100_000
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		b.Fatalf("TRIAGE_THREADS=%q: %v", v, err)
	}
	return n
}

// BenchmarkWarmStart: exec to the first rows, and to the list checked
// with the server ("as of"), on a chatbot of TRIAGE_THREADS threads
// (100,000 by default, 10,000 with -short) answering in 100 ms, pages of
// up to 1,000: with the cache the last session wrote, beside the same
// start with an empty cache; ten js right after the first rows, while the
// rest comes; the requests each made, counted at a proxy
// (the prefetch of conversations off: it reads at its own pace, apart
// from the start), and the resident memory and its peak (VmHWM) once
// checked; and the writes a second that reach the terminal from the
// last j to the list checked, nobody typing (over SSH, each at least a
// packet).
func BenchmarkWarmStart(b *testing.B) {
	n := threadsToMeasure(b)
	_, key, base, bot := runDemoServer(b, "--threads", strconv.Itoa(n), "--latency", "100ms", "--max-limit", "1000")
	proxy := countRequests(b, base)
	cfg := filepath.Join(b.TempDir(), "config.toml")
	if err := os.WriteFile(cfg, []byte("rate_limit = 6000\nconcurrency = 8\npage_size = 1000\npoll_interval = \"0s\"\nprefetch_share = 0\n"), 0o600); err != nil {
		b.Fatal(err)
	}
	// start runs a console with its cache in dir and reports what it cost,
	// each metric's name starting with prefix.
	start := func(dir, prefix string) {
		report := func(v float64, unit string) {
			if prefix != "" {
				b.ReportMetric(v, prefix+unit)
			}
		}
		before := proxy.n.Load()
		r := startPTY(b, 120, 40, []string{"CONTEXTGPT_API_KEY=" + key, "XDG_CACHE_HOME=" + dir}, triageBin,
			"--base-url", proxy.url, "--chatbot", bot, "--config", cfg)
		rows := r.waitText(time.Minute, "[1 Inbox", "GDPR")
		var js []time.Duration
		for range 10 { // while the rest is read (or the first load's pages merge)
			js = append(js, r.moveCursor("j"))
		}
		typed := time.Now()
		checked := r.waitText(30*time.Minute, "as of")
		if at := r.start.Add(checked); at.Sub(typed) > time.Second { // the writes a second while it loads, nobody typing
			report(float64(r.writesBetween(typed, at))/at.Sub(typed).Seconds(), "writes/s-loading")
		}
		st := statOf(b, r.cmd.Process.Pid)
		r.stop() // the cache is written at exit
		report(float64(rows.Microseconds())/1000, "first-rows-ms")
		report(float64(checked.Microseconds())/1000, "checked-ms")
		med, _, most := spread(js)
		report(med, "j-after-rows-median-ms")
		report(most, "j-after-rows-max-ms")
		report(float64(proxy.n.Load()-before), "requests")
		report(float64(st.rss)/float64(n), "rss-B/thread")
		report(float64(st.hwm)/float64(n), "hwm-B/thread")
	}
	warm := b.TempDir()
	start(warm, "") // fills the cache
	for b.Loop() {
		start(warm, "warm-")
		start(b.TempDir(), "ref-empty-")
	}
}

// BenchmarkBulkTagSend: a tag added to 5,000 threads (1,000 with -short),
// from the y that sends it to "Sent", on a chatbot answering in 100 ms
// in pages of at most 100 with the API's 500 requests a minute: right
// after the load (its burst of requests spent) and after the agent took
// 10 s (the budget refilled), with the requests counted at a proxy;
// beside a flag toggle on the same threads, which needs no read first;
// and the writes a second that reach the terminal meanwhile.
func BenchmarkBulkTagSend(b *testing.B) {
	n, pause := 5000, 10*time.Second
	if testing.Short() {
		n, pause = 1000, time.Second
	}
	_, key, base, bot := runDemoServer(b, "--threads", strconv.Itoa(n), "--latency", "100ms", "--max-limit", "100")
	proxy := countRequests(b, base)
	cfg := filepath.Join(b.TempDir(), "config.toml")
	if err := os.WriteFile(cfg, []byte("poll_interval = \"0s\"\nprefetch_share = 0\ncache = false\n[[views]]\nname = \"All\"\n"), 0o600); err != nil {
		b.Fatal(err)
	}
	all := words.Thousands(n)
	// send marks every thread, queues edit (keys), waits for wait, sends,
	// and reports what the send cost, each metric's name starting with
	// prefix.
	send := func(prefix, edit, queued string, wait time.Duration) {
		r := startPTY(b, 120, 40, []string{"CONTEXTGPT_API_KEY=" + key}, triageBin, "--base-url", proxy.url, "--chatbot", bot, "--config", cfg)
		r.waitText(5*time.Minute, "as of") // the whole list loaded
		m := r.mark()
		r.write("V")
		r.waitSince(m, time.Minute, all+" marked")
		m = r.mark()
		r.write(edit)
		r.waitSince(m, time.Minute, queued)
		time.Sleep(wait) // the agent's pace: the rate limit's budget refills meanwhile
		m = r.mark()
		r.write("w")
		r.waitSince(m, time.Minute, "(y/N)")
		m, before, sent := r.mark(), proxy.n.Load(), time.Now()
		r.write("y")
		answered := r.waitScreen(m, time.Minute, "the answer to y", func(string) bool { return true })
		at := r.waitSince(m, 5*time.Minute, "Sent ")
		b.ReportMetric(float64(at.Sub(sent).Milliseconds()), prefix+"ms")
		// the writes a second while the send is in flight, after the
		// answer to y and before the frame that says it was sent; a send
		// shorter than a second has no pace to speak of
		if took := at.Sub(answered); took > time.Second {
			b.ReportMetric(float64(r.writesBetween(answered, at))/took.Seconds(), prefix+"writes/s")
		}
		b.ReportMetric(float64(proxy.n.Load()-before), prefix+"requests")
		r.stop()
	}
	for b.Loop() {
		send("tags-after-load-", "t+bulk\r", "on "+all+" threads", 0)
		send("tags-after-a-pause-", "t+bulk2\r", "on "+all+" threads", pause)
		send("ref-flag-", "!", "on "+all+" threads", 0)
	}
}

// BenchmarkBulkToggle: a flag toggled on every thread of a view of
// TRIAGE_THREADS threads (100,000 by default, 10,000 with -short), or on
// those a search finds (TRIAGE_SEARCH, say "is:important": a tenth), then
// undone: from the key to the first byte of the screen's change, and to
// the status line's word that it is done; meanwhile j is pressed again
// and again, each from its write to the screen showing the cursor moved
// (median, most); then the resident memory once it stopped falling, and
// its peak, per thread loaded. The reference is a j on the same console, nothing applied.
func BenchmarkBulkToggle(b *testing.B) {
	n := threadsToMeasure(b)
	_, key, base, bot := runDemoServer(b, "--threads", strconv.Itoa(n), "--max-limit", "1000")
	cfg := filepath.Join(b.TempDir(), "config.toml")
	if err := os.WriteFile(cfg, []byte("rate_limit = 6000\nconcurrency = 8\npage_size = 1000\npoll_interval = \"0s\"\nprefetch_share = 0\ncache = false\n[[views]]\nname = \"All\"\n"), 0o600); err != nil {
		b.Fatal(err)
	}
	search := os.Getenv("TRIAGE_SEARCH")
	marked := regexp.MustCompile(`([0-9,]+) marked`)
	for b.Loop() {
		r := startPTY(b, 120, 40, []string{"CONTEXTGPT_API_KEY=" + key, "XDG_STATE_HOME=" + b.TempDir()}, triageBin,
			"--base-url", base, "--chatbot", bot, "--config", cfg)
		r.waitText(30*time.Minute, "as of")
		if search != "" {
			r.write("/" + search + "\r")
			r.quiet(2 * time.Second)
		}
		m := r.mark()
		r.write("V")
		r.waitScreen(m, time.Minute, "the threads marked", marked.MatchString)
		all := marked.FindStringSubmatch(r.screenNow())[1]
		count, _ := strconv.Atoi(strings.ReplaceAll(all, ",", ""))
		b.ReportMetric(float64(count), "marked")
		r.quiet(time.Second)
		b.ReportMetric(float64(r.press("j").latency.Microseconds())/1000, "ref-j-idle-ms")
		// apply types key and reports its figures until its progress is
		// gone from the status line (a status line too long for the width
		// may not show its last word).
		applying := regexp.MustCompile(`(toggling|setting|clearing|undoing|redoing) .*… [0-9]+%`)
		finished := func(s string) bool { return !applying.MatchString(s) }
		apply := func(key, prefix string) {
			m, sent := r.mark(), time.Now()
			r.write(key)
			first := r.waitSince(m, time.Minute, "")
			var js []time.Duration
			for !finished(r.screenNow()) {
				js = append(js, r.moveCursor("j"))
			}
			end := r.waitScreen(m, time.Minute, "the end of the progress", finished)
			b.ReportMetric(float64(first.Sub(sent).Microseconds())/1000, prefix+"key-to-screen-ms")
			b.ReportMetric(float64(end.Sub(sent).Milliseconds()), prefix+"to-done-ms")
			b.ReportMetric(float64(len(js)), prefix+"js")
			if len(js) > 0 { // none when it was done before the first
				med, _, most := spread(js)
				b.ReportMetric(med, prefix+"j-median-ms")
				b.ReportMetric(most, prefix+"j-max-ms")
			}
			r.quiet(500 * time.Millisecond)
		}
		apply("i", "toggle-")
		apply("u", "undo-")
		rest := settledRSS(b, r.cmd.Process.Pid)
		st := statOf(b, r.cmd.Process.Pid)
		b.ReportMetric(rest/float64(n), "rss-B/thread")
		b.ReportMetric(float64(st.hwm)/float64(n), "hwm-B/thread")
		r.stop()
	}
}

// BenchmarkConsolesOnOneHost: N consoles on one host and one demo server
// of 5,000 threads (the default 30 s poll), each a different agent with a
// HOME of its own, all on one key and one presence directory: requests a
// minute counted at a proxy, their resident memory and share of a core
// together, and a j's time on one of them meanwhile. N is 1, 10 and 25
// (TRIAGE_CONSOLES="1,10,25" to choose; 1 and 2 with -short), over a
// window of 2 minutes (15 s with -short).
func BenchmarkConsolesOnOneHost(b *testing.B) {
	counts, window := "1,10,25", 2*time.Minute
	if testing.Short() {
		counts, window = "1,2", 15*time.Second
	}
	if c := os.Getenv("TRIAGE_CONSOLES"); c != "" {
		counts = c
	}
	_, key, base, bot := runDemoServer(b, "--threads", "5000")
	proxy := countRequests(b, base)
	presence := filepath.Join(b.TempDir(), "presence")
	for b.Loop() {
		for _, field := range strings.Split(counts, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(field))
			if err != nil || n < 1 {
				b.Fatalf("TRIAGE_CONSOLES: %q", counts)
			}
			var consoles []*ptyRun
			for i := range n {
				home := b.TempDir()
				cfg := filepath.Join(home, "config.toml")
				body := fmt.Sprintf("agent_name = \"agent%d\"\npresence_dir = %q\n", i, presence)
				if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
					b.Fatal(err)
				}
				consoles = append(consoles, startPTY(b, 120, 40, []string{"HOME=" + home, "CONTEXTGPT_API_KEY=" + key},
					triageBin, "--config", cfg, "--base-url", proxy.url, "--chatbot", bot))
			}
			for _, c := range consoles {
				c.waitText(2*time.Minute, "[1 Inbox", "as of")
			}
			time.Sleep(5 * time.Second) // the starts' loads are over; presence has counted the consoles
			before := proxy.n.Load()
			stats := make([]procStat, n)
			for i, c := range consoles {
				stats[i] = statOf(b, c.cmd.Process.Pid)
			}
			var j []time.Duration
			t0 := time.Now()
			for time.Since(t0) < window {
				j = append(j, consoles[0].press("j").latency)
				time.Sleep(time.Second)
			}
			elapsed := time.Since(t0)
			requests := float64(proxy.n.Load()-before) / elapsed.Minutes()
			var rss, cpu float64
			for i, c := range consoles {
				now := statOf(b, c.cmd.Process.Pid)
				rss += float64(now.rss)
				cpu += float64(now.cpu-stats[i].cpu) / float64(elapsed) * 100
			}
			med, p90, most := spread(j)
			name := fmt.Sprintf("%d-consoles", n)
			b.ReportMetric(requests, name+"-requests/min")
			b.ReportMetric(rss/(1<<20), name+"-rss-MiB")
			b.ReportMetric(cpu, name+"-cpu-%")
			b.ReportMetric(med, name+"-j-median-ms")
			b.ReportMetric(p90, name+"-j-p90-ms")
			b.ReportMetric(most, name+"-j-max-ms")
			for _, c := range consoles {
				c.stop()
			}
		}
	}
}
