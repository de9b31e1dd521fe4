package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"

	"triage/sanitize"
)

// Page is one page of a thread list, with the pagination the server used.
type Page struct {
	Threads    []Thread   `json:"threads"`
	Pagination Pagination `json:"pagination"`
	// Skipped are the threads of the page that could not be read.
	Skipped Skipped `json:"-"`
}

func (c *Client) chatbotPath(suffix string) string {
	return "/chatting/" + Segment(c.cfg.ChatbotID) + suffix
}

// Segment is s escaped as one segment of a request path, once: a slash,
// a percent sign, a space, ? and # are percent-encoded, and the dot
// segments "." and ".." are written %2E and %2E%2E, so no id can climb
// out of its place in the path or be taken for another route.
func Segment(s string) string {
	switch s {
	case ".":
		return "%2E"
	case "..":
		return "%2E%2E"
	}
	return url.PathEscape(s)
}

// ListThreads fetches one page of threads.
//
// Callers ask for the largest page they want; a server may cap it (its
// pagination says so) or refuse it with a 400. A limit above
// DefaultPageLimit refused that way is asked again at DefaultPageLimit
// once, and every later list of the client asks for no more.
func (c *Client) ListThreads(ctx context.Context, p ListParams) (Page, error) {
	if most := int(c.pageCap.Load()); most > 0 && p.Limit > most {
		p.Limit = most
	}
	page, err := c.listThreads(ctx, p)
	if refusedLimit(err) && p.Limit > DefaultPageLimit {
		p.Limit = DefaultPageLimit
		if page, err = c.listThreads(ctx, p); err == nil {
			c.pageCap.Store(DefaultPageLimit)
		}
	}
	return page, err
}

// refusedLimit reports a 400 that may be about the page size: one that
// names the limit among its fields, or names no field.
func refusedLimit(err error) bool {
	var e *Error
	if !errors.As(err, &e) || e.Status != http.StatusBadRequest {
		return false
	}
	for _, f := range e.Fields {
		if f.Field == "limit" {
			return true
		}
	}
	return len(e.Fields) == 0
}

// listThreads is one list request.
func (c *Client) listThreads(ctx context.Context, p ListParams) (Page, error) {
	page, err := doJSON[Page](ctx, c, request{method: http.MethodGet, path: c.chatbotPath("/threads"), query: p.Query()})
	c.cleanAll(page.Threads)
	return page, err
}

// GetThread reads one thread as the server holds it now, internal notes
// included: what a send that depends on the current state must know. A
// thread that does not exist is an *Error matching ErrNotFound.
func (c *Client) GetThread(ctx context.Context, id string) (ThreadDetail, error) {
	type data struct {
		Thread ThreadDetail `json:"thread"`
	}
	r := request{method: http.MethodGet, path: c.chatbotPath("/thread/" + Segment(id)), urgent: true}
	d, err := doJSON[data](ctx, c, r)
	if err != nil {
		return ThreadDetail{}, err
	}
	c.clean(&d.Thread.Thread)
	if d.Thread.ID != id {
		return ThreadDetail{}, &Error{Method: r.method, Path: r.path, Status: http.StatusOK,
			Err: fmt.Errorf("the answer holds thread %q, not %q", sanitize.Line(d.Thread.ID), id)}
	}
	return d.Thread, nil
}

// UpdateThreads sends items as one PATCH and returns the threads the
// server says it updated. The documented response nests them in an array of
// arrays; a flat array is accepted too. No items means no request.
func (c *Client) UpdateThreads(ctx context.Context, items []UpdateItem) ([]Thread, error) {
	if len(items) == 0 {
		return nil, nil
	}
	body, err := json.Marshal(items)
	if err != nil {
		return nil, fmt.Errorf("encoding update: %w", err)
	}
	type updated struct {
		UpdatedThreads []json.RawMessage `json:"updatedThreads"`
	}
	r := request{method: http.MethodPatch, path: c.chatbotPath("/thread/update-thread"), body: body}
	data, err := doJSON[updated](ctx, c, r)
	if err != nil {
		return nil, err
	}
	threads, err := flattenUpdated(data.UpdatedThreads)
	if err != nil {
		return nil, &Error{Method: r.method, Path: r.path, Status: http.StatusOK, Err: err}
	}
	c.cleanAll(threads)
	return threads, nil
}

// flattenUpdated accepts each element as a thread or an array of threads,
// decoding thread by thread: a thread that cannot be read is left out (it
// stays queued, not confirmed).
func flattenUpdated(raw []json.RawMessage) ([]Thread, error) {
	var all []json.RawMessage
	for _, el := range raw {
		el = bytes.TrimSpace(el)
		if len(el) > 0 && el[0] == '[' {
			var group []json.RawMessage
			if err := json.Unmarshal(el, &group); err != nil {
				return nil, fmt.Errorf("decoding updatedThreads: %w", err)
			}
			all = append(all, group...)
			continue
		}
		all = append(all, el)
	}
	out, _ := decodeThreads(all)
	return out, nil
}

// Default loader settings.
const (
	DefaultPageLimit   = 100
	DefaultConcurrency = 4
)

// LoadOptions tunes LoadAll.
type LoadOptions struct {
	// PageLimit is the page size asked for; the server may use less.
	PageLimit int
	// Concurrency bounds the pages in flight after the first.
	Concurrency int
	// Resume continues an interrupted load instead of starting over.
	Resume *Resume
}

// Resume is what an interrupted load had: the progress its first page
// set up and the pages it delivered, which are not fetched again.
type Resume struct {
	Progress Progress
	Fetched  map[int]bool
}

// Progress is how far a LoadAll has got.
type Progress struct {
	Loaded     int // threads received so far
	Total      int // the server's total for the view (from the first page)
	Pages      int // pages received
	TotalPages int
	// Limit is the page size the server applied.
	Limit int
	// Page is the page just delivered.
	Page int
	// Skipped are the threads so far that could not be read.
	Skipped Skipped
	// Warning says what was odd about the server's pagination, if
	// anything.
	Warning string
}

// maxPages is the most pages a view may have: a million threads at the
// smallest page the loader asks for.
const maxPages = 1_000_000

// Done reports whether every page has arrived.
func (p Progress) Done() bool { return p.Pages >= p.TotalPages }

// LoadAll fetches every page of the view p describes. The first page is
// fetched alone and handed to onPage at once, so a caller can show it; the
// rest follow with bounded concurrency, using the limit the server actually
// applied, and are handed to onPage in their order. onPage is never called
// concurrently. On the first failure the pages still in flight are
// cancelled and the error returned; pages already delivered stay
// delivered.
func (c *Client) LoadAll(ctx context.Context, p ListParams, opt LoadOptions, onPage func([]Thread, Progress)) error {
	if opt.PageLimit <= 0 {
		opt.PageLimit = DefaultPageLimit
	}
	if opt.Concurrency <= 0 {
		opt.Concurrency = DefaultConcurrency
	}
	prog, skip, err := c.firstPage(ctx, p, opt, onPage)
	if err != nil || prog.Pages >= prog.TotalPages {
		return err
	}
	limit, totalPages := prog.Limit, prog.TotalPages

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
		// Pages are handed over in their order: a page that comes before
		// the one due waits for it, so a list kept newest first appends
		// each page instead of merging it into everything loaded. At most
		// twice the concurrency are asked for and not handed over yet, so
		// a slow page holds back a few pages, not the whole view.
		due     = 2
		arrived = map[int]Page{}
		ahead   = make(chan struct{}, 2*opt.Concurrency)
	)
	pages := make(chan int)
	for range min(opt.Concurrency, totalPages-1) {
		wg.Go(func() {
			for n := range pages {
				q := p
				q.Page, q.Limit = n, limit
				page, err := c.ListThreads(ctx, q)
				mu.Lock()
				if err != nil {
					if firstErr == nil {
						firstErr = fmt.Errorf("page %d of %d: %w", n, totalPages, err)
						cancel()
					}
				} else if firstErr == nil {
					arrived[n] = page
					for ; ; due++ {
						if skip[due] {
							continue
						}
						page, ok := arrived[due]
						if !ok {
							break
						}
						delete(arrived, due)
						<-ahead
						prog.Loaded += len(page.Threads)
						prog.Skipped.merge(page.Skipped)
						prog.Pages++
						prog.Page = due
						onPage(page.Threads, prog)
					}
				}
				mu.Unlock()
			}
		})
	}
feed:
	for n := 2; n <= totalPages; n++ {
		if skip[n] {
			continue
		}
		select {
		case ahead <- struct{}{}:
		case <-ctx.Done():
			break feed
		}
		select {
		case pages <- n:
		case <-ctx.Done():
			break feed
		}
	}
	close(pages)
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	return ctx.Err()
}

// firstPage fetches page 1 and delivers it, or, when resuming, takes the
// progress of the interrupted load instead. It returns the pages not to
// fetch again.
func (c *Client) firstPage(ctx context.Context, p ListParams, opt LoadOptions, onPage func([]Thread, Progress)) (Progress, map[int]bool, error) {
	if r := opt.Resume; r != nil && r.Progress.Limit > 0 && r.Progress.TotalPages > 0 {
		skip := map[int]bool{1: true}
		for n, ok := range r.Fetched {
			skip[n] = ok
		}
		prog := r.Progress
		prog.Pages = len(skip)
		return prog, skip, nil
	}
	p.Page, p.Limit = 1, opt.PageLimit
	first, err := c.ListThreads(ctx, p)
	if err != nil {
		return Progress{}, nil, err
	}
	pg := first.Pagination
	limit := pg.Limit
	if limit <= 0 {
		limit = max(len(first.Threads), 1)
	}
	totalPages := pg.TotalPages
	if totalPages <= 0 && pg.Total > 0 {
		totalPages = (pg.Total + limit - 1) / limit
	}
	warning := ""
	switch expected := (max(pg.Total, 0) + limit - 1) / limit; {
	case pg.TotalPages > maxPages || pg.TotalPages > expected+1 && pg.Total >= len(first.Threads):
		return Progress{}, nil, fmt.Errorf("the server claims %d pages for %d threads at %d a page: not loading them", pg.TotalPages, pg.Total, limit)
	case pg.Limit <= 0 || pg.Total < 0 || pg.TotalPages < 0 || pg.Page <= 0:
		warning = fmt.Sprintf("the server's pagination is missing or wrong (page %d, limit %d, total %d, totalPages %d): the threads of its first answer are listed, maybe not all",
			pg.Page, pg.Limit, pg.Total, pg.TotalPages)
	}
	prog := Progress{Loaded: len(first.Threads), Total: pg.Total, Pages: 1, TotalPages: max(totalPages, 1), Limit: limit, Page: 1,
		Skipped: first.Skipped, Warning: warning}
	onPage(first.Threads, prog)
	return prog, map[int]bool{1: true}, nil
}
