// Package apitest is an in-memory ContextGPT server implementing the list
// and update endpoints as documented: bearer auth, every list filter,
// pagination with a capped limit, nested updatedThreads, validation errors
// in the API's error shape. It seeds itself with realistic deterministic
// threads, injects faults on demand and records the requests it received.
// Tests and the console's --demo mode use it.
package apitest

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"triage/api"
)

// Prefix is the path prefix of the API, as on the real deployment.
const Prefix = "/api/v1"

// Options configures a Server. Zero values take the defaults.
type Options struct {
	// ChatbotID is the only chatbot the server knows (default "demo-bot").
	ChatbotID string
	// APIKey is the bearer token it accepts (default "demo-key").
	APIKey string
	// Threads is how many threads to generate; 0 is an empty chatbot.
	Threads int
	// Seed makes the generated threads differ between servers.
	Seed uint64
	// MaxLimit caps the page size (default 100), as real servers do.
	MaxLimit int
	// RefuseLimitAbove, when not 0, answers a list request asking for a
	// larger page with 400 REQUEST_VALIDATION_FAILED instead of capping it,
	// as a stricter deployment may.
	RefuseLimitAbove int
	// ExposeModeAndNotes makes thread objects carry mode and internalNotes,
	// which the documented object does not.
	ExposeModeAndNotes bool
	// FlatUpdated answers a PATCH with a flat updatedThreads array instead
	// of the documented array of arrays.
	FlatUpdated bool
	// RefuseMessages, when not 0, is the status (401, 403, 404) the
	// messages endpoint answers with, as deployments that keep it from
	// API keys do.
	RefuseMessages int
	// ByStart pages threads newest start first instead of newest update
	// first, as a server that orders by creation would: a console must
	// see that the order does not hold and not refresh incrementally.
	ByStart bool
	// Latency delays every answer.
	Latency time.Duration
	// GeneratedAt is the update of the newest generated thread (default
	// Now()). The demo rounds it to the hour, so a restart within the
	// hour serves the same threads and a console's cache still matches.
	GeneratedAt time.Time
	// Now is the server's clock (default time.Now).
	Now func() time.Time
}

// Server is the in-memory API. Its exported methods are safe for
// concurrent use with the requests it serves.
type Server struct {
	opts Options

	mu       sync.Mutex
	threads  map[string]*record
	order    []*record // newest update first, rebuilt lazily
	sorted   bool
	version  int
	cache    map[string][]*record // filtered views of the current version
	faults   []*Fault
	requests []Request
	mux      *http.ServeMux
	// inFlight counts the requests being served; idle is closed when it
	// falls to zero, so tests wait on it instead of sleeping.
	inFlight int
	idle     chan struct{}
	// added and agentRand number the threads and moves of other agents.
	added, agentRand int
}

// New returns a server seeded with opts.Threads generated threads.
func New(opts Options) *Server {
	if opts.ChatbotID == "" {
		opts.ChatbotID = "demo-bot"
	}
	if opts.APIKey == "" {
		opts.APIKey = "demo-key"
	}
	if opts.MaxLimit <= 0 {
		opts.MaxLimit = 100
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Server{opts: opts, threads: map[string]*record{}}
	s.mux = s.routes()
	if opts.GeneratedAt.IsZero() {
		opts.GeneratedAt = opts.Now()
	}
	for _, r := range generate(opts.Threads, opts.ChatbotID, opts.Seed, opts.GeneratedAt) {
		s.add(r)
	}
	return s
}

// ChatbotID is the chatbot the server serves.
func (s *Server) ChatbotID() string { return s.opts.ChatbotID }

// APIKey is the key the server accepts.
func (s *Server) APIKey() string { return s.opts.APIKey }

func (s *Server) add(r record) {
	rec := r
	s.threads[rec.ID] = &rec
	s.touch()
}

// touch invalidates the sorted order and cached views; call with mu held.
func (s *Server) touch() {
	s.sorted = false
	s.version++
	s.cache = nil
}

// Put inserts or replaces a thread; mode and notes are kept as given.
func (s *Server) Put(t api.Thread, mode api.Mode, notes api.Nullable) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t.Tags = slices.Clone(t.Tags)
	s.add(record{Thread: t, mode: mode, notes: notes})
}

// Thread returns the server's copy of a thread, with mode and notes filled
// in whether or not the server exposes them.
func (s *Server) Thread(id string) (api.Thread, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.threads[id]
	if !ok {
		return api.Thread{}, false
	}
	return r.full(), true
}

// Threads returns every thread, newest update first, as Thread does.
func (s *Server) Threads() []api.Thread {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]api.Thread, 0, len(s.threads))
	for _, r := range s.sortedLocked() {
		out = append(out, r.full())
	}
	return out
}

// full is the record with mode and notes filled in.
func (r *record) full() api.Thread {
	t := r.Thread
	t.Tags = slices.Clone(t.Tags)
	t.Mode, t.InternalNotes = r.mode, r.notes
	if t.InternalNotes.IsZero() {
		t.InternalNotes = api.Null()
	}
	return t
}

// wire is the thread as the server sends it.
func (s *Server) wire(r *record) api.Thread {
	if s.opts.ExposeModeAndNotes {
		return r.full()
	}
	return r.Thread
}

func (s *Server) sortedLocked() []*record {
	if !s.sorted {
		s.order = s.order[:0]
		for _, r := range s.threads {
			s.order = append(s.order, r)
		}
		slices.SortFunc(s.order, func(a, b *record) int {
			at, bt := a.UpdatedAt, b.UpdatedAt
			if s.opts.ByStart {
				at, bt = a.StartedAt, b.StartedAt
			}
			if c := bt.Compare(at); c != 0 {
				return c
			}
			return strings.Compare(a.ID, b.ID)
		})
		s.sorted = true
	}
	return s.order
}

// detail is the thread as the single-thread read sends it: the list's
// fields with the internal notes (null when none) and visitor statistics.
func (s *Server) detail(r *record) api.ThreadDetail {
	t := s.wire(r)
	t.InternalNotes = r.notes
	if t.InternalNotes.IsZero() {
		t.InternalNotes = api.Null()
	}
	return api.ThreadDetail{Thread: t, VisitorTotalSessions: r.sessions, VisitorTotalMessages: r.messages,
		VisitorFirstSeenAt: r.StartedAt.Add(-time.Duration(r.sessions) * 24 * time.Hour), VisitorLastSeenAt: r.UpdatedAt}
}

// routes maps the endpoints, without faults or recording.
func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+Prefix+"/chatting/{chatbotId}/threads", s.handleList)
	mux.HandleFunc("PATCH "+Prefix+"/chatting/{chatbotId}/thread/update-thread", s.handleUpdate)
	mux.HandleFunc("GET "+Prefix+"/chatting/{chatbotId}/thread/{threadId}", s.handleGetThread)
	mux.HandleFunc("GET "+Prefix+"/chatting/{chatbotId}/thread/{threadId}/messages", s.handleMessages)
	mux.HandleFunc("POST "+Prefix+"/chatting/{chatbotId}/_demo/other-agent", s.handleOtherAgent)
	mux.HandleFunc("POST "+Prefix+"/chatting/{chatbotId}/_demo/new-thread", s.handleNewThread)
	mux.HandleFunc(Prefix+"/chatting/{chatbotId}/threads", s.methodNotAllowed)
	mux.HandleFunc(Prefix+"/chatting/{chatbotId}/thread/{threadId}", s.methodNotAllowed)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "ROUTE_NOT_FOUND", "Route "+r.URL.Path+" not found", nil)
	})
	return mux
}

// Handler returns the HTTP handler serving the API under Prefix, with
// fault injection and request recording.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.begin()
		defer s.end()
		body := readBody(r)
		s.record(r, body)
		if s.opts.Latency > 0 {
			select {
			case <-time.After(s.opts.Latency):
			case <-r.Context().Done():
				return
			}
		}
		if f := s.takeFault(r); f != nil {
			if f.serve(s, w, r, body) {
				return
			}
		}
		r.Body = bodyReader(body)
		s.mux.ServeHTTP(w, r)
	})
}

// begin counts a request in flight.
func (s *Server) begin() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.inFlight == 0 {
		s.idle = make(chan struct{})
	}
	s.inFlight++
}

// end counts a request served, and signals when none is left.
func (s *Server) end() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inFlight--
	if s.inFlight == 0 {
		close(s.idle)
	}
}

// InFlight is the number of requests being served now.
func (s *Server) InFlight() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.inFlight
}

// WaitIdle returns once no request is being served (at once when none
// is), or with ctx's error.
func (s *Server) WaitIdle(ctx context.Context) error {
	s.mu.Lock()
	if s.inFlight == 0 {
		s.mu.Unlock()
		return nil
	}
	idle := s.idle
	s.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *Server) methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	writeError(w, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "Method "+r.Method+" not allowed", nil)
}

// authorize checks the key and the chatbot; it writes the error and
// returns false when the request may not go on.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) bool {
	auth := r.Header.Get("Authorization")
	token, ok := strings.CutPrefix(auth, "Bearer ")
	if !ok || token != s.opts.APIKey {
		writeError(w, http.StatusUnauthorized, "API_KEY_NOT_VALID", "API key is missing or not valid", nil)
		return false
	}
	if r.PathValue("chatbotId") != s.opts.ChatbotID {
		writeError(w, http.StatusNotFound, "CHATBOT_NOT_FOUND", "Chatbot not found", nil)
		return false
	}
	return true
}

// Listen serves the API on addr (e.g. "127.0.0.1:0") until the returned
// stop function is called. It returns the base URL to give a client.
func (s *Server) Listen(addr string) (baseURL string, stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String() + Prefix, func() { _ = srv.Close() }, nil
}

type errorResponse struct {
	Success    bool   `json:"success"`
	StatusCode int    `json:"statusCode"`
	Code       string `json:"code"`
	Message    string `json:"message"`
	Errors     []any  `json:"errors"`
}

func writeError(w http.ResponseWriter, status int, code, msg string, fields []any) {
	if fields == nil {
		fields = []any{}
	}
	writeJSON(w, status, errorResponse{StatusCode: status, Code: code, Message: msg, Errors: fields})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
