package api

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestSameOrigin(t *testing.T) {
	base, _ := url.Parse("https://contextgpt.in/api/v1")
	for raw, want := range map[string]bool{
		"https://contextgpt.in/other":         true,
		"https://CONTEXTGPT.in:443/api/v1/x":  true,
		"http://contextgpt.in/api/v1":         false, // https to http: the key in clear text
		"https://contextgpt.in:8443/api/v1":   false,
		"https://evil.example/api/v1":         false,
		"https://contextgpt.in.evil.example/": false,
	} {
		u, _ := url.Parse(raw)
		if got := sameOrigin(u, base); got != want {
			t.Errorf("%s: %v, want %v", raw, got, want)
		}
	}
}

// TestThreadProblemNamesTheField: a bad thread is named by id and by the
// field that failed, a wrong type or a wrong value alike.
func TestThreadProblemNamesTheField(t *testing.T) {
	for raw, want := range map[string]string{
		`{"id":"t1","unreadMessagesCount":"3"}`: "thread t1: unreadMessagesCount: ",
		`{"id":"t2","updatedAt":""}`:            "thread t2: updatedAt: ",
		`{"id":"t3","tags":"vip"}`:              "thread t3: tags: ",
	} {
		var th Thread
		err := json.Unmarshal([]byte(raw), &th)
		if got := threadProblem([]byte(raw), err); !strings.HasPrefix(got, want) {
			t.Errorf("%s: %q, want it to start %q", raw, got, want)
		}
	}
}

// TestUrgentRequestsGoFirst: while an urgent request (a read of the
// thread on screen) waits, a background one takes no token, however many
// there are; then it does.
func TestUrgentRequestsGoFirst(t *testing.T) {
	l := newLimiter(100, time.Minute, SystemClock{})
	l.urgent = 1 // an urgent request is waiting
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	if _, err := l.wait(ctx, false); err == nil {
		t.Fatal("a background request took a token while an urgent one waited")
	}
	if _, err := l.wait(context.Background(), true); err != nil {
		t.Fatalf("the urgent request: %v", err)
	}
	l.urgent = 0
	if _, err := l.wait(context.Background(), false); err != nil {
		t.Fatalf("the background request after: %v", err)
	}
}
