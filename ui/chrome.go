package ui

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

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

// statusLine shows load progress or the last result on the left and the
// cursor position on the right.
func (m *Model) statusLine() string {
	var left string
	switch {
	case m.loading && m.progress.Pages == 0:
		left = m.spinner.View() + " Loading threads…"
	case m.loading:
		left = fmt.Sprintf("%s loading %s/%s", m.spinner.View(), thousands(m.progress.Loaded), thousands(m.progress.Total))
	case m.rows.len() == 0 && m.status == "":
		left = "No threads in this view."
	}
	if m.status != "" {
		if left != "" {
			left += m.glyphs.Sep
		}
		left += m.status
	}
	right := ""
	if n := m.rows.len(); n > 0 {
		right = fmt.Sprintf("%s/%s", thousands(m.table.cursor+1), thousands(n))
	}
	left = fit(left, max(0, m.width-len(right)-1), false, m.glyphs.Ellipsis)
	if m.statusErr {
		left = m.st.errText.Render(left)
	}
	return left + " " + right
}

// hintLine is the one-line key reminder, generated from the keymap.
func (m *Model) hintLine() string {
	acts := []keymap.Action{keymap.Down, keymap.Up, keymap.Top, keymap.Bottom, keymap.Refresh, keymap.Help, keymap.Quit}
	var parts []string
	width := 0
	for _, b := range m.keys.Short(acts...) {
		keys := b.Keys()
		if len(keys) == 0 {
			continue
		}
		part := m.st.hintKey.Render(keys[0]) + " " + m.st.hintDesc.Render(b.Help().Desc)
		w := len(keys[0]) + 1 + len(b.Help().Desc) + 2
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

// describeError is an API error for the status line, with what to check.
func describeError(err error) string {
	msg := sanitize.Line(err.Error())
	switch {
	case api.IsUnauthorized(err):
		msg += " (check the API key)"
	case api.IsForbidden(err):
		msg += " (the key's plan does not allow this chatbot)"
	case api.IsNotFound(err):
		msg += " (check the chatbot id and base URL)"
	case errors.Is(err, api.ErrNotJSON):
		msg += " (a proxy or the wrong base URL?)"
	}
	return msg
}
