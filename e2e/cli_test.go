package e2e

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"triage/api"
	"triage/api/apitest"
)

// The command line as a script runs it: the built binary against a
// server that caps pages at 50 and lists threads without mode or notes,
// data on stdout, messages on stderr, the exit status checked.

// cliRun runs `triage` with args against base, stdin given, and returns
// its stdout, stderr and exit status.
func cliRun(t *testing.T, base, state, stdin string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(triageBin, append(args, "--base-url", base, "--chatbot", "361628903185318481")...)
	cmd.Env = []string{"CONTEXTGPT_API_KEY=e2e-key", "HOME=" + state, "XDG_STATE_HOME=" + state + "/state",
		"XDG_CACHE_HOME=" + state + "/cache", "XDG_CONFIG_HOME=" + state + "/config", "PATH=/usr/bin:/bin", "LANG=C.UTF-8"}
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errOut.String(), code
}

func TestCommandLineListIsTheServersView(t *testing.T) {
	srv, base := cappedServer(t, 120)
	state := t.TempDir()
	out, msgs, code := cliRun(t, base, state, "", "list", "--view", "Inbox", "--json", "id,title,resolved")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, msgs)
	}
	if n := len(srv.RequestsFor(http.MethodGet)); n != 3 { // Inbox is drawn from All: its pages of 50, and no other view's total
		t.Errorf("the first list read %d requests, want 3", n)
	}
	var got []struct {
		ID       string `json:"id"`
		Title    string `json:"title"`
		Resolved bool   `json:"resolved"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	want := inbox(srv.Threads())
	if len(got) != len(want) {
		t.Fatalf("%d threads, the server's Inbox has %d", len(got), len(want))
	}
	for i := range want {
		if got[i].ID != want[i].ID || got[i].Title != want[i].Title || got[i].Resolved {
			t.Fatalf("thread %d: %+v, the server has %s %q", i, got[i], want[i].ID, want[i].Title)
		}
	}
	srv.ResetRequests()
	out, _, _ = cliRun(t, base, state, "", "list", "--view", "Inbox", "--json", "id", "--jq", ".[].id")
	if ids := strings.Fields(out); len(ids) != len(want) || ids[0] != want[0].ID {
		t.Errorf("--jq: %d ids", len(ids))
	}
	if n := len(srv.RequestsFor(http.MethodGet)); n != 1 { // the cache, refreshed with one page; the totals counted here
		t.Errorf("a second list read %d requests, want 1", n)
	}
}

func TestCommandLineApply(t *testing.T) {
	srv, base := cappedServer(t, 80)
	state := t.TempDir()
	ts := inbox(srv.Threads())[:2]
	lines := `{"threadId":"` + ts[0].ID + `","addTags":["cli"]}` + "\n" + `{"threadId":"` + ts[1].ID + `","resolved":true}` + "\n"
	out, msgs, code := cliRun(t, base, state, lines, "apply", "--dry-run")
	if code != 0 || !strings.Contains(out, ts[0].ID+"  ") || !strings.Contains(out, "tags +cli") || len(srv.RequestsFor(http.MethodPatch)) != 0 {
		t.Fatalf("dry run: exit %d, %d PATCHes:\n%s%s", code, len(srv.RequestsFor(http.MethodPatch)), out, msgs)
	}
	if _, msgs, code = cliRun(t, base, state, lines, "apply"); code != 2 || !strings.Contains(msgs, "without --yes") {
		t.Errorf("from a pipe without --yes: exit %d: %s", code, msgs)
	}
	srv.Change(ts[0].ID, func(th *api.Thread) { th.Tags = append(th.Tags, "colleague") })
	if _, msgs, code = cliRun(t, base, state, lines, "apply", "--yes"); code != 0 || !strings.Contains(msgs, "Sent 2 changes to 2 threads") {
		t.Fatalf("exit %d: %s", code, msgs)
	}
	if n := len(srv.RequestsFor(http.MethodPatch)); n != 1 {
		t.Errorf("%d PATCHes", n)
	}
	got, _ := srv.Thread(ts[0].ID)
	if !slices.Contains(got.Tags, "cli") || !slices.Contains(got.Tags, "colleague") {
		t.Errorf("tags %v", got.Tags)
	}
	bad := lines + `{"threadId":"x",` + "\n"
	if _, msgs, code = cliRun(t, base, state, bad, "apply", "--yes"); code != 2 || !strings.Contains(msgs, "line 3:") || len(srv.RequestsFor(http.MethodPatch)) != 1 {
		t.Errorf("a bad line 3: exit %d: %s", code, msgs)
	}
}

// TestCommandLineConflictExits3: a colleague renames the thread after
// apply read it and before the send's own read; the title is held back,
// the thread named, the exit status 3, and nothing is overwritten.
func TestCommandLineConflictExits3(t *testing.T) {
	srv, base := cappedServer(t, 40)
	state := t.TempDir()
	x := inbox(srv.Threads())[0]
	hold := apitest.Fault{Kind: apitest.FaultHold, Method: http.MethodGet, PathSuffix: "/thread/" + x.ID, After: 1,
		Release: make(chan struct{}), Held: make(chan struct{})}
	srv.Inject(hold)
	done := make(chan struct{})
	var out, msgs string
	var code int
	go func() {
		defer close(done)
		out, msgs, code = cliRun(t, base, state, "", "apply", "--id", x.ID, "--title", "The script's", "--set", "important=true", "--yes", "--json")
	}()
	select {
	case <-hold.Held: // the send's read waits: a colleague renames the thread now
	case <-done:
		t.Fatalf("apply ended before its second read: exit %d: %s", code, msgs)
	}
	srv.Change(x.ID, func(th *api.Thread) { th.Title = "A colleague's" })
	close(hold.Release)
	<-done
	if code != 3 || !strings.Contains(msgs, "Held back from the send: title") || !strings.Contains(msgs, x.ID) || !strings.Contains(out, `"heldBack"`) {
		t.Errorf("exit %d:\n%s%s", code, out, msgs)
	}
	got, _ := srv.Thread(x.ID)
	if got.Title != "A colleague's" || !got.Important {
		t.Errorf("the server holds %q, important %v", got.Title, got.Important)
	}
	for _, s := range []string{out, msgs} {
		if strings.Contains(s, "e2e-key") {
			t.Error("the key is in the output")
		}
	}
}
