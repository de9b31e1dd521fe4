package api_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"triage/api"
	"triage/api/apitest"
)

// TestASlowBodyIsATimeOut: an answer whose body stops coming is reported
// as a time-out of the request it answers, never as an empty or
// malformed body, whether it stops at once or halfway.
func TestASlowBodyIsATimeOut(t *testing.T) {
	for _, sent := range []int{0, 40} {
		f := newFixture(t, apitest.Options{Threads: 3, Seed: 1}, func(c *api.Config) {
			c.Timeout, c.MaxAttempts = 300*time.Millisecond, 1
		})
		f.srv.Inject(apitest.Fault{Kind: apitest.FaultSlowBody, Method: http.MethodGet, Drop: sent})
		_, err := f.client.ListThreads(context.Background(), api.ListParams{Limit: 10})
		var apiErr *api.Error
		switch {
		case err == nil:
			t.Fatalf("%d bytes sent: no error", sent)
		case errors.As(err, &apiErr), strings.Contains(err.Error(), "empty body"), strings.Contains(err.Error(), "JSON"):
			t.Errorf("%d bytes sent: reported as a bad answer: %v", sent, err)
		case !strings.Contains(err.Error(), "GET /chatting/bot-1/threads") || !strings.Contains(err.Error(), "no answer in time"):
			t.Errorf("%d bytes sent: %v", sent, err)
		}
	}
}
