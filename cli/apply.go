package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"triage/api"
	"triage/queue"
	"triage/session"
	"triage/words"
)

// runApply is `triage apply`: edits from JSON Lines (one object per
// thread, the PATCH item's fields plus addTags and removeTags), or the
// same change on the threads a view, a query or ids choose. The threads
// are read first and the edits queued against what the server holds;
// --dry-run prints what would change and sends nothing; otherwise the
// queue is sent as the console sends it: read before write, conflicts
// held back and listed, one PATCH per batch.
func runApply(ctx context.Context, args []string, env Env) error {
	var c Common
	var a applyFlags
	fs := flags("apply", &c, env, "[-f FILE|-] | (--view NAME | --query Q | --id ID…) [--set FIELD=VALUE…] [--add-tag T…] [--remove-tag T…] "+
		"[--mode M] [--title T] [--notes N]  [--dry-run] [--yes] [--json]")
	a.add(fs, &c)
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return &UsageError{Msg: fmt.Sprintf("apply takes no arguments: %q (a file of edits goes with -f: -f %s; a thread with --id)", rest[0], rest[0])}
	}
	fs.Visit(func(fl *flag.Flag) { a.given[fl.Name] = true })
	if len(a.ids) > 0 && (a.given["view"] || a.given["query"]) {
		return &UsageError{Msg: "apply takes --id, or --view/--query, not both: --id changes those threads wherever they are listed; " +
			"to change part of a view, narrow it with --query"}
	}
	change, err := a.change()
	if err != nil {
		return err
	}
	if a.bulk() && a.file != "" {
		return &UsageError{Msg: "apply takes either -f with JSON Lines, or --view/--query/--id with the change to make"}
	}
	if a.bulk() && change.empty() {
		return &UsageError{Msg: "apply: no change given (--set, --add-tag, --remove-tag, --mode, --title or --notes)"}
	}
	if !a.bulk() && !change.empty() {
		return &UsageError{Msg: "apply: a change on the command line needs --view, --query or --id to say which threads"}
	}
	s, lim, err := env.Open(ctx, c)
	if err != nil {
		return err
	}
	var edits []edit
	if a.bulk() {
		edits, err = a.chosen(ctx, s, c, env, change)
	} else {
		edits, err = readLines(a.file, env.Stdin, lim)
	}
	if err != nil {
		return err
	}
	p := &printer{env: env}
	missing, err := queueEdits(ctx, s, p, edits)
	if err != nil {
		return err
	}
	if a.dryRun {
		return dryRun(env.Stdout, s, missing, a.json)
	}
	return send(ctx, s, p, env, a, missing)
}

// applyFlags are apply's own flags.
type applyFlags struct {
	file, query, mode, title, notes string
	ids, sets, adds, removes        list
	dryRun, yes, json               bool
	given                           map[string]bool
}

// list is a flag given any number of times, or as comma-separated values.
type list []string

func (l *list) String() string { return strings.Join(*l, ",") }
func (l *list) Set(v string) error {
	for _, x := range strings.Split(v, ",") {
		if x = strings.TrimSpace(x); x != "" {
			*l = append(*l, x)
		}
	}
	return nil
}

func (a *applyFlags) add(fs *flag.FlagSet, c *Common) {
	a.given = map[string]bool{}
	fs.StringVar(&a.file, "f", "", "read JSON Lines of edits from `FILE` (- for standard input)")
	fs.StringVar(&c.View, "view", "", "change the threads of this `view`")
	fs.StringVar(&a.query, "query", "", "change the threads the search `query` matches (in --view, or the first view)")
	fs.Var(&a.ids, "id", "change this thread (`ID`; again or comma-separated for more)")
	fs.Var(&a.sets, "set", "set `FIELD=VALUE`: resolved, archived, escalated, important (true/false) or mode")
	fs.Var(&a.adds, "add-tag", "add this `tag` (again for more)")
	fs.Var(&a.removes, "remove-tag", "remove this `tag` (again for more)")
	fs.StringVar(&a.mode, "mode", "", "set the mode: AI, AGENT or HUMAN")
	fs.StringVar(&a.title, "title", "", "set the `title` (\"\" clears it)")
	fs.StringVar(&a.notes, "notes", "", "set the internal `notes` (\"\" clears them)")
	fs.BoolVar(&a.dryRun, "dry-run", false, "print what would change, send nothing")
	fs.BoolVar(&a.yes, "yes", false, "send without asking (needed when not on a terminal)")
	fs.BoolVar(&a.json, "json", false, "print the result as JSON")
}

// bulk reports threads chosen on the command line.
func (a *applyFlags) bulk() bool { return a.given["view"] || a.given["query"] || len(a.ids) > 0 }

// change is the change the command line gives, for every thread chosen.
func (a *applyFlags) change() (edit, error) {
	var e edit
	for _, s := range a.sets {
		name, v, ok := strings.Cut(s, "=")
		if !ok {
			return e, &UsageError{Msg: fmt.Sprintf("--set %q: want FIELD=VALUE", s)}
		}
		if err := e.set(strings.ToLower(strings.TrimSpace(name)), strings.TrimSpace(v)); err != nil {
			return e, &UsageError{Msg: "--set " + err.Error()}
		}
	}
	if a.given["mode"] {
		if err := e.set("mode", a.mode); err != nil {
			return e, &UsageError{Msg: "--mode: " + err.Error()}
		}
	}
	e.addTags, e.removeTags = a.adds, a.removes
	if a.given["title"] {
		e.title = textOf(a.title)
	}
	if a.given["notes"] {
		e.notes = textOf(a.notes)
	}
	return e, nil
}

// textOf is a title or notes from the command line: "" clears.
func textOf(s string) api.Nullable {
	if s == "" {
		return api.Null()
	}
	return api.Value(s)
}

// chosen reads the threads the command line chooses and gives each the
// change.
func (a *applyFlags) chosen(ctx context.Context, s *session.Session, c Common, env Env, change edit) ([]edit, error) {
	ids := a.ids
	if len(ids) == 0 {
		p := &printer{env: env}
		if err := p.drive(ctx, s, s.Start(), nil); err != nil {
			return nil, err
		}
		if !s.Current().Loader().Complete() {
			return nil, fmt.Errorf("the view %s could not be read to its end", s.Current().Def().Name)
		}
		ts, err := shown(s, a.query, 0)
		if err != nil {
			return nil, err
		}
		for _, t := range ts {
			ids = append(ids, t.ID)
		}
	}
	edits := make([]edit, 0, len(ids))
	for _, id := range ids {
		e := change
		e.threadID = id
		edits = append(edits, e)
	}
	return edits, nil
}

// readLines reads JSON Lines of edits from path ("-" or "": stdin).
func readLines(path string, stdin io.Reader, lim Limits) ([]edit, error) {
	r := stdin
	if path != "" && path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, &UsageError{Msg: err.Error()}
		}
		defer f.Close()
		r = f
	}
	return parseLines(r, lim)
}

// queueEdits reads the threads of the edits as the server holds them now
// and queues each edit against that. It returns the threads the server
// does not have.
func queueEdits(ctx context.Context, s *session.Session, p *printer, edits []edit) ([]string, error) {
	var ids []string
	for _, e := range edits {
		if s.Lookup(e.threadID) == nil {
			ids = append(ids, e.threadID)
		}
	}
	if err := p.drive(ctx, s, s.ReadCurrent(ids), nil); err != nil {
		return nil, err
	}
	var missing []string
	q := s.Queue()
	q.Batch("apply", len(edits), func() {
		for _, e := range edits {
			t := s.Lookup(e.threadID)
			if t == nil {
				missing = append(missing, e.threadID)
				continue
			}
			e.queue(q, t)
		}
	})
	return missing, nil
}

// send asks (on a terminal, unless --yes) and sends the queue.
func send(ctx context.Context, s *session.Session, p *printer, env Env, a applyFlags, missing []string) error {
	pv := s.Preview()
	for _, id := range missing {
		fmt.Fprintf(env.Stderr, "thread %s does not exist on the server: left out\n", id)
	}
	if len(pv.Plan.Items) == 0 && pv.Reads == 0 {
		fmt.Fprintln(env.Stderr, "Nothing to send: the server holds those values")
		return missingErr(missing)
	}
	question := fmt.Sprintf("Send %s to %s? (y/N)", words.Plural(pv.Plan.Fields, "change"), words.Plural(s.Queue().Len(), "thread"))
	switch {
	case a.yes:
	case env.Ask == nil:
		return &UsageError{Msg: "apply will not send from a pipe without --yes (or use --dry-run to see what would change)"}
	case !env.Ask(question):
		fmt.Fprintln(env.Stderr, "Nothing sent")
		return nil
	}
	if err := p.drive(ctx, s, s.Send(false), nil); err != nil {
		return err
	}
	q := s.Queue()
	if a.json {
		if err := writeOutcome(env.Stdout, s); err != nil {
			return err
		}
	}
	if n := q.Conflicts(); n > 0 {
		return heldBack{n: n}
	}
	if n := q.Len(); n > 0 {
		return fmt.Errorf("%s still queued (not confirmed by the server)", words.Plural(n, "thread"))
	}
	return missingErr(missing)
}

// missingErr is the failure of threads the server does not have.
func missingErr(missing []string) error {
	if len(missing) == 0 {
		return nil
	}
	return fmt.Errorf("%s not found on the server, left out", words.Plural(len(missing), "thread"))
}

// writeOutcome is what a send left, as JSON: the fields held back as
// conflicts and the threads the server did not confirm.
func writeOutcome(w io.Writer, s *session.Session) error {
	q := s.Queue()
	held, unconfirmed := []map[string]any{}, []string{}
	for _, id := range q.IDs() {
		e := q.Get(id)
		if e.NotConfirmed {
			unconfirmed = append(unconfirmed, id)
		}
		for _, ch := range e.Changes(s.Lookup(id)) {
			if ch.Conflict {
				held = append(held, map[string]any{"threadId": id, "field": string(ch.Field), "server": ch.Old, "mine": ch.New})
			}
		}
	}
	return writeJSON(w, map[string]any{"heldBack": held, "notConfirmed": unconfirmed})
}

// queue puts the edit of one thread in the queue, against t as the
// server holds it.
func (e edit) queue(q *queue.Queue, t *api.Thread) {
	targets := []*api.Thread{t}
	for f, v := range e.flags {
		if v != nil {
			q.SetFlag(queue.Flag(f), *v, targets)
		}
	}
	if e.mode != "" {
		q.SetMode(e.mode, targets)
	}
	switch {
	case e.tags != nil:
		q.SetTags(e.tags, targets)
	case len(e.addTags) > 0 || len(e.removeTags) > 0:
		q.EditTags(e.addTags, e.removeTags, targets)
	}
	if !e.title.IsZero() {
		q.SetTitle(textWant(e.title), targets)
	}
	if !e.notes.IsZero() {
		q.SetNotes(textWant(e.notes), targets)
	}
}

// textWant is a title or notes as the queue wants it: nil clears.
func textWant(n api.Nullable) *string {
	if s, ok := n.Get(); ok {
		return &s
	}
	return nil
}
