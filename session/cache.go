package session

import (
	"context"
	"errors"
	"time"

	"triage/api"
	"triage/cache"
	"triage/threads"
)

// diskCache writes the views to the cache after each load that reached
// its end, one write at a time; a change while one runs is written after
// it.
type diskCache struct {
	c       DiskCache
	read    bool // Start read it
	running bool
	again   bool
	failed  bool // a failure was reported; the next is not
}

// cacheSaved ends a write of the cache.
type cacheSaved struct{ err error }

func (cacheSaved) result() {}

// The parts of the cache a start shows first, and then at a time: the
// first is a screenful of the first view, on screen while the rest is
// decoded; each later one takes a few milliseconds on the session's
// goroutine to put and list, which is what a key may wait for (parts of
// 4,096 took up to 85 ms at a million threads, of 1,024 up to 42).
const (
	firstCachePart = 256
	cachePart      = 512
)

// cacheRead is the disk cache coming in, part by part, before the first
// load: loads, counts and the prefetch wait for its end (a server read of
// a thread meanwhile is newer than the cache's, and kept).
type cacheRead struct {
	st    *stream
	all   []*api.Thread // the file's threads so far, which later rows may name
	parts int
	into  []*View // the views the part under way fills (none: a view no longer configured)
	// stray is set when the file holds a view no view of this start
	// shows: the threads only it listed leave at the end.
	stray bool
}

// cacheParted is a part of the cache; cacheEnded its end, with the texts
// kept beside it (KeepTexts) and what went wrong with either.
type cacheParted struct {
	part cache.Part
	room *threads.Room // made while the first part was shown, for the view it began
}
type cacheEnded struct {
	err, textsErr error
	texts         []threads.Text
}

func (cacheParted) result() {}
func (cacheEnded) result()  {}

// readCache starts reading the disk cache in the background: its views'
// rows show as their parts arrive, marked from the cache until their
// refresh ends, which starts at the end of the file.
func (s *Session) readCache() []Task {
	c, keepTexts := s.cache.c, s.opts.KeepTexts
	s.reading = &cacheRead{}
	for _, v := range s.views {
		v.caching = v.source == nil && !v.def.Local()
	}
	s.reading.st = startStream(s.opts.Context, func(ctx context.Context, emit func(Result) bool) {
		var end cacheEnded
		if r, err := c.Read(); err != nil {
			end.err = err
		} else if r != nil {
			defer r.Close()
			var room *threads.Room
			for n := firstCachePart; ; n = cachePart {
				p, ok, err := r.Next(n)
				if err != nil {
					end.err = err
				}
				if !ok || !emit(cacheParted{part: p, room: room}) {
					break
				}
				if n == firstCachePart && p.View != nil {
					room = threads.MakeRoom(p.Size) // here, not on the goroutine that answers keys
				} else {
					room = nil
				}
			}
		}
		if keepTexts && end.err == nil && ctx.Err() == nil {
			end.texts, end.textsErr = c.LoadTexts()
		}
		emit(end)
	})
	return []Task{s.reading.st.next()}
}

// RowsComing reports that the disk cache is being read and its first
// part has not come yet while the view shown is empty: a key now would
// meet a list its rows are about to fill.
func (s *Session) RowsComing() bool {
	return s.reading != nil && s.reading.parts == 0 && s.Current().list.Len() == 0
}

// cacheParted puts a part's threads in the store and its rows in the
// views it fills and the views drawn from them.
func (s *Session) cacheParted(r cacheParted) []Task {
	p, cr := r.part, s.reading
	if cr == nil {
		return nil
	}
	if p.View != nil {
		s.cachedView(p)
	}
	if cr.parts++; cr.parts == 2 && len(cr.into) > 0 && r.room != nil {
		s.reserve(r.room)
	}
	for i := range p.New {
		if held := s.store.Get(p.New[i].ID); held != nil { // read from the server meanwhile
			cr.all = append(cr.all, held)
			continue
		}
		cr.all = append(cr.all, s.store.Adopt(&p.New[i]))
	}
	rows := make([]*api.Thread, len(p.Rows))
	for i, j := range p.Rows {
		rows[i] = cr.all[j]
	}
	for _, v := range cr.into {
		for _, d := range s.served(v) {
			fresh, onlyAdded := d.list.Include(d.filter(rows))
			s.emit(Merged{View: d, Fresh: fresh, OnlyAdded: onlyAdded})
		}
	}
	return []Task{cr.st.next()}
}

// cachedView begins a view of the file: the views of its filter take its
// total and its standing with the server.
func (s *Session) cachedView(p cache.Part) {
	cr := s.reading
	for _, v := range cr.into {
		v.cacheSize = 0
	}
	cr.into = cr.into[:0]
	for _, v := range s.views {
		if v.caching && cache.ViewKey(v.def.Params) == p.View.Key {
			v.total, v.mark, v.readAt, v.fromCache, v.cacheSize = p.View.Total, p.View.Mark, p.View.ReadAt, true, p.Size
			cr.into = append(cr.into, v)
		}
	}
	cr.stray = cr.stray || len(cr.into) == 0
}

// reserve makes room for the first view's rows, once its first part is
// on screen: the store, the list the view shown is drawn from, and the
// file's threads.
func (s *Session) reserve(room *threads.Room) {
	cr := s.reading
	cr.all = append(make([]*api.Thread, 0, cr.into[0].cacheSize), cr.all...)
	s.store.Reserve(room)
	for _, v := range cr.into {
		v.list.Reserve(room)
	}
}

// cacheEnded ends the cache's reading and starts what waited for it: the
// refresh of the view shown and the totals. A file that could not be
// read is said, and what it brought leaves (it is not trusted).
func (s *Session) cacheEnded(r cacheEnded) []Task {
	cr := s.reading
	if cr == nil {
		return nil
	}
	s.reading = nil
	for _, v := range s.views {
		v.caching, v.cacheSize = false, 0
	}
	switch {
	case r.err != nil: // a note, not a failure: the session loads from the server
		s.say(r.err.Error()+"; loading from the server", false)
		for _, v := range s.views {
			v.total, v.mark, v.readAt, v.fromCache = -1, time.Time{}, time.Time{}, false
			s.prune(v, func(t *api.Thread) bool { return false })
		}
	case cr.stray: // the config's views changed: what no view shows goes
		s.store.Keep(s.listed)
	}
	for _, v := range s.views {
		if v.countsHere() {
			v.derived()
		}
	}
	if r.textsErr != nil {
		s.say(r.textsErr.Error()+"; the search starts without the conversations kept", false)
	}
	if len(r.texts) > 0 {
		unchanged := s.texts.Version() == s.textsAtStart // a read meanwhile is written at exit
		s.texts.Restore(r.texts)
		if unchanged {
			s.textsAtStart = s.texts.Version()
		}
	}
	s.emit(Changed{View: s.Current()})
	return s.Start()
}

// cachedViews are the views to write: each one that loads its own
// threads, read to its end in this session or brought by the cache, once
// per filter, the one the view shown is drawn from first (the next start
// shows its first part while it reads the rest). The writer shares their
// rows and reads their threads under the store's lock.
func (s *Session) cachedViews() []cache.View {
	var out []cache.View
	done := map[string]bool{}
	for _, v := range append([]*View{s.Current().Loader()}, s.views...) {
		key := cache.ViewKey(v.def.Params)
		if v.readAt.IsZero() || v.source != nil || v.def.Local() || done[key] {
			continue
		}
		done[key] = true
		rows := v.list.All() // a list never rewrites its rows in place: the writer may share them
		out = append(out, cache.View{Key: key, Total: v.total, ReadAt: v.readAt, Mark: v.mark, Rows: rows[:len(rows):len(rows)]})
	}
	return out
}

// cacheWrite is the write of the views to the cache, for any goroutine,
// or nil when there is no cache or nothing to write.
func (s *Session) cacheWrite() func() error {
	if s.cache.c == nil || s.reading != nil { // the file holds more than the part read yet
		return nil
	}
	views := s.cachedViews()
	if len(views) == 0 {
		return nil
	}
	c, lock, now := s.cache.c, s.store.ReadLocker(), s.opts.Now()
	return func() error { return c.Write(views, lock, now) }
}

// saveCache writes the cache in the background, or after the write under
// way.
func (s *Session) saveCache() []Task {
	d := &s.cache
	if d.running {
		d.again = true
		return nil
	}
	write := s.cacheWrite()
	if write == nil {
		return nil
	}
	d.running, d.again = true, false
	return []Task{func() Result { return cacheSaved{err: write()} }}
}

// cacheSaved ends a write: a failure is said once (the session works on
// without a cache), a change during the write is written now.
func (s *Session) cacheSaved(r cacheSaved) []Task {
	d := &s.cache
	d.running = false
	if r.err != nil && !d.failed {
		d.failed = true
		s.log("The thread cache was not written, the next start loads from the server: "+r.err.Error(), true)
	}
	if d.again {
		return s.saveCache()
	}
	return nil
}

// SaveCache writes the cache now and waits: the last write, at exit.
// The conversations held are written too when the session keeps them
// (KeepTexts) and they changed in it; neither is written before the
// cache's reading ended.
func (s *Session) SaveCache() error {
	var err error
	if write := s.cacheWrite(); write != nil {
		err = write()
	}
	if s.cache.c != nil && s.opts.KeepTexts && s.reading == nil && s.texts.Version() != s.textsAtStart { // while the cache is read, the file holds more than the session
		err = errors.Join(err, s.cache.c.WriteTexts(s.texts.All(), s.textBudget()))
	}
	return err
}

// textBudget is the byte budget of the texts held and kept on disk.
func (s *Session) textBudget() int {
	if s.opts.TextBudget > 0 {
		return s.opts.TextBudget
	}
	return threads.DefaultTextBudget
}
