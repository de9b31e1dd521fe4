// Package cli is triage's command line, for bulk clean-ups and scripts:
// list, show, apply and watch. It drives the same session as the console
// (package session): the same config, key sources, base-URL checks,
// cache, read-before-write, conflicts and batching. Data goes to standard
// output, messages to standard error, and the exit status says how it
// went (see the Exit constants).
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"triage/api"
	"triage/session"
)

// Exit statuses, as the README's table says them.
const (
	ExitOK        = 0 // done
	ExitFailed    = 1 // a request or the work failed
	ExitUsage     = 2 // usage or config
	ExitConflicts = 3 // some edits were held back as conflicts
	ExitAuth      = 4 // the server refused the key (401, 403)
)

// Commands are the command line's commands, in the order the usage lists
// them.
func Commands() []string { return []string{"list", "show", "apply", "watch"} }

// Common are the flags every command takes, as the console does.
type Common struct {
	Config       string
	BaseURL      string
	Chatbot      string
	Demo         bool
	InsecureHTTP bool
	NoCache      bool
	// View names the view the command works on ("" the first).
	View string
	// PollInterval, when set, replaces the config's poll_interval.
	PollInterval time.Duration
}

// Env is what a command needs from main.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// OutTerminal reports that standard output is a terminal (a table,
	// not tab-separated lines); ErrTerminal that standard error is (a
	// progress line); InTerminal that standard input is (apply says it
	// waits for edits there).
	OutTerminal, ErrTerminal, InTerminal bool
	// Width is the width of the terminal standard output is, 0 when it
	// is none or not known.
	Width int
	// Open opens the chatbot session the config and the common flags
	// name, showing the view c.View, with the limits of the config's
	// forms, or says why not (a *UsageError for the config, the flags and
	// the key).
	Open func(ctx context.Context, c Common) (*session.Session, Limits, error)
	// Ask asks the agent a yes/no question on the terminal and reads one
	// key; nil when nobody can answer (a pipe).
	Ask func(question string) bool
}

// Limits are the longest tag, title and notes the config's forms accept:
// an edit of apply must keep to them too.
type Limits struct{ Tag, Title, Notes int }

// UsageError is a problem with the command line or the config: exit 2.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// Run runs the command name with its arguments and returns the exit
// status.
func Run(ctx context.Context, name string, args []string, env Env) int {
	run := map[string]func(context.Context, []string, Env) error{
		"list": runList, "show": runShow, "apply": runApply, "watch": runWatch,
	}[name]
	if run == nil {
		fmt.Fprintf(env.Stderr, "triage: unknown command %q (commands: %s)\n", name, strings.Join(Commands(), ", "))
		return ExitUsage
	}
	err := run(ctx, args, env)
	return exitFor(err, env.Stderr)
}

// exitFor says an error and gives its exit status.
func exitFor(err error, stderr io.Writer) int {
	var usage *UsageError
	var held heldBack
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, flag.ErrHelp):
		return ExitOK
	case errors.As(err, &usage):
		fmt.Fprintln(stderr, "triage:", err)
		return ExitUsage
	case errors.As(err, &held):
		return ExitConflicts // each was said as it was held back
	}
	if said := (saidError{}); !errors.As(err, &said) || !said.printed {
		fmt.Fprintln(stderr, "triage:", describe(err))
	}
	if errors.Is(err, api.ErrUnauthorized) || errors.Is(err, api.ErrForbidden) {
		return ExitAuth
	}
	return ExitFailed
}

// describe is an error for people: what the session said, the client's
// errors as the console says them, the rest as they are.
func describe(err error) string {
	var said saidError
	if errors.As(err, &said) {
		return said.text
	}
	if _, ok := api.AsError(err); ok {
		return api.Describe(err)
	}
	return err.Error()
}

// saidError is a failure said for people: its text, and the error
// behind it for the exit status; printed when it is on standard error
// already (the session said it while it worked).
type saidError struct {
	text    string
	cause   error
	printed bool
}

func (e saidError) Error() string { return e.text }
func (e saidError) Unwrap() error { return e.cause }

// heldBack is the end of an apply that held edits back as conflicts.
type heldBack struct{ n int }

func (e heldBack) Error() string { return fmt.Sprintf("%d conflicts held back", e.n) }

// flagSet is a command's flags, and its usage written to standard
// output when --help asks for it.
type flagSet struct {
	*flag.FlagSet
	help func()
}

// flags is a command's flag set with the common flags in it. Its errors
// are the command's to say (once), its usage printed on --help alone.
func flags(name string, c *Common, env Env, usage string) *flagSet {
	fs := flag.NewFlagSet("triage "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.StringVar(&c.Config, "config", "", "config file (default $XDG_CONFIG_HOME/triage/config.toml)")
	fs.StringVar(&c.BaseURL, "base-url", "", "API base URL including /api/v1 (overrides base_url)")
	fs.StringVar(&c.Chatbot, "chatbot", "", "chatbot id (overrides chatbot_id)")
	fs.BoolVar(&c.Demo, "demo", false, "work on an embedded demo server with generated threads")
	fs.BoolVar(&c.InsecureHTTP, "insecure-http", false, "allow an http:// base URL on a non-loopback host")
	fs.BoolVar(&c.NoCache, "no-cache", false, "neither read nor write the disk cache of threads")
	return &flagSet{FlagSet: fs, help: func() {
		fmt.Fprintf(env.Stdout, "Usage: triage %s %s\n\nFlags:\n", name, usage)
		fs.VisitAll(func(fl *flag.Flag) {
			arg, text := flag.UnquoteUsage(fl)
			dashes := "--"
			if len(fl.Name) == 1 {
				dashes = "-"
			}
			fmt.Fprintf(env.Stdout, "  %-22s %s\n", dashes+strings.TrimSpace(fl.Name+" "+arg), text)
		})
	}}
}

// parse parses a command's arguments, flags before or after its
// operands (as gh takes them; after "--" everything is an operand), and
// returns the operands. --help prints the usage and ends the command.
func parse(fs *flagSet, args []string) ([]string, error) {
	var operands []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fs.help()
				return nil, err
			}
			return nil, &UsageError{Msg: fmt.Sprintf("%v (see %s --help)", err, fs.Name())}
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return operands, nil
		}
		if len(rest) < len(args) && args[len(args)-len(rest)-1] == "--" {
			return append(operands, rest...), nil
		}
		operands, args = append(operands, rest[0]), rest[1:]
	}
}

// printer writes what a session says to standard error while it works:
// results and errors, the log's errors (a conflict held back, a thread
// gone), and progress on a terminal. It keeps the failure said last.
type printer struct {
	env    Env
	failed error
	last   string
}

// event prints one event.
func (p *printer) event(e session.Event) {
	switch e := e.(type) {
	case session.Said:
		p.clear()
		fmt.Fprintln(p.env.Stderr, e.Text)
		if e.Err && e.Conflicts == 0 {
			p.failed = saidError{text: e.Text, cause: e.Cause, printed: true}
		}
	case session.Logged:
		if e.Err {
			p.clear()
			fmt.Fprintln(p.env.Stderr, e.Text)
		}
	case session.Progress:
		if p.env.ErrTerminal && e.Text != p.last {
			fmt.Fprintf(p.env.Stderr, "\r\x1b[K%s", e.Text)
			p.last = e.Text
		}
	}
}

// clear ends a progress line.
func (p *printer) clear() {
	if p.last != "" {
		fmt.Fprint(p.env.Stderr, "\r\x1b[K")
		p.last = ""
	}
}

// drive runs a session's tasks to their end, printing what it says; it
// fails with the failure it said.
func (p *printer) drive(ctx context.Context, s *session.Session, tasks []session.Task, also func(session.Event)) error {
	p.failed = nil
	err := session.Drive(ctx, s, tasks, func(e session.Event) {
		p.event(e)
		if also != nil {
			also(e)
		}
	})
	p.clear()
	if err != nil {
		return err
	}
	return p.failed
}

// open opens the session and reads the view the command works on to its
// end (load).
func open(ctx context.Context, c Common, env Env, p *printer) (*session.Session, error) {
	s, _, err := env.Open(ctx, c)
	if err != nil {
		return nil, err
	}
	if err := load(ctx, s, p); err != nil {
		return nil, err
	}
	return s, nil
}

// load reads the view shown to its end: from the cache and a refresh of
// what changed when the cache holds it, else by a load.
func load(ctx context.Context, s *session.Session, p *printer) error {
	if err := p.drive(ctx, s, s.Start(), nil); err != nil {
		return err
	}
	if !s.Current().Loader().Complete() {
		return fmt.Errorf("the view %s could not be read to its end", s.Current().Def().Name)
	}
	return nil
}
