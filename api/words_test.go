package api_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"triage/api"
)

// TestEachFailureSaysWhatHappens: an absurd page count, a pagination
// that is missing, a key a header cannot carry, nothing listening, and
// an answer too large each say what is actually happening, and the
// reports of retries do not repeat the request.
func TestEachFailureSaysWhatHappens(t *testing.T) {
	serve := func(body string) string {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(body))
		}))
		t.Cleanup(srv.Close)
		return srv.URL + "/api/v1"
	}
	client := func(base string, tweak func(*api.Config)) *api.Client {
		cfg := api.Config{BaseURL: base, ChatbotID: "b", APIKey: "k", RateLimit: -1, MaxAttempts: 1}
		if tweak != nil {
			tweak(&cfg)
		}
		c, err := api.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	load := func(c *api.Client) (api.Progress, error) {
		var last api.Progress
		err := c.LoadAll(context.Background(), api.ListParams{}, api.LoadOptions{PageLimit: 5}, func(_ []api.Thread, p api.Progress) { last = p })
		return last, err
	}

	absurd := serve(`{"success":true,"data":{"threads":[{"id":"a"}],"pagination":{"page":1,"limit":5,"total":5,"totalPages":1000000000}}}`)
	if _, err := load(client(absurd, nil)); err == nil || !strings.Contains(err.Error(), "claims 1000000000 pages for 5 threads") {
		t.Errorf("an absurd page count: %v", err)
	}
	missing := serve(`{"success":true,"data":{"threads":[{"id":"a"}],"pagination":{"page":0,"limit":0,"total":-1,"totalPages":0}}}`)
	if p, err := load(client(missing, nil)); err != nil || !strings.Contains(p.Warning, "pagination is missing or wrong") {
		t.Errorf("a missing pagination: %+v %v", p, err)
	}

	if _, err := api.New(api.Config{BaseURL: absurd, ChatbotID: "b", APIKey: "sk-123\n"}); err == nil || !strings.Contains(err.Error(), "header cannot carry") {
		t.Errorf("a key with a line break: %v", err)
	}

	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := ln.Addr().String()
	ln.Close()
	var retries []api.Event
	c := client("http://"+closed+"/api/v1", func(cfg *api.Config) {
		cfg.MaxAttempts, cfg.Jitter = 2, func() float64 { return 0 }
		cfg.Clock = instant{}
		cfg.Observer = func(e api.Event) {
			if e.Kind == api.EventRetry {
				retries = append(retries, e)
			}
		}
	})
	_, err := c.ListThreads(context.Background(), api.ListParams{})
	if err == nil || !strings.Contains(err.Error(), "nothing is listening at "+closed) {
		t.Errorf("connection refused: %v", err)
	}
	if len(retries) != 1 || retries[0].Of != 2 || strings.Contains(retries[0].Err.Error(), "GET ") {
		t.Errorf("the retry's report %+v repeats the request or lacks the count", retries)
	}

	huge := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"success":true,"data":{"threads":[`))
		chunk := []byte(`{"id":"` + strings.Repeat("x", 1<<16) + `"},`)
		for range (api.MaxBodyBytes / len(chunk)) + 2 {
			_, _ = w.Write(chunk)
		}
	}))
	defer huge.Close()
	var attempts int
	big := client(huge.URL+"/api/v1", func(cfg *api.Config) {
		cfg.MaxAttempts = 3
		cfg.Observer = func(e api.Event) {
			if e.Kind == api.EventRequest {
				attempts++
			}
		}
	})
	_, err = big.ListThreads(context.Background(), api.ListParams{})
	if err == nil || !strings.Contains(err.Error(), "GET /chatting/b/threads: the answer is larger than 16 MiB") || attempts != 1 {
		t.Errorf("an answer too large, %d attempts: %v", attempts, err)
	}
}

// instant is a clock that never sleeps.
type instant struct{}

func (instant) Now() time.Time                                   { return time.Now() }
func (instant) Sleep(ctx context.Context, _ time.Duration) error { return ctx.Err() }
