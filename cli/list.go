package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/template"
	"time"

	"github.com/itchyny/gojq"

	"triage/api"
	"triage/cells"
	"triage/sanitize"
	"triage/session"
	"triage/threads"
	"triage/words"
)

// listFieldsFlag is the value --json takes when it is given no fields:
// list them.
const listFieldsFlag = "\x00fields"

// output is how a command prints threads: --json, --jq, --template, or
// else a table on a terminal and tab-separated lines in a pipe.
type output struct {
	json, jq, template string
}

// add declares the output flags.
func (o *output) add(fs interface {
	StringVar(p *string, name, value, usage string)
}) {
	fs.StringVar(&o.json, "json", "", "print JSON with these comma-separated `fields` (--json alone lists them)")
	fs.StringVar(&o.jq, "jq", "", "filter the JSON through a jq `expression`")
	fs.StringVar(&o.template, "template", "", "print the JSON through a Go `template`")
}

// optionalJSON lets --json be given without fields: when no value
// follows it, it lists the fields.
func optionalJSON(args []string) []string {
	out := make([]string, 0, len(args))
	for i, a := range args {
		if (a == "--json" || a == "-json") && (i+1 == len(args) || strings.HasPrefix(args[i+1], "-")) {
			a = "--json=" + listFieldsFlag
		}
		out = append(out, a)
	}
	return out
}

// check refuses --jq and --template without --json fields, as gh does.
func (o *output) check() error {
	if (o.jq != "" || o.template != "") && (o.json == "" || o.json == listFieldsFlag) {
		return &UsageError{Msg: "--jq and --template need --json with the fields to print"}
	}
	if o.jq != "" && o.template != "" {
		return &UsageError{Msg: "--jq and --template do not go together: choose one"}
	}
	if o.json != "" && o.json != listFieldsFlag {
		_, err := pickFields(o.json)
		return err
	}
	return nil
}

// print writes the threads to w as the flags ask: a table of width
// cells on a terminal.
func (o *output) print(w io.Writer, ts []*api.Thread, terminal bool, width int) error {
	switch {
	case o.json == listFieldsFlag:
		_, err := fmt.Fprintln(w, strings.Join(Fields(), "\n"))
		return err
	case o.json == "":
		if terminal {
			return table(w, ts, width)
		}
		return tsv(w, ts)
	}
	fields, err := pickFields(o.json)
	if err != nil {
		return err
	}
	data := make([]any, 0, len(ts))
	for _, t := range ts {
		data = append(data, object(t, fields))
	}
	switch {
	case o.jq != "":
		return jq(w, o.jq, data)
	case o.template != "":
		return execute(w, o.template, data)
	}
	enc := json.NewEncoder(w)
	if terminal {
		enc.SetIndent("", "  ")
	}
	return enc.Encode(data)
}

// jq filters data through expr with gojq, a whole implementation of jq:
// each result on a line of its own, strings unquoted as jq -r does.
func jq(w io.Writer, expr string, data any) error {
	q, err := gojq.Parse(expr)
	if err != nil {
		return &UsageError{Msg: "--jq: " + err.Error()}
	}
	code, err := gojq.Compile(q)
	if err != nil {
		return &UsageError{Msg: "--jq: " + err.Error()}
	}
	iter := code.Run(data)
	for {
		v, ok := iter.Next()
		if !ok {
			return nil
		}
		if err, isErr := v.(error); isErr {
			if halt, ok := err.(*gojq.HaltError); ok && halt.Value() == nil {
				return nil
			}
			return fmt.Errorf("--jq: %w", err)
		}
		if s, isString := v.(string); isString {
			fmt.Fprintln(w, s)
			continue
		}
		b, err := gojq.Marshal(v)
		if err != nil {
			return err
		}
		fmt.Fprintln(w, string(b))
	}
}

// templateFuncs are the functions a --template may use besides Go's: join
// a list, quote a value for CSV, write JSON, and how long ago a time was.
func templateFuncs(now time.Time) template.FuncMap {
	return template.FuncMap{
		"join": func(sep string, list any) string {
			var parts []string
			if l, ok := list.([]any); ok {
				for _, x := range l {
					parts = append(parts, fmt.Sprint(x))
				}
			}
			return strings.Join(parts, sep)
		},
		"csv": func(x any) string {
			s := fmt.Sprint(x)
			if x == nil {
				s = ""
			}
			if strings.ContainsAny(s, "\",\n\r") {
				return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
			}
			return s
		},
		"json": func(x any) (string, error) {
			b, err := json.Marshal(x)
			return string(b), err
		},
		"timeago": func(x any) string {
			s, _ := x.(string)
			t, err := time.Parse(time.RFC3339Nano, s)
			if err != nil {
				return ""
			}
			return words.Age(now, t)
		},
	}
}

// execute writes data through a Go template.
func execute(w io.Writer, text string, data any) error {
	tmpl, err := template.New("template").Funcs(templateFuncs(time.Now())).Parse(text)
	if err != nil {
		return &UsageError{Msg: "--template: " + err.Error()}
	}
	if err := tmpl.Execute(w, data); err != nil {
		return fmt.Errorf("--template: %w", err)
	}
	return nil
}

// flagsOf is the RAEI of a thread: a letter when set, "-" when not.
func flagsOf(t *api.Thread) string {
	b := []byte("----")
	for i, on := range []bool{t.Resolved, t.Archived, t.Escalated, t.Important} {
		if on {
			b[i] = "RAEI"[i]
		}
	}
	return string(b)
}

// tsv writes one line a thread, tab-separated: id, flags, title,
// visitor, tags (comma-separated), updatedAt. Tabs and line breaks in
// values become spaces.
func tsv(w io.Writer, ts []*api.Thread) error {
	clean := strings.NewReplacer("\t", " ", "\n", " ", "\r", " ")
	for _, t := range ts {
		if _, err := fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, flagsOf(t), clean.Replace(t.Title), clean.Replace(t.Visitor()),
			strings.Join(t.Tags, ","), t.UpdatedAt.UTC().Format(time.RFC3339)); err != nil {
			return err
		}
	}
	return nil
}

// table writes the threads as aligned columns for a person, each cell
// measured as the console measures it, fitted to width cells (0: not
// known; a title is cut at 50): the title takes what the other columns
// leave, then the tags and the visitor give way.
func table(w io.Writer, ts []*api.Thread, width int) error {
	now := time.Now()
	rows := [][]string{{"ID", "RAEI", "TITLE", "VISITOR", "TAGS", "UPDATED"}}
	for _, t := range ts {
		title := sanitize.Line(t.Title)
		if title == "" {
			title = "(no title)"
		}
		rows = append(rows, []string{t.ID, flagsOf(t), title, sanitize.Line(t.Visitor()), sanitize.Line(strings.Join(t.Tags, ",")),
			words.Age(now, t.UpdatedAt)})
	}
	const title, visitor, tags, gap = 2, 3, 4, 2
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], cells.Width(c))
		}
	}
	widths[visitor], widths[tags] = min(widths[visitor], 24), min(widths[tags], 24)
	if width <= 0 {
		widths[title] = min(widths[title], 50)
	}
	for _, col := range []struct{ i, least int }{{title, 10}, {tags, 8}, {visitor, 8}} {
		total := gap * (len(widths) - 1)
		for _, cw := range widths {
			total += cw
		}
		if width > 0 && total > width {
			widths[col.i] = max(col.least, widths[col.i]-(total-width))
		}
	}
	var b strings.Builder
	for _, r := range rows {
		b.Reset()
		for i, c := range r {
			c = cells.Truncate(c, widths[i], "…")
			if i < len(r)-1 {
				c += strings.Repeat(" ", widths[i]-cells.Width(c)+gap)
			}
			b.WriteString(c)
		}
		b.WriteByte('\n')
		if _, err := io.WriteString(w, b.String()); err != nil {
			return err
		}
	}
	return nil
}

// search is a query of the console's search language, its owners
// those of the session.
func search(s *session.Session, query string) (threads.Query, error) {
	q, err := threads.Parse(query)
	if err != nil {
		return q, &UsageError{Msg: "--query: " + err.Error()}
	}
	return q.With(s.Owners()), nil
}

// shown are the threads of the view shown that q matches, sorted as the
// view is, at most limit (0: all).
func shown(s *session.Session, q threads.Query, limit int) []*api.Thread {
	v := s.Current()
	ts := threads.Visible(v.List().All(), q, s.Queue(), v.Def().Sort, v.Def().Reverse)
	if limit > 0 && len(ts) > limit {
		ts = ts[:limit]
	}
	return ts
}

// runList is `triage list`: the threads of a view, through the cache and
// a refresh of what changed.
func runList(ctx context.Context, args []string, env Env) error {
	var c Common
	var out output
	query, limit := "", 0
	fs := flags("list", &c, env, "[--view NAME] [--query Q] [--json [FIELDS]] [--jq EXPR] [--template TMPL] [--limit N]")
	fs.StringVar(&c.View, "view", "", "the `view` to list (default the first)")
	fs.StringVar(&query, "query", "", "only threads the search `query` matches, as / does in the console")
	fs.IntVar(&limit, "limit", 0, "at most `N` threads (0: all)")
	out.add(fs)
	rest, err := parse(fs, optionalJSON(args))
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return &UsageError{Msg: fmt.Sprintf("list takes no arguments: %q (see triage list --help)", rest[0])}
	}
	if err := out.check(); err != nil {
		return err
	}
	if out.json == listFieldsFlag {
		return out.print(env.Stdout, nil, env.OutTerminal, env.Width)
	}
	if limit < 0 {
		return &UsageError{Msg: "--limit must be 0 or more"}
	}
	if _, err := threads.Parse(query); err != nil {
		return &UsageError{Msg: "--query: " + err.Error()}
	}
	p := &printer{env: env}
	s, err := open(ctx, c, env, p) // the load's end writes the cache
	if err != nil {
		return err
	}
	q, err := search(s, query)
	if err != nil {
		return err
	}
	return out.print(env.Stdout, shown(s, q, limit), env.OutTerminal, env.Width)
}

// saveCache writes the cache on the way out, saying when it could not.
func saveCache(s *session.Session, env Env) {
	if err := s.SaveCache(); err != nil {
		fmt.Fprintln(env.Stderr, "triage: the thread cache was not written:", err)
	}
}
