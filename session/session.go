// Package session is one chatbot session without a terminal: the one
// store of threads and the views drawn from it, their loads, refreshes
// and the live poll, the disk cache, reading threads and their
// conversations, and the queue's send with its rules (read before write,
// tag operations rebased on fresh tags, conflicts held back, one batched
// PATCH, the answer merged). The console and the command line both drive
// it.
//
// A Session belongs to one goroutine. Its operations change its state at
// once and return Tasks: the I/O they need, to run on any goroutine. Each
// task's Result goes back to Handle, which may return more tasks. What
// happened for a person to see comes out as Events (TakeEvents). Nothing
// here draws or imports a terminal library.
package session

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"time"

	"triage/api"
	"triage/cache"
	"triage/queue"
	"triage/threads"
	"triage/words"
)

// API is what a session needs of the ContextGPT client.
type API interface {
	LoadAll(ctx context.Context, p api.ListParams, opt api.LoadOptions, onPage func([]api.Thread, api.Progress)) error
	ListThreads(ctx context.Context, p api.ListParams) (api.Page, error)
	GetThread(ctx context.Context, id string) (api.ThreadDetail, error)
	ListMessages(ctx context.Context, threadID string) (api.Messages, error)
	UpdateThreads(ctx context.Context, items []api.UpdateItem) ([]api.Thread, error)
}

// Journal keeps the queue on disk, off the session's goroutine.
type Journal interface {
	// Record hands changed edits and the threads whose edit is gone to
	// the writer without waiting for the disk.
	Record(puts []*queue.Edit, dels []string)
	// Flush waits until every change is on disk, or the write failed.
	Flush() error
	// Err is the error of the last write, nil while writes succeed.
	Err() error
	// Changed signals when Err may have changed.
	Changed() <-chan struct{}
	// WriteCopy writes edits in the journal's format to another file.
	WriteCopy(path string, edits []*queue.Edit) error
}

// DiskCache keeps the views' threads on disk for the next start.
type DiskCache interface {
	// Read opens what the last session wrote, nil when there is none.
	Read() (*cache.Reader, error)
	// LoadTexts reads the conversations kept, the most recent first.
	LoadTexts() ([]threads.Text, error)
	// Write replaces the cache with views, reading their threads under
	// lock; it runs off the session's goroutine.
	Write(views []cache.View, lock sync.Locker, now time.Time) error
	// WriteTexts replaces the conversations kept with texts (the most
	// recent first), as many as fit in budget bytes.
	WriteTexts(texts []threads.Text, budget int) error
}

// Options is everything a session needs, injected by main.
type Options struct {
	// API loads, reads and updates threads.
	API API
	// Journal, when set, receives the queue after every change (Sync).
	Journal Journal
	// Cache, when set, keeps the views' threads on disk: Start shows what
	// it held, read in the background, then refreshes it.
	Cache DiskCache
	// Restored are edits read from the journal at start.
	Restored []*queue.Edit
	// Views are the named lists (default: threads.DefaultViews, and
	// threads.ClaimViews when Owners claim); Shown is the one shown at
	// start (0, the first, by default).
	Views []threads.View
	Shown int
	// Owners says who owns a thread by its tags, for the views that filter
	// on the owner; zero, nobody claims threads.
	Owners threads.Owners
	// Alerts are the queries a thread the live poll brings rings on, when
	// it newly matches one (an empty query: any thread new here).
	Alerts []threads.Query
	// Load tunes page size and concurrency.
	Load api.LoadOptions
	// OneView is a front end that works on the view shown alone and
	// shows no totals (the command line): no view's total is asked of the
	// server.
	OneView bool
	// MaxBatch splits a send into PATCHes of at most this many threads
	// (0: one PATCH).
	MaxBatch int
	// UndoBudget bounds the undo history in bytes (default
	// queue.DefaultHistoryBudget).
	UndoBudget int
	// ReadBudget bounds the reads of threads kept in memory (default
	// DefaultReadBudget).
	ReadBudget int
	// PollInterval is how often the view on screen re-reads its first
	// page; 0 turns the live list off.
	PollInterval time.Duration
	// RateLimit is the client's requests per minute: the polls of this
	// host's consoles keep to PollShare of it (DefaultPollShare by
	// default), and a send says how long its reads take.
	RateLimit int
	PollShare float64
	// PrefetchShare is the share of RateLimit this host's consoles read
	// conversations with in the background, for the search; 0 turns it
	// off (the command line never prefetches).
	PrefetchShare float64
	// TextBudget bounds the conversations and notes held for the search
	// (default threads.DefaultTextBudget). KeepTexts reads those the disk
	// cache kept at start and writes them back at exit: the console's
	// session owns the file, the command line's (which does not search
	// conversations) neither reads nor writes it.
	TextBudget int
	KeepTexts  bool
	// LongWork, when set, is told when a change of many threads starts to
	// be applied in turns (true) and when it ends (false): the console
	// relaxes its collector's goal meanwhile (main.go).
	LongWork func(started bool)
	// WorkTurn bounds how long one turn of a change of many threads holds
	// the session's goroutine (default DefaultWorkTurn): the rest comes in
	// later turns (work.go).
	WorkTurn time.Duration
	// Jitter is a random number in [0, 1) that spreads the polls
	// (default math/rand/v2's).
	Jitter func() float64
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Context bounds every request; cancelling it stops all work.
	Context context.Context
}

// DefaultViews are the views when none are configured: the inbox first,
// and Mine and Unowned last when agents claim threads.
func DefaultViews(o threads.Owners) []threads.View {
	views := threads.DefaultViews()
	if o.On() {
		views = append(views, threads.ClaimViews()...)
	}
	return views
}

// Task is I/O a session asked for: run it on any goroutine and hand its
// Result to Handle.
type Task func() Result

// Result is what a Task brings back, for Handle.
type Result interface{ result() }

// Session is one chatbot session. It is not safe for concurrent use: one
// goroutine calls its methods and Handle; Tasks run anywhere.
type Session struct {
	opts   Options
	store  *threads.Store
	views  []*View
	active int
	seq    int // numbers loads, sends and checks, so a late answer of another is ignored
	polls  int
	// consoles is how many consoles of this chatbot poll from this host;
	// polledOnce, whether the first poll's wait was given; pollSeq numbers
	// the waits; polling, a poll in flight; pollHold, the end of a
	// Retry-After the server gave a poll.
	consoles   int
	polledOnce bool
	pollSeq    int
	polling    bool
	pollHold   time.Time
	q          *queue.Queue
	synced     int // the queue version the journal last saw
	send       *sendRun
	check      *checkRun
	// modes are the modes sent to threads whose answer showed no mode.
	modes map[string]SentMode
	// claimed are the claims confirmed lately, watched (claims.go).
	claimed map[string]time.Time
	reads   reads
	texts   *threads.Texts // conversations and notes for the search (prefetch.go)
	pf      prefetch
	cover   coverage
	// textsAtStart is the texts' version once the cache's were in.
	textsAtStart int
	cache        diskCache
	reading      *cacheRead // the disk cache coming in, before the first load
	work         *applying  // a change of the queue applied in turns (work.go)
	events       []Event
}

// New returns a session, the restored edits queued.
func New(opts Options) *Session {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Context == nil {
		opts.Context = context.Background()
	}
	if opts.WorkTurn <= 0 {
		opts.WorkTurn = DefaultWorkTurn
	}
	if opts.Jitter == nil {
		opts.Jitter = rand.Float64
	}
	if len(opts.Views) == 0 {
		opts.Views = DefaultViews(opts.Owners)
	}
	opts.Alerts = alertQueries(opts.Alerts, opts.Owners)
	s := &Session{opts: opts, q: queue.New(), reads: newReads(opts.ReadBudget), cache: diskCache{c: opts.Cache}, texts: threads.NewTexts(opts.TextBudget)}
	s.textsAtStart = s.texts.Version()
	s.store, s.views = newViews(opts.Views, opts.Owners)
	if opts.Shown > 0 && opts.Shown < len(s.views) {
		s.active = opts.Shown
	}
	if opts.UndoBudget > 0 {
		s.q.SetHistoryBudget(opts.UndoBudget)
	}
	if len(opts.Restored) > 0 {
		s.q.Restore(opts.Restored)
		s.synced = s.q.Version() // the journal holds them already
	}
	return s
}

// Start reads the disk cache, when there is one, then loads (or
// refreshes) the view shown and counts the others.
func (s *Session) Start() []Task {
	if s.cache.c != nil && !s.cache.read {
		s.cache.read = true
		return s.readCache()
	}
	return append(s.startLoad(loadRefresh), s.Counts()...)
}

// ReadCurrent reads the current state of threads into the one store, so
// edits can be queued against what the server holds: by the list's pages
// when that costs fewer requests than one read each, and one by one those
// in notes (or with a notes edit), whose notes only that read returns. A
// Checked event ends it, naming the threads the server does not have
// (marked gone in the queue when they have edits); a read that failed is
// said first, with its cause.
func (s *Session) ReadCurrent(ids, notes []string) []Task {
	if len(ids) == 0 {
		return nil
	}
	want := make(map[string]bool, len(notes))
	for _, id := range notes {
		want[id] = true
	}
	return s.startCheck(ids, want, false, false)
}

// Handle takes a task's result and returns the tasks that follow.
func (s *Session) Handle(r Result) []Task {
	switch r := r.(type) {
	case workDue:
		return s.workTurn()
	case pageResult:
		return s.pageArrived(r)
	case loadDone:
		if v := s.ofLoad(r.id); v != nil {
			return s.finishLoad(v, r.err, nil)
		}
	case refreshPage:
		return s.refreshPageArrived(r)
	case counted:
		if v := s.views[r.view]; !v.loading && r.total >= 0 {
			v.total = r.total // a load reports its own
		}
	case polled:
		return s.polled(r)
	case readDone:
		return s.readDone(r)
	case prefetchDone:
		return s.prefetched(r)
	case checked:
		return s.checked(r)
	case checkDone:
		return s.checkDone(r)
	case sendDone:
		return s.sendResult(r)
	case cacheSaved:
		return s.cacheSaved(r)
	case cacheParted:
		return s.cacheParted(r)
	case cacheEnded:
		return s.cacheEnded(r)
	}
	return nil
}

// Sync is the one entry point for changes to the queue: call it after
// every change (a front end does at the end of each message or step).
// The changes go to the journal, and the fields that became conflicts
// are said (once no send is under way: a send says what it holds back).
func (s *Session) Sync() {
	if s.q.Version() != s.synced {
		s.synced = s.q.Version()
		if s.opts.Journal != nil {
			s.opts.Journal.Record(s.q.TakeChanges())
		}
		if n := s.q.TakeDropped(); n > 0 {
			s.say("The oldest "+words.Plural(n, "step")+" of the undo history dropped to keep it within undo_budget", false)
		}
	}
	if s.Busy() {
		return
	}
	if ns := s.q.TakeNotices(); len(ns) > 0 {
		for _, n := range ns {
			s.log("Conflict: "+ConflictLine(n.ThreadID, n.Label, n.Change), true)
		}
		s.emit(NewConflicts{N: len(ns)})
	}
}

// TakeEvents returns what happened since the last call, in order.
func (s *Session) TakeEvents() []Event {
	out := s.events
	s.events = nil
	return out
}

// Queue is the session's queue of edits. Changes to it reach the journal
// at the next Sync.
func (s *Session) Queue() *queue.Queue { return s.q }

// Store is the one store of threads every view refers to.
func (s *Session) Store() *threads.Store { return s.store }

// Lookup is the latest server state of a thread, or nil when the store
// does not hold it.
func (s *Session) Lookup(id string) *api.Thread { return s.store.Get(id) }

// Owners says who owns a thread, by its tags; zero when nobody claims.
func (s *Session) Owners() threads.Owners { return s.opts.Owners }

// Now is the session's clock.
func (s *Session) Now() time.Time { return s.opts.Now() }

// Flush waits until the journal holds every change: before the process
// ends.
func (s *Session) Flush() {
	s.Sync()
	if s.opts.Journal != nil {
		_ = s.opts.Journal.Flush() // a failure stays in Err, and JournalFailure says it
	}
}

// JournalChanged signals when JournalFailure may have changed; nil
// without a journal.
func (s *Session) JournalChanged() <-chan struct{} {
	if s.opts.Journal == nil {
		return nil
	}
	return s.opts.Journal.Changed()
}

// WriteCopy writes the queue to a file of its own, in the journal's
// format: the rescue when the journal cannot be written.
func (s *Session) WriteCopy(path string) error {
	if s.opts.Journal == nil {
		return errors.New("no journal")
	}
	return s.opts.Journal.WriteCopy(path, s.q.Snapshot())
}

// JournalFailure is why the journal cannot be written, "" while it can.
func (s *Session) JournalFailure() string {
	if s.opts.Journal == nil {
		return ""
	}
	if err := s.opts.Journal.Err(); err != nil {
		return err.Error()
	}
	return ""
}

// Stop cancels every load in flight, and the cache's reading.
func (s *Session) Stop() {
	if s.reading != nil {
		s.reading.st.cancel()
	}
	for _, v := range s.views {
		v.stop()
	}
}
