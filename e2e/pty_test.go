package e2e

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"
	"github.com/creack/pty"
)

// The measuring harness: a program on a pseudo-terminal, its output read
// as it comes and time-stamped, so what the agent feels is measured from
// outside the process, below the ~20 ms floor of a tmux capture loop:
// exec to the first rows, a key to the screen's change, the bytes and
// writes each costs, and the process's memory and CPU from /proc. The
// output also goes through a terminal emulator, so what the screen shows
// after each read can be asked (a renderer writes only the cells that
// changed: the output's text alone does not say what is on screen).

// ptyRun is one program on a pseudo-terminal.
type ptyRun struct {
	t     testing.TB
	cmd   *exec.Cmd
	tty   *os.File
	start time.Time

	mu     sync.Mutex
	out    []byte
	chunks []chunk
	screen *vt.Emulator
	wrote  chan struct{} // signalled on every read
	exited chan struct{}
}

// chunk is one read of the output: when it came, where it ends, and the
// screen after it.
type chunk struct {
	at     time.Time
	end    int
	screen string
}

// startPTY runs bin with args on a w x h pseudo-terminal, env added to
// the harness's defaults (a UTF-8 locale, state and cache of its own).
func startPTY(t testing.TB, w, h int, env []string, bin string, args ...string) *ptyRun {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), withDefaults(env, "TERM=xterm-256color", "LANG=C.UTF-8", "LC_ALL=", "LC_CTYPE=",
		"XDG_CONFIG_HOME="+t.TempDir(), "XDG_STATE_HOME="+t.TempDir(), "XDG_CACHE_HOME="+t.TempDir(), "TMPDIR="+t.TempDir())...)
	r := &ptyRun{t: t, cmd: cmd, wrote: make(chan struct{}, 1), exited: make(chan struct{}), screen: vt.NewEmulator(w, h)}
	go func() { _, _ = io.Copy(io.Discard, r.screen) }() // its answers to queries: a terminal that answers none
	r.start = time.Now()
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: uint16(w), Rows: uint16(h)})
	if err != nil {
		t.Fatal(err)
	}
	r.tty = tty
	go r.read()
	go func() { _ = cmd.Wait(); close(r.exited) }()
	t.Cleanup(r.stop)
	return r
}

// read keeps the output, stamping each read.
func (r *ptyRun) read() {
	buf := make([]byte, 64<<10)
	for {
		n, err := r.tty.Read(buf)
		if n > 0 {
			r.mu.Lock()
			at := time.Now()
			r.out = append(r.out, buf[:n]...)
			_, _ = r.screen.Write(buf[:n])
			r.chunks = append(r.chunks, chunk{at: at, end: len(r.out), screen: r.screen.String()})
			r.mu.Unlock()
			select {
			case r.wrote <- struct{}{}:
			default:
			}
		}
		if err != nil {
			return
		}
	}
}

// stop ends the program (a hangup, as a closed terminal gives) and waits.
func (r *ptyRun) stop() {
	if r.cmd.Process != nil {
		_ = r.cmd.Process.Signal(syscall.SIGHUP)
	}
	select {
	case <-r.exited:
	case <-time.After(10 * time.Second):
		_ = r.cmd.Process.Kill()
		<-r.exited
	}
	r.tty.Close()
}

// text is the output so far without escape sequences.
func (r *ptyRun) text() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return ansi.Strip(string(r.out))
}

// waitText waits until the output has shown every text and returns the
// time from exec to the read that completed it.
func (r *ptyRun) waitText(limit time.Duration, texts ...string) time.Duration {
	r.t.Helper()
	return r.waitSince(0, limit, texts...).Sub(r.start)
}

// mark is the output's length now, for waitSince.
func (r *ptyRun) mark() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.out)
}

// write types keys (raw bytes) at once.
func (r *ptyRun) write(keys string) {
	r.t.Helper()
	if _, err := r.tty.Write([]byte(keys)); err != nil {
		r.t.Fatal(err)
	}
}

// waitSince waits until the output after its first from bytes has shown
// every text, and returns the time of the read that completed it.
func (r *ptyRun) waitSince(from int, limit time.Duration, texts ...string) time.Time {
	r.t.Helper()
	return r.waitFor(limit, fmt.Sprintf("%q", texts), func() (time.Time, bool) { return r.firstShowing(from, texts) })
}

// waitScreen waits until a read past the output's first from bytes left
// a screen that satisfies ok, and returns the time of that read.
func (r *ptyRun) waitScreen(from int, limit time.Duration, what string, ok func(screen string) bool) time.Time {
	r.t.Helper()
	seen := 0
	return r.waitFor(limit, "the screen to show "+what, func() (time.Time, bool) {
		for ; seen < len(r.chunks); seen++ {
			if c := r.chunks[seen]; c.end > from && ok(c.screen) {
				return c.at, true
			}
		}
		return time.Time{}, false
	})
}

// waitFor waits, up to limit, until found (called under the lock after
// each read) reports the time of what it looks for.
func (r *ptyRun) waitFor(limit time.Duration, what string, found func() (time.Time, bool)) time.Time {
	r.t.Helper()
	deadline := time.After(limit)
	for {
		r.mu.Lock()
		at, ok := found()
		r.mu.Unlock()
		if ok {
			return at
		}
		select {
		case <-r.wrote:
		case <-r.exited:
			r.t.Fatalf("the program exited before showing %s:\n%s", what, r.text())
		case <-deadline:
			r.t.Fatalf("timed out waiting for %s:\n%s", what, r.text())
		}
	}
}

// writesBetween counts the program's writes that began after from and
// ended before to (to is a read that showed the end, so the write it
// belongs to is left out). A write is a burst of reads less than
// writeGap apart: the terminal hands a large frame over in several
// reads, as SSH sends it in several packets.
func (r *ptyRun) writesBetween(from, to time.Time) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for i := 0; i < len(r.chunks); {
		first := r.chunks[i].at
		last := first
		for i++; i < len(r.chunks) && r.chunks[i].at.Sub(last) < writeGap; i++ {
			last = r.chunks[i].at
		}
		if first.After(from) && last.Before(to) {
			n++
		}
	}
	return n
}

// writeGap is the longest pause between two reads of one write.
const writeGap = 2 * time.Millisecond

// screenNow is what the screen shows after the last read.
func (r *ptyRun) screenNow() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.chunks) == 0 {
		return ""
	}
	return r.chunks[len(r.chunks)-1].screen
}

// firstShowing is the time of the first read after which the output past
// its first from bytes held every text.
func (r *ptyRun) firstShowing(from int, texts []string) (time.Time, bool) {
	for _, c := range r.chunks {
		if c.end <= from {
			continue
		}
		shown := ansi.Strip(string(r.out[from:c.end]))
		if !slices.ContainsFunc(texts, func(t string) bool { return !strings.Contains(shown, t) }) {
			return c.at, true
		}
	}
	return time.Time{}, false
}

// quiet waits until the program writes nothing for d, and returns the
// output's length then.
func (r *ptyRun) quiet(d time.Duration) int {
	for {
		select {
		case <-r.wrote:
		case <-time.After(d):
			r.mu.Lock()
			defer r.mu.Unlock()
			return len(r.out)
		}
	}
}

// keyResult is what one key cost: from the key's write to the first byte
// of the screen's change, and the bytes and reads of that change.
type keyResult struct {
	latency      time.Duration
	bytes, reads int
}

// press types key (raw bytes: "j", "\x1b[6~") once the program is quiet,
// and measures its answer.
func (r *ptyRun) press(key string) keyResult {
	r.t.Helper()
	r.mu.Lock()
	before, chunksBefore := len(r.out), len(r.chunks)
	r.mu.Unlock()
	sent := time.Now()
	if _, err := r.tty.Write([]byte(key)); err != nil {
		r.t.Fatal(err)
	}
	deadline := time.After(20 * time.Second)
	for {
		r.mu.Lock()
		n := len(r.chunks)
		r.mu.Unlock()
		if n > chunksBefore {
			break
		}
		select {
		case <-r.wrote:
		case <-deadline:
			r.t.Fatalf("no answer to %q", key)
		}
	}
	end := r.quiet(150 * time.Millisecond)
	r.mu.Lock()
	defer r.mu.Unlock()
	first := r.chunks[chunksBefore]
	return keyResult{latency: first.at.Sub(sent), bytes: end - before, reads: len(r.chunks) - chunksBefore}
}

// moveCursor writes key (j, say) and returns the time from its write to
// the screen showing the cursor on another row, as the status line's
// position says ("3/100,000"). Unlike press, it tells the key's answer
// from the frames drawn meanwhile by work in flight (a load's progress).
func (r *ptyRun) moveCursor(key string) time.Duration {
	r.t.Helper()
	m, from := r.mark(), cursorPosition(r.screenNow())
	sent := time.Now()
	r.write(key)
	return r.waitScreen(m, time.Minute, "the cursor moved from row "+from, func(s string) bool { return cursorPosition(s) != from }).Sub(sent)
}

// positionText is the cursor's row and the rows in the view at the end of
// the status line.
var positionText = regexp.MustCompile(` ([0-9,]+)/[0-9,]+\n`)

// cursorPosition is the cursor's row the screen's status line shows, "" when
// none.
func cursorPosition(screen string) string {
	all := positionText.FindAllStringSubmatch(screen, -1)
	if len(all) == 0 {
		return ""
	}
	return all[len(all)-1][1]
}

// procStat is a process's CPU time and context switches (all its
// threads), and its memory, from /proc.
type procStat struct {
	cpu      time.Duration
	switches int
	rss, hwm int // bytes
}

// statOf reads pid's figures.
func statOf(t testing.TB, pid int) procStat {
	t.Helper()
	var st procStat
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+2:]))
	utime, _ := strconv.Atoi(f[11])
	stime, _ := strconv.Atoi(f[12])
	st.cpu = time.Duration(utime+stime) * time.Second / 100 // USER_HZ
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/status", pid))
	for _, task := range tasks {
		b, err := os.ReadFile(task)
		if err != nil {
			continue
		}
		for line := range strings.Lines(string(b)) {
			k, v, _ := strings.Cut(line, ":")
			if k == "voluntary_ctxt_switches" || k == "nonvoluntary_ctxt_switches" {
				n, _ := strconv.Atoi(strings.TrimSpace(v))
				st.switches += n
			}
		}
	}
	b, _ = os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	for line := range strings.Lines(string(b)) {
		k, v, _ := strings.Cut(line, ":")
		kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
		switch k {
		case "VmRSS":
			st.rss = kb << 10
		case "VmHWM":
			st.hwm = kb << 10
		}
	}
	return st
}

// idleCost is what a process costs over d while nothing happens: context
// switches (wake-ups) a second and the share of one core.
func idleCost(t testing.TB, pid int, d time.Duration) (wakeups, cpu float64) {
	a := statOf(t, pid)
	time.Sleep(d)
	b := statOf(t, pid)
	return float64(b.switches-a.switches) / d.Seconds(), float64(b.cpu-a.cpu) / float64(d) * 100
}

// referenceList builds the minimal Bubble Tea list the harness compares
// the console with (e2e/testdata/list), once.
var referenceList = sync.OnceValues(func() (string, error) {
	out := filepath.Join(os.TempDir(), fmt.Sprintf("triage-e2e-list-%d", os.Getpid()))
	msg, err := exec.Command("go", "build", "-o", out, "./testdata/list").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build ./testdata/list: %v\n%s", err, msg)
	}
	return out, nil
})

// counter is a reverse proxy in front of a server that counts the
// requests it passes.
type counter struct {
	n   atomic.Int64
	url string
}

// countRequests starts a counting proxy in front of base (an API root)
// and returns it; its url is the API root to use.
func countRequests(t testing.TB, base string) *counter {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	c := &counter{}
	target := &url.URL{Scheme: u.Scheme, Host: u.Host}
	proxy := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.n.Add(1)
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	c.url = srv.URL + u.Path
	return c
}

// median, p90 and max of durations, in milliseconds.
func spread(ds []time.Duration) (median, p90, most float64) {
	s := slices.Clone(ds)
	slices.Sort(s)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	return ms(s[len(s)/2]), ms(s[len(s)*9/10]), ms(s[len(s)-1])
}
