package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"sort"
)

// Decoding thread by thread: one malformed thread ("unreadMessagesCount":
// "3", "updatedAt": "") must not fail its whole page and stop a view.
// The good threads are kept; the bad ones are skipped, counted, and the
// first is named by id and field.

// Skipped counts the threads of an answer that could not be read.
type Skipped struct {
	Count int
	// First names the first: "thread th_1: unreadMessagesCount: ...".
	First string
}

// add counts a skipped thread, keeping the first problem.
func (s *Skipped) add(problem string) {
	if s.Count == 0 {
		s.First = problem
	}
	s.Count++
}

// merge adds another answer's skipped threads.
func (s *Skipped) merge(o Skipped) {
	if o.Count > 0 && s.Count == 0 {
		s.First = o.First
	}
	s.Count += o.Count
}

// decoding is how many pages are decoded at once: one core fewer than
// the process has (one at least), so the console always finds a core for
// its keys while a load's pages arrive in parallel. With every core
// decoding, a goroutine woken by a key waits in the scheduler's queue
// behind the decoders: a key took up to 175 ms to reach the console on 2
// cores while 8 pages were decoded at once.
var decoding = make(chan struct{}, max(1, runtime.GOMAXPROCS(0)-1))

// UnmarshalJSON reads a page, thread by thread.
func (p *Page) UnmarshalJSON(b []byte) error {
	decoding <- struct{}{}
	defer func() { <-decoding }()
	var raw struct {
		Threads    []json.RawMessage `json:"threads"`
		Pagination Pagination        `json:"pagination"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	p.Pagination = raw.Pagination
	p.Threads, p.Skipped = decodeThreads(raw.Threads)
	return nil
}

// decodeThreads decodes each thread on its own, skipping the bad ones.
func decodeThreads(raws []json.RawMessage) ([]Thread, Skipped) {
	var sk Skipped
	out := make([]Thread, 0, len(raws))
	for _, raw := range raws {
		var t Thread
		if err := json.Unmarshal(raw, &t); err != nil {
			sk.add(threadProblem(raw, err))
			continue
		}
		out = append(out, t)
	}
	return out, sk
}

// threadProblem names a bad thread's id and the field that failed.
func threadProblem(raw json.RawMessage, err error) string {
	var fields map[string]json.RawMessage
	if json.Unmarshal(raw, &fields) != nil {
		return "a thread that is not a JSON object"
	}
	var id string
	_ = json.Unmarshal(fields["id"], &id)
	field := ""
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		field = te.Field
	} else { // a value that is the right type but wrong (a time): find which
		keys := make([]string, 0, len(fields))
		for k := range fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			one, _ := json.Marshal(map[string]json.RawMessage{k: fields[k]})
			var t Thread
			if json.Unmarshal(one, &t) != nil {
				field = k
				break
			}
		}
	}
	what := "thread"
	if id != "" {
		what += " " + cleanLine(id)
	}
	if field != "" {
		what += ": " + cleanLine(field)
	}
	return fmt.Sprintf("%s: %s", what, cleanLine(err.Error()))
}
