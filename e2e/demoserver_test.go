package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os/exec"
	"regexp"
	"syscall"
	"testing"
	"time"
)

// runDemoServer starts `triage demo-server` on a free loopback port with
// args and returns what it printed to connect with. It stops with the test.
func runDemoServer(t testing.TB, args ...string) (cmd *exec.Cmd, key, base, bot string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	t.Cleanup(cancel)
	cmd = exec.CommandContext(ctx, triageBin, append([]string{"demo-server", "--addr", "127.0.0.1:0"}, args...)...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	lineRE := regexp.MustCompile(`CONTEXTGPT_API_KEY=(\S+) triage --base-url (\S+) --chatbot (\S+)`)
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if m := lineRE.FindStringSubmatch(sc.Text()); m != nil {
			go func() { _, _ = io.Copy(io.Discard, out) }() // keep reading what it prints
			return cmd, m[1], m[2], m[3]
		}
	}
	t.Fatal("demo-server did not print how to connect")
	return nil, "", "", ""
}

// agentOn starts a console at 120x30 on a demo server, as an agent of
// the team would: a journal and a cache of its own (the harness gives
// every console its own state and cache directories).
func agentOn(t testing.TB, key, base, bot string) *session {
	t.Helper()
	return start(t, 120, 30, []string{"CONTEXTGPT_API_KEY=" + key}, "--base-url", base, "--chatbot", bot)
}

// getJSON reads an API answer from the demo server into v.
func getJSON(t *testing.T, key, url string, v any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %s", url, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

// TestDemoServerServesAndSaysHow runs `triage demo-server` on a free
// loopback port: it prints the base URL and key, serves the API with
// them, and stops cleanly on SIGTERM.
func TestDemoServerServesAndSaysHow(t *testing.T) {
	cmd, key, base, bot := runDemoServer(t, "--threads", "42", "--max-limit", "10")
	var page struct {
		Data struct {
			Pagination struct{ Limit, Total int } `json:"pagination"`
		} `json:"data"`
	}
	getJSON(t, key, base+"/chatting/"+bot+"/threads?limit=100", &page)
	if page.Data.Pagination.Total != 42 || page.Data.Pagination.Limit != 10 {
		t.Fatalf("pagination %+v", page.Data.Pagination)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("demo-server did not stop cleanly: %v", err)
	}
}
