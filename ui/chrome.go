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
)

// bar is the top line: product, source, view and count.
func (m *Model) bar() string {
	left := " triage" + m.glyphs.Sep + sanitize.Line(m.opts.Source) + m.glyphs.Sep + m.opts.ViewName
	right := thousands(m.rows.len()) + " threads "
	gap := m.width - ansi.StringWidth(left) - len(right)
	line := left + strings.Repeat(" ", max(1, gap)) + right
	return m.st.bar.Render(fit(line, m.width, false, m.glyphs.Ellipsis))
}

// statusLine shows a question when one is asked; otherwise progress,
// what an action would hit, what is pending and the last result on the
// left, and the cursor position on the right.
func (m *Model) statusLine() string {
	if q, ok := m.promptLine(); ok {
		return m.st.cursor.Render(fit(" "+q, m.width, false, m.glyphs.Ellipsis))
	}
	var parts []string
	switch {
	case m.flush != nil:
		parts = append(parts, m.flushText())
	case m.loading && m.progress.Pages == 0:
		parts = append(parts, m.spinner.View()+" Loading threads…")
	case m.loading:
		parts = append(parts, fmt.Sprintf("%s loading %s/%s", m.spinner.View(), thousands(m.progress.Loaded), thousands(m.progress.Total)))
	case m.rows.len() == 0 && m.status == "":
		parts = append(parts, "No threads in this view.")
	}
	parts = append(parts, m.targetText())
	if n := m.queue.Len(); n > 0 {
		parts = append(parts, fmt.Sprintf("%s pending (%s)", thousands(m.queue.Fields()), plural(n, "thread")))
	}
	if m.status != "" {
		parts = append(parts, m.status)
	}
	left := strings.Join(parts, m.glyphs.Sep)
	right := ""
	if n := m.rows.len(); n > 0 && m.overlay != overlayReview {
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
	acts := []keymap.Action{keymap.MarkDown, keymap.Resolve, keymap.Escalate, keymap.Review, keymap.Flush,
		keymap.Undo, keymap.Help, keymap.Quit}
	switch m.overlay {
	case overlayReview:
		acts = []keymap.Action{keymap.Revert, keymap.KeepMine, keymap.TakeTheirs, keymap.Flush, keymap.Undo, keymap.Cancel}
	case overlayForm:
		return "" // the form shows its own keys
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
	case api.IsUnauthorized(err):
		b.WriteString(", check the API key")
	case api.IsForbidden(err):
		b.WriteString(", the key's plan does not allow this chatbot")
	case api.IsNotFound(err):
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
	if strings.HasPrefix(err.Error(), "gave up after") {
		attempts, _, _ := strings.Cut(strings.TrimPrefix(err.Error(), "gave up after "), ":")
		b.WriteString(" (after " + attempts + ")")
	}
	return sanitize.Line(b.String())
}
