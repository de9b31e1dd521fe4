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
// same change on the threads a view, a query or ids choose. Every thread
// is read from the server first and its edit queued against what the
// server holds; --dry-run prints what would change and sends nothing;
// otherwise the queue is sent as the console sends it: read before
// write, conflicts held back and listed, one PATCH per batch.
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
	p := &printer{env: env}
	var edits []edit
	var still func(*api.Thread) bool
	if a.bulk() {
		edits, still, err = a.chosen(ctx, s, p, change)
	} else {
		edits, err = readLines(a.file, env, lim)
	}
	if err != nil {
		return err
	}
	res, err := queueEdits(ctx, s, p, edits, still)
	if err != nil {
		return err
	}
	if a.dryRun {
		return dryRun(env.Stdout, s, res.missing, a.json)
	}
	return send(ctx, s, p, env, a, res)
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

func (a *applyFlags) add(fs *flagSet, c *Common) {
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

// chosen gives the change to the threads the command line chooses: the
// ids given, or those of the view (read to its end) that the query
// matches. For a view, still judges a thread again once it is read
// afresh: whether it is still in the view and matches the query.
func (a *applyFlags) chosen(ctx context.Context, s *session.Session, p *printer, change edit) (edits []edit, still func(*api.Thread) bool, err error) {
	ids := a.ids
	if len(ids) == 0 {
		if err := load(ctx, s, p); err != nil {
			return nil, nil, err
		}
		q, err := search(s, a.query)
		if err != nil {
			return nil, nil, err
		}
		for _, t := range shown(s, q, 0) {
			ids = append(ids, t.ID)
		}
		def := s.Current().Def()
		still = func(t *api.Thread) bool {
			in, known := def.Fits(t, s.Owners())
			return (in || !known) && q.Match(t, s.Queue())
		}
	}
	edits = make([]edit, 0, len(ids))
	for _, id := range ids {
		e := change
		e.threadID = id
		edits = append(edits, e)
	}
	return edits, still, nil
}

// readLines reads JSON Lines of edits from path ("-" or "": standard
// input, which is said when it is a terminal).
func readLines(path string, env Env, lim Limits) ([]edit, error) {
	r := env.Stdin
	if path != "" && path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, &UsageError{Msg: err.Error()}
		}
		defer f.Close()
		r = f
	} else if env.InTerminal {
		fmt.Fprintln(env.Stderr, "Reading edits as JSON Lines from standard input (one object a line; ctrl+d ends)")
	}
	return parseLines(r, lim)
}

// applied is what queueing the edits found: how many edits were given,
// the threads the server does not have, and how many threads of a view
// no longer belonged to it when read.
type applied struct {
	given   int
	missing []string
	left    int
}

// queueEdits reads every thread of the edits as the server holds it now
// (one by one those whose notes an edit sets: only that read returns
// notes; the rest by the list's pages when cheaper) and queues each edit
// against it; still, when set, judges each thread again on what was read.
// It says the threads it leaves out.
func queueEdits(ctx context.Context, s *session.Session, p *printer, edits []edit, still func(*api.Thread) bool) (applied, error) {
	res := applied{given: len(edits)}
	ids := make([]string, 0, len(edits))
	var notes []string
	for _, e := range edits {
		ids = append(ids, e.threadID)
		if !e.notes.IsZero() {
			notes = append(notes, e.threadID)
		}
	}
	gone := map[string]bool{}
	err := p.drive(ctx, s, s.ReadCurrent(ids, notes), func(ev session.Event) {
		if c, ok := ev.(session.Checked); ok {
			for _, id := range c.Gone {
				gone[id] = true
			}
		}
	})
	if err != nil {
		return res, err
	}
	q := s.Queue()
	q.Batch("apply", len(edits), func() {
		for _, e := range edits {
			switch t := s.Lookup(e.threadID); {
			case t == nil || gone[e.threadID]:
				res.missing = append(res.missing, e.threadID)
			case still != nil && !still(t):
				res.left++
			default:
				e.queue(q, t)
			}
		}
	})
	for _, id := range res.missing {
		fmt.Fprintf(p.env.Stderr, "thread %s does not exist on the server: left out\n", id)
	}
	if res.left > 0 {
		fmt.Fprintf(p.env.Stderr, "%s no longer in %s or matching the query when read again: left out\n",
			words.Plural(res.left, "thread"), s.Current().Def().Name)
	}
	return res, nil
}

// send asks (on a terminal, unless --yes) and sends the queue.
func send(ctx context.Context, s *session.Session, p *printer, env Env, a applyFlags, res applied) error {
	missing := res.missing
	if s.Queue().Len() == 0 {
		switch {
		case res.given == 0:
			fmt.Fprintln(env.Stderr, "Nothing to send: no edits given")
		case res.given == len(missing)+res.left:
			fmt.Fprintln(env.Stderr, "Nothing to send")
		default:
			fmt.Fprintln(env.Stderr, "Nothing to send: the server already holds those values")
		}
		return missingErr(missing)
	}
	pv := s.Preview()
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
				v := values(ch, "server", "mine")
				v["threadId"] = id
				held = append(held, v)
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
