package ui

import (
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"triage/api/apitest"
)

// countingWriter counts what the renderer writes to the terminal: the
// bytes, and the writes (one per frame drawn).
type countingWriter struct {
	mu     sync.Mutex
	n      int
	writes int
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	w.n += len(p)
	w.writes++
	w.mu.Unlock()
	return len(p), nil
}

// frames is the number of frames written so far.
func (w *countingWriter) frames() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.writes
}

func (w *countingWriter) count() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.n
}

// settle waits until nothing has been written for a few frames and
// returns the total.
func (w *countingWriter) settle() int {
	last, quiet := w.count(), 0
	for quiet < 8 {
		time.Sleep(5 * time.Millisecond)
		if n := w.count(); n != last {
			last, quiet = n, 0
		} else {
			quiet++
		}
	}
	return last
}

// BenchmarkBytesPerKeystroke runs the console on a virtual 120x40
// terminal with 5,000 threads and counts the bytes written per cursor
// move, per page down and per search keystroke. The reference is the
// bytes of the two changed rows themselves; the target is at most twice
// that per move.
func BenchmarkBytesPerKeystroke(b *testing.B) {
	for b.Loop() {
		m, _ := liveModel(b, apitest.Options{Threads: 5000, Seed: 6})
		p := newProbe(m)
		*p.loading = true
		out := &countingWriter{}
		prog, quit := runOn(p, out)
		p.waitLoaded(b, 5000)
		out.settle()

		send := func(msg tea.Msg, times int) float64 {
			total := 0
			for range times {
				before := out.settle()
				prog.Send(msg)
				total += out.settle() - before
			}
			return float64(total) / float64(times)
		}
		perMove := send(tea.KeyPressMsg{Code: tea.KeyDown}, 60)
		perPage := send(tea.KeyPressMsg{Code: tea.KeyPgDown}, 10)
		prog.Send(tea.KeyPressMsg{Code: '/', Text: "/"})
		out.settle()
		perSearchKey := send(tea.KeyPressMsg{Code: 'r', Text: "r"}, 1)

		// The reference: the two rows a move changes, as drawn.
		lines := strings.Split(m.render(), "\n")
		ref := float64(len(lines[2]) + len(lines[3]))
		quit()

		b.ReportMetric(perMove, "bytes/move")
		b.ReportMetric(ref, "ref-two-rows-bytes")
		b.ReportMetric(perMove/ref, "ratio(target<=2)")
		b.ReportMetric(perPage, "bytes/pgdown")
		b.ReportMetric(perSearchKey, "bytes/search-key")
	}
}
