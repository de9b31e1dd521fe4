// Package config loads triage's TOML configuration: one typed struct with
// its defaults in one place, strict decoding (an unknown key or a wrong
// type is an error naming the key and its line) and validation that says
// what is allowed. It also finds the API key from the environment, a
// command or the file.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/BurntSushi/toml"

	"triage/api"
	"triage/threads"
)

// Config is everything a user can set. Flags override it after loading.
type Config struct {
	// BaseURL is the API root including /api/v1.
	BaseURL string `toml:"base_url"`
	// ChatbotID is the chatbot whose threads are triaged.
	ChatbotID string `toml:"chatbot_id"`
	// APIKeyEnv names the environment variable holding the API key.
	APIKeyEnv string `toml:"api_key_env"`
	// APIKeyCmd is a shell command whose standard output is the API key;
	// it wins over APIKeyEnv.
	APIKeyCmd string `toml:"api_key_cmd"`
	// APIKey is the key itself; allowed only in a file nobody else can read.
	APIKey string `toml:"api_key"`
	// Timeout bounds one HTTP request.
	Timeout Duration `toml:"timeout"`
	// MaxAttempts bounds the tries of one request, the first included.
	MaxAttempts int `toml:"max_attempts"`
	// RateLimit is the most requests per minute the console sends.
	RateLimit int `toml:"rate_limit"`
	// PageSize is the page size asked for when loading; the server may
	// grant less, and its pagination says what it granted.
	PageSize int `toml:"page_size"`
	// Cache keeps the views' threads on disk, so a start shows them at
	// once and refreshes behind them.
	Cache bool `toml:"cache"`
	// Concurrency is how many pages load at once.
	Concurrency int `toml:"concurrency"`
	// MaxTagLength, MaxTitleLength and MaxNotesLength are the longest
	// values the forms accept, in characters.
	MaxTagLength   int `toml:"max_tag_length"`
	MaxTitleLength int `toml:"max_title_length"`
	MaxNotesLength int `toml:"max_notes_length"`
	// MaxBatch splits a flush into PATCHes of at most this many threads,
	// sent one after another; 0 sends one PATCH.
	MaxBatch int `toml:"max_batch"`
	// ReadCache bounds, in MiB, what is kept of the threads read (their
	// notes and conversations).
	ReadCache int `toml:"read_cache"`
	// UndoBudget bounds the undo history, in MiB; the oldest steps are
	// dropped beyond it.
	UndoBudget int `toml:"undo_budget"`
	// KeepMarks keeps the marks of the threads a send confirmed, instead
	// of clearing them.
	KeepMarks bool `toml:"keep_marks"`
	// PollInterval is how often the view on screen re-reads its first page
	// and the views' totals, so the list stays live; 0 turns it off.
	PollInterval Duration `toml:"poll_interval"`
	// PollShare is the percentage of rate_limit the live polls of this
	// chatbot's consoles on this host may take together: with presence
	// counting them, each stretches its interval to its part.
	PollShare int `toml:"poll_share"`
	// PrefetchShare is the percentage of rate_limit this host's consoles
	// read conversations with in the background, for the search; 0 turns
	// it off.
	PrefetchShare int `toml:"prefetch_share"`
	// SearchLanguage is the language whose word forms a search word
	// matches (Snowball stemmers: threads.Languages), "none" for words as
	// written.
	SearchLanguage string `toml:"search_language"`
	// Columns are the table's columns in order; empty means the default.
	// Their names are checked by the console (ui.CheckColumns).
	Columns []string `toml:"columns"`
	// Glyphs is "auto" (ASCII unless the locale is UTF-8), "unicode"
	// (UTF-8 whatever the locale says) or "ascii".
	Glyphs string `toml:"glyphs"`
	// Theme is "auto" (the terminal's background decides), "dark" or "light".
	Theme string `toml:"theme"`
	// WindowTitle is "restore" (the title is "triage" while the console
	// runs, then the agent's again) or "leave" (never touched).
	WindowTitle string `toml:"window_title"`
	// Views are the named lists; none configured means the defaults
	// (Inbox, Escalated, Important, Resolved, Archived, All).
	Views []View `toml:"views"`
	// Macros are named sets of field changes on a key of their own.
	Macros []Macro `toml:"macros"`
	// Commands are the agent's own commands on threads.
	Commands []Command `toml:"commands"`
	// AgentName is the agent: {{.Agent}} in a macro's notes, the name
	// of the owner tag a claim queues, the name presence shows (default:
	// the login name).
	AgentName string `toml:"agent_name"`
	// OwnerTagPrefix starts the tag that says who owns a thread
	// ("owner:ana"); "" turns claiming off.
	OwnerTagPrefix string `toml:"owner_tag_prefix"`
	// PresenceDir is the directory the consoles of one host share to show
	// who is reading what; "" means one per chatbot under the system's
	// temporary directory, "off" turns presence off.
	PresenceDir string `toml:"presence_dir"`
	// Alerts are search queries: a thread the live list brings that newly
	// matches one rings; "" matches every new thread. Empty: no alerts.
	Alerts []string `toml:"alerts"`
	// AlertVia is how an alert rings: "bell", "osc9", "osc777".
	AlertVia []string `toml:"alert_via"`
	// DashboardURL is the template of a thread's link in the dashboard,
	// over {{.ChatbotID}} and {{.ID}} (no default).
	DashboardURL string `toml:"dashboard_url"`
	// Keys rebinds actions: action name to the keys that trigger it.
	Keys map[string][]string `toml:"keys"`

	// Path is the file the config was read from, "" for defaults only.
	Path string `toml:"-"`
	// Saved are the views saved from the console (LoadSavedViews), and
	// SavedPath their file; SavedProblem says why they were not read (the
	// console then saves none, so nothing in the file is lost).
	Saved        []View `toml:"-"`
	SavedPath    string `toml:"-"`
	SavedProblem string `toml:"-"`
	// src is the file's text, kept to point at lines in errors.
	src string
	// allElsewhere says a view of every thread is among views checked
	// elsewhere (the config's, for the saved views).
	allElsewhere bool
}

// View is one [[views]] entry: a name, any of the API's list filters
// (unset ones are not sent) and an optional sort.
type View struct {
	Name       string `toml:"name"`
	Mode       string `toml:"mode,omitempty"`
	Resolved   *bool  `toml:"resolved,omitempty"`
	Archived   *bool  `toml:"archived,omitempty"`
	Escalated  *bool  `toml:"escalated,omitempty"`
	Important  *bool  `toml:"important,omitempty"`
	Anonymous  *bool  `toml:"anonymous,omitempty"`
	LLMModelID string `toml:"llm_model_id,omitempty"`
	// Tag and Owner filter here, on what the server cannot filter by: a
	// tag, and the owner ("me", "none" or an agent's name). Such a view is
	// drawn from a view without filters.
	Tag   string `toml:"tag,omitempty"`
	Owner string `toml:"owner,omitempty"`
	// Query is a search the view holds (the search language of /), also
	// filtered here.
	Query string `toml:"query,omitempty"`
	// Sort is one of threads.SortKeys, by name.
	Sort    string `toml:"sort,omitempty"`
	Reverse bool   `toml:"reverse,omitempty"`
}

// Duration is a time.Duration written as "30s" or "1m30s" in TOML.
type Duration struct{ time.Duration }

// UnmarshalText parses a Go duration string.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("not a duration like \"30s\": %q", b)
	}
	d.Duration = v
	return nil
}

// MarshalText writes the duration back as a string.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// DefaultAPIKeyEnv is the environment variable read for the key by default.
const DefaultAPIKeyEnv = "CONTEXTGPT_API_KEY"

// Default returns the configuration used when nothing is set.
func Default() Config {
	return Config{
		BaseURL:     "https://contextgpt.in/api/v1",
		APIKeyEnv:   DefaultAPIKeyEnv,
		Timeout:     Duration{30 * time.Second},
		MaxAttempts: 6,
		RateLimit:   500,
		PageSize:    1000,
		Cache:       true,
		Concurrency: 4,
		Glyphs:      "auto",
		Theme:       "auto",
		WindowTitle: "restore",

		PollInterval:  Duration{30 * time.Second},
		PollShare:     10,
		PrefetchShare: 10,
		UndoBudget:    256,
		ReadCache:     32,

		MaxTagLength:   40,
		MaxTitleLength: 200,
		MaxNotesLength: 5000,

		OwnerTagPrefix: "owner:",
		SearchLanguage: "english",
		Alerts:         []string{"", "is:escalated"},
		AlertVia:       []string{"bell"},
	}
}

// DefaultPath is $XDG_CONFIG_HOME/triage/config.toml, falling back to
// ~/.config/triage/config.toml.
func DefaultPath() string {
	dir := os.Getenv("XDG_CONFIG_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return ""
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "triage", "config.toml")
}

// Load reads the config at path over the defaults. An explicit path must
// exist; the default path may be missing (defaults are used then).
func Load(path string, explicit bool) (Config, error) {
	cfg := Default()
	if path == "" {
		return cfg, nil
	}
	if err := trustConfig(path); err != nil {
		return cfg, err
	}
	b, err := os.ReadFile(path)
	if err != nil {
		if !explicit && errors.Is(err, fs.ErrNotExist) {
			return cfg, nil
		}
		return cfg, fmt.Errorf("config: %w", err)
	}
	cfg.Path, cfg.src = path, string(b)
	md, err := toml.Decode(cfg.src, &cfg)
	if err != nil {
		return cfg, decodeError(path, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		k := und[0]
		return cfg, cfg.ErrorAt(k.String(), "unknown key %q (see config.toml.example for every key)", k.String())
	}
	if cfg.APIKey != "" {
		if err := checkPrivate(path); err != nil {
			return cfg, err
		}
	}
	return cfg, cfg.Validate()
}

// typeErrorRE matches the library's type errors, which carry the line
// and key only in their text.
var typeErrorRE = regexp.MustCompile(`^toml: line (\d+) \(last key "([^"]*)"\): (.*)$`)

// decodeError rewrites a TOML error as "config: FILE:LINE: key: problem".
func decodeError(path string, err error) error {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		msg := pe.Message
		if pe.LastKey != "" {
			msg = pe.LastKey + ": " + msg
		}
		return fmt.Errorf("config: %s:%d: %s", path, pe.Position.Line, msg)
	}
	if m := typeErrorRE.FindStringSubmatch(err.Error()); m != nil {
		return fmt.Errorf("config: %s:%s: %s: %s", path, m[1], m[2], m[3])
	}
	return fmt.Errorf("config: %s: %w", path, err)
}

// Validate checks every value and names the key, its line, the bad value
// and what is allowed.
func (c *Config) Validate() error {
	checks := []struct {
		key string
		bad bool
		val any
		msg string
	}{
		{"timeout", c.Timeout.Duration < time.Second || c.Timeout.Duration > 10*time.Minute, c.Timeout.Duration, "must be between 1s and 10m"},
		{"max_attempts", c.MaxAttempts < 1 || c.MaxAttempts > 20, c.MaxAttempts, "must be between 1 and 20"},
		{"rate_limit", c.RateLimit < 1 || c.RateLimit > 6000, c.RateLimit, "must be between 1 and 6000 requests per minute"},
		{"page_size", c.PageSize < 1 || c.PageSize > 1000, c.PageSize, "must be between 1 and 1000"},
		{"concurrency", c.Concurrency < 1 || c.Concurrency > 16, c.Concurrency, "must be between 1 and 16"},
		{"max_tag_length", c.MaxTagLength < 1 || c.MaxTagLength > 1000, c.MaxTagLength, "must be between 1 and 1000"},
		{"max_title_length", c.MaxTitleLength < 1 || c.MaxTitleLength > 10000, c.MaxTitleLength, "must be between 1 and 10000"},
		{"max_notes_length", c.MaxNotesLength < 1 || c.MaxNotesLength > 1000000, c.MaxNotesLength, "must be between 1 and 1000000"},
		{"poll_interval", c.PollInterval.Duration != 0 && (c.PollInterval.Duration < 5*time.Second || c.PollInterval.Duration > time.Hour), c.PollInterval.Duration, "must be 0 (off) or between 5s and 1h"},
		{"poll_share", c.PollShare < 1 || c.PollShare > 50, c.PollShare, "must be between 1 and 50 (percent of rate_limit)"},
		{"prefetch_share", c.PrefetchShare < 0 || c.PrefetchShare > 50, c.PrefetchShare, "must be between 0 (off) and 50 (percent of rate_limit)"},
		{"read_cache", c.ReadCache < 1 || c.ReadCache > 4096, c.ReadCache, "must be between 1 and 4096 (MiB)"},
		{"undo_budget", c.UndoBudget < 1 || c.UndoBudget > 16384, c.UndoBudget, "must be between 1 and 16384 (MiB)"},
		{"max_batch", c.MaxBatch < 0 || c.MaxBatch > 100000, c.MaxBatch, "must be between 0 (one PATCH) and 100000"},
		{"glyphs", c.Glyphs != "auto" && c.Glyphs != "unicode" && c.Glyphs != "ascii", fmt.Sprintf("%q", c.Glyphs), `must be "auto", "unicode" or "ascii"`},
		{"theme", c.Theme != "auto" && c.Theme != "dark" && c.Theme != "light", fmt.Sprintf("%q", c.Theme), `must be "auto", "dark" or "light"`},
		{"window_title", c.WindowTitle != "restore" && c.WindowTitle != "leave", fmt.Sprintf("%q", c.WindowTitle), `must be "restore" or "leave"`},
		{"api_key_env", c.APIKeyEnv == "" || strings.ContainsAny(c.APIKeyEnv, "= $"), fmt.Sprintf("%q", c.APIKeyEnv), "must be an environment variable name"},
	}
	for _, ch := range checks {
		if ch.bad {
			return c.ErrorAt(ch.key, "%s = %v: %s", ch.key, ch.val, ch.msg)
		}
	}
	if err := c.validateViews(); err != nil {
		return err
	}
	if err := c.validateTeam(); err != nil {
		return err
	}
	if !slices.Contains(threads.Languages(), c.SearchLanguage) {
		return c.ErrorAt("search_language", "search_language = %q: must be one of %s", c.SearchLanguage, strings.Join(threads.Languages(), ", "))
	}
	if err := c.validateLinks(); err != nil {
		return err
	}
	if err := c.validateMacros(); err != nil {
		return err
	}
	return c.validateCommands()
}

// validateViews checks each [[views]] entry, naming it by position.
func (c *Config) validateViews() error {
	if len(c.Views) > 20 {
		return c.ErrorAt("views", "%d views: at most 20", len(c.Views))
	}
	for i, v := range c.Views {
		at := func(key, format string, args ...any) error {
			return c.ErrorInArray("views", i, key, format, args...)
		}
		switch {
		case strings.TrimSpace(v.Name) == "":
			return at("name", "every view needs a name")
		case v.Mode != "" && !api.Mode(v.Mode).Valid():
			return at("mode", "%q: must be one of %s", v.Mode, modeNames())
		case v.Sort != "":
			if _, err := threads.ParseSortKey(v.Sort); err != nil {
				return at("sort", "%q: must be one of %s", v.Sort, threads.SortKeyNames())
			}
		}
		if err := c.validateLocalView(i, v); err != nil {
			return err
		}
	}
	return nil
}

// validateLocalView checks a view that filters on tags or owner: the
// server cannot, so it is drawn from a view without filters, which the
// mode (not in the list's rows) rules out.
func (c *Config) validateLocalView(i int, v View) error {
	if v.Tag == "" && v.Owner == "" && v.Query == "" {
		return nil
	}
	at := func(key, format string, args ...any) error { return c.ErrorInArray("views", i, key, format, args...) }
	key := "tag"
	switch {
	case v.Tag != "":
	case v.Owner != "":
		key = "owner"
	default:
		key = "query"
	}
	q, qerr := threads.Parse(v.Query)
	switch {
	case qerr != nil:
		return at("query", "%q: %v", v.Query, qerr)
	case q.UsesQueue():
		return at("query", "%q: a view lists what the server holds, it cannot filter on what is queued (is:pending, is:conflict)", v.Query)
	case strings.ContainsFunc(v.Tag, unicode.IsSpace):
		return at("tag", "%q: a tag has no spaces", v.Tag)
	case strings.ContainsFunc(v.Owner, unicode.IsSpace):
		return at("owner", "%q: \"me\", \"none\" or an agent's name, without spaces", v.Owner)
	case v.Owner != "" && c.OwnerTagPrefix == "":
		return at("owner", "owner_tag_prefix is \"\": nobody claims threads, so no view can filter on the owner")
	case v.Mode != "":
		return at(key, "a view filtering on %s cannot filter on the mode too: it is drawn from the view of every thread, whose rows carry no mode", key)
	}
	if c.allElsewhere {
		return nil
	}
	for _, w := range c.Views {
		if w.unfiltered() {
			return nil
		}
	}
	return at(key, "the server cannot filter on %s: such a view is drawn from a view of every thread, and none is configured (add one with only a name, e.g. name = \"All\")", key)
}

// unfiltered reports a view of every thread.
func (v View) unfiltered() bool {
	return v.Mode == "" && v.Resolved == nil && v.Archived == nil && v.Escalated == nil && v.Important == nil &&
		v.Anonymous == nil && v.LLMModelID == "" && v.Tag == "" && v.Owner == "" && v.Query == ""
}

// modeNames is every mode, quoted, for errors: "AI", "AGENT", "HUMAN".
func modeNames() string {
	var out []string
	for _, m := range api.Modes() {
		out = append(out, strconv.Quote(string(m)))
	}
	return strings.Join(out, ", ")
}

// arrayLine finds the line of key in the i-th [[table]] entry (0 when it
// is not written there: the entry's header line is used then).
func arrayLine(src, table string, i int, key string) int {
	n, header := -1, 0
	for ln, line := range strings.Split(src, "\n") {
		l := strings.TrimSpace(line)
		if strings.HasPrefix(l, "[") {
			if strings.HasPrefix(l, "[["+table+"]]") {
				n++
				if n == i {
					header = ln + 1
				}
			} else if n == i {
				break
			}
			continue
		}
		if n == i {
			if k, _, ok := strings.Cut(l, "="); ok && strings.TrimSpace(k) == key {
				return ln + 1
			}
		}
	}
	return header
}

// ErrorInArray formats an error about key of the i-th [[table]] entry,
// pointing at its line: "config: FILE:LINE: macros[2].mode: …".
func (c *Config) ErrorInArray(table string, i int, key, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if line := arrayLine(c.src, table, i, key); line > 0 {
		return fmt.Errorf("config: %s:%d: %s[%d].%s: %s", c.Path, line, table, i+1, key, msg)
	}
	return fmt.Errorf("config: %s: %s[%d].%s: %s", c.Path, table, i+1, key, msg)
}

// ErrorAt formats an error about key, pointing at its line in the file
// when it is there.
func (c *Config) ErrorAt(key, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if c.Path == "" {
		return fmt.Errorf("config: %s", msg)
	}
	if line := keyLine(c.src, key); line > 0 {
		return fmt.Errorf("config: %s:%d: %s", c.Path, line, msg)
	}
	return fmt.Errorf("config: %s: %s", c.Path, msg)
}

// keyLine finds the line defining a dotted key ("keys.resolve") in TOML
// source: the key's last part assigned under the table its other parts
// name. It returns 0 when the key is not written in the file.
func keyLine(src, dotted string) int {
	parts := strings.Split(dotted, ".")
	want := strings.Join(parts[:len(parts)-1], ".")
	name := parts[len(parts)-1]
	table := ""
	for i, line := range strings.Split(src, "\n") {
		l := strings.TrimSpace(line)
		if strings.HasPrefix(l, "[") {
			table = strings.Trim(strings.TrimSpace(strings.SplitN(l, "#", 2)[0]), "[]")
			table = strings.TrimSpace(table)
			if table == dotted {
				return i + 1
			}
			continue
		}
		k, _, ok := strings.Cut(l, "=")
		if !ok {
			continue
		}
		k = strings.Trim(strings.TrimSpace(k), `"'`)
		full := k
		if table != "" {
			full = table + "." + k
		}
		if full == dotted || (table == want && k == name) {
			return i + 1
		}
	}
	return 0
}
