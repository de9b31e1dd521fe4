package apitest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// FaultKind is a way the server misbehaves.
type FaultKind int

// The faults a Server can inject.
const (
	// FaultStatus answers Status with the API's JSON error shape.
	FaultStatus FaultKind = iota
	// FaultRateLimit answers 429 with Retry-After.
	FaultRateLimit
	// FaultHTML answers Status (default 502) with an HTML page, as a proxy does.
	FaultHTML
	// FaultTruncate serves the real answer cut in the middle of its JSON.
	FaultTruncate
	// FaultDropItems applies a PATCH but leaves Drop threads out of the answer.
	FaultDropItems
	// FaultDisconnect applies the request, then drops the connection
	// without answering.
	FaultDisconnect
	// FaultDelay waits Delay before serving the request normally.
	FaultDelay
	// FaultHold holds the request until Release is closed, then serves
	// it normally: a test changes the server while a request waits.
	FaultHold
	// FaultSlowBody sends the answer's status and headers and its first
	// Drop bytes, then nothing more until the client gives up.
	FaultSlowBody
)

// Fault is one injected misbehaviour, hitting the next Times matching
// requests (1 when zero, every request when negative).
type Fault struct {
	Kind FaultKind
	// Method limits the fault to GET or PATCH; "" matches both.
	Method string
	// PathSuffix limits it to requests whose path ends so ("/messages").
	PathSuffix string
	// After lets this many matching requests through before the fault
	// starts.
	After      int
	Times      int
	Status     int
	RetryAfter time.Duration
	Drop       int
	Delay      time.Duration
	// Release ends a FaultHold; Held is closed when the request is held.
	Release, Held chan struct{}
}

// Inject queues a fault; faults apply in the order injected.
func (s *Server) Inject(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.Times == 0 {
		f.Times = 1
	}
	s.faults = append(s.faults, &f)
}

// takeFault returns the first fault matching r and counts the hit.
func (s *Server) takeFault(r *http.Request) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if f.Method != "" && f.Method != r.Method || !strings.HasSuffix(r.URL.Path, f.PathSuffix) {
			continue
		}
		if f.After > 0 {
			f.After--
			continue
		}
		if f.Times > 0 {
			f.Times--
			if f.Times == 0 {
				s.faults = append(s.faults[:i], s.faults[i+1:]...)
			}
		}
		c := *f
		return &c
	}
	return nil
}

// serve performs the fault; it returns false when the request should then
// be served normally.
func (f *Fault) serve(s *Server, w http.ResponseWriter, r *http.Request, body []byte) bool {
	switch f.Kind {
	case FaultDelay:
		select {
		case <-time.After(f.Delay):
		case <-r.Context().Done():
		}
		return false
	case FaultHold:
		close(f.Held)
		select {
		case <-f.Release:
		case <-r.Context().Done():
		}
		return false
	case FaultStatus:
		status := f.Status
		if status == 0 {
			status = http.StatusInternalServerError
		}
		if f.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int(f.RetryAfter.Seconds())))
		}
		writeError(w, status, "INTERNAL_SERVER_ERROR", http.StatusText(status), nil)
	case FaultRateLimit:
		ra := f.RetryAfter
		if ra == 0 {
			ra = time.Second
		}
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int(ra.Seconds()))))
		writeError(w, http.StatusTooManyRequests, "RATE_LIMIT_EXCEEDED", "Too many requests, please try again later", nil)
	case FaultHTML:
		status := f.Status
		if status == 0 {
			status = http.StatusBadGateway
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1><p>The upstream server is not responding.</p></body></html>")
	case FaultTruncate, FaultDropItems, FaultDisconnect, FaultSlowBody:
		rec := httptest.NewRecorder()
		r.Body = bodyReader(body)
		s.mux.ServeHTTP(rec, r)
		out := rec.Body.Bytes()
		switch f.Kind {
		case FaultDisconnect:
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					_ = conn.Close()
					return true
				}
			}
			panic(http.ErrAbortHandler)
		case FaultTruncate:
			out = out[:len(out)/2]
		case FaultDropItems:
			out = dropUpdated(out, f.Drop)
		case FaultSlowBody:
			out = out[:min(f.Drop, len(out))]
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.Code)
		_, _ = w.Write(out)
		if f.Kind == FaultSlowBody {
			if fl, ok := w.(http.Flusher); ok {
				fl.Flush()
			}
			<-r.Context().Done()
		}
	}
	return true
}

// dropUpdated removes the last n threads from an update answer.
func dropUpdated(body []byte, n int) []byte {
	var resp struct {
		Success bool   `json:"success"`
		Message string `json:"message"`
		Data    struct {
			UpdatedThreads [][]json.RawMessage `json:"updatedThreads"`
		} `json:"data"`
	}
	if json.Unmarshal(body, &resp) != nil || len(resp.Data.UpdatedThreads) == 0 {
		return body
	}
	g := resp.Data.UpdatedThreads[0]
	resp.Data.UpdatedThreads[0] = g[:max(0, len(g)-max(n, 1))]
	out, err := json.Marshal(resp)
	if err != nil {
		return body
	}
	return out
}

// Request is what the server recorded of one request it received.
type Request struct {
	Method string
	Path   string
	// RawPath is the path as it was written in the request line, still
	// escaped (Path is it unescaped).
	RawPath string
	Query   url.Values
	Body    []byte
	// Authorized says whether it carried the right key.
	Authorized bool
	UserAgent  string
	At         time.Time
}

func (s *Server) record(r *http.Request, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, Request{
		Method: r.Method, Path: r.URL.Path, RawPath: r.URL.EscapedPath(), Query: r.URL.Query(), Body: body,
		Authorized: r.Header.Get("Authorization") == "Bearer "+s.opts.APIKey,
		UserAgent:  r.Header.Get("User-Agent"), At: s.opts.Now(),
	})
}

// Requests returns what the server received so far, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// RequestsFor returns the recorded requests of one method.
func (s *Server) RequestsFor(method string) []Request {
	var out []Request
	for _, r := range s.Requests() {
		if r.Method == method {
			out = append(out, r)
		}
	}
	return out
}

// ResetRequests forgets the recorded requests.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}

func readBody(r *http.Request) []byte {
	if r.Body == nil {
		return nil
	}
	b, _ := io.ReadAll(io.LimitReader(r.Body, 64<<20))
	return b
}

func bodyReader(b []byte) io.ReadCloser { return io.NopCloser(bytes.NewReader(b)) }
