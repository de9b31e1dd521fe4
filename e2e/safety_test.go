package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"

	"triage/api"
)

// TestSignalsKeepTheQueue: SIGHUP (an SSH drop) and SIGTERM end the
// console with edits queued; the next start restores and sends them.
func TestSignalsKeepTheQueue(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGHUP, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			srv, base := server(t, 40)
			before := inbox(srv.Threads())[:3]
			state := t.TempDir()
			s := console(t, base, state)
			s.waitText("[1 Inbox", "1/")
			s.literal("   d!")
			s.waitText("(3 threads)")
			if err := syscall.Kill(s.pid(), sig); err != nil {
				t.Fatal(err)
			}
			s.waitExit()
			if s.format("alternate_on") != "0" {
				t.Errorf("after %v the terminal is left on the alternate screen", sig)
			}
			s2 := console(t, base, state)
			s2.waitText("Restored", "on 3 threads")
			s2.send()
			waitPatches(t, srv, 1)
			if got, want := patchItems(t, srv), expectedItems(before); !reflect.DeepEqual(got, want) {
				t.Errorf("after %v and a restart\n got %v\nwant %v", sig, got, want)
			}
		})
	}
}

// TestTitleCannotRetitleTheTerminal: a thread title carrying an OSC
// set-window-title sequence is drawn as text and leaves the pane title
// alone.
func TestTitleCannotRetitleTheTerminal(t *testing.T) {
	srv, base := server(t, 5)
	evil := inbox(srv.Threads())[0]
	evil.Title = "Hello\x1b]2;PWNED\x07 world\x1b]0;PWNED2\x1b\\ \u202eevil"
	srv.Put(evil, api.ModeAI, api.Null())
	s := console(t, base, t.TempDir())
	scr := s.waitText("Hello world")
	if strings.Contains(scr, "PWNED") {
		t.Errorf("the sequence's payload is on screen:\n%s", scr)
	}
	s.keys("Enter") // the detail shows the title too
	s.waitText("Detail")
	if title := s.format("pane_title"); strings.Contains(title, "PWNED") {
		t.Errorf("the pane title became %q", title)
	}
}

// TestDebugLogHasRequestsNotTheKey checks --debug-log writes a line per
// request and never the key.
func TestDebugLogHasRequestsNotTheKey(t *testing.T) {
	_, base := server(t, 30)
	logPath := filepath.Join(t.TempDir(), "debug.log")
	s := start(t, 120, 30, []string{"CONTEXTGPT_API_KEY=e2e-key"},
		"--base-url", base, "--chatbot", "361628903185318481", "--debug-log", logPath)
	s.waitText("[1 Inbox", "1/")
	s.keys("q")
	s.waitExit()
	b, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "e2e-key") {
		t.Fatal("the debug log holds the API key")
	}
	requests := 0
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("not a structured line: %q", line)
		}
		if rec["msg"] == "request" {
			requests++
			for _, k := range []string{"method", "path", "status", "duration_ms", "attempt", "bytes"} {
				if _, ok := rec[k]; !ok {
					t.Errorf("request line without %s: %v", k, rec)
				}
			}
		}
	}
	if requests < 6 { // the inbox and five view totals
		t.Errorf("%d request lines", requests)
	}
	if st, _ := os.Stat(logPath); st.Mode().Perm() != 0o600 {
		t.Errorf("debug log mode %o", st.Mode().Perm())
	}
}
