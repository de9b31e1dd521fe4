package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"os/exec"
	"regexp"
	"syscall"
	"testing"
	"time"
)

// TestDemoServerServesAndSaysHow runs `triage demo-server` on a free
// loopback port: it prints the base URL and key, serves the API with
// them, and stops cleanly on SIGTERM.
func TestDemoServerServesAndSaysHow(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, triageBin, "demo-server", "--addr", "127.0.0.1:0", "--threads", "42", "--max-limit", "10")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lineRE := regexp.MustCompile(`CONTEXTGPT_API_KEY=(\S+) triage --base-url (\S+) --chatbot (\S+)`)
	var key, base, bot string
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if m := lineRE.FindStringSubmatch(sc.Text()); m != nil {
			key, base, bot = m[1], m[2], m[3]
			break
		}
	}
	if base == "" {
		t.Fatal("demo-server did not print how to connect")
	}
	req, _ := http.NewRequest(http.MethodGet, base+"/chatting/"+bot+"/threads?limit=100", nil)
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var page struct {
		Data struct {
			Pagination struct{ Limit, Total int } `json:"pagination"`
		} `json:"data"`
	}
	err = json.NewDecoder(resp.Body).Decode(&page)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 || page.Data.Pagination.Total != 42 || page.Data.Pagination.Limit != 10 {
		t.Fatalf("status %d, pagination %+v, err %v", resp.StatusCode, page.Data.Pagination, err)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("demo-server did not stop cleanly: %v", err)
	}
}
