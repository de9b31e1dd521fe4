// Command triage is a keyboard-driven terminal console in which support
// agents triage the conversation threads of a ContextGPT chatbot in bulk.
// main wires the config, the API client, the keymap and the UI together.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	tea "charm.land/bubbletea/v2"

	"triage/api"
	"triage/api/apitest"
	"triage/cells"
	"triage/cli"
	"triage/config"
	"triage/journal"
	"triage/keymap"
	"triage/session"
	"triage/threads"
	"triage/ui"
)

// Exit statuses.
const (
	exitOK      = 0
	exitRuntime = 1
	exitUsage   = 2
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// flags are the command line of the console.
type flags struct {
	configPath   string
	baseURL      string
	chatbot      string
	demo         bool
	demoThreads  int
	ascii        bool
	insecureHTTP bool
	version      bool
	debugLog     string
	noCache      bool
	view         string
}

// gcPercent is the console's GOGC unless the environment sets one. The
// console holds a large, mostly still set of threads and allocates little
// once it is loaded: a heap goal a quarter above what is live, instead of
// double, keeps a 1M-thread console's resident memory near its data.
const gcPercent = 25

// relaxedGCPercent is the collector's goal while a change of many threads
// is applied in turns: at gcPercent, a console of 1,000,000 threads
// collected its 800 MB heap several times during one toggle of 100,000,
// and the collector's assists held a key up to 230 ms (at this goal, 36
// ms). The change allocates little beside the heap it holds, so the peak
// stays about where gcPercent's goal puts it.
const relaxedGCPercent = 100

// relaxGC returns the session's LongWork: the collector's goal relaxed to
// relaxedGCPercent while a change is applied in turns, then, once a
// collection at that goal is done in the background and the memory it
// freed handed back to the system (a change of 100,000 threads leaves
// tens of megabytes of garbage, which would stay resident), put back. Put back
// at once, the goal would fall below the heap the change left, and the
// collector would make every allocation help it, keys included (a j then
// waited up to 620 ms). A goal already as relaxed, or the collector off,
// is left alone.
func relaxGC() func(bool) {
	var mu sync.Mutex
	saved, begun := -2, 0 // -2: the goal is not relaxed; begun counts the changes
	return func(started bool) {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case started:
			begun++
			if saved != -2 {
				return // still relaxed from the last change
			}
			if prev := debug.SetGCPercent(relaxedGCPercent); prev < 0 || prev >= relaxedGCPercent {
				debug.SetGCPercent(prev)
			} else {
				saved = prev
			}
		case saved != -2:
			n := begun
			go func() {
				debug.FreeOSMemory() // a collection at the relaxed goal, and what it freed back to the system
				mu.Lock()
				defer mu.Unlock()
				if begun == n && saved != -2 { // no change began meanwhile
					debug.SetGCPercent(saved)
					saved = -2
				}
			}()
		}
	}
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "demo-server" {
		return runDemoServer(args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "cache" {
		return runCacheCommand(args[1:], stdout, stderr)
	}
	if len(args) > 0 && slices.Contains(cli.Commands(), args[0]) {
		return runCommandLine(args[0], args[1:], stdin, stdout, stderr)
	}
	var f flags
	fs := newFlagSet(&f)
	if code, ok := parseFlags(fs, args, consoleUsage(fs), stdout, stderr); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "triage: unknown command %q (the commands: %s, demo-server, cache; see triage --help)\n",
			fs.Arg(0), strings.Join(cli.Commands(), ", "))
		return exitUsage
	}
	if f.version {
		fmt.Fprintln(stdout, "triage", version())
		return exitOK
	}
	if f.demoThreads < 0 || f.demoThreads > 1_000_000 {
		fmt.Fprintln(stderr, "triage: --demo-threads must be between 0 and 1000000")
		return exitUsage
	}
	return runConsole(f, fs, stdin, stdout, stderr)
}

// newFlagSet declares the console's flags into f.
func newFlagSet(f *flags) *flag.FlagSet {
	fs := flag.NewFlagSet("triage", flag.ContinueOnError)
	fs.StringVar(&f.configPath, "config", "", "config file (default $XDG_CONFIG_HOME/triage/config.toml)")
	fs.StringVar(&f.baseURL, "base-url", "", "API base URL including /api/v1 (overrides base_url)")
	fs.StringVar(&f.chatbot, "chatbot", "", "chatbot id (overrides chatbot_id)")
	fs.BoolVar(&f.demo, "demo", false, "run against an embedded demo server with generated threads")
	fs.IntVar(&f.demoThreads, "demo-threads", 2000, "threads the demo server generates")
	fs.BoolVar(&f.ascii, "ascii", false, "use ASCII glyphs only (overrides glyphs)")
	fs.BoolVar(&f.insecureHTTP, "insecure-http", false, "allow an http:// base URL on a non-loopback host")
	fs.BoolVar(&f.noCache, "no-cache", false, "neither read nor write the disk cache of threads (overrides cache)")
	fs.StringVar(&f.view, "view", "", "start on the view named `NAME` (default the first)")
	fs.BoolVar(&f.version, "version", false, "print the version and exit")
	fs.StringVar(&f.debugLog, "debug-log", "", "append a structured line per request to `FILE` (never the key or note text)")
	return fs
}

// consoleUsage writes the console's usage.
func consoleUsage(fs *flag.FlagSet) func(io.Writer) {
	return func(w io.Writer) {
		fmt.Fprintf(w, "Usage: triage [flags]\n"+
			"       triage list|show|apply|watch [flags]   (for scripts: triage list --help)\n"+
			"       triage demo-server [--addr 127.0.0.1:8787] [--threads N]\n       triage cache clear\n\nFlags:\n")
		printFlags(fs, w)
	}
}

// parseFlags parses args as gh and kubectl do: --help writes the usage
// to standard output (exit 0), a bad flag is said once on standard error
// (exit 2); ok says to go on.
func parseFlags(fs *flag.FlagSet, args []string, usage func(io.Writer), stdout, stderr io.Writer) (code int, ok bool) {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	err := fs.Parse(args)
	switch {
	case err == nil:
		return exitOK, true
	case errors.Is(err, flag.ErrHelp):
		usage(stdout)
		return exitOK, false
	}
	fmt.Fprintf(stderr, "%s: %v (see %s --help)\n", fs.Name(), err, fs.Name())
	return exitUsage, false
}

// runConsole loads the config, connects and runs the console until quit.
func runConsole(f flags, fs *flag.FlagSet, stdin io.Reader, stdout, stderr io.Writer) int {
	cfg, km, err := loadConfig(f, fs)
	if err != nil {
		fmt.Fprintln(stderr, "triage:", err)
		return exitUsage
	}
	shown, err := viewIndex(viewsFrom(&cfg), f.view)
	if err != nil {
		fmt.Fprintln(stderr, "triage: --view:", err)
		return exitUsage
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	clientCfg, source, stopDemo, err := connect(ctx, f, &cfg)
	if err != nil {
		fmt.Fprintln(stderr, "triage:", err)
		return exitUsage
	}
	defer stopDemo()
	con, err := openConsole(stdin, stdout, os.Getenv, &cfg)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitUsage
	}
	defer con.end()
	if con.ASCIIOnly {
		stderr = &cells.Writer{W: stderr}
	}
	events := make(chan api.Event, 256)
	logger, closeLog, err := openDebugLog(f.debugLog)
	if err != nil {
		fmt.Fprintln(stderr, "triage:", err)
		return exitUsage
	}
	defer closeLog()
	clientCfg.Observer = observe(events, logger)
	logger.Info("start", "version", version(), "base_url", redactedURL(clientCfg.BaseURL), "chatbot", clientCfg.ChatbotID, "demo", f.demo)
	client, err := api.New(clientCfg)
	if err != nil {
		fmt.Fprintln(stderr, "triage:", err)
		return exitUsage
	}
	lim := journal.Limits{Tag: cfg.MaxTagLength, Title: cfg.MaxTitleLength, Notes: cfg.MaxNotesLength}
	js, err := startJournal(clientCfg, f.demo, lim, stdin, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "triage:", err)
		return exitRuntime
	}
	dc, cacheNote := openCache(cfg.Cache, clientCfg, f.demo)
	dir, presenceNote := openPresence(&cfg, clientCfg, f.demo)
	history, searched, historyNote := openHistory()
	if dir != nil {
		defer dir.Remove() // the others see this console go at their next look
	}
	sess := newSession(ctx, &cfg, client, session.Options{Cache: dc, KeepTexts: true, Journal: js.journal(), Restored: js.restored, Shown: shown,
		LongWork: relaxGC()})
	var left parting
	var leaving sync.Once
	leave := func(copied string) parting { // as the console quits, so its last frame says it; else after it
		leaving.Do(func() {
			sess.Stop()
			left = js.finish(sess.Queue().Snapshot(), copied)
		})
		return left
	}
	model := ui.New(ui.Options{
		Session:       sess,
		ReadOnly:      js.readOnly,
		Notice:        joinNotes(js.notice, cacheNote, presenceNote, cfg.SavedProblem, historyNote),
		Others:        js.othersForUI(time.Now()),
		Keys:          km,
		ASCII:         cfg.Glyphs == "ascii",
		Terminal:      con.Terminal,
		KeepMarks:     cfg.KeepMarks,
		Columns:       cfg.Columns,
		Macros:        uiMacros(&cfg),
		Commands:      uiCommands(&cfg, clientCfg.ChatbotID, clientCfg.BaseURL),
		Link:          func(id string) (string, error) { return cfg.ThreadLink(clientCfg.ChatbotID, id) },
		Browser:       browser(),
		Limits:        ui.Limits{Tag: cfg.MaxTagLength, Title: cfg.MaxTitleLength, Notes: cfg.MaxNotesLength},
		Source:        source,
		Context:       ctx,
		Events:        events,
		Agent:         cfg.Agent(),
		Presence:      dir,
		AlertVia:      cfg.AlertVia,
		SavedViews:    savedViewsOf(&cfg),
		SavedProblem:  cfg.SavedProblem,
		History:       history,
		SearchHistory: searched,
		Leave: func(copied string) (string, bool) {
			p := leave(copied)
			return p.frame, p.rescue
		},
	})
	if os.Getenv("GOGC") == "" { // the cache is read behind the first frame, within this goal too
		debug.SetGCPercent(gcPercent)
	}
	p := tea.NewProgram(model, con.options()...)
	con.begin()
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP, syscall.SIGTERM, syscall.SIGINT) // a terminal gone, a console of this agent taking over, kill
	defer signal.Stop(hup)
	go func() {
		if _, ok := <-hup; ok {
			p.Send(ui.Hangup{}) // leave cleanly instead of dying mid-frame, the parting words in the last frame
		}
	}()
	_, err = p.Run()
	if said := leave("").full; said != "" {
		fmt.Fprintln(stderr, said)
	}
	if err := sess.SaveCache(); err != nil {
		fmt.Fprintln(stderr, "triage: the thread cache was not written (the next start loads from the server):", err)
	}
	if err != nil && !errors.Is(err, tea.ErrInterrupted) {
		fmt.Fprintln(stderr, "triage:", err)
		return exitRuntime
	}
	return exitOK
}

// newSession is the chatbot session of the config, on client: opts holds
// what the start found on disk (the cache, the journal), the config the
// rest.
func newSession(ctx context.Context, cfg *config.Config, client *api.Client, opts session.Options) *session.Session {
	opts.API, opts.Context = client, ctx
	opts.Views, opts.Owners, opts.Alerts = viewsFrom(cfg), cfg.Owners(), cfg.AlertQueries()
	opts.Load = api.LoadOptions{PageLimit: cfg.PageSize, Concurrency: cfg.Concurrency}
	opts.MaxBatch, opts.RateLimit = cfg.MaxBatch, cfg.RateLimit
	opts.PollInterval, opts.PollShare = cfg.PollInterval.Duration, float64(cfg.PollShare)/100
	opts.PrefetchShare = float64(cfg.PrefetchShare) / 100 // only the console calls Prefetch
	opts.UndoBudget, opts.ReadBudget = cfg.UndoBudget<<20, cfg.ReadCache<<20
	return session.New(opts)
}

// printFlags lists flags GNU-style, with two dashes (one for a letter),
// as they are written.
func printFlags(fs *flag.FlagSet, w io.Writer) {
	fs.VisitAll(func(fl *flag.Flag) {
		name, usage := flag.UnquoteUsage(fl)
		arg := "--" + fl.Name
		if len(fl.Name) == 1 {
			arg = "-" + fl.Name
		}
		if name != "" {
			arg += " " + name
		}
		def := ""
		if fl.DefValue != "" && fl.DefValue != "false" && fl.DefValue != "0" {
			def = " (default " + fl.DefValue + ")"
		}
		fmt.Fprintf(w, "  %-22s %s%s\n", arg, usage, def)
	})
}

// loadConfig reads the config file and applies the flags the user set.
func loadConfig(f flags, fs *flag.FlagSet) (config.Config, *keymap.Keymap, error) {
	given := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { given[fl.Name] = true })
	return configWith(f, given)
}

// configWith is the config with the flags the user gave (by name in
// given) applied over it, and the keymap it makes.
func configWith(f flags, given map[string]bool) (config.Config, *keymap.Keymap, error) {
	path, explicit := f.configPath, f.configPath != ""
	if !explicit {
		path = config.DefaultPath()
	}
	cfg, err := config.Load(path, explicit)
	if err != nil {
		return cfg, nil, err
	}
	if given["base-url"] {
		cfg.BaseURL = f.baseURL
	}
	if given["chatbot"] {
		cfg.ChatbotID = f.chatbot
	}
	if given["ascii"] && f.ascii {
		cfg.Glyphs = "ascii"
	}
	if given["no-cache"] {
		cfg.Cache = cfg.Cache && !f.noCache
	}
	if err := ui.CheckColumns(cfg.Columns); err != nil {
		return cfg, nil, cfg.ErrorAt("columns", "columns: %v", err)
	}
	_ = threads.SetLanguage(cfg.SearchLanguage) // validated: for every query of this process (alerts too)
	cfg.SavedPath = config.SavedViewsPath(path)
	if cfg.Saved, err = cfg.LoadSavedViews(cfg.SavedPath); err != nil {
		cfg.SavedProblem = "the saved views are not loaded (and none is saved until this is fixed): " + err.Error()
	}
	km, err := keymap.New(cfg.Keys, ownKeys(&cfg)...)
	if err != nil {
		return cfg, nil, keyError(&cfg, err)
	}
	return cfg, km, nil
}

// connect returns the client settings: the embedded demo server's with
// --demo, else the configured deployment's with the resolved key.
func connect(ctx context.Context, f flags, cfg *config.Config) (api.Config, string, func(), error) {
	c := api.Config{
		UserAgent:   "triage/" + version(),
		MaxAttempts: cfg.MaxAttempts,
		RateLimit:   cfg.RateLimit,
		Timeout:     cfg.Timeout.Duration,
		MaxTitle:    cfg.MaxTitleLength,
		MaxNotes:    cfg.MaxNotesLength,
	}
	if f.demo {
		srv := apitest.New(apitest.Options{Threads: f.demoThreads, Seed: 1, GeneratedAt: time.Now().Truncate(time.Hour)})
		base, stop, err := srv.Listen("127.0.0.1:0")
		if err != nil {
			return c, "", nil, fmt.Errorf("starting the demo server: %w", err)
		}
		c.BaseURL, c.ChatbotID, c.APIKey = base, srv.ChatbotID(), srv.APIKey()
		return c, "demo: " + srv.ChatbotID(), stop, nil
	}
	if cfg.ChatbotID == "" {
		return c, "", nil, fmt.Errorf("no chatbot: pass --chatbot ID or set chatbot_id in %s; or try the demo: triage --demo", describe(cfg))
	}
	if err := config.CheckBaseURL(cfg.BaseURL, f.insecureHTTP); err != nil {
		return c, "", nil, err
	}
	key, err := cfg.ResolveAPIKey(ctx)
	if err != nil {
		return c, "", nil, err
	}
	c.BaseURL, c.ChatbotID, c.APIKey = cfg.BaseURL, cfg.ChatbotID, key
	u, _ := url.Parse(cfg.BaseURL)
	host := cfg.BaseURL
	if u != nil {
		host = u.Host
	}
	return c, cfg.ChatbotID + " @ " + host, func() {}, nil
}

func describe(cfg *config.Config) string {
	if cfg.Path != "" {
		return cfg.Path
	}
	return config.DefaultPath()
}

// version is the module version, or the VCS revision of a local build.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 7 {
			return "dev-" + s.Value[:7]
		}
	}
	return "dev"
}
