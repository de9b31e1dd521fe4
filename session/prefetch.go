package session

import (
	"strings"
	"time"

	"triage/api"
	"triage/threads"
)

// Prefetching conversations, so the search finds what was said: the
// threads of the view on screen (its loader's, newest first) have their
// conversations read in the background, one at a time, within
// PrefetchShare of the rate limit, shared among this host's consoles of
// the chatbot. A conversation is read again when its thread's updatedAt
// moves; a server that refuses conversations to keys stops it.

// prefetchTop is how many of the newest rows are looked at again on
// every prefetch: updated and new threads come to the top.
const prefetchTop = 100

// prefetchIdle is the wait when nothing was left to read.
const prefetchIdle = 30 * time.Second

// prefetch is the prefetch's state: the row it goes on from, a read in
// flight, whether the last look found work.
type prefetch struct {
	from     int
	inFlight bool
	idle     bool
}

// prefetchDone is a prefetched conversation, as of the thread's
// updatedAt when it was asked for.
type prefetchDone struct {
	id   string
	asOf time.Time
	msgs api.Messages
	err  error
}

func (prefetchDone) result() {}

// Texts are the conversations and notes held, for the search.
func (s *Session) Texts() *threads.Texts { return s.texts }

// PrefetchEvery is the wait between two prefetched reads at this
// console's share of the rate limit; 0 when prefetching is off or the
// server refuses conversations.
func (s *Session) PrefetchEvery() time.Duration {
	if s.opts.PrefetchShare <= 0 || s.opts.RateLimit <= 0 || s.reads.refused != "" {
		return 0
	}
	perMinute := float64(s.opts.RateLimit) * s.opts.PrefetchShare / float64(max(1, s.consoles))
	return time.Duration(float64(time.Minute) / perMinute)
}

// NextPrefetch is how long to wait before the next Prefetch: the pace of
// the share while there is work, longer when the last look found none;
// 0 when prefetching is off.
func (s *Session) NextPrefetch() time.Duration {
	every := s.PrefetchEvery()
	if every > 0 && s.pf.idle {
		return max(every, prefetchIdle)
	}
	return every
}

// Prefetch reads the conversation of the newest thread of the view on
// screen whose conversation is not held as of its updatedAt; nothing
// while a read of it is in flight, while the view loads or the disk cache
// is read, while a send or a check runs, or when all are held.
func (s *Session) Prefetch() []Task {
	v := s.Current().Loader()
	if s.PrefetchEvery() == 0 || s.pf.inFlight || v.loading || s.reading != nil || s.send != nil || s.check != nil {
		return nil
	}
	t := s.nextToPrefetch(v.list.All())
	s.pf.idle = t == nil
	if t == nil {
		return nil
	}
	s.pf.inFlight = true
	id, asOf := t.ID, t.UpdatedAt
	client, ctx := s.opts.API, api.Background(s.opts.Context)
	return []Task{func() Result {
		msgs, err := client.ListMessages(ctx, id)
		return prefetchDone{id: id, asOf: asOf, msgs: msgs, err: err}
	}}
}

// nextToPrefetch is the newest row whose conversation is not held as of
// its updatedAt: among the top rows first, then on from where the last
// look stopped.
func (s *Session) nextToPrefetch(rows []*api.Thread) *api.Thread {
	for _, t := range rows[:min(prefetchTop, len(rows))] {
		if !s.texts.Fresh(t.ID, t.UpdatedAt) && !s.reads.loading[t.ID] {
			return t
		}
	}
	for ; s.pf.from < len(rows); s.pf.from++ {
		if t := rows[s.pf.from]; !s.texts.Fresh(t.ID, t.UpdatedAt) && !s.reads.loading[t.ID] {
			return t
		}
	}
	return nil
}

// prefetched keeps a prefetched conversation with the notes known of the
// thread. A refusal stops prefetching for the session; any other failure
// (the server down, a timeout) waits as long as a look that found
// nothing, then asks for the same thread again.
func (s *Session) prefetched(r prefetchDone) []Task {
	s.pf.inFlight = false
	if r.err != nil {
		if why := refusal(r.err); why != "" && s.reads.refused == "" {
			s.reads.refused = why
			s.log(why, true)
		}
		s.pf.idle = true
		return nil
	}
	s.keepText(r.id, r.asOf, r.msgs.List, s.notesOf(r.id))
	s.emit(Prefetched{ID: r.id})
	return nil
}

// notesOf is the notes known of a thread: those its row carries, else
// those a read found.
func (s *Session) notesOf(id string) string {
	if t := s.store.Get(id); t != nil {
		if n, ok := t.InternalNotes.Get(); ok {
			return n
		}
	}
	return s.texts.NotesOf(id)
}

// keepText keeps a thread's conversation and notes for the search.
func (s *Session) keepText(id string, asOf time.Time, msgs []api.Message, notes string) {
	var b strings.Builder
	for _, m := range msgs {
		b.WriteString(m.Content)
		b.WriteByte('\n')
	}
	s.texts.Put(threads.Text{ID: id, AsOf: asOf, Conversation: b.String(), Notes: notes})
}

// Coverage is how many threads of v have their conversation held, as of
// the last change of either (counted from the texts held, not the rows).
func (s *Session) Coverage(v *View) int {
	if s.cover.version == s.texts.Version() && s.cover.view == v && s.cover.rows == v.list.Len() {
		return s.cover.n
	}
	n := 0
	for _, id := range s.texts.IDs() {
		if v.list.Has(id) {
			n++
		}
	}
	s.cover.version, s.cover.view, s.cover.rows, s.cover.n = s.texts.Version(), v, v.list.Len(), n
	return n
}

// coverage is the last Coverage counted.
type coverage struct {
	version, rows, n int
	view             *View
}
