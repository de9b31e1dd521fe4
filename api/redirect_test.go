package api_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"triage/api"
)

// TestRedirectsNeverCarryTheKeyAway: a redirect to another port, to http
// on the same host, or of a PATCH is refused, names where it pointed, and
// the other end never sees the key or the body.
func TestRedirectsNeverCarryTheKeyAway(t *testing.T) {
	var mu sync.Mutex
	var leaked []string
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		leaked = append(leaked, r.Method+" "+r.Header.Get("Authorization"))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"success":true,"data":{"updatedThreads":[[]],"threads":[],"pagination":{"page":1,"limit":1,"total":0,"totalPages":0}}}`))
	}))
	defer elsewhere.Close()
	var target string
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target, http.StatusTemporaryRedirect)
	}))
	defer origin.Close()
	sameHostHTTP := strings.Replace(origin.URL, "127.0.0.1", "localhost", 1)

	for _, c := range []struct {
		name, target string
		patch        bool
	}{
		{"another port", elsewhere.URL + "/api/v1/x", false},
		{"the same origin under another name", sameHostHTTP + "/api/v1/x", false},
		{"a PATCH, even to the same origin", origin.URL + "/api/v1/chatting/b/thread/update-thread", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			target = c.target
			client, err := api.New(api.Config{BaseURL: origin.URL + "/api/v1", ChatbotID: "b", APIKey: "secret-key", RateLimit: -1, MaxAttempts: 3})
			if err != nil {
				t.Fatal(err)
			}
			if c.patch {
				_, err = client.UpdateThreads(context.Background(), []api.UpdateItem{{ThreadID: "t1", Resolved: api.Bool(true)}})
			} else {
				_, err = client.ListThreads(context.Background(), api.ListParams{})
			}
			var re *api.RedirectError
			if !errors.As(err, &re) || !strings.Contains(err.Error(), c.target) {
				t.Errorf("error %v, want a refused redirect naming %s", err, c.target)
			}
		})
	}
	mu.Lock()
	defer mu.Unlock()
	if len(leaked) != 0 {
		t.Errorf("the other end received %v", leaked)
	}
}
