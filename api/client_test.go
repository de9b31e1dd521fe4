package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"triage/api"
	"triage/api/apitest"
)

// fakeClock never sleeps: Sleep advances the time and records the wait.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	c.now = c.now.Add(d)
	return ctx.Err()
}

func (c *fakeClock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

const testKey = "sk-secret-key-0123456789"

type fixture struct {
	srv    *apitest.Server
	client *api.Client
	clock  *fakeClock
	url    string
}

func newFixture(t *testing.T, opts apitest.Options, tweak func(*api.Config)) *fixture {
	t.Helper()
	opts.APIKey = testKey
	if opts.ChatbotID == "" {
		opts.ChatbotID = "bot-1"
	}
	clock := newFakeClock()
	opts.Now = clock.Now
	srv := apitest.New(opts)
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	cfg := api.Config{
		BaseURL: hs.URL + apitest.Prefix, ChatbotID: opts.ChatbotID, APIKey: testKey,
		UserAgent: "triage/test", Clock: clock, Jitter: func() float64 { return 0.5 }, RateLimit: -1,
	}
	if tweak != nil {
		tweak(&cfg)
	}
	c, err := api.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{srv: srv, client: c, clock: clock, url: hs.URL}
}

func TestUpdateItemJSON(t *testing.T) {
	tests := []struct {
		name string
		item api.UpdateItem
		want string
	}{
		{"only id", api.UpdateItem{ThreadID: "a"}, `{"threadId":"a"}`},
		{"false is sent", api.UpdateItem{ThreadID: "a", Resolved: api.Bool(false)}, `{"threadId":"a","resolved":false}`},
		{"title null", api.UpdateItem{ThreadID: "a", Title: api.Null()}, `{"threadId":"a","title":null}`},
		{"title value", api.UpdateItem{ThreadID: "a", Title: api.Value("Hi \"x\"")}, `{"threadId":"a","title":"Hi \"x\""}`},
		{"empty title is a value", api.UpdateItem{ThreadID: "a", Title: api.Value("")}, `{"threadId":"a","title":""}`},
		{"notes null", api.UpdateItem{ThreadID: "a", InternalNotes: api.Null()}, `{"threadId":"a","internalNotes":null}`},
		{"empty tags clear", api.UpdateItem{ThreadID: "a", Tags: []string{}}, `{"threadId":"a","tags":[]}`},
		{"nil tags omitted", api.UpdateItem{ThreadID: "a", Tags: nil}, `{"threadId":"a"}`},
		{"everything", api.UpdateItem{ThreadID: "a", Resolved: api.Bool(true), Archived: api.Bool(true),
			Escalated: api.Bool(false), Important: api.Bool(true), Mode: api.ModeHuman, Tags: []string{"vip"},
			Title: api.Value("t"), InternalNotes: api.Value("n")},
			`{"threadId":"a","resolved":true,"archived":true,"escalated":false,"important":true,"mode":"HUMAN","tags":["vip"],"title":"t","internalNotes":"n"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := json.Marshal(tt.item)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
	if _, err := json.Marshal(struct{ N api.Nullable }{}); err == nil {
		t.Error("an omitted Nullable without omitzero must not encode")
	}
}

func TestThreadDecodesUnknownModeAndNotes(t *testing.T) {
	var th api.Thread
	if err := json.Unmarshal([]byte(`{"id":"a","title":null,"visitorName":null,"endedAt":null}`), &th); err != nil {
		t.Fatal(err)
	}
	if th.Mode != "" || !th.InternalNotes.IsZero() || th.Title != "" || !th.EndedAt.IsZero() {
		t.Errorf("absent or null fields decoded as %+v", th)
	}
	if err := json.Unmarshal([]byte(`{"id":"a","mode":"AGENT","internalNotes":null}`), &th); err != nil {
		t.Fatal(err)
	}
	if th.Mode != api.ModeAgent || !th.InternalNotes.IsNull() {
		t.Errorf("mode %q notes %v", th.Mode, th.InternalNotes)
	}
}

func TestLoadAllFollowsCappedLimit(t *testing.T) {
	f := newFixture(t, apitest.Options{Threads: 237, MaxLimit: 50}, nil)
	seen := map[string]bool{}
	var last api.Progress
	calls := 0
	err := f.client.LoadAll(context.Background(), api.ListParams{}, api.LoadOptions{PageLimit: 100, Concurrency: 3},
		func(ts []api.Thread, p api.Progress) {
			calls++
			for _, th := range ts {
				seen[th.ID] = true
			}
			last = p
		})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != 237 || last.Loaded != 237 || last.Total != 237 || !last.Done() || calls != 5 {
		t.Fatalf("seen %d threads in %d pages, progress %+v", len(seen), calls, last)
	}
	gets := f.srv.RequestsFor(http.MethodGet)
	if len(gets) != 5 {
		t.Fatalf("%d requests, want 5", len(gets))
	}
	for _, r := range gets[1:] {
		if r.Query.Get("limit") != "50" {
			t.Errorf("page %s asked limit %s, want the server's 50", r.Query.Get("page"), r.Query.Get("limit"))
		}
		if r.UserAgent != "triage/test" || !r.Authorized {
			t.Errorf("request without user agent or key: %+v", r)
		}
	}
}

func TestListFiltersReachServer(t *testing.T) {
	f := newFixture(t, apitest.Options{Threads: 300}, nil)
	p := api.ListParams{Resolved: api.Bool(false), Archived: api.Bool(false), Mode: api.ModeHuman, LLMModelID: "gpt-4o"}
	page, err := f.client.ListThreads(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	q := f.srv.Requests()[0].Query
	for k, want := range map[string]string{"resolved": "false", "archived": "false", "mode": "HUMAN", "llmModelId": "gpt-4o"} {
		if q.Get(k) != want {
			t.Errorf("query %s=%q, want %q", k, q.Get(k), want)
		}
	}
	for _, th := range page.Threads {
		full, _ := f.srv.Thread(th.ID)
		if th.Resolved || th.Archived || full.Mode != api.ModeHuman || th.LLMModel.ID != "gpt-4o" {
			t.Errorf("thread %s does not match the filter", th.ID)
		}
	}
}

func TestErrorKinds(t *testing.T) {
	tests := []struct {
		name    string
		fault   *apitest.Fault
		key     string
		chatbot string
		is      error
		retries int
		want    []string
	}{
		{name: "bad key", key: "wrong", is: api.ErrUnauthorized, want: []string{"401", "API_KEY_NOT_VALID"}},
		{name: "unknown chatbot", chatbot: "nope", is: api.ErrNotFound, want: []string{"404", "CHATBOT_NOT_FOUND"}},
		{name: "forbidden", fault: &apitest.Fault{Kind: apitest.FaultStatus, Status: 403}, is: api.ErrForbidden, want: []string{"403"}},
		{name: "500 not retried", fault: &apitest.Fault{Kind: apitest.FaultStatus, Status: 500}, is: api.ErrServer, want: []string{"500"}},
		{name: "html from proxy", fault: &apitest.Fault{Kind: apitest.FaultHTML, Status: 502, Times: -1}, is: api.ErrNotJSON, retries: 1,
			want: []string{"502", "text/html", "Bad Gateway", "not the API's JSON"}},
		{name: "truncated", fault: &apitest.Fault{Kind: apitest.FaultTruncate}, want: []string{"truncated JSON"}},
		{name: "rate limit too long", fault: &apitest.Fault{Kind: apitest.FaultRateLimit, RetryAfter: time.Hour}, is: api.ErrRateLimited,
			want: []string{"429", "retry after 1h0m0s"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, apitest.Options{Threads: 5}, func(c *api.Config) {
				c.MaxAttempts = 2
				if tt.key != "" {
					c.APIKey = tt.key
				}
				if tt.chatbot != "" {
					c.ChatbotID = tt.chatbot
				}
			})
			if tt.fault != nil {
				f.srv.Inject(*tt.fault)
			}
			_, err := f.client.ListThreads(context.Background(), api.ListParams{})
			if err == nil {
				t.Fatal("no error")
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("%v is not %v", err, tt.is)
			}
			if _, ok := api.AsError(err); !ok {
				t.Errorf("%v is not an *api.Error", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%q does not mention %q", err, w)
				}
			}
			if strings.Contains(err.Error(), testKey) || strings.Contains(err.Error(), "wrong") {
				t.Errorf("error leaks the key: %v", err)
			}
			if n := len(f.srv.Requests()); n != 1+tt.retries {
				t.Errorf("%d requests, want %d", n, 1+tt.retries)
			}
		})
	}
}

func TestValidationFieldErrors(t *testing.T) {
	f := newFixture(t, apitest.Options{Threads: 5}, nil)
	id := f.srv.Threads()[0].ID
	_, err := f.client.UpdateThreads(context.Background(), []api.UpdateItem{{ThreadID: id}, {ThreadID: " "}})
	e, ok := api.AsError(err)
	if !ok || !errors.Is(err, api.ErrValidation) || e.Code != "REQUEST_VALIDATION_FAILED" {
		t.Fatalf("err = %v", err)
	}
	if len(e.Fields) != 1 || e.Fields[0].Index != 1 || e.Fields[0].Field != "1.threadId" {
		t.Errorf("fields = %+v", e.Fields)
	}
}

func TestUpdateThreadsNestedAndFlat(t *testing.T) {
	for _, flat := range []bool{false, true} {
		f := newFixture(t, apitest.Options{Threads: 20, FlatUpdated: flat}, nil)
		before := f.srv.Threads()
		items := []api.UpdateItem{
			{ThreadID: before[0].ID, Resolved: api.Bool(!before[0].Resolved), Title: api.Null()},
			{ThreadID: before[1].ID, Tags: []string{"vip"}, Mode: api.ModeAgent},
			{ThreadID: "does-not-exist", Important: api.Bool(true)},
		}
		got, err := f.client.UpdateThreads(context.Background(), items)
		if err != nil {
			t.Fatalf("flat=%v: %v", flat, err)
		}
		if len(got) != 2 || got[0].ID != before[0].ID || got[1].ID != before[1].ID {
			t.Fatalf("flat=%v: updated %+v", flat, got)
		}
		if got[0].Resolved == before[0].Resolved || got[0].Title != "" || !got[0].UpdatedAt.After(before[0].UpdatedAt) {
			t.Errorf("flat=%v: first thread not updated: %+v", flat, got[0])
		}
		srv1, _ := f.srv.Thread(before[1].ID)
		if srv1.Mode != api.ModeAgent || len(srv1.Tags) != 1 || srv1.Tags[0] != "vip" {
			t.Errorf("flat=%v: server state %+v", flat, srv1)
		}
		patches := f.srv.RequestsFor(http.MethodPatch)
		if len(patches) != 1 {
			t.Fatalf("%d PATCH requests", len(patches))
		}
		want := `[{"threadId":"` + before[0].ID + `","resolved":` + boolStr(!before[0].Resolved) + `,"title":null},` +
			`{"threadId":"` + before[1].ID + `","mode":"AGENT","tags":["vip"]},{"threadId":"does-not-exist","important":true}]`
		if string(patches[0].Body) != want {
			t.Errorf("body\n got %s\nwant %s", patches[0].Body, want)
		}
	}
}

func boolStr(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func TestDroppedItemsAreMissingFromAnswer(t *testing.T) {
	f := newFixture(t, apitest.Options{Threads: 5}, nil)
	ts := f.srv.Threads()
	f.srv.Inject(apitest.Fault{Kind: apitest.FaultDropItems, Drop: 1})
	got, err := f.client.UpdateThreads(context.Background(), []api.UpdateItem{
		{ThreadID: ts[0].ID, Important: api.Bool(true)}, {ThreadID: ts[1].ID, Important: api.Bool(true)}})
	if err != nil || len(got) != 1 {
		t.Fatalf("err %v, %d threads", err, len(got))
	}
	if th, _ := f.srv.Thread(ts[1].ID); !th.Important {
		t.Error("the dropped item was not applied on the server")
	}
}

func TestLoadAllCancel(t *testing.T) {
	f := newFixture(t, apitest.Options{Threads: 1000, MaxLimit: 10}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	pages := 0
	err := f.client.LoadAll(ctx, api.ListParams{}, api.LoadOptions{}, func([]api.Thread, api.Progress) {
		pages++
		if pages == 3 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if n := len(f.srv.Requests()); n > 3+2*api.DefaultConcurrency { // asked for ahead of the pages handed over: twice the concurrency
		t.Errorf("%d requests after cancelling at page 3", n)
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	for _, cfg := range []api.Config{
		{BaseURL: "", ChatbotID: "b", APIKey: "k"},
		{BaseURL: "contextgpt.in/api/v1", ChatbotID: "b", APIKey: "k"},
		{BaseURL: "ftp://x/api/v1", ChatbotID: "b", APIKey: "k"},
		{BaseURL: "https://user:pw@x/api/v1", ChatbotID: "b", APIKey: "k"},
		{BaseURL: "https://x/api/v1", ChatbotID: "", APIKey: "k"},
		{BaseURL: "https://x/api/v1", ChatbotID: "b", APIKey: ""},
	} {
		if _, err := api.New(cfg); err == nil {
			t.Errorf("New(%+v) accepted", cfg)
		}
	}
}

func TestLoadAllResumes(t *testing.T) {
	f := newFixture(t, apitest.Options{Threads: 95, MaxLimit: 10}, nil)
	var first api.Progress
	fetched := map[int]bool{}
	ctx, cancel := context.WithCancel(context.Background())
	_ = f.client.LoadAll(ctx, api.ListParams{}, api.LoadOptions{Concurrency: 1}, func(ts []api.Thread, p api.Progress) {
		fetched[p.Page] = true
		first = p
		if p.Pages == 4 {
			cancel()
		}
	})
	if len(fetched) < 4 {
		t.Fatalf("fetched %v before the cancel", fetched)
	}
	f.srv.ResetRequests()
	seen := 0
	err := f.client.LoadAll(context.Background(), api.ListParams{}, api.LoadOptions{Resume: &api.Resume{Progress: first, Fetched: fetched}},
		func(ts []api.Thread, p api.Progress) {
			if fetched[p.Page] {
				t.Errorf("page %d delivered again", p.Page)
			}
			seen += len(ts)
			first = p
		})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range f.srv.Requests() {
		if n, _ := strconv.Atoi(r.Query.Get("page")); n == 1 || fetched[n] {
			t.Errorf("page %d fetched again", n)
		}
	}
	if seen+10*len(fetched) < 95 || first.Pages != 10 {
		t.Errorf("resumed load saw %d threads, progress %+v", seen, first)
	}
}

// TestLoadAllHandsPagesOverInOrder: a page that answers late holds back
// the pages after it, which follow it in their order, so a list kept
// newest first appends each page.
func TestLoadAllHandsPagesOverInOrder(t *testing.T) {
	srv := apitest.New(apitest.Options{Threads: 60, MaxLimit: 10, APIKey: testKey, ChatbotID: "bot-1"})
	rest := make(chan struct{})
	var served atomic.Int32
	h := srv.Handler()
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("page") == "2" {
			<-rest // until every later page was answered
		}
		h.ServeHTTP(w, r)
		if n, _ := strconv.Atoi(r.URL.Query().Get("page")); n > 2 && served.Add(1) == 4 {
			close(rest)
		}
	}))
	t.Cleanup(hs.Close)
	c, err := api.New(api.Config{BaseURL: hs.URL + apitest.Prefix, ChatbotID: "bot-1", APIKey: testKey, RateLimit: -1})
	if err != nil {
		t.Fatal(err)
	}
	var order []int
	err = c.LoadAll(context.Background(), api.ListParams{}, api.LoadOptions{PageLimit: 10, Concurrency: 5}, func(_ []api.Thread, p api.Progress) {
		order = append(order, p.Page)
	})
	if err != nil || !slices.Equal(order, []int{1, 2, 3, 4, 5, 6}) {
		t.Fatalf("pages handed over in the order %v (%v)", order, err)
	}
}

// TestASlowPageHoldsBackOnlyAFewPages: while page 2 is not answered, no
// more than twice the concurrency of pages are asked for ahead of it, so
// a slow page cannot leave the whole view decoded and waiting.
func TestASlowPageHoldsBackOnlyAFewPages(t *testing.T) {
	srv := apitest.New(apitest.Options{Threads: 1000, MaxLimit: 10, APIKey: testKey, ChatbotID: "bot-1"})
	rest := make(chan struct{})
	var later atomic.Int32
	var answered atomic.Bool
	var tooFar sync.Once
	asked := make(chan struct{})
	h := srv.Handler()
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("page"))
		switch {
		case n == 2:
			<-rest // until the pages the load may ask for ahead of it were answered
			h.ServeHTTP(w, r)
			answered.Store(true)
			return
		case n > 5 && !answered.Load():
			t.Errorf("page %d asked for while page 2 is not answered", n)
			tooFar.Do(func() { close(asked) })
		}
		h.ServeHTTP(w, r)
		if n > 2 && n <= 5 && later.Add(1) == 3 {
			go func() { // the loader, held, asks for nothing more: give it a while to show it would
				select {
				case <-asked:
				case <-time.After(300 * time.Millisecond):
				}
				close(rest)
			}()
		}
	}))
	t.Cleanup(hs.Close)
	c, err := api.New(api.Config{BaseURL: hs.URL + apitest.Prefix, ChatbotID: "bot-1", APIKey: testKey, RateLimit: -1})
	if err != nil {
		t.Fatal(err)
	}
	pages := 0
	err = c.LoadAll(context.Background(), api.ListParams{}, api.LoadOptions{PageLimit: 10, Concurrency: 2}, func([]api.Thread, api.Progress) { pages++ })
	if err != nil || pages != 100 {
		t.Fatalf("%d pages, %v", pages, err)
	}
}
