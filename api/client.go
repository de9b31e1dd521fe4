// Package api is the ContextGPT v1 client: the thread types, listing one
// page or a whole view, the batched update PATCH, typed errors, retries with
// backoff and a client-side rate limiter. It imports nothing of the UI.
package api

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
)

// Defaults for Config fields left at zero.
const (
	DefaultTimeout      = 30 * time.Second
	DefaultMaxAttempts  = 6
	DefaultRateLimit    = 500
	DefaultRateWindow   = time.Minute
	DefaultMaxRetryWait = 2 * time.Minute
	// MaxBodyBytes caps how much of a response body is read: a thousand
	// threads a page is about 600 KB.
	MaxBodyBytes = 16 << 20
)

// Config configures a Client. Only BaseURL, ChatbotID and APIKey are required.
type Config struct {
	// BaseURL is the API root including its /api/v1 prefix.
	BaseURL   string
	ChatbotID string
	APIKey    string
	// UserAgent is sent on every request, e.g. "triage/1.2.0".
	UserAgent string
	// Timeout bounds one attempt (default DefaultTimeout); ignored when
	// HTTPClient is set.
	Timeout time.Duration
	// HTTPClient defaults to a client with Timeout.
	HTTPClient *http.Client
	// MaxAttempts bounds tries per request, the first included.
	MaxAttempts int
	// RateLimit requests per RateWindow at most; negative disables the limiter.
	RateLimit  int
	RateWindow time.Duration
	// MaxRetryWait is the longest Retry-After the client waits out;
	// a longer one is returned as the error.
	MaxRetryWait time.Duration
	// Clock and Jitter are injectable so tests never sleep.
	Clock  Clock
	Jitter func() float64
	// MaxTitle and MaxNotes are the longest title and notes, in
	// characters, kept whole at decoding (0: no limit); longer ones are
	// cut for display and marked in Thread.Cut.
	MaxTitle, MaxNotes int
	// Observer, when set, is told of every attempt, retry and wait.
	// It is called from the requesting goroutine and must be quick.
	Observer func(Event)
}

// Client talks to one chatbot of one ContextGPT deployment. It is safe for
// concurrent use.
type Client struct {
	cfg     Config
	base    *url.URL
	http    *http.Client
	limiter *limiter
	clock   Clock
	// pageCap is the page size the server accepted after refusing a
	// larger one, 0 until then: later lists ask for no more.
	pageCap atomic.Int64
}

// New checks cfg and returns a Client.
func New(cfg Config) (*Client, error) {
	if cfg.BaseURL == "" {
		return nil, errors.New("api: base URL is empty")
	}
	base, err := url.Parse(strings.TrimRight(cfg.BaseURL, "/"))
	if err != nil || base.Host == "" || (base.Scheme != "http" && base.Scheme != "https") {
		return nil, fmt.Errorf("api: base URL %q must be an absolute http(s) URL", cfg.BaseURL)
	}
	if base.User != nil {
		return nil, errors.New("api: base URL must not carry credentials; use the API key setting")
	}
	if strings.TrimSpace(cfg.ChatbotID) == "" {
		return nil, errors.New("api: chatbot id is empty")
	}
	if cfg.APIKey == "" {
		return nil, errors.New("api: API key is empty")
	}
	if strings.ContainsFunc(cfg.APIKey, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return nil, errors.New("api: the API key holds a character an HTTP header cannot carry (a control character or a line break, often from the command or file it came from)")
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: cfg.Timeout}
	}
	hc := *cfg.HTTPClient // ours to change: redirects are refused off the origin
	hc.CheckRedirect = checkRedirect(base)
	cfg.HTTPClient = &hc
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = DefaultMaxAttempts
	}
	if cfg.RateLimit == 0 {
		cfg.RateLimit = DefaultRateLimit
	}
	if cfg.RateWindow <= 0 {
		cfg.RateWindow = DefaultRateWindow
	}
	if cfg.MaxRetryWait <= 0 {
		cfg.MaxRetryWait = DefaultMaxRetryWait
	}
	if cfg.Clock == nil {
		cfg.Clock = SystemClock{}
	}
	if cfg.Jitter == nil {
		cfg.Jitter = defaultJitter
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = "triage"
	}
	return &Client{
		cfg:     cfg,
		base:    base,
		http:    cfg.HTTPClient,
		limiter: newLimiter(cfg.RateLimit, cfg.RateWindow, cfg.Clock),
		clock:   cfg.Clock,
	}, nil
}

// TooLargeError is an answer larger than the client reads: it is not
// retried, and it names the request.
type TooLargeError struct {
	Method, Path string
	Limit        int
}

// Error says which answer was too large and the limit.
func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s %s: the answer is larger than %d MiB and was not read (a page of 100 threads is about 60 KB: is page_size or the server wrong?)",
		e.Method, e.Path, e.Limit>>20)
}

// RedirectError is a redirect the client refused: to another origin
// (scheme, host or port), where the key must not go, or of a request
// that is not a GET. It names where it pointed.
type RedirectError struct {
	Method string
	From   string
	To     string
	Why    string
}

// Error names the redirect refused and why.
func (e *RedirectError) Error() string {
	return fmt.Sprintf("the server redirected %s %s to %s; refused: %s", e.Method, e.From, e.To, e.Why)
}

// checkRedirect follows a redirect only of a GET, only within the
// configured origin, and at most a few times; Authorization then goes
// nowhere else.
func checkRedirect(base *url.URL) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		first := via[0]
		e := &RedirectError{Method: first.Method, From: first.URL.Path, To: req.URL.Redacted()}
		switch {
		case first.Method != http.MethodGet:
			e.Why = "only reads follow redirects; a " + first.Method + " and its body go only to the configured base URL"
		case !sameOrigin(req.URL, base):
			e.Why = "it leaves " + base.Scheme + "://" + base.Host + ", and the API key goes nowhere else"
		case len(via) >= 5:
			e.Why = "too many redirects"
		default:
			return nil
		}
		return e
	}
}

// sameOrigin compares scheme, host and port, the default port spelled
// out or not.
func sameOrigin(a, b *url.URL) bool {
	port := func(u *url.URL) string {
		if p := u.Port(); p != "" {
			return p
		}
		if strings.EqualFold(u.Scheme, "https") {
			return "443"
		}
		return "80"
	}
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Hostname(), b.Hostname()) && port(a) == port(b)
}

// ChatbotID is the chatbot this client works on.
func (c *Client) ChatbotID() string { return c.cfg.ChatbotID }

// BaseURL is the API root this client talks to.
func (c *Client) BaseURL() string { return c.base.String() }

// envelope is the documented wrapper of every response.
type envelope[T any] struct {
	errorBody
	Data T `json:"data"`
}

// request is one logical API call, retried as a whole.
type request struct {
	method string
	path   string // below the base URL, already escaped
	query  url.Values
	body   []byte
	// urgent requests (reading a thread) go ahead of background ones
	// (loading pages) in the rate limiter.
	urgent bool
	// sink decodes a 2xx answer as it is read; a failure is final, not
	// retried.
	sink func(resp *http.Response, body *bufio.Reader) error
}

// doJSON performs r with retries and decodes the data of a 2xx envelope
// into a T, as the answer is read: a body is never held whole, and one
// larger than MaxBodyBytes stops being read.
func doJSON[T any](ctx context.Context, c *Client, r request) (T, error) {
	var data T
	r.sink = func(resp *http.Response, body *bufio.Reader) error {
		var err error
		data, err = decodeStream[T](r, resp, body, c.clock.Now())
		return err
	}
	if _, _, err := c.do(ctx, r); err != nil {
		var zero T
		return zero, err
	}
	return data, nil
}

// decodeStream reads a 2xx body as it arrives: the envelope's data, or an
// *Error for a body that is not JSON, is malformed or says success is
// false.
func decodeStream[T any](r request, resp *http.Response, body *bufio.Reader, now time.Time) (T, error) {
	var zero T
	head, _ := body.Peek(512)
	if !looksLikeJSON(head) {
		b, _ := io.ReadAll(io.LimitReader(body, snippetLen))
		return zero, &Error{Method: r.method, Path: r.path, Status: resp.StatusCode, ContentType: resp.Header.Get("Content-Type"), Snippet: orEmpty(snippet(b))}
	}
	var env envelope[T]
	if err := json.NewDecoder(body).Decode(&env); err != nil {
		if errors.Is(err, errTooLarge) {
			return zero, &TooLargeError{Method: r.method, Path: r.path, Limit: MaxBodyBytes}
		}
		return zero, &Error{Method: r.method, Path: r.path, Status: resp.StatusCode, ContentType: resp.Header.Get("Content-Type"), Err: describeJSONError(err)}
	}
	if env.Success != nil && !*env.Success {
		e := &Error{Method: r.method, Path: r.path, Status: resp.StatusCode, RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), now)}
		e.fill(env.errorBody)
		return zero, e
	}
	return env.Data, nil
}

// decode reads a 2xx body already in memory, as decodeStream does.
func decode[T any](r request, resp *http.Response, body []byte, now time.Time) (T, error) {
	return decodeStream[T](r, resp, bufio.NewReader(bytes.NewReader(body)), now)
}

// errTooLarge is what a capped body reports past its cap.
var errTooLarge = errors.New("answer too large")

// capped reads at most left bytes, then fails with errTooLarge; read
// counts what it gave, and err keeps a failure of the connection (a
// time-out while the body arrives), which decoding would otherwise report
// as an empty or malformed answer.
type capped struct {
	r    io.Reader
	left int
	read int
	err  error
}

// Read reads from the body until the cap, then fails.
func (c *capped) Read(p []byte) (int, error) {
	if c.left <= 0 {
		return 0, errTooLarge
	}
	if len(p) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= n
	c.read += n
	if err != nil && err != io.EOF {
		c.err = err
	}
	return n, err
}

// finalError is a failure of an attempt that a retry would only repeat:
// an answer that could not be understood.
type finalError struct{ err error }

// Error is the wrapped error's text.
func (f finalError) Error() string { return f.err.Error() }

// Unwrap is the error that is not retried.
func (f finalError) Unwrap() error { return f.err }

func orEmpty(s string) string {
	if s == "" {
		return "(empty body)"
	}
	return s
}

func describeJSONError(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "unexpected end of JSON input") {
		return fmt.Errorf("truncated JSON: %w", err)
	}
	return fmt.Errorf("malformed JSON: %w", err)
}

// attempt sends r once. A 2xx answer goes to r.sink as it is read (no
// more than MaxBodyBytes of it); any other answer is read whole, capped,
// for its error. It returns how many bytes it read.
func (c *Client) attempt(ctx context.Context, r request, target string) ([]byte, *http.Response, int, error) {
	var rd io.Reader
	if r.body != nil {
		rd = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, target, rd)
	if err != nil {
		return nil, nil, 0, err
	}
	req.Header.Set("Authorization", "Bearer "+c.cfg.APIKey)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, nil, 0, scrubURLError(err)
	}
	defer resp.Body.Close()
	body := &capped{r: resp.Body, left: MaxBodyBytes}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 && r.sink != nil {
		if err := r.sink(resp, bufio.NewReader(body)); err != nil {
			if body.err != nil { // the connection failed, not the answer: a network error, retried
				return nil, resp, body.read, fmt.Errorf("the answer stopped after %d bytes: %w", body.read, body.err)
			}
			return nil, resp, body.read, finalError{err}
		}
		return nil, resp, body.read, nil
	}
	b, err := io.ReadAll(body)
	switch {
	case errors.Is(err, errTooLarge):
		return nil, resp, body.read, &TooLargeError{Method: r.method, Path: r.path, Limit: MaxBodyBytes}
	case err != nil:
		return nil, nil, body.read, fmt.Errorf("reading response: %w", err)
	}
	return b, resp, body.read, nil
}

// scrubURLError drops the URL from a transport error: the path is already
// in the message, and a URL is the one place a credential could sneak in.
func scrubURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
