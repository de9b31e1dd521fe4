package ui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"triage/api"
	"triage/cache"
	"triage/keymap"
	"triage/queue"
	"triage/threads"
)

// API is what the console needs of the ContextGPT client.
type API interface {
	Loader
	ThreadReader
	MessageReader
	UpdateThreads(ctx context.Context, items []api.UpdateItem) ([]api.Thread, error)
}

// Journal keeps the queue on disk, off the UI goroutine.
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

// Options is everything the console needs, injected by main.
type Options struct {
	// API loads and updates threads.
	API API
	// Journal, when set, receives the queue after every change.
	Journal Journal
	// ReadOnly is a console that may browse and read but not edit:
	// another console holds the journal of this chatbot.
	ReadOnly string
	// Cache, when set, keeps the views' threads on disk for the next
	// start; Cached is what it held at this start.
	Cache  DiskCache
	Cached *cache.Snapshot
	// Restored are edits read from the journal at start.
	Restored []*queue.Edit
	// Notice is shown in the status line at start (a journal warning).
	Notice string
	// Keys is the keymap in force.
	Keys *keymap.Keymap
	// ASCII selects the ASCII glyph set.
	ASCII bool
	// Terminal is the terminal's character set, colours and background,
	// the window title and the clipboard (the zero value: a UTF-8,
	// 24-bit terminal, asked for its background, its title left alone).
	Terminal Terminal
	// Load tunes page size and concurrency.
	Load api.LoadOptions
	// Limits bound what the forms accept (defaults: 40, 200, 5000).
	Limits Limits
	// MaxBatch splits a send into PATCHes of at most this many threads
	// (0: one PATCH).
	MaxBatch int
	// UndoBudget bounds the undo history in bytes (default
	// queue.DefaultHistoryBudget).
	UndoBudget int
	// ReadBudget bounds the reads of threads kept (default
	// DefaultReadBudget).
	ReadBudget int
	// KeepMarks keeps the marks of the threads a send confirmed; by
	// default they are cleared.
	KeepMarks bool
	// PollInterval is how often the view on screen re-reads its first
	// page and the views' totals; 0 turns the live list off.
	PollInterval time.Duration
	// RateLimit is the client's requests per minute, to tell how long a
	// check before a send will take.
	RateLimit int
	// Columns names the table's columns in order (default: the first
	// eleven of the catalogue); main has validated them with CheckColumns.
	Columns []string
	// Link is a thread's link in the dashboard, for copy_link and
	// open_link; its error says why there is none (nil: no links).
	Link func(id string) (string, error)
	// Browser opens links ($BROWSER); "" when there is none or the
	// console runs over SSH, where it would open on the wrong machine.
	Browser string
	// Commands are the agent's own commands, bound to
	// keymap.CommandAction(name).
	Commands []Command
	// Macros are the named sets of field changes of the config, bound to
	// keymap.MacroAction(name).
	Macros []Macro
	// Views are the named lists, the first shown at start (default:
	// threads.DefaultViews).
	Views []threads.View
	// Source says where the threads come from ("demo-bot @ host").
	Source string
	// Now is the clock for ages (default time.Now).
	Now func() time.Time
	// Tick schedules a message after a while, as tea.Tick does (the
	// default): fading results, the live poll, countdowns.
	Tick func(time.Duration, func(time.Time) tea.Msg) tea.Cmd
	// Context bounds every request; cancelling it stops all loads.
	Context context.Context
	// Events, when set, delivers what the API client reports (retries,
	// rate-limit waits) for the event log and the status line.
	Events <-chan api.Event
}
