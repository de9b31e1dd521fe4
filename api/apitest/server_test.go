package apitest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestGenerateIsDeterministic(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	a, b := Generate(200, "bot", 7, now), Generate(200, "bot", 7, now)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same seed gave different threads")
	}
	anon, named, tagged := 0, 0, 0
	for i, th := range a {
		if i > 0 && th.UpdatedAt.After(a[i-1].UpdatedAt) {
			t.Fatalf("thread %d is newer than thread %d", i, i-1)
		}
		if th.Anonymous {
			anon++
			if th.VisitorEmail != "" {
				t.Errorf("anonymous thread %s has an email", th.ID)
			}
		}
		if th.VisitorName != "" {
			named++
		}
		if len(th.Tags) > 0 {
			tagged++
		}
	}
	if anon == 0 || named == 0 || tagged == 0 {
		t.Errorf("unrealistic mix: %d anonymous, %d named, %d tagged of 200", anon, named, tagged)
	}
}

func patch(t *testing.T, url, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPatch, url+Prefix+"/chatting/demo-bot/thread/update-thread", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer demo-key")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("answer is not JSON: %s", b)
	}
	return resp.StatusCode, out
}

func TestUpdateValidation(t *testing.T) {
	s := New(Options{Threads: 3})
	hs := httptest.NewServer(s.Handler())
	defer hs.Close()
	before := s.Threads()[0]
	id := before.ID
	tests := []struct{ name, body, wantMsg string }{
		{"not an array", `{"threadId":"` + id + `"}`, "Expected an array"},
		{"missing threadId", `[{"resolved":true}]`, "Required"},
		{"wrong type", `[{"threadId":"` + id + `","resolved":"yes"}]`, "Expected boolean"},
		{"bad mode", `[{"threadId":"` + id + `","mode":"ROBOT"}]`, "Invalid enum value"},
		{"unknown field", `[{"threadId":"` + id + `","colour":"red"}]`, "Unrecognized key"},
		{"tags not strings", `[{"threadId":"` + id + `","tags":[1]}]`, "Expected array of non-empty strings"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, out := patch(t, hs.URL, tt.body)
			if status != 400 || out["success"] != false || out["code"] != "REQUEST_VALIDATION_FAILED" {
				t.Fatalf("status %d, body %v", status, out)
			}
			errs, _ := out["errors"].([]any)
			if len(errs) == 0 || !strings.Contains(errs[0].(map[string]any)["message"].(string), tt.wantMsg) {
				t.Errorf("errors %v do not say %q", errs, tt.wantMsg)
			}
		})
	}
	if th, _ := s.Thread(id); !reflect.DeepEqual(th, before) {
		t.Error("a refused request changed the thread")
	}
	status, out := patch(t, hs.URL, `[{"threadId":"`+id+`","internalNotes":"called","title":null}]`)
	if status != 200 {
		t.Fatalf("status %d: %v", status, out)
	}
	groups := out["data"].(map[string]any)["updatedThreads"].([]any)
	if len(groups) != 1 || len(groups[0].([]any)) != 1 {
		t.Fatalf("updatedThreads is not an array of one array of one thread: %v", groups)
	}
	if _, exposed := groups[0].([]any)[0].(map[string]any)["internalNotes"]; exposed {
		t.Error("the documented thread object has no internalNotes, but the server sent it")
	}
	if th, _ := s.Thread(id); th.Title != "" || th.InternalNotes.String() != "called" {
		t.Errorf("server state %+v", th)
	}
}

func TestListValidationAndAuth(t *testing.T) {
	s := New(Options{Threads: 3})
	hs := httptest.NewServer(s.Handler())
	defer hs.Close()
	get := func(path, key string) int {
		req, _ := http.NewRequest(http.MethodGet, hs.URL+Prefix+path, nil)
		if key != "" {
			req.Header.Set("Authorization", "Bearer "+key)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for path, want := range map[string]int{
		"/chatting/demo-bot/threads":                200,
		"/chatting/demo-bot/threads?resolved=maybe": 400,
		"/chatting/demo-bot/threads?mode=ROBOT":     400,
		"/chatting/demo-bot/threads?page=0":         400,
		"/chatting/other/threads":                   404,
	} {
		if got := get(path, "demo-key"); got != want {
			t.Errorf("GET %s = %d, want %d", path, got, want)
		}
	}
	if got := get("/chatting/demo-bot/threads", ""); got != 401 {
		t.Errorf("no key: %d", got)
	}
}

// TestWaitIdle: a request held by latency is in flight until it is
// answered; WaitIdle returns only then, without a sleep in the test.
func TestWaitIdle(t *testing.T) {
	srv := New(Options{Threads: 3, Latency: 50 * time.Millisecond})
	base, stop, err := srv.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	done := make(chan struct{})
	go func() {
		defer close(done)
		req, _ := http.NewRequest(http.MethodGet, base+"/chatting/demo-bot/threads", nil)
		req.Header.Set("Authorization", "Bearer demo-key")
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}()
	for len(srv.Requests()) == 0 {
		runtime.Gosched()
	}
	if srv.InFlight() != 1 {
		t.Errorf("in flight %d, want 1", srv.InFlight())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.WaitIdle(ctx); err != nil || srv.InFlight() != 0 {
		t.Fatalf("WaitIdle: %v, in flight %d", err, srv.InFlight())
	}
	<-done
}

// TestZeroThreadsIsAnEmptyChatbot: 0 means no threads, not a default.
func TestZeroThreadsIsAnEmptyChatbot(t *testing.T) {
	if n := len(New(Options{Threads: 0}).Threads()); n != 0 {
		t.Errorf("%d threads, want none", n)
	}
}
