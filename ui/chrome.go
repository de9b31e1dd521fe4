package ui

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"triage/api"
	"triage/keymap"
	"triage/sanitize"
	"triage/threads"
)

// bar is the top line: the views with their server totals (the active
// one in brackets, so it shows without colour) and where the threads come
// from.
func (m *Model) bar() string {
	var b strings.Builder
	width := 0
	add := func(text string, style func(...string) string) {
		if width >= m.width {
			return
		}
		text = fit(text, min(ansi.StringWidth(text), m.width-width), false, m.glyphs.Ellipsis)
		width += ansi.StringWidth(text)
		b.WriteString(style(text))
	}
	add(" triage ", m.st.bar.Render)
	for i, v := range m.views {
		label := fmt.Sprintf("%d %s %s", i+1, v.def.Name, viewTotal(v))
		if i == m.active {
			add("["+label+"]", m.st.barActive.Render)
		} else {
			add(" "+label+" ", m.st.bar.Render)
		}
	}
	source := " " + sanitize.Line(m.opts.Source) + " "
	if gap := m.width - width - ansi.StringWidth(source); gap >= 2 {
		add(strings.Repeat(" ", gap)+source, m.st.bar.Render)
	} else if width < m.width {
		add(strings.Repeat(" ", m.width-width), m.st.bar.Render)
	}
	return b.String()
}

// viewTotal is a view's thread count for the bar: the server's total when
// known, else what is loaded, else an ellipsis.
func viewTotal(v *viewState) string {
	switch {
	case v.total >= 0:
		return thousands(v.total)
	case v.set.Len() > 0:
		return thousands(v.set.Len())
	}
	return "…"
}

// statusLine shows a question when one is asked; otherwise progress, the
// search, what an action would hit, what is pending and the last result on
// the left, and the cursor position on the right.
func (m *Model) statusLine() string {
	if q, ok := m.promptLine(); ok {
		return m.st.cursor.Render(fit(" "+q, m.width, false, m.glyphs.Ellipsis))
	}
	v := m.view()
	var parts []string
	switch {
	case m.flush != nil:
		parts = append(parts, m.flushText())
	case v.loading && v.progress.Pages == 0:
		parts = append(parts, m.spinner.View()+" Loading threads…")
	case v.loading:
		parts = append(parts, fmt.Sprintf("%s loading %s/%s", m.spinner.View(), thousands(max(v.set.Len(), v.progress.Loaded)), thousands(v.progress.Total)))
	case v.set.Len() == 0 && m.status == "":
		parts = append(parts, "No threads in this view.")
	}
	if w := m.waitText(); w != "" {
		parts = append(parts, w)
	}
	if m.status != "" && m.statusErr {
		parts = append(parts, m.status) // an error goes first, so it is never cut off
	}
	if !m.query.Empty() && !m.searching {
		parts = append(parts, fmt.Sprintf("/%s: %s of %s", sanitize.Line(m.query.String()), thousands(len(m.table.rows)), thousands(v.set.Len())))
	}
	if v.def.Sort != threads.SortUpdated || v.def.Reverse {
		parts = append(parts, "sort: "+sortText(v.def.Sort, v.def.Reverse))
	}
	parts = append(parts, m.targetText())
	if n := m.queue.Len(); n > 0 {
		parts = append(parts, fmt.Sprintf("%s pending (%s)", thousands(m.queue.Fields()), plural(n, "thread")))
	}
	if m.status != "" && !m.statusErr {
		parts = append(parts, m.status)
	}
	left := strings.Join(parts, m.glyphs.Sep)
	right := ""
	if n := len(m.table.rows); n > 0 && m.overlay != overlayReview {
		right = fmt.Sprintf("%s/%s", thousands(m.table.cursor+1), thousands(n))
	}
	left = fit(left, max(0, m.width-len(right)-1), false, m.glyphs.Ellipsis)
	if m.statusErr {
		left = m.st.errText.Render(left)
	}
	return left + " " + right
}

// hintLine is the one-line key reminder for what is in front, generated
// from the keymap.
func (m *Model) hintLine() string {
	acts := []keymap.Action{keymap.MarkDown, keymap.Resolve, keymap.Escalate, keymap.Review, keymap.Send,
		keymap.Undo, keymap.Help, keymap.Quit}
	switch m.overlay {
	case overlayReview:
		acts = []keymap.Action{keymap.Revert, keymap.KeepMine, keymap.TakeTheirs, keymap.KeepAllMine, keymap.TakeAll, keymap.Send, keymap.Undo, keymap.Cancel}
	case overlayLog:
		acts = []keymap.Action{keymap.Down, keymap.Up, keymap.Top, keymap.Cancel}
	case overlayForm:
		return "" // the form shows its own keys
	}
	if m.searching {
		return m.searchLine()
	}
	var parts []string
	width := 0
	for _, b := range m.keys.Short(acts...) {
		keys := b.Keys()
		if len(keys) == 0 {
			continue
		}
		desc := b.Help().Desc
		part := m.st.hintKey.Render(keys[0]) + " " + m.st.hintDesc.Render(desc)
		w := ansi.StringWidth(keys[0]) + 1 + ansi.StringWidth(desc) + 2
		if width+w > m.width {
			break
		}
		width += w
		parts = append(parts, part)
	}
	return strings.Join(parts, "  ")
}

func tooSmall(w, h int) string {
	return fmt.Sprintf("Terminal too small: %dx%d.\nNeed at least %dx%d.", w, h, minWidth, minHeight)
}

// thousands formats n with thin separators: 12,345.
func thousands(n int) string {
	s := strconv.Itoa(n)
	if n < 0 || len(s) <= 3 {
		return s
	}
	var b strings.Builder
	lead := len(s) % 3
	if lead > 0 {
		b.WriteString(s[:lead])
	}
	for i := lead; i < len(s); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

// describeError is an error for the status line: what the server said
// first, then what to check, then the details that are cut first when the
// line is short.
func describeError(err error) string {
	e, ok := api.AsError(err)
	if !ok {
		return sanitize.Line(err.Error())
	}
	var b strings.Builder
	if e.Status != 0 {
		b.WriteString(strconv.Itoa(e.Status) + " ")
	}
	switch {
	case e.Snippet != "" || e.Err != nil && e.Message == "":
		ct := e.ContentType
		if ct == "" {
			ct = "a body"
		}
		b.WriteString("answered with " + ct + ", not the API's JSON")
		if e.Err != nil {
			b.WriteString(" (" + e.Err.Error() + ")")
		}
	case e.Message != "":
		b.WriteString(e.Message)
		if e.Code != "" {
			b.WriteString(" (" + e.Code + ")")
		}
	default:
		b.WriteString(e.StatusText())
	}
	switch {
	case errors.Is(err, api.ErrUnauthorized):
		b.WriteString(", check the API key")
	case errors.Is(err, api.ErrForbidden):
		b.WriteString(", the key's plan does not allow this chatbot")
	case errors.Is(err, api.ErrNotFound):
		b.WriteString(", check the chatbot id and base URL")
	case errors.Is(err, api.ErrNotJSON):
		b.WriteString(", a proxy or the wrong base URL?")
	}
	for i, f := range e.Fields {
		if i == 2 {
			b.WriteString(fmt.Sprintf("; %d more", len(e.Fields)-2))
			break
		}
		b.WriteString("; " + f.String())
	}
	if e.Snippet != "" {
		b.WriteString(": " + strconv.Quote(e.Snippet))
	}
	if e.RetryAfter > 0 {
		b.WriteString(" (retry after " + e.RetryAfter.Round(time.Second).String() + ")")
	}
	if e.Attempts > 1 {
		b.WriteString(fmt.Sprintf(" (after %d attempts)", e.Attempts))
	}
	return sanitize.Line(b.String())
}
