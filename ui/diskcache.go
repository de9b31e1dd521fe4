package ui

import (
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"triage/cache"
	"triage/threads"
)

// DiskCache keeps the views' threads on disk for the next start.
type DiskCache interface {
	// Write replaces the cache with views, reading their threads under
	// lock; it runs off the UI goroutine.
	Write(views []cache.View, lock sync.Locker, now time.Time) error
}

// diskCache writes the views to the cache after each load that reached
// its end, one write at a time; a change while one runs is written after
// it.
type diskCache struct {
	c       DiskCache
	running bool
	again   bool
	failed  bool // a failure was reported; the next is not
}

// cacheSavedMsg ends a write of the cache.
type cacheSavedMsg struct{ err error }

// adoptCache shows what the disk cache held: the views it has rows of
// start with them, marked from the cache until their refresh ends.
func (vs *viewSet) adoptCache(snap *cache.Snapshot) {
	if snap == nil {
		return
	}
	vs.store = snap.Store
	adopted := map[string]bool{}
	for _, v := range vs.all {
		v.set = threads.NewList(vs.store)
		key := cache.ViewKey(v.def.Params)
		cv, ok := snap.Views[key]
		if !ok || v.source != nil {
			continue
		}
		adopted[key] = true
		v.set.Include(cv.Rows)
		v.total, v.mark, v.readAt, v.fromCache = cv.Total, cv.Mark, cv.ReadAt, true
	}
	for _, v := range vs.all {
		if v.source != nil {
			v.set.Include(v.filter(v.source.set.All()))
		}
	}
	if len(adopted) < len(snap.Views) { // the config's views changed: what no view shows goes
		vs.store.Keep(vs.shows)
	}
}

// cachedViews are the views to write: each one that loads its own
// threads, read to its end in this session or brought by the cache, once
// per filter. The writer shares their rows and reads their threads under
// the store's lock.
func (vs *viewSet) cachedViews() []cache.View {
	var out []cache.View
	done := map[string]bool{}
	for _, v := range vs.all {
		key := cache.ViewKey(v.def.Params)
		if v.readAt.IsZero() || v.source != nil || done[key] {
			continue
		}
		done[key] = true
		rows := v.set.All() // a list never rewrites its rows in place: the writer may share them
		out = append(out, cache.View{Key: key, Total: v.total, ReadAt: v.readAt, Mark: v.mark, Rows: rows[:len(rows):len(rows)]})
	}
	return out
}

// cacheWrite is the write of the views to the cache, for any goroutine,
// or nil when there is no cache or nothing to write.
func (m *Model) cacheWrite() func() error {
	if m.cache.c == nil {
		return nil
	}
	views := m.views.cachedViews()
	if len(views) == 0 {
		return nil
	}
	c, lock, now := m.cache.c, m.views.store.ReadLocker(), m.opts.Now()
	return func() error { return c.Write(views, lock, now) }
}

// saveCache writes the cache in the background, or after the write under
// way.
func (m *Model) saveCache() tea.Cmd {
	d := &m.cache
	if d.running {
		d.again = true
		return nil
	}
	write := m.cacheWrite()
	if write == nil {
		return nil
	}
	d.running, d.again = true, false
	return func() tea.Msg { return cacheSavedMsg{err: write()} }
}

// cacheSaved ends a write: a failure is said once (the console works on
// without a cache), a change during the write is written now.
func (m *Model) cacheSaved(msg cacheSavedMsg) tea.Cmd {
	d := &m.cache
	d.running = false
	if msg.err != nil && !d.failed {
		d.failed = true
		m.log.add(m.opts.Now(), "The thread cache was not written, the next start loads from the server: "+msg.err.Error(), true)
	}
	if d.again {
		return m.saveCache()
	}
	return nil
}

// SaveCache writes the cache now and waits: the last write, at exit.
func (m *Model) SaveCache() error {
	if write := m.cacheWrite(); write != nil {
		return write()
	}
	return nil
}
