// Package keymap names every action of the console, binds each to its
// default keys, applies the [keys] overrides of the config with
// validation, and groups the bindings for the help views, so the help
// always shows the keys in force.
package keymap

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// Action is a named thing the operator can do.
type Action string

// The actions. Their string is the name used in the config's [keys].
const (
	Down        Action = "down"
	Up          Action = "up"
	Top         Action = "top"
	Bottom      Action = "bottom"
	HalfDown    Action = "half_page_down"
	HalfUp      Action = "half_page_up"
	PageDown    Action = "page_down"
	PageUp      Action = "page_up"
	MarkDown    Action = "mark_down"
	Mark        Action = "mark"
	RangeMark   Action = "range_mark"
	MarkAll     Action = "mark_all"
	ClearMarks  Action = "clear_marks"
	Resolve     Action = "resolve"
	Archive     Action = "archive"
	Escalate    Action = "escalate"
	Important   Action = "important"
	SetMode     Action = "mode"
	Tags        Action = "tags"
	Title       Action = "title"
	Notes       Action = "notes"
	Search      Action = "search"
	NextView    Action = "next_view"
	PrevView    Action = "prev_view"
	Sort        Action = "sort"
	SortReverse Action = "sort_reverse"
	SortPicker  Action = "sort_picker"
	Reader      Action = "reader"
	NextThread  Action = "next_thread"
	PrevThread  Action = "prev_thread"
	Detail      Action = "detail"
	EventLog    Action = "event_log"
	KeepAllMine Action = "keep_all_mine"
	TakeAll     Action = "take_all_theirs"
	Submit      Action = "submit"
	NextField   Action = "next_field"
	PrevField   Action = "prev_field"
	Review      Action = "review"
	Send        Action = "send"
	Undo        Action = "undo"
	Redo        Action = "redo"
	Discard     Action = "discard"
	Refresh     Action = "refresh"
	Help        Action = "help"
	Cancel      Action = "cancel"
	Quit        Action = "quit"
	ForceQuit   Action = "force_quit"
	Revert      Action = "revert"
	KeepMine    Action = "keep_mine"
	TakeTheirs  Action = "take_theirs"
	Yes         Action = "yes"
	SendAndQuit Action = "send_and_quit"
	KeepAndQuit Action = "keep_and_quit"
	CopyAndQuit Action = "copy_and_quit"
	CopyIDs     Action = "copy_ids"
	CopyLink    Action = "copy_link"
	OpenLink    Action = "open_link"
	Palette     Action = "palette"
	OpenOther   Action = "show_other_journal"
	Claim       Action = "claim"
	Release     Action = "release"
	GoToAlert   Action = "go_to_alert"
	NextMatch   Action = "next_match"
	PrevMatch   Action = "prev_match"
	SetAside    Action = "set_aside_other_journal"
)

// Own is an action the agent defines in the config, a macro or a
// command, as the keymap sees it: its name and its key ("" when it has
// none: the palette runs it).
type Own struct {
	Name, Key string
	Command   bool // a command; else a macro
}

// The prefixes of the action names of macros and commands.
const (
	macroPrefix   = "macro:"
	commandPrefix = "command:"
)

// MacroAction is the action of the macro named name.
func MacroAction(name string) Action { return Action(macroPrefix + name) }

// MacroName reports whether a is a macro's action, and its name.
func MacroName(a Action) (string, bool) {
	return strings.CutPrefix(string(a), macroPrefix)
}

// Edits reports an action that changes the queue or sends it: the
// toggles and forms, claims, undo and redo, the review's reverts and
// settlements, discard, send, and every macro.
func Edits(a Action) bool {
	if _, ok := MacroName(a); ok {
		return true
	}
	switch a {
	case Resolve, Archive, Escalate, Important, SetMode, Tags, Title, Notes, Claim, Release, Undo, Redo, Discard, Send,
		Revert, KeepMine, TakeTheirs, KeepAllMine, TakeAll:
		return true
	}
	return false
}

// CommandAction is the action of the command named name.
func CommandAction(name string) Action { return Action(commandPrefix + name) }

// CommandName reports whether a is a command's action, and its name.
func CommandName(a Action) (string, bool) {
	return strings.CutPrefix(string(a), commandPrefix)
}

// OwnName reports whether a is a macro's or a command's action, and its
// name.
func OwnName(a Action) (string, bool) {
	if name, ok := MacroName(a); ok {
		return name, true
	}
	return CommandName(a)
}

// ViewAction is the action that jumps to view n (1-9): "view_3".
func ViewAction(n int) Action { return Action(fmt.Sprintf("view_%d", n)) }

// ViewNumber reports whether a is a jump to a numbered view, and which.
func ViewNumber(a Action) (int, bool) {
	var n int
	if _, err := fmt.Sscanf(string(a), "view_%d", &n); err != nil || n < 1 || n > 9 || ViewAction(n) != a {
		return 0, false
	}
	return n, true
}

// Context is where an action applies. A key may serve different actions
// in different contexts, never two in one.
type Context string

// The contexts.
const (
	InList    Context = "list"    // the thread table
	InReview  Context = "review"  // the pending review
	InConfirm Context = "confirm" // a yes/no question
	InQuit    Context = "quit"    // the question asked when quitting with edits queued
	InForm    Context = "form"    // the tags, title and notes forms (other keys type)
	InPicker  Context = "picker"  // the mode picker
	InSearch  Context = "search"  // the search line (other keys type)
	InLog     Context = "log"     // the event log
	InReader  Context = "reader"  // the reader: one thread, full screen
	InNotice  Context = "notice"  // the question about another journal of the chatbot, at start
	InFound   Context = "found"   // the reader with a search in its text
)

// Group names, in the order the help shows them.
const (
	GroupMove     = "Move"
	GroupMark     = "Mark"
	GroupEdit     = "Edit"
	GroupViews    = "Views"
	GroupQueue    = "Queue"
	GroupReview   = "Pending review"
	GroupReader   = "Reader"
	GroupMacros   = "Macros"
	GroupCommands = "Commands"
	GroupCopy     = "Copy and open"
	GroupForm     = "Forms"
	GroupPrompt   = "Questions"
	GroupGeneral  = "General"
)

type def struct {
	action   Action
	keys     []string
	help     string
	group    string
	contexts []Context
}

// defaults is the default binding of every action, in help order.
func defaults() []def {
	nav := []Context{InList, InReview, InReader}
	list := []Context{InList}
	act := []Context{InList, InReader} // actions on the threads, or on the one the reader shows
	pick := []Context{InList, InReview, InPicker, InLog, InReader}
	scroll := []Context{InList, InReview, InLog, InReader}
	ends := []Context{InList, InReview, InPicker, InLog, InReader}
	return []def{
		{Down, []string{"j", "down"}, "down", GroupMove, pick},
		{Up, []string{"k", "up"}, "up", GroupMove, pick},
		{Top, []string{"g", "home"}, "top", GroupMove, ends},
		{Bottom, []string{"G", "end"}, "bottom", GroupMove, ends},
		{HalfDown, []string{"ctrl+d"}, "half page down", GroupMove, scroll},
		{HalfUp, []string{"ctrl+u"}, "half page up", GroupMove, scroll},
		{PageDown, []string{"pgdown"}, "page down", GroupMove, scroll},
		{PageUp, []string{"pgup"}, "page up", GroupMove, scroll},
		{MarkDown, []string{"space"}, "mark + down", GroupMark, act},
		{Mark, []string{"x"}, "mark", GroupMark, act},
		{RangeMark, []string{"v"}, "range mark", GroupMark, list},
		{MarkAll, []string{"V"}, "mark all", GroupMark, list},
		{ClearMarks, []string{"X"}, "clear marks", GroupMark, list},
		{Resolve, []string{"d"}, "resolved", GroupEdit, act},
		{Archive, []string{"e"}, "archived", GroupEdit, act},
		{Escalate, []string{"!"}, "escalated", GroupEdit, act},
		{Important, []string{"i"}, "important", GroupEdit, act},
		{SetMode, []string{"m"}, "mode picker", GroupEdit, act},
		{Tags, []string{"t"}, "tags form", GroupEdit, act},
		{Title, []string{"T"}, "title form", GroupEdit, act},
		{Notes, []string{"n"}, "notes form", GroupEdit, act},
		{Claim, []string{"c"}, "claim (owner tag)", GroupEdit, act},
		{Release, []string{"C"}, "release my claim", GroupEdit, act},
		{Search, []string{"/"}, "search", GroupViews, []Context{InList, InReader}},
		{NextView, []string{"]"}, "next view", GroupViews, list},
		{PrevView, []string{"["}, "previous view", GroupViews, list},
		{ViewAction(1), []string{"1"}, "view 1", GroupViews, list},
		{ViewAction(2), []string{"2"}, "view 2", GroupViews, list},
		{ViewAction(3), []string{"3"}, "view 3", GroupViews, list},
		{ViewAction(4), []string{"4"}, "view 4", GroupViews, list},
		{ViewAction(5), []string{"5"}, "view 5", GroupViews, list},
		{ViewAction(6), []string{"6"}, "view 6", GroupViews, list},
		{ViewAction(7), []string{"7"}, "view 7", GroupViews, list},
		{ViewAction(8), []string{"8"}, "view 8", GroupViews, list},
		{ViewAction(9), []string{"9"}, "view 9", GroupViews, list},
		{Sort, []string{"s"}, "next sort", GroupViews, list},
		{SortReverse, []string{"S"}, "reverse sort", GroupViews, list},
		{SortPicker, []string{"O"}, "sort by…", GroupViews, list},
		{GoToAlert, []string{"a"}, "go to the thread of the last alert", GroupViews, list},
		{Detail, []string{"enter"}, "detail pane; in it, the reader", GroupViews, list},
		{Reader, []string{"R"}, "reader", GroupReader, list},
		{NextThread, []string{"J"}, "next thread", GroupReader, []Context{InReader}},
		{PrevThread, []string{"K"}, "previous thread", GroupReader, []Context{InReader}},
		{NextMatch, []string{"n"}, "next match of the reader's search", GroupReader, []Context{InFound}},
		{PrevMatch, []string{"N"}, "previous match", GroupReader, []Context{InFound}},
		{CopyIDs, []string{"y"}, "copy ids", GroupCopy, act},
		{CopyLink, []string{"Y"}, "copy links", GroupCopy, act},
		{OpenLink, []string{"o"}, "open link", GroupCopy, act},
		{Review, []string{"p"}, "review", GroupQueue, []Context{InList, InReview, InReader, InConfirm}},
		{Send, []string{"w"}, "send", GroupQueue, nav},
		{Undo, []string{"u"}, "undo", GroupQueue, nav},
		{Redo, []string{"ctrl+r"}, "redo", GroupQueue, nav},
		{Discard, []string{"U"}, "discard all", GroupQueue, nav},
		{Revert, []string{"x", "delete"}, "revert line", GroupReview, []Context{InReview}},
		{KeepMine, []string{"o"}, "keep mine", GroupReview, []Context{InReview}},
		{TakeTheirs, []string{"t"}, "take theirs", GroupReview, []Context{InReview}},
		{KeepAllMine, []string{"O"}, "keep mine, all", GroupReview, []Context{InReview}},
		{TakeAll, []string{"T"}, "take theirs, all", GroupReview, []Context{InReview}},
		{Submit, []string{"enter"}, "save, choose", GroupForm, []Context{InForm, InPicker, InSearch}},
		{NextField, []string{"tab"}, "complete, next", GroupForm, []Context{InForm}},
		{PrevField, []string{"shift+tab"}, "previous", GroupForm, []Context{InForm}},
		{Yes, []string{"y"}, "yes", GroupPrompt, []Context{InConfirm}},
		{SendAndQuit, []string{"s"}, "send and quit", GroupPrompt, []Context{InQuit}},
		{KeepAndQuit, []string{"k"}, "keep and quit", GroupPrompt, []Context{InQuit}},
		{CopyAndQuit, []string{"w"}, "write a copy, quit", GroupPrompt, []Context{InQuit}},
		{OpenOther, []string{"v"}, "show another journal's edits", GroupPrompt, []Context{InNotice}},
		{SetAside, []string{"D"}, "set another journal aside", GroupPrompt, []Context{InNotice}},
		{Palette, []string{":"}, "run anything by name", GroupGeneral, nav},
		{Refresh, []string{"r"}, "refresh; in the reader, read the thread again", GroupGeneral, []Context{InList, InReader}},
		{EventLog, []string{"L"}, "event log", GroupGeneral, []Context{InList, InReview, InLog, InReader}},
		{Help, []string{"?"}, "help", GroupGeneral, nav},
		{Cancel, []string{"esc"}, "cancel, close", GroupGeneral, []Context{InList, InReview, InQuit, InForm, InPicker, InSearch, InLog, InReader, InFound}},
		{Quit, []string{"q"}, "quit", GroupGeneral, nav},
		{ForceQuit, []string{"ctrl+c"}, "quit now", GroupGeneral, []Context{InList, InReview, InConfirm, InQuit, InForm, InPicker, InSearch, InLog, InReader, InNotice}},
	}
}

// Entry is one action with the binding in force.
type Entry struct {
	Action   Action
	Group    string
	Binding  key.Binding
	contexts []Context
}

// Keymap is the bindings in force. Build it with Default or New.
type Keymap struct {
	entries []Entry
	byKey   map[Context]map[string]Action
}

// Default returns the default bindings.
func Default() *Keymap {
	k, err := New(nil)
	if err != nil {
		panic("keymap: defaults conflict: " + err.Error())
	}
	return k
}

// Error is a problem with a [keys] override; Action names the config key.
type Error struct {
	Action string
	Msg    string
}

// Error names the action and what is wrong with its keys.
func (e *Error) Error() string { return "keys." + e.Action + ": " + e.Msg }

// New returns the defaults with overrides applied (action name to keys).
// An unknown action, an unknown key name or two actions on one key is an
// *Error naming the action.
func New(overrides map[string][]string, own ...Own) (*Keymap, error) {
	overrides, err := renameOld(overrides)
	if err != nil {
		return nil, err
	}
	defs := defaults()
	// After the defaults, the macros then the commands: the help lists
	// them last, each group in one piece.
	for _, mc := range slices.Concat(ownOf(own, false), ownOf(own, true)) {
		d := def{action: MacroAction(mc.Name), help: mc.Name, group: GroupMacros, contexts: []Context{InList, InReader}}
		if mc.Command {
			d.action, d.group = CommandAction(mc.Name), GroupCommands
		}
		if mc.Key != "" {
			if err := ValidateKey(mc.Key); err != nil {
				return nil, &Error{string(d.action), err.Error()}
			}
			d.keys = []string{mc.Key}
		}
		defs = append(defs, d)
	}
	index := map[Action]int{}
	for i, d := range defs {
		index[d.action] = i
	}
	names := make([]string, 0, len(overrides))
	for name := range overrides {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		i, ok := index[Action(name)]
		if !ok {
			return nil, &Error{name, fmt.Sprintf("unknown action (known: %s)", strings.Join(actionNames(defs), ", "))}
		}
		keys := overrides[name]
		if len(keys) == 0 {
			return nil, &Error{name, "needs at least one key"}
		}
		for _, k := range keys {
			if err := ValidateKey(k); err != nil {
				return nil, &Error{name, err.Error()}
			}
		}
		defs[i].keys = slices.Compact(slices.Clone(keys))
	}
	km := &Keymap{byKey: map[Context]map[string]Action{}}
	for _, d := range defs {
		for _, k := range d.keys {
			for _, ctx := range d.contexts {
				if err := km.bind(ctx, k, d.action, overrides); err != nil {
					return nil, err
				}
			}
		}
		km.entries = append(km.entries, Entry{Action: d.action, Group: d.group, contexts: d.contexts,
			Binding: key.NewBinding(key.WithKeys(d.keys...), key.WithHelp(displayKeys(d.keys), d.help))})
	}
	return km, nil
}

// ownOf is the commands of own, or its macros.
func ownOf(own []Own, commands bool) []Own {
	return slices.DeleteFunc(slices.Clone(own), func(o Own) bool { return o.Command != commands })
}

// oldNames are action names of earlier versions, still accepted in [keys].
func oldNames() map[string]Action { return map[string]Action{"flush": Send, "filter": Search} }

// renameOld returns overrides with old action names replaced by today's.
func renameOld(overrides map[string][]string) (map[string][]string, error) {
	out := make(map[string][]string, len(overrides))
	for name, keys := range overrides {
		if now, old := oldNames()[name]; old {
			if _, both := overrides[string(now)]; both {
				return nil, &Error{name, fmt.Sprintf("is the old name of %q, which is also set: keep one", now)}
			}
			name = string(now)
		}
		out[name] = keys
	}
	return out, nil
}

// bind puts key k on action a in one context, refusing a second action.
func (km *Keymap) bind(ctx Context, k string, a Action, overrides map[string][]string) error {
	m := km.byKey[ctx]
	if m == nil {
		m = map[string]Action{}
		km.byKey[ctx] = m
	}
	if other, taken := m[k]; taken && other != a {
		// Name the action the user rebound: that is the line to fix.
		this := a
		if _, rebound := overrides[string(this)]; !rebound {
			if _, otherRebound := overrides[string(other)]; otherRebound {
				this, other = other, this
			}
		}
		return &Error{string(this), fmt.Sprintf("key %q is also bound to %q (in the %s context)", k, other, ctx)}
	}
	m[k] = a
	return nil
}

func actionNames(defs []def) []string {
	out := make([]string, len(defs))
	for i, d := range defs {
		out[i] = string(d.action)
	}
	return out
}

// Lookup returns the action bound to a key press in a context.
func (k *Keymap) Lookup(ctx Context, msg tea.KeyPressMsg) (Action, bool) {
	a, ok := k.byKey[ctx][msg.String()]
	return a, ok
}

// Binding returns the binding of an action (an empty binding if unknown).
func (k *Keymap) Binding(a Action) key.Binding {
	for _, e := range k.entries {
		if e.Action == a {
			return e.Binding
		}
	}
	return key.Binding{}
}

// In returns the entries of the actions of a context, in help order,
// bound to a key or not.
func (k *Keymap) In(ctx Context) []Entry {
	var out []Entry
	for _, e := range k.entries {
		if slices.Contains(e.contexts, ctx) {
			out = append(out, e)
		}
	}
	return out
}

// HelpGroup is one titled column of the full help.
type HelpGroup struct {
	Name     string
	Bindings []key.Binding
}

// Groups returns every binding grouped for the help overlay.
func (k *Keymap) Groups() []HelpGroup {
	var out []HelpGroup
	for _, e := range k.entries {
		if len(out) == 0 || out[len(out)-1].Name != e.Group {
			out = append(out, HelpGroup{Name: e.Group})
		}
		g := &out[len(out)-1]
		g.Bindings = append(g.Bindings, e.Binding)
	}
	return out
}

// Short returns the bindings of the given actions, for a one-line hint.
func (k *Keymap) Short(actions ...Action) []key.Binding {
	out := make([]key.Binding, 0, len(actions))
	for _, a := range actions {
		out = append(out, k.Binding(a))
	}
	return out
}
