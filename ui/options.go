package ui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"triage/api"
	"triage/keymap"
	"triage/presence"
	"triage/session"
	"triage/threads"
)

// SavedViews is where the views saved from the console are kept: written
// whole on every change.
type SavedViews interface {
	Save(views []threads.View) error
}

// History is where the search line's queries are kept.
type History interface {
	Save(queries []string) error
}

// Options is everything the console needs, injected by main.
type Options struct {
	// Session is the chatbot session the console drives: its views,
	// queue, reads and sends.
	Session *session.Session
	// ReadOnly is a console that may browse and read but not edit:
	// another console holds the journal of this chatbot.
	ReadOnly string
	// Notice is shown in the status line at start (a journal warning).
	Notice string
	// Others are this chatbot's journals under other keys: the agent is
	// asked about them at start.
	Others []OtherJournal
	// Keys is the keymap in force.
	Keys *keymap.Keymap
	// ASCII selects the ASCII glyph set.
	ASCII bool
	// Terminal is the terminal's character set, colours and background,
	// the window title and the clipboard (the zero value: a UTF-8,
	// 24-bit terminal, asked for its background, its title left alone).
	Terminal Terminal
	// Limits bound what the forms accept (defaults: 40, 200, 5000).
	Limits Limits
	// KeepMarks keeps the marks of the threads a send confirmed; by
	// default they are cleared.
	KeepMarks bool
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
	// Source says where the threads come from ("demo-bot @ host").
	Source string
	// Tick schedules a message after a while, as tea.Tick does (the
	// default): fading results, the live poll, countdowns.
	Tick func(time.Duration, func(time.Time) tea.Msg) tea.Cmd
	// Context bounds the console's commands (a command run in the
	// background stops with it).
	Context context.Context
	// Agent is the agent's name, as presence shows it to the others.
	Agent string
	// Presence is the directory the consoles of this host share to show
	// who is on which thread; nil turns presence off.
	Presence *presence.Dir
	// AlertVia is how an alert rings: "bell", "osc9", "osc777".
	AlertVia []string
	// SavedViews keeps the views saved from the palette (save view NAME);
	// nil when they cannot be, SavedProblem saying why.
	SavedViews   SavedViews
	SavedProblem string
	// History keeps the queries the search line kept (enter) across
	// restarts; SearchHistory is what it held at start, oldest first.
	History       History
	SearchHistory []string
	// Leave, called once as the console quits, closes the journal and
	// says what it kept or rescued (copied: the copy the agent had the
	// edits written to, "" for none), for the last frame; rescue is set
	// when the agent must read it before the screen goes (a key leaves).
	Leave func(copied string) (text string, rescue bool)
	// Events, when set, delivers what the API client reports (retries,
	// rate-limit waits) for the event log and the status line.
	Events <-chan api.Event
}
