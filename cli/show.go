package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"triage/api"
	"triage/sanitize"
	"triage/session"
	"triage/words"
)

// runShow is `triage show ID…`: each thread as the server holds it now,
// with its notes and its conversation.
func runShow(ctx context.Context, args []string, env Env) error {
	var c Common
	asJSON := false
	fs := flags("show", &c, env, "ID… [--json]")
	fs.BoolVar(&asJSON, "json", false, "print the threads as JSON")
	ids, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		return &UsageError{Msg: "show needs the ids of the threads to show (see triage show --help)"}
	}
	s, _, err := env.Open(ctx, c)
	if err != nil {
		return err
	}
	p := &printer{env: env}
	var tasks []session.Task
	for _, id := range ids {
		tasks = append(tasks, s.Read(id)...)
	}
	if err := p.drive(ctx, s, tasks, nil); err != nil {
		return err
	}
	var shown []any
	for _, id := range ids {
		st := s.ReadOf(id)
		switch {
		case st.Reading == nil:
			return fmt.Errorf("thread %s was not read", id)
		case errors.Is(st.Reading.Err, api.ErrNotFound):
			return fmt.Errorf("thread %s does not exist on the server", id)
		case st.Reading.Err != nil:
			return saidError{text: "thread " + id + ": " + api.Describe(st.Reading.Err), cause: st.Reading.Err}
		}
		if asJSON {
			shown = append(shown, detailObject(st))
		} else {
			writeThread(env.Stdout, st, time.Now())
		}
	}
	if asJSON {
		enc := json.NewEncoder(env.Stdout)
		if env.OutTerminal {
			enc.SetIndent("", "  ")
		}
		return enc.Encode(shown)
	}
	return nil
}

// detailObject is a read thread as JSON: its fields with the API's names,
// the visitor's statistics and its messages (null when they could not be
// read, with why).
func detailObject(st session.ReadState) map[string]any {
	r := st.Reading
	out := object(&r.Detail.Thread, threadFields())
	out["visitorTotalSessions"] = r.Detail.VisitorTotalSessions
	out["visitorTotalMessages"] = r.Detail.VisitorTotalMessages
	out["visitorFirstSeenAt"] = value(r.Detail.VisitorFirstSeenAt)
	out["visitorLastSeenAt"] = value(r.Detail.VisitorLastSeenAt)
	switch {
	case st.Refused != "":
		out["messages"], out["messagesError"] = nil, st.Refused
	case r.MsgErr != nil:
		out["messages"], out["messagesError"] = nil, api.Describe(r.MsgErr)
	default:
		msgs := make([]map[string]any, 0, len(r.Messages))
		for _, m := range r.Messages {
			var reaction any
			if m.Reaction != "" {
				reaction = m.Reaction
			}
			msgs = append(msgs, map[string]any{"id": m.ID, "role": m.Role, "content": m.Content, "createdAt": value(m.CreatedAt),
				"reaction": reaction})
		}
		out["messages"] = msgs
	}
	return out
}

// writeThread writes a read thread for a person: its fields, notes and
// conversation, every string cleaned.
func writeThread(w io.Writer, st session.ReadState, now time.Time) {
	r := st.Reading
	t := &r.Detail.Thread
	line := func(name, value string) { fmt.Fprintf(w, "%-10s %s\n", name, sanitize.Line(value)) }
	title := t.Title
	if title == "" {
		title = "(no title)"
	}
	fmt.Fprintln(w, sanitize.Line(title))
	line("Thread", t.ID)
	visitor := []string{t.Visitor()}
	for _, more := range []string{t.VisitorEmail, t.VisitorPhone} {
		if more != "" && more != visitor[0] {
			visitor = append(visitor, more)
		}
	}
	line("Visitor", strings.Join(visitor, " · "))
	mode := string(t.Mode)
	if mode == "" {
		mode = "-"
	}
	line("Flags", flagsOf(t)+" · mode "+mode)
	line("Tags", strings.Join(t.Tags, " "))
	line("Updated", t.UpdatedAt.UTC().Format(time.RFC3339)+" ("+words.Ago(now, t.UpdatedAt)+")")
	fmt.Fprintln(w, "\nInternal notes")
	if notes, ok := t.InternalNotes.Get(); ok && strings.TrimSpace(notes) != "" {
		for _, l := range strings.Split(notes, "\n") {
			fmt.Fprintln(w, "  "+sanitize.Line(l))
		}
	} else {
		fmt.Fprintln(w, "  none")
	}
	fmt.Fprintln(w, "\nConversation")
	switch {
	case st.Refused != "":
		fmt.Fprintln(w, "  "+st.Refused)
	case r.MsgErr != nil:
		fmt.Fprintln(w, "  Could not read the conversation: "+api.Describe(r.MsgErr))
	case len(r.Messages) == 0:
		fmt.Fprintln(w, "  no messages")
	}
	for _, m := range r.Messages {
		fmt.Fprintf(w, "  %s · %s\n", sanitize.Line(m.Author()), words.Ago(now, m.CreatedAt))
		for _, l := range strings.Split(m.Content, "\n") {
			fmt.Fprintln(w, "    "+sanitize.Line(l))
		}
	}
	fmt.Fprintln(w)
}
