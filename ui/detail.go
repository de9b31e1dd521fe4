package ui

import (
	"fmt"
	"strings"
	"time"

	"triage/api"
	"triage/queue"
	"triage/sanitize"
	"triage/threads"
	"triage/words"
)

// detailSideWidth is the terminal width from which the detail pane sits
// beside the table; on narrower terminals it covers the table, following
// the cursor as it moves.
const detailSideWidth = 120

// detailWidth is the width of the pane beside the table.
func detailWidth(w int) int { return max(44, w/3) }

// detailPane shows everything about the thread under the cursor, beside
// or over the table, and in the reader, full screen; it keeps what was
// read of threads.
//
// watching is the thread whose read waits for the cursor to rest, and seq
// numbers the rest timers, so only the last one reads.
type detailPane struct {
	open     bool
	reader   reader
	watching string
	seq      int
}

// tableWidth is the width left to the table beside the pane.
func (d *detailPane) tableWidth(width int) int {
	if d.open && width >= detailSideWidth {
		return width - detailWidth(width) - 1
	}
	return width
}

// detailFacts is what the pane shows of the thread under the cursor.
type detailFacts struct {
	thread   *api.Thread
	edit     *queue.Edit
	refused  []string
	position string // "2/30; ", shown when the pane covers the table, "" with no thread
	sentMode string // a mode sent that the server does not show: "HUMAN (sent 10:02; …)"
	now      time.Time
	read     readState      // what was read of it
	noRows   string         // what the table says when it shows no rows
	owners   threads.Owners // who owns it, by its tags
	others   string         // the other agents on it: "bo is reading"
}

// view draws the table and, when open, the pane beside or over it:
// exactly height lines.
func (d *detailPane) view(b *strings.Builder, tbl *table, width, height int, f detailFacts, lk *look, state func(*api.Thread) rowState) {
	if !d.open {
		tbl.view(b, f.now, lk.g, &lk.st, state, f.noRows)
		return
	}
	if width >= detailSideWidth {
		var tb strings.Builder
		tbl.view(&tb, f.now, lk.g, &lk.st, state, f.noRows)
		tableLines := strings.Split(strings.TrimSuffix(tb.String(), "\n"), "\n")
		dw := detailWidth(width)
		pane := detailLines(f, "", dw-1, height, lk)
		for i := 0; i < height; i++ {
			left := ""
			if i < len(tableLines) {
				left = tableLines[i]
			}
			b.WriteString(fit(left, tbl.width, false, "") + lk.st.dim.Render("│") + fit(pane[i], dw, false, lk.g.Ellipsis) + "\n")
		}
		return
	}
	hint := fmt.Sprintf("  (%sj/k move, enter reads, esc closes)", f.position)
	for _, l := range detailLines(f, hint, width, height, lk) {
		b.WriteString(fit(l, width, false, lk.g.Ellipsis) + "\n")
	}
}

// detailLines is the pane, height lines of at most width cells: the
// thread's fields and pending edits, its visitor and notes, then as much
// of the conversation as fits, its newest messages, long ones folded.
func detailLines(f detailFacts, hint string, width, height int, lk *look) []string {
	lines := []string{lk.st.title.Render(fit("Detail"+hint, width, false, ""))}
	if t := f.thread; t == nil {
		lines = append(lines, "No thread under the cursor.")
	} else {
		lines = append(lines, detailHead(t, f, lk)...)
		lines = append(lines, visitorLines(f.read, lk)...)
		lines = append(lines, notesLines(f.read, width, lk)...)
		talk := messageLines(f.read, width, foldAt, f.now, lk)
		if room := height - len(lines); room > 2 && len(talk) > room {
			cut := len(talk) - (room - 2)
			for cut < len(talk) && talk[cut] != "" { // start at a message, not inside one
				cut++
			}
			talk = append(talk[:2], talk[cut:]...) // the heading, then the newest messages
		}
		lines = append(lines, talk...)
	}
	out := make([]string, height)
	for i := range out {
		if i < len(lines) {
			out[i] = fit(lines[i], width, false, lk.g.Ellipsis)
		}
	}
	return out
}

// detailHead is a thread's title, fields, pending edits and refusals.
func detailHead(t *api.Thread, f detailFacts, lk *look) []string {
	var lines []string
	field := func(name, value string) {
		lines = append(lines, lk.st.dim.Render(fit(name, 10, false, ""))+" "+sanitize.Line(value))
	}
	title := t.Title
	if title == "" {
		title = "(no title)"
	}
	lines = append(lines, lk.st.strong.Render(sanitize.Line(title)))
	field("Thread", t.ID)
	field("Visitor", strings.Join([]string{orDash(t.VisitorName), orDash(t.VisitorEmail), orDash(t.VisitorPhone)}, " · ")+
		pick(t.Anonymous, " · anonymous", ""))
	mode := orDash(string(t.Mode))
	if f.sentMode != "" {
		mode = f.sentMode
	}
	field("Flags", flagWords(t)+" · mode "+mode)
	field("Counts", fmt.Sprintf("unread %d · feedback +%d/-%d", t.UnreadMessagesCount, t.PositiveCount, t.NegativeCount))
	model := "-"
	if md := t.LLMModel; md != nil {
		model = md.Title + " (" + md.Provider + ", " + md.ID + ")"
	}
	field("Model", model+" · Platform "+orDash(t.PlatformSource))
	field("Started", when(t.StartedAt, f.now))
	field("Updated", when(t.UpdatedAt, f.now)+" · ended "+words.Age(f.now, t.EndedAt))
	if f.owners.On() {
		field("Owner", orDash(f.owners.Of(t.Tags)))
	}
	field("Tags", orDash(strings.Join(f.owners.Plain(t.Tags), " ")))
	if f.others != "" {
		lines = append(lines, lk.st.dim.Render(fit("Others", 10, false, ""))+" "+lk.st.errText.Render(f.others))
	}
	if e := f.edit; e != nil {
		lines = append(lines, "", lk.st.title.Render("Pending"))
		if e.NotConfirmed {
			lines = append(lines, "not confirmed by the server's last answer")
		}
		for _, c := range e.Changes(t) {
			line := fmt.Sprintf("%s: %s %s %s", c.Field, sanitize.Line(c.Old), lk.g.Arrow, sanitize.Line(c.New))
			if c.Conflict {
				line = lk.st.errText.Render(line + " (conflict)")
			}
			lines = append(lines, line)
		}
	}
	for _, r := range f.refused {
		lines = append(lines, lk.st.errText.Render("refused: "+sanitize.Line(r)))
	}
	return lines
}

func flagWords(t *api.Thread) string {
	var out []string
	for _, f := range queue.Flags() {
		if f.Of(t) {
			out = append(out, f.String())
		}
	}
	return orDash(strings.Join(out, ", "))
}
