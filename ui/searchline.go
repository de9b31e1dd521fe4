package ui

import (
	"slices"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"triage/keymap"
	"triage/sanitize"
	"triage/threads"
	"triage/words"
)

// searchLine is the query the view is searched with and, while it is
// typed, the line in the hint's place. enter keeps the query, esc clears
// it, every other key types and narrows the list at once; a malformed
// query keeps the last good one and says what is wrong.
type searchLine struct {
	input  textinput.Model
	query  threads.Query
	typing bool
	err    string
	origin string         // the thread under the cursor when the line opened
	note   string         // what the query cannot do with these threads
	owners threads.Owners // who owner: names
	texts  *threads.Texts // the conversations and notes held, searched too
	// history are the queries kept (enter), oldest first, across restarts;
	// back is how far up/down went into it while typing (0: the line).
	history []string
	back    int
}

// historySize bounds the queries the search line remembers.
const historySize = 100

func newSearchLine(owners threads.Owners, texts *threads.Texts) searchLine {
	in := newTextInput()
	in.Prompt = "/"
	return searchLine{input: in, owners: owners, texts: texts}
}

// noMatch says a search found nothing, and in what: "No threads match
// “refunds” (searched 872 threads; conversations of 640)".
func noMatch(q threads.Query, searched, conversations int) string {
	in := "searched " + words.Plural(searched, "thread")
	if q.SearchesTexts() {
		in += "; conversations of " + words.Thousands(conversations)
	}
	return "No threads match “" + sanitize.Line(q.String()) + "” (" + in + ")"
}

// searchIntent is what a key in the search line asks of the root.
type searchIntent struct {
	changed bool          // show the rows of the new query
	prev    threads.Query // the query shown before, to narrow from
	first   bool          // put the cursor on the first match, as a pager does
	back    string        // put the cursor back on this thread (esc)
	quit    bool
	kept    []string // the history, to write down, when enter changed it
}

// open gives the keys to the line, with the current query to edit; at
// names the thread under the cursor, where esc brings it back.
func (s *searchLine) open(at string) tea.Cmd {
	s.typing, s.err, s.origin = true, "", at
	s.input.SetValue(s.query.String())
	s.input.CursorEnd()
	return s.input.Focus()
}

// key handles a key while typing: a, when bound, is its action in the
// search context.
func (s *searchLine) key(msg tea.KeyPressMsg, a keymap.Action, bound bool) (searchIntent, tea.Cmd) {
	if bound {
		switch a {
		case keymap.ForceQuit:
			return searchIntent{quit: true}, nil
		case keymap.Submit:
			if s.err != "" { // what is wrong stays said, the line open: never a query the agent did not type
				return searchIntent{}, nil
			}
			s.typing = false
			s.input.Blur()
			return searchIntent{kept: s.keep()}, nil
		case keymap.Cancel:
			in := s.clear()
			in.back = s.origin
			return in, nil
		}
	}
	switch msg.String() {
	case "up", "down": // through the queries kept, newest first
		step := map[string]int{"up": 1, "down": -1}[msg.String()]
		if to := s.back + step; to >= 0 && to <= len(s.history) {
			s.back = to
			text := ""
			if to > 0 {
				text = s.history[len(s.history)-to]
			}
			s.input.SetValue(text)
			s.input.CursorEnd()
			return s.typed(nil)
		}
		return searchIntent{}, nil
	}
	return s.typed(msg)
}

// keep adds the query to the history (once, newest last) and returns the
// history when it changed.
func (s *searchLine) keep() []string {
	s.back = 0
	q := s.query.String()
	if q == "" || len(s.history) > 0 && s.history[len(s.history)-1] == q {
		return nil
	}
	s.history = append(slices.DeleteFunc(s.history, func(h string) bool { return h == q }), q)
	if len(s.history) > historySize {
		s.history = s.history[len(s.history)-historySize:]
	}
	return slices.Clone(s.history)
}

// typed feeds a key or a paste to the input and takes the query if it
// parses.
func (s *searchLine) typed(msg tea.Msg) (searchIntent, tea.Cmd) {
	var cmd tea.Cmd
	if msg != nil {
		s.input, cmd = s.input.Update(msg)
	}
	q, err := threads.Parse(s.input.Value())
	if err != nil {
		s.err = err.Error()
		return searchIntent{}, cmd
	}
	s.err = ""
	prev := s.query
	s.query = q.With(s.owners).WithTexts(s.texts)
	return searchIntent{changed: true, prev: prev, first: true}, cmd
}

// clear drops the query and closes the line.
func (s *searchLine) clear() searchIntent {
	prev := s.query
	s.typing, s.err = false, ""
	s.input.Blur()
	s.input.SetValue("")
	s.query = threads.Query{}
	return searchIntent{changed: true, prev: prev}
}

// view is the input with its error, or a reminder of the grammar.
func (s *searchLine) view(width int, lk *look) string {
	line := s.input.View()
	switch {
	case s.err != "":
		line += "  " + lk.st.errText.Render(s.err)
	case s.note != "":
		line += "  " + lk.st.errText.Render(s.note)
	default:
		line += "  " + lk.st.hintDesc.Render(threads.Reminder())
	}
	return ansi.TruncateWc(line, width, lk.g.Ellipsis)
}
