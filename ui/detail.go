package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"triage/api"
	"triage/sanitize"
)

// detailSideWidth is the terminal width from which the detail pane sits
// beside the table; on narrower terminals it covers the table, following
// the cursor as it moves.
const detailSideWidth = 120

// detailWidth is the width of the pane beside the table.
func detailWidth(w int) int { return max(44, w/3) }

// mainView draws the table and, when open, the detail pane beside or
// below it: exactly the lines between the top bar and the status line.
func (m *Model) mainView(b *strings.Builder) {
	if !m.detail {
		m.table.view(b, m.opts.Now(), m.glyphs, &m.st, m.rowState)
		return
	}
	total := m.height - chromeLines + 1
	if m.width >= detailSideWidth {
		var tb strings.Builder
		m.table.view(&tb, m.opts.Now(), m.glyphs, &m.st, m.rowState)
		tableLines := strings.Split(strings.TrimSuffix(tb.String(), "\n"), "\n")
		dw := detailWidth(m.width)
		pane := m.detailLines(m.table.current(), dw-1, total)
		for i := 0; i < total; i++ {
			left := ""
			if i < len(tableLines) {
				left = tableLines[i]
			}
			b.WriteString(fit(left, m.table.width, false, "") + m.st.dim.Render("│") + fit(pane[i], dw, false, m.glyphs.Ellipsis) + "\n")
		}
		return
	}
	for _, l := range m.detailLines(m.table.current(), m.width, total) {
		b.WriteString(fit(l, m.width, false, m.glyphs.Ellipsis) + "\n")
	}
}

// detailLines is everything about a thread, height lines of at most width
// cells: visitor, counts, model, platform, times, tags, and its pending
// edits and conflicts.
func (m *Model) detailLines(t *api.Thread, width, height int) []string {
	head := "Detail"
	if m.width < detailSideWidth {
		head += fmt.Sprintf("  (%s/%s; j/k move, enter closes)", thousands(m.table.cursor+1), thousands(len(m.table.rows)))
	}
	lines := []string{m.st.title.Render(fit(head, width, false, ""))}
	if t == nil {
		lines = append(lines, "No thread under the cursor.")
	} else {
		now := m.opts.Now()
		field := func(name, value string) {
			lines = append(lines, m.st.dim.Render(fit(name, 10, false, ""))+" "+sanitize.Line(value))
		}
		title := t.Title
		if title == "" {
			title = "(no title)"
		}
		lines = append(lines, m.st.hintKey.Render(sanitize.Line(title)))
		field("Thread", t.ID)
		field("Visitor", orDash(t.VisitorName))
		field("Email", orDash(t.VisitorEmail))
		field("Phone", orDash(t.VisitorPhone))
		field("Anonymous", yesNo(t.Anonymous))
		field("Flags", flagWords(t))
		field("Mode", orDash(string(t.Mode)))
		field("Unread", strconv.Itoa(t.UnreadMessagesCount))
		field("Feedback", fmt.Sprintf("+%d / -%d", t.PositiveCount, t.NegativeCount))
		if md := t.LLMModel; md != nil {
			field("Model", md.Title+" ("+md.Provider+", "+md.ID+")")
		} else {
			field("Model", "-")
		}
		field("Platform", orDash(t.PlatformSource))
		field("Started", when(t.StartedAt, now))
		field("Updated", when(t.UpdatedAt, now))
		field("Ended", when(t.EndedAt, now))
		field("Tags", orDash(strings.Join(t.Tags, " ")))
		if e := m.queue.Get(t.ID); e != nil {
			lines = append(lines, "", m.st.title.Render("Pending"))
			if e.NotConfirmed {
				lines = append(lines, "not confirmed by the server's last answer")
			}
			for _, c := range e.Changes(t) {
				line := fmt.Sprintf("%s: %s %s %s", c.Field, sanitize.Line(c.Old), m.glyphs.Arrow, sanitize.Line(c.New))
				if c.Conflict {
					line = m.st.errText.Render(line + " (conflict)")
				}
				lines = append(lines, line)
			}
		}
		for _, f := range m.failures[t.ID] {
			lines = append(lines, m.st.errText.Render("refused: "+sanitize.Line(f)))
		}
	}
	out := make([]string, height)
	for i := range out {
		if i < len(lines) {
			out[i] = fit(lines[i], width, false, m.glyphs.Ellipsis)
		}
	}
	return out
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func flagWords(t *api.Thread) string {
	var out []string
	for _, f := range []struct {
		on   bool
		name string
	}{{t.Resolved, "resolved"}, {t.Archived, "archived"}, {t.Escalated, "escalated"}, {t.Important, "important"}} {
		if f.on {
			out = append(out, f.name)
		}
	}
	return orDash(strings.Join(out, ", "))
}

// when is an absolute time with its age: "2026-11-23 14:05 UTC (3h ago)".
func when(t, now time.Time) string {
	if t.IsZero() {
		return "-"
	}
	rel := age(now, t) + " ago"
	if rel == "now ago" {
		rel = "just now"
	}
	return t.UTC().Format("2006-01-02 15:04 UTC") + " (" + rel + ")"
}
