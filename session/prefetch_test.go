package session

import (
	"strings"
	"sync"
	"testing"
	"time"

	"triage/api"
	"triage/api/apitest"
	"triage/cache"
	"triage/threads"
)

// messageReads are the server's requests for conversations.
func messageReads(srv *apitest.Server) []string {
	var out []string
	for _, r := range srv.RequestsFor("GET") {
		if strings.HasSuffix(r.Path, "/messages") {
			out = append(out, r.Path)
		}
	}
	return out
}

// TestPrefetchKeepsToItsShare runs the prefetch as a front end does, on
// a simulated clock: each wait NextPrefetch gives, then Prefetch. The
// conversations of every thread are read once, newest first, and no
// minute holds more reads than the share of the rate limit allows this
// console (half of it with two consoles on the host); once all are held
// the waits grow, and a thread whose updatedAt moves is read again.
func TestPrefetchKeepsToItsShare(t *testing.T) {
	for _, consoles := range []int{1, 2} {
		s, srv := started(t, apitest.Options{Threads: 80, Seed: 5}, Options{RateLimit: 500, PrefetchShare: 0.1})
		s.SetConsoles(consoles)
		perMinute := 50 / consoles
		var clock time.Duration
		byMinute := map[int]int{}
		for clock < 5*time.Minute {
			wait := s.NextPrefetch()
			if wait <= 0 {
				t.Fatal("prefetching is off")
			}
			clock += wait
			before := len(messageReads(srv))
			drive(t, s, s.Prefetch())
			byMinute[int(clock/time.Minute)] += len(messageReads(srv)) - before
		}
		for m, n := range byMinute {
			if n > perMinute {
				t.Errorf("%d consoles: %d reads in minute %d, the share allows %d", consoles, n, m, perMinute)
			}
		}
		reads := messageReads(srv)
		seen := map[string]bool{}
		for _, p := range reads {
			if seen[p] {
				t.Errorf("%s read twice", p)
			}
			seen[p] = true
		}
		if len(reads) != 80 || s.Texts().Len() != 80 {
			t.Fatalf("%d consoles: %d conversations read, %d held, of 80", consoles, len(reads), s.Texts().Len())
		}
		newest := s.Current().List().All()[0]
		if !strings.HasSuffix(reads[0], newest.ID+"/messages") {
			t.Errorf("the first read was %s, not the newest thread %s", reads[0], newest.ID)
		}
		if w := s.NextPrefetch(); w < prefetchIdle {
			t.Errorf("with every conversation held the next wait is %s", w)
		}
		moved := *newest
		moved.UpdatedAt = moved.UpdatedAt.Add(time.Minute)
		s.store.Put(moved)
		drive(t, s, s.Prefetch())
		if n := len(messageReads(srv)); n != 81 || !s.Texts().Fresh(moved.ID, moved.UpdatedAt) {
			t.Errorf("a thread whose updatedAt moved was not read again (%d reads)", n)
		}
	}
}

// TestPrefetchOneAtATime: no second read while one is in flight, none
// while a send runs, none when the share is 0.
func TestPrefetchOneAtATime(t *testing.T) {
	s, _ := started(t, apitest.Options{Threads: 10, Seed: 5}, Options{RateLimit: 500, PrefetchShare: 0.1})
	first := s.Prefetch()
	if len(first) != 1 || s.Prefetch() != nil {
		t.Fatal("a second prefetch started while one was in flight")
	}
	drive(t, s, first)
	s.send = &sendRun{}
	if s.Prefetch() != nil {
		t.Error("a prefetch started while a send runs")
	}
	s.send = nil
	off, _ := started(t, apitest.Options{Threads: 10, Seed: 5}, Options{RateLimit: 500})
	if off.NextPrefetch() != 0 || off.Prefetch() != nil {
		t.Error("prefetch_share 0 prefetched")
	}
}

// TestAFailedPrefetchWaitsAndAsksAgain: a conversation the server fails
// to give is not held as read; the next read waits as long as an idle
// look, then asks for the same thread.
func TestAFailedPrefetchWaitsAndAsksAgain(t *testing.T) {
	s, srv := started(t, apitest.Options{Threads: 5, Seed: 5}, Options{RateLimit: 500, PrefetchShare: 0.1})
	srv.Inject(apitest.Fault{Kind: apitest.FaultStatus, Status: 400, PathSuffix: "/messages"})
	drive(t, s, s.Prefetch())
	if s.Texts().Len() != 0 || s.NextPrefetch() < prefetchIdle {
		t.Fatalf("after a failure: %d held, next in %s", s.Texts().Len(), s.NextPrefetch())
	}
	drive(t, s, s.Prefetch())
	reads := messageReads(srv)
	if s.Texts().Len() != 1 || len(reads) < 2 || reads[0] != reads[len(reads)-1] {
		t.Errorf("the same thread was not asked for again: %v, %d held", reads, s.Texts().Len())
	}
}

// TestPrefetchStopsWhenTheServerRefuses: a server that keeps
// conversations from keys is asked once; the session says so and stops.
func TestPrefetchStopsWhenTheServerRefuses(t *testing.T) {
	s, srv := started(t, apitest.Options{Threads: 10, Seed: 5, RefuseMessages: 403}, Options{RateLimit: 500, PrefetchShare: 0.1})
	events := drive(t, s, s.Prefetch())
	if s.NextPrefetch() != 0 || s.Prefetch() != nil || len(messageReads(srv)) != 1 {
		t.Errorf("after a refusal: wait %s, %d reads", s.NextPrefetch(), len(messageReads(srv)))
	}
	said := false
	for _, e := range events {
		if l, ok := e.(Logged); ok && strings.Contains(l.Text, "does not let an API key read messages") {
			said = true
		}
	}
	if !said {
		t.Errorf("the refusal was not said: %v", events)
	}
}

// TestAReadKeepsItsTextForTheSearch: a thread the agent reads has its
// conversation and its notes searched from then on, and a prefetch of
// it later keeps the notes the read found.
func TestAReadKeepsItsTextForTheSearch(t *testing.T) {
	s, srv := started(t, apitest.Options{Threads: 10, Seed: 5}, Options{RateLimit: 500, PrefetchShare: 0.1})
	th := *s.Current().List().All()[3]
	id := th.ID
	srv.Put(th, "", api.Value("Promised a refund on Friday"))
	drive(t, s, s.Read(id))
	q, _ := threads.Parse("in:notes friday")
	if got := s.Current().List().Visible(q.WithTexts(s.Texts()), nil, threads.SortUpdated, false); len(got) != 1 || got[0].ID != id {
		t.Fatalf("the notes read are not searched: %v", got)
	}
	s.prefetched(prefetchDone{id: id, asOf: s.store.Get(id).UpdatedAt.Add(time.Second)})
	if s.Texts().NotesOf(id) != "promised a refund on friday" { // as they are held: searchable
		t.Errorf("a prefetch lost the notes read: %q", s.Texts().NotesOf(id))
	}
	if got := s.Current().List().Visible(q.WithTexts(s.Texts()), nil, threads.SortUpdated, false); len(got) != 1 || got[0].ID != id {
		t.Errorf("after a prefetch the notes read are not searched: %v", got)
	}
}

// textsDisk holds the texts kept, and records what a session writes of
// its texts.
type textsDisk struct {
	kept    []threads.Text
	written [][]threads.Text
}

func (d *textsDisk) Read() (*cache.Reader, error)                     { return nil, nil }
func (d *textsDisk) LoadTexts() ([]threads.Text, error)               { return d.kept, nil }
func (d *textsDisk) Write([]cache.View, sync.Locker, time.Time) error { return nil }
func (d *textsDisk) WriteTexts(texts []threads.Text, budget int) error {
	d.written = append(d.written, texts)
	return nil
}

// TestTheConversationsReadAreKeptAtExit: the texts are written at exit
// when the session read any; one that read none, and the command line's
// (which does not keep them, though it reads), leave the file alone; the
// texts a cache brought are held from the start, the most recent first.
func TestTheConversationsReadAreKeptAtExit(t *testing.T) {
	kept := []threads.Text{{ID: "th_b", Conversation: "newer"}, {ID: "th_a", Conversation: "older"}}
	disk := &textsDisk{kept: kept}
	s, _ := started(t, apitest.Options{Threads: 5, Seed: 5}, Options{Cache: disk, KeepTexts: true, RateLimit: 500, PrefetchShare: 0.1})
	if all := s.Texts().All(); len(all) != 2 || all[0].ID != "th_b" {
		t.Fatalf("the texts the cache brought: %+v", all)
	}
	if err := s.SaveCache(); err != nil || len(disk.written) != 0 {
		t.Fatalf("nothing read, yet the texts were written: %v, %d", err, len(disk.written))
	}
	drive(t, s, s.Prefetch())
	if err := s.SaveCache(); err != nil || len(disk.written) != 1 || len(disk.written[0]) != 3 {
		t.Errorf("after a prefetch: %v, %v", err, disk.written)
	}
	other := &textsDisk{kept: kept} // the command line's session: a read, the texts neither read nor written
	cli, _ := started(t, apitest.Options{Threads: 5, Seed: 5}, Options{Cache: other})
	drive(t, cli, cli.Read(cli.Current().List().All()[0].ID))
	if cli.Texts().Len() != 1 {
		t.Errorf("the command line's session holds %d texts, want only the one it read", cli.Texts().Len())
	}
	if err := cli.SaveCache(); err != nil || len(other.written) != 0 {
		t.Errorf("a session that does not keep the texts wrote them: %v, %d", err, len(other.written))
	}
}

// TestAnExitWhileTheCacheIsReadKeepsTheConversationsKept: a console that
// quits before the cache's reading reached the conversations kept, after
// reading one thread, leaves the file as it was instead of writing the
// one conversation it holds over them.
func TestAnExitWhileTheCacheIsReadKeepsTheConversationsKept(t *testing.T) {
	srv, base := serve(t, apitest.Options{Threads: 5, Seed: 5})
	disk := &textsDisk{kept: []threads.Text{{ID: "th_b", Conversation: "newer"}, {ID: "th_a", Conversation: "older"}}}
	s := on(t, srv, base, Options{Cache: disk, KeepTexts: true})
	_ = s.Start() // the cache's reading begins; its parts are not taken yet
	drive(t, s, s.Read(srv.Threads()[0].ID))
	if s.Texts().Len() != 1 {
		t.Fatalf("%d texts held after a read", s.Texts().Len())
	}
	if err := s.SaveCache(); err != nil || len(disk.written) != 0 {
		t.Errorf("an exit while the cache is read wrote the texts: %v, %v", err, disk.written)
	}
}
