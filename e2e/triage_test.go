package e2e

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"triage/api"
	"triage/api/apitest"
	"triage/queue"
)

// server starts a ContextGPT-compatible server on 127.0.0.1.
func server(t *testing.T, threads int) (*apitest.Server, string) {
	t.Helper()
	return serverWith(t, apitest.Options{Threads: threads})
}

// serverWith starts one with opts (its seed, chatbot and key set here).
func serverWith(t *testing.T, opts apitest.Options) (*apitest.Server, string) {
	t.Helper()
	opts.Seed, opts.ChatbotID, opts.APIKey = 11, "361628903185318481", "e2e-key"
	srv := apitest.New(opts)
	base, stop, err := srv.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return srv, base
}

// console starts triage against the server with a given state directory.
func console(t *testing.T, base, state string) *session {
	t.Helper()
	return start(t, 120, 30, []string{"CONTEXTGPT_API_KEY=e2e-key", "XDG_STATE_HOME=" + state},
		"--base-url", base, "--chatbot", "361628903185318481")
}

// expectedItems is the PATCH body that resolving and escalating threads
// must produce: threadId plus only the fields that change, by thread id.
func expectedItems(threads []api.Thread) []map[string]any {
	var want []map[string]any
	for _, th := range threads {
		it := map[string]any{"threadId": th.ID}
		if !th.Resolved {
			it["resolved"] = true
		}
		if !th.Escalated {
			it["escalated"] = true
		}
		if len(it) > 1 {
			want = append(want, it)
		}
	}
	slices.SortFunc(want, func(a, b map[string]any) int { return strings.Compare(a["threadId"].(string), b["threadId"].(string)) })
	return want
}

func patchItems(t *testing.T, srv *apitest.Server) []map[string]any {
	t.Helper()
	patches := srv.RequestsFor(http.MethodPatch)
	if len(patches) != 1 {
		t.Fatalf("%d PATCH requests on the wire, want exactly 1", len(patches))
	}
	var items []map[string]any
	if err := json.Unmarshal(patches[0].Body, &items); err != nil {
		t.Fatalf("PATCH body %s: %v", patches[0].Body, err)
	}
	return items
}

// waitPatches waits until the server has received n PATCH requests.
func waitPatches(t *testing.T, srv *apitest.Server, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for len(srv.RequestsFor(http.MethodPatch)) < n {
		if time.Now().After(deadline) {
			t.Fatalf("the server never received %d PATCH requests", n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestMarkToggleFlushOnePatch(t *testing.T) {
	srv, base := server(t, 60)
	before := inbox(srv.Threads())[:3]
	s := console(t, base, t.TempDir())
	s.waitText("[1 Inbox", "1/")
	s.literal("   d!") // one burst: mark three, resolve, escalate
	s.waitText("→ 3 marked", "(3 threads)")
	s.send("Send ", "to 3 threads? (y/N)")
	waitPatches(t, srv, 1)
	scr := s.waitText("Sent ")
	if got, want := patchItems(t, srv), expectedItems(before); !reflect.DeepEqual(got, want) {
		t.Errorf("PATCH items\n got %v\nwant %v", got, want)
	}
	lines := strings.Split(scr, "\n")
	for i := 0; i < 3; i++ {
		if !strings.Contains(lines[2+i], "R") || !strings.Contains(lines[2+i], "E") || strings.Contains(lines[2+i][:5], "~") {
			t.Errorf("row %d after the send: %q", i, lines[2+i])
		}
	}
	s.keys("q")
	if st := s.waitExit(); st != "0" {
		t.Errorf("exit status %s", st)
	}
}

// TestKill9KeepsQueue queues edits, kills the console with SIGKILL before
// it sends, and checks that the next start restores and sends them.
func TestKill9KeepsQueue(t *testing.T) {
	srv, base := server(t, 60)
	before := inbox(srv.Threads())[:3]
	state := t.TempDir()
	s := console(t, base, state)
	s.waitText("[1 Inbox", "1/")
	s.literal("   d!")
	s.waitText("(3 threads)")
	waitJournal(t, state, 6) // written off the UI goroutine: wait for it, then kill
	if err := syscall.Kill(s.pid(), syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if st := s.waitExit(); st != "137" {
		t.Fatalf("exit status %s after kill -9", st)
	}
	if n := len(srv.RequestsFor(http.MethodPatch)); n != 0 {
		t.Fatalf("%d PATCHes before the restart", n)
	}

	s2 := console(t, base, state)
	s2.waitText("Restored", "on 3 threads", "[1 Inbox")
	s2.send("to 3 threads? (y/N)")
	waitPatches(t, srv, 1)
	s2.waitText("Sent ")
	if got, want := patchItems(t, srv), expectedItems(before); !reflect.DeepEqual(got, want) {
		t.Errorf("PATCH items after restart\n got %v\nwant %v", got, want)
	}
	s2.keys("q")
	s2.waitExit()
	if left, _ := filepath.Glob(filepath.Join(state, "triage", "*.journal")); len(left) != 0 {
		t.Errorf("journal left after everything was sent: %v", left)
	}
}

// waitJournal waits until the state directory holds one journal whose
// edits (the latest line of each thread) carry fields changes in all.
func waitJournal(t *testing.T, state string, fields int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		journals, _ := filepath.Glob(filepath.Join(state, "triage", "*.journal"))
		if len(journals) == 1 && journalFields(journals[0]) == fields {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the journal never held %d changes: %v", fields, journals)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// journalFields replays a journal's lines and counts the fields edited.
func journalFields(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return -1
	}
	latest := map[string]*queue.Edit{}
	for _, l := range strings.Split(string(b), "\n") {
		var line struct {
			Put *queue.Edit `json:"put"`
			Del string      `json:"del"`
		}
		if json.Unmarshal([]byte(l), &line) != nil {
			continue
		}
		if line.Put != nil {
			latest[line.Put.ThreadID] = line.Put
		} else if line.Del != "" {
			delete(latest, line.Del)
		}
	}
	n := 0
	for _, e := range latest {
		n += e.Fields()
	}
	return n
}
