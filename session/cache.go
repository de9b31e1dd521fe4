package session

import (
	"errors"
	"triage/cache"
	"triage/threads"
)

// diskCache writes the views to the cache after each load that reached
// its end, one write at a time; a change while one runs is written after
// it.
type diskCache struct {
	c       DiskCache
	running bool
	again   bool
	failed  bool // a failure was reported; the next is not
}

// cacheSaved ends a write of the cache.
type cacheSaved struct{ err error }

func (cacheSaved) result() {}

// adoptCache starts from what the disk cache held: the views it has rows
// of start with them, marked from the cache until their refresh ends.
func (s *Session) adoptCache(snap *cache.Snapshot) {
	s.store = snap.Store
	adopted := map[string]bool{}
	for _, v := range s.views {
		v.list = threads.NewList(s.store)
		key := cache.ViewKey(v.def.Params)
		cv, ok := snap.Views[key]
		if !ok || v.source != nil || v.def.Local() {
			continue
		}
		adopted[key] = true
		v.list.Include(cv.Rows)
		v.total, v.mark, v.readAt, v.fromCache = cv.Total, cv.Mark, cv.ReadAt, true
	}
	for _, v := range s.views {
		if v.source != nil {
			v.list.Include(v.filter(v.source.list.All()))
			if v.countsHere() {
				v.derived()
			}
		}
	}
	if len(adopted) < len(snap.Views) { // the config's views changed: what no view shows goes
		s.store.Keep(s.listed)
	}
}

// cachedViews are the views to write: each one that loads its own
// threads, read to its end in this session or brought by the cache, once
// per filter. The writer shares their rows and reads their threads under
// the store's lock.
func (s *Session) cachedViews() []cache.View {
	var out []cache.View
	done := map[string]bool{}
	for _, v := range s.views {
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
	if s.cache.c == nil {
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
// (KeepTexts) and they changed in it.
func (s *Session) SaveCache() error {
	var err error
	if write := s.cacheWrite(); write != nil {
		err = write()
	}
	if s.cache.c != nil && s.opts.KeepTexts && s.texts.Version() != s.textsAtStart {
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
