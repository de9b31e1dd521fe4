package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	"golang.org/x/term"

	"triage/api"
	"triage/cells"
	"triage/cli"
	"triage/session"
	"triage/threads"
)

// runCommandLine runs a command of the command line (list, show, apply,
// watch) on the session the config and its flags name, as the console
// would open it; ctrl+c and SIGTERM end it cleanly.
func runCommandLine(name string, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	env := cli.Env{Stdin: stdin, Stdout: stdout, Stderr: stderr, OutTerminal: isTerminal(stdout), ErrTerminal: isTerminal(stderr),
		InTerminal: isTerminal(stdin), Width: terminalWidth(stdout)}
	if !localeIsUTF8(os.Getenv) { // a terminal gets ASCII of the same widths; a pipe or a file the data as it is
		if env.OutTerminal {
			env.Stdout = &cells.Writer{W: stdout}
		}
		if env.ErrTerminal {
			env.Stderr = &cells.Writer{W: stderr}
		}
	}
	o := &opener{stderr: env.Stderr}
	defer o.close()
	env.Open = o.open
	if env.InTerminal && env.ErrTerminal {
		env.Ask = func(question string) bool {
			fmt.Fprint(env.Stderr, question+" ")
			answer := readAnswer(stdin)
			fmt.Fprintln(env.Stderr, string(answer))
			return answer == 'y' || answer == 'Y'
		}
	}
	return cli.Run(ctx, name, args, env)
}

// terminalWidth is the width of the terminal w is, 0 when it is none.
func terminalWidth(w io.Writer) int {
	file, ok := w.(*os.File)
	if !ok {
		return 0
	}
	width, _, err := term.GetSize(int(file.Fd()))
	if err != nil {
		return 0
	}
	return width
}

// isTerminal reports whether w or r is a terminal.
func isTerminal(f any) bool {
	file, ok := f.(*os.File)
	return ok && term.IsTerminal(int(file.Fd()))
}

// opener opens sessions for the command line and ends what they started
// (the demo's server) when the command ends.
type opener struct {
	stderr io.Writer
	stops  []func()
}

// open is cli.Env.Open: the config with the common flags over it, the
// key, the client, the disk cache and the view asked for.
func (o *opener) open(ctx context.Context, c cli.Common) (*session.Session, cli.Limits, error) {
	f := flags{configPath: c.Config, baseURL: c.BaseURL, chatbot: c.Chatbot, demo: c.Demo, demoThreads: 2000,
		insecureHTTP: c.InsecureHTTP, noCache: c.NoCache}
	cfg, _, err := configWith(f, map[string]bool{"base-url": c.BaseURL != "", "chatbot": c.Chatbot != "", "no-cache": c.NoCache})
	if err != nil {
		return nil, cli.Limits{}, &cli.UsageError{Msg: err.Error()}
	}
	if c.PollInterval > 0 {
		cfg.PollInterval.Duration = c.PollInterval
	}
	shown, err := viewIndex(viewsFrom(&cfg), c.View)
	if err != nil {
		return nil, cli.Limits{}, &cli.UsageError{Msg: err.Error()}
	}
	clientCfg, _, stop, err := connect(ctx, f, &cfg)
	if err != nil {
		return nil, cli.Limits{}, &cli.UsageError{Msg: err.Error()}
	}
	o.stops = append(o.stops, stop)
	client, err := api.New(clientCfg)
	if err != nil {
		return nil, cli.Limits{}, &cli.UsageError{Msg: err.Error()}
	}
	dc, note := openCache(cfg.Cache, clientCfg, f.demo)
	if note != "" {
		fmt.Fprintln(o.stderr, "triage:", note)
	}
	s := newSession(ctx, &cfg, client, session.Options{Cache: dc, Shown: shown, OneView: true})
	return s, cli.Limits{Tag: cfg.MaxTagLength, Title: cfg.MaxTitleLength, Notes: cfg.MaxNotesLength}, nil
}

// close ends what the sessions started.
func (o *opener) close() {
	for _, stop := range o.stops {
		stop()
	}
}

// viewIndex is the place of the view named name among views: "" is the
// first; a name is matched exactly, then ignoring case. An unknown name
// lists the known ones.
func viewIndex(views []threads.View, name string) (int, error) {
	if name == "" {
		return 0, nil
	}
	names := make([]string, len(views))
	for i, v := range views {
		names[i] = v.Name
	}
	if i := slices.Index(names, name); i >= 0 {
		return i, nil
	}
	if i := slices.IndexFunc(names, func(n string) bool { return strings.EqualFold(n, name) }); i >= 0 {
		return i, nil
	}
	return 0, fmt.Errorf("unknown view %q: the views are %s", name, strings.Join(names, ", "))
}
