package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"triage/queue"
	"triage/sanitize"
	"triage/session"
	"triage/words"
)

// dryRun prints what a send would change, one line a thread, and a
// summary; it sends nothing.
func dryRun(w io.Writer, s *session.Session, missing []string, asJSON bool) error {
	q := s.Queue()
	pv := s.Preview()
	var changes []map[string]any
	for _, id := range q.IDs() {
		e, t := q.Get(id), s.Lookup(id)
		var parts []string
		var fields []map[string]any
		for _, c := range e.Changes(t) {
			parts = append(parts, changeText(c))
			fields = append(fields, values(c, "old", "new"))
		}
		title := session.Label(t, e)
		if asJSON {
			changes = append(changes, map[string]any{"threadId": id, "title": title, "changes": fields})
			continue
		}
		if r := []rune(sanitize.Line(title)); len(r) > 40 {
			title = string(r[:39]) + "…"
		}
		fmt.Fprintf(w, "%s  %s  %s\n", id, sanitize.Line(title), sanitize.Line(strings.Join(parts, "  ")))
	}
	summary := fmt.Sprintf("Would send %s to %s", words.Plural(pv.Plan.Fields, "change"), words.Plural(q.Len(), "thread"))
	if pv.Reads > 0 {
		summary += fmt.Sprintf(", reading %s first", words.Plural(pv.Reads, "thread"))
	}
	if len(missing) > 0 {
		summary += fmt.Sprintf("; %s not found on the server", words.Plural(len(missing), "thread"))
	}
	if asJSON {
		if changes == nil {
			changes = []map[string]any{}
		}
		if missing == nil {
			missing = []string{}
		}
		return writeJSON(w, map[string]any{"changes": changes, "missing": missing, "summary": summary})
	}
	_, err := fmt.Fprintln(w, summary+"; nothing sent (--dry-run)")
	return err
}

// changeText is one change for a line: "resolved false→true", tags as
// the tags added and removed ("tags +vip -new").
func changeText(c queue.Change) string {
	if c.Field == queue.FieldTags {
		old, now := c.From.([]string), c.To.([]string)
		var parts []string
		for _, t := range now {
			if !slices.Contains(old, t) {
				parts = append(parts, "+"+t)
			}
		}
		for _, t := range old {
			if !slices.Contains(now, t) {
				parts = append(parts, "-"+t)
			}
		}
		return "tags " + strings.Join(parts, " ")
	}
	return fmt.Sprintf("%s %s→%s", c.Field, c.Old, c.New)
}

// values is a change as JSON: its field, the server's value under from
// (left out when the server never said it) and the wanted one under to
// (null clears a title or notes).
func values(c queue.Change, from, to string) map[string]any {
	out := map[string]any{"field": string(c.Field), to: c.To}
	if c.From != nil {
		out[from] = c.From
	}
	return out
}

// writeJSON writes v as JSON on a line.
func writeJSON(w io.Writer, v any) error { return json.NewEncoder(w).Encode(v) }
