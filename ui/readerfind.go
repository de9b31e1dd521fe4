package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"triage/keymap"
	"triage/sanitize"
	"triage/threads"
)

// readerFind is a search in the text the reader shows: / types it, every
// key moves to the first match from where the reader is, n and N go to
// the next and previous, matches are highlighted, and the heading says
// "match 2 of 5". Case and accents do not count.
type readerFind struct {
	input  textinput.Model
	typing bool
	text   string // folded; "" is no search
	at     int    // the current match, an index into the lines that hold one
}

func newReaderFind() readerFind {
	in := newTextInput()
	in.Prompt = "/"
	return readerFind{input: in}
}

// active reports a search that n and N move through.
func (f *readerFind) active() bool { return f.text != "" && !f.typing }

// open gives the keys to the line, with the last search to edit.
func (f *readerFind) open() tea.Cmd {
	f.typing = true
	f.input.SetValue(f.input.Value())
	f.input.CursorEnd()
	return f.input.Focus()
}

// key handles a key while typing (a, when bound, its action in the
// search context); it reports whether the text changed.
func (f *readerFind) key(msg tea.KeyPressMsg, a keymap.Action, bound bool) (changed bool, cmd tea.Cmd) {
	if bound {
		switch a {
		case keymap.Submit:
			f.typing = false
			f.input.Blur()
			return false, nil
		case keymap.Cancel:
			f.clear()
			return true, nil
		}
	}
	f.input, cmd = f.input.Update(msg)
	text := threads.Fold(f.input.Value())
	changed, f.text = text != f.text, text
	return changed, cmd
}

// clear ends the search.
func (f *readerFind) clear() {
	f.typing, f.text, f.at = false, "", 0
	f.input.Blur()
	f.input.SetValue("")
}

// matches are the lines (indexes) holding the search's text.
func (f *readerFind) matches(lines []string) []int {
	if f.text == "" {
		return nil
	}
	var out []int
	for i, l := range lines {
		if strings.Contains(threads.Fold(ansi.Strip(l)), f.text) {
			out = append(out, i)
		}
	}
	return out
}

// first puts the current match on the first one at or after line from.
func (f *readerFind) first(matches []int, from int) {
	f.at = 0
	for i, l := range matches {
		if l >= from {
			f.at = i
			return
		}
	}
}

// step moves to the next (+1) or previous (-1) match, round the end.
func (f *readerFind) step(matches []int, by int) {
	if len(matches) > 0 {
		f.at = ((f.at+by)%len(matches) + len(matches)) % len(matches)
	}
}

// line is the line of the current match, -1 when there is none.
func (f *readerFind) line(matches []int) int {
	if len(matches) == 0 {
		return -1
	}
	return matches[min(f.at, len(matches)-1)]
}

// heading is what the reader's first line says of the search.
func (f *readerFind) heading(matches []int) string {
	switch {
	case f.text == "":
		return ""
	case len(matches) == 0:
		return " · no match for “" + sanitize.Line(f.input.Value()) + "”"
	}
	return fmt.Sprintf(" · match %d of %d", min(f.at, len(matches)-1)+1, len(matches))
}

// highlight is a line with the search's text shown: a plain copy of the
// line with each match in the match style (its other styles go).
func (f *readerFind) highlight(line string, st *styles) string {
	plain := ansi.Strip(line)
	folded := threads.Fold(plain)
	if len(folded) != len(plain) || f.text == "" {
		return st.match.Render(plain) // accents folded to other lengths: the whole line
	}
	var b strings.Builder
	for at := 0; ; {
		i := strings.Index(folded[at:], f.text)
		if i < 0 {
			b.WriteString(plain[at:])
			return b.String()
		}
		b.WriteString(plain[at : at+i])
		b.WriteString(st.match.Render(plain[at+i : at+i+len(f.text)]))
		at += i + len(f.text)
	}
}

// view is the line the search is typed in.
func (f *readerFind) view(width int, lk *look) string {
	return ansi.TruncateWc(f.input.View()+"  "+lk.st.hintDesc.Render("enter keeps · esc clears · then n and N"), width, lk.g.Ellipsis)
}
