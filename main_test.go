package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"strings"
	"testing"
	"time"

	"triage/api"
	"triage/cache"
	"triage/config"
	"triage/journal"
	"triage/queue"
	"triage/threads"
	"triage/ui"
)

func runCLI(t *testing.T, args ...string) (int, string) {
	t.Helper()
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	var out, errOut bytes.Buffer
	code := run(args, strings.NewReader(""), &out, &errOut)
	return code, out.String() + errOut.String()
}

func TestCommandLineErrors(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(cfg, []byte("chatbot_id = \"b\"\n[keys]\ndown = [\"k\"]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	columnsCfg := filepath.Join(t.TempDir(), "columns.toml")
	if err := os.WriteFile(columnsCfg, []byte("chatbot_id = \"b\"\ncolumns = [\"title\", \"subject\"]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	macroCfg := filepath.Join(t.TempDir(), "macros.toml")
	if err := os.WriteFile(macroCfg, []byte("chatbot_id = \"b\"\n[[macros]]\nname = \"Spam\"\nresolved = true\nkey = \"d\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	commandCfg := filepath.Join(t.TempDir(), "commands.toml")
	if err := os.WriteFile(commandCfg, []byte("chatbot_id = \"b\"\n[[commands]]\nname = \"log\"\nrun = \"true\"\n\nkey = \"y\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		code int
		want []string
	}{
		{[]string{"--version"}, 0, []string{"triage "}},
		{[]string{"--help"}, 0, []string{"--demo", "--base-url", "demo-server"}},
		{[]string{"--frobnicate"}, 2, []string{"frobnicate"}},
		{[]string{"extra"}, 2, []string{`unknown command "extra"`, "list, show, apply, watch"}},
		{[]string{"--demo-threads", "-1"}, 2, []string{"--demo-threads"}},
		{[]string{"--config", "/nonexistent/triage.toml"}, 2, []string{"no such file"}},
		{[]string{"--config", cfg}, 2, []string{cfg + ":3:", "keys.down", `"k"`, "up"}},
		{[]string{"--config", macroCfg}, 2, []string{macroCfg + ":5:", "macros[1].key", `"d"`, `"resolve"`}},
		{[]string{"--config", commandCfg}, 2, []string{commandCfg + ":6:", "commands[1].key", `"y"`, `"copy_ids"`}},
		{[]string{"--config", columnsCfg}, 2, []string{columnsCfg + ":2:", `unknown column "subject"`, "visitor"}},
		{[]string{}, 2, []string{"no chatbot", "--chatbot", "--demo"}},
		{[]string{"--chatbot", "b", "--base-url", "ftp://x/api/v1"}, 2, []string{"must use https"}},
		{[]string{"demo-server", "--threads", "-5"}, 2, []string{"--threads"}},
		{[]string{"cache"}, 2, []string{"triage cache clear"}},
		{[]string{"cache", "drop"}, 2, []string{"triage cache clear"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			t.Setenv("CONTEXTGPT_API_KEY", "")
			code, out := runCLI(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d: %s", code, tt.code, out)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

func TestCacheClearEmptiesTheCacheDirectory(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", dir)
	os.MkdirAll(filepath.Join(dir, "triage"), 0o700)
	for _, name := range []string{"a-1.cache", "b-2.cache", "keep.txt"} {
		os.WriteFile(filepath.Join(dir, "triage", name), []byte("x"), 0o600)
	}
	code, out := runCLI(t, "cache", "clear")
	if code != 0 || !strings.Contains(out, "Removed 2 cache files from "+filepath.Join(dir, "triage")) {
		t.Fatalf("exit %d: %s", code, out)
	}
	left, _ := os.ReadDir(filepath.Join(dir, "triage"))
	if len(left) != 1 {
		t.Fatalf("left %v", left)
	}
}

func TestMissingKeySaysHow(t *testing.T) {
	t.Setenv("CONTEXTGPT_API_KEY", "")
	code, out := runCLI(t, "--chatbot", "b")
	if code != 2 || !strings.Contains(out, "CONTEXTGPT_API_KEY") || !strings.Contains(out, "--demo") {
		t.Errorf("exit %d: %s", code, out)
	}
}

func TestFlagsOverrideConfig(t *testing.T) {
	cfgPath := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(cfgPath, []byte("chatbot_id = \"from-file\"\nbase_url = \"https://file.example/api/v1\"\ncache = true\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var f flags
	fs := newFlagSet(&f)
	if err := fs.Parse([]string{"--config", cfgPath, "--chatbot", "from-flag", "--no-cache"}); err != nil {
		t.Fatal(err)
	}
	cfg, _, err := loadConfig(f, fs)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.ChatbotID != "from-flag" || cfg.BaseURL != "https://file.example/api/v1" || cfg.PageSize != 1000 || cfg.Cache {
		t.Errorf("flag > file > default broken: %+v", cfg)
	}
}

func TestViewsFromConfig(t *testing.T) {
	f := false
	views := viewsFrom(&config.Config{Views: []config.View{{Name: "VIP", Resolved: &f, Mode: "HUMAN", Sort: "unread", Reverse: true},
		{Name: "Mine", Tag: "vip", Owner: "me"}}})
	if len(views) != 2 || views[0].Name != "VIP" || views[0].Params.Mode != "HUMAN" || *views[0].Params.Resolved ||
		views[0].Sort != threads.SortUnread || !views[0].Reverse || views[1].Tag != "vip" || views[1].Owner != "me" {
		t.Errorf("%+v", views)
	}
	defaults := config.Default()
	if got := viewsFrom(&defaults); len(got) != 8 || got[6].Name != "Mine" || got[7].Name != "Unowned" {
		t.Errorf("the default views with claims on: %+v", got)
	}
	defaults.OwnerTagPrefix = ""
	if got := viewsFrom(&defaults); len(got) != 6 || got[5].Name != "All" {
		t.Errorf("the default views with claims off: %+v", got)
	}
}

func TestMacrosAndCommandsFromConfig(t *testing.T) {
	yes, no, notes := true, false, "by {{.Agent}} on {{.Date}}"
	cfg := config.Config{MaxTagLength: 40, AgentName: "ana", APIKeyEnv: "CONTEXTGPT_API_KEY",
		Macros:   []config.Macro{{Name: "Spam", Resolved: &yes, Important: &no, Tags: []string{"+spam", "-vip"}, Notes: &notes}},
		Commands: []config.Command{{Name: "log", Run: "grep {{.ID}} {{.BaseURL}}", Mode: "foreground"}}}
	ms := uiMacros(&cfg)
	if len(ms) != 1 || len(ms[0].Flags) != 2 || ms[0].Flags[0] != (ui.FlagValue{Flag: queue.Resolved, Value: true}) ||
		ms[0].Flags[1] != (ui.FlagValue{Flag: queue.Important, Value: false}) || ms[0].Tags == nil ||
		!slices.Equal(ms[0].Tags.Add, []string{"spam"}) || !slices.Equal(ms[0].Tags.Remove, []string{"vip"}) {
		t.Fatalf("%+v", ms)
	}
	if got, err := ms[0].Notes(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)); err != nil || got != "by ana on 2026-11-23" {
		t.Errorf("notes %q, %v", got, err)
	}
	cs := uiCommands(&cfg, "bot", "https://x/api/v1")
	line, err := cs[0].Line([]*api.Thread{{ID: "th_1"}})
	if len(cs) != 1 || !cs[0].Foreground || err != nil || line.Script != `grep "${TRIAGE_ID}" "${TRIAGE_BASE_URL}"` ||
		!slices.Contains(line.Env, "TRIAGE_ID=th_1") || !slices.Contains(line.Env, "TRIAGE_BASE_URL=https://x/api/v1") ||
		!slices.Equal(cs[0].Hide, []string{"CONTEXTGPT_API_KEY"}) {
		t.Errorf("%+v: %q, %v", cs, line, err)
	}
}

// TestReadmeListsEveryFlagAndConfigKey keeps the README's flag table and
// config reference in step with the code.
func TestReadmeListsEveryFlagAndConfigKey(t *testing.T) {
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	var f flags
	newFlagSet(&f).VisitAll(func(fl *flag.Flag) {
		if !strings.Contains(readme, "| `--"+fl.Name) && !strings.Contains(readme, ", `--"+fl.Name) {
			t.Errorf("README.md has no row for --%s", fl.Name)
		}
	})
	ct := reflect.TypeFor[config.Config]()
	for i := range ct.NumField() {
		name, _, _ := strings.Cut(ct.Field(i).Tag.Get("toml"), ",")
		if name == "" || name == "-" {
			continue
		}
		if !strings.Contains(readme, "| `"+name+"` |") && !strings.Contains(readme, "| `[["+name+"]]` |") && !strings.Contains(readme, "| `["+name+"]` |") {
			t.Errorf("README.md's configuration table has no row for %s", name)
		}
	}
}

// TestTheCacheIsThisChatbotsUnlessOff: the cache opened is under
// XDG_CACHE_HOME, one file per chatbot and deployment, nothing read yet;
// --no-cache opens none.
func TestTheCacheIsThisChatbotsUnlessOff(t *testing.T) {
	home := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", home)
	c := api.Config{BaseURL: "https://api.example.com/api/v1", ChatbotID: "bot-1"}
	if dc, note := openCache(false, c, false); dc != nil || note != "" {
		t.Errorf("with the cache off: %v, %q", dc, note)
	}
	dc, note := openCache(true, c, false)
	other, _ := openCache(true, api.Config{BaseURL: "https://staging.example.com/api/v1", ChatbotID: "bot-1"}, false)
	path := dc.(*cache.Cache).Path()
	if note != "" || filepath.Dir(path) != filepath.Join(home, "triage") || path == other.(*cache.Cache).Path() {
		t.Errorf("the cache: %s, %q; another deployment's: %s", path, note, other.(*cache.Cache).Path())
	}
	if _, err := os.Stat(filepath.Dir(path)); !os.IsNotExist(err) {
		t.Errorf("opening the cache created its directory: %v", err)
	}
}

// TestPresenceIsOffWithANoteOnALooseDirectory: a presence directory
// others may write without the sticky bit is refused, and the start says
// why; "off" is off without a word.
func TestPresenceIsOffWithANoteOnALooseDirectory(t *testing.T) {
	loose := filepath.Join(t.TempDir(), "p")
	os.Mkdir(loose, 0o777)
	os.Chmod(loose, 0o777)
	cfg := config.Default()
	cfg.PresenceDir = loose
	if d, note := openPresence(&cfg, api.Config{}, false); d != nil || !strings.Contains(note, "sticky") {
		t.Errorf("a loose directory: %v, %q", d, note)
	}
	cfg.PresenceDir = "off"
	if d, note := openPresence(&cfg, api.Config{}, false); d != nil || note != "" {
		t.Errorf("off: %v, %q", d, note)
	}
	t.Setenv("TMPDIR", t.TempDir())
	cfg.PresenceDir = ""
	d, note := openPresence(&cfg, api.Config{BaseURL: "https://x/api/v1", ChatbotID: "b"}, false)
	if d == nil || note != "" || filepath.Dir(d.Path()) != os.Getenv("TMPDIR") {
		t.Errorf("the default: %v, %q", d, note)
	}
	if d, _ := openPresence(&cfg, api.Config{}, true); d != nil {
		t.Error("--demo, whose server is its own, has presence")
	}
}

// TestHelpGoesToStandardOutput: --help of the console and of every
// command prints its usage on standard output and exits 0, as gh and
// kubectl do (`triage list --help | less`); a flag it does not know is
// said once, on standard error, with where to look.
func TestHelpGoesToStandardOutput(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	for _, args := range [][]string{{"--help"}, {"list", "--help"}, {"show", "-h"}, {"apply", "--help"}, {"watch", "--help"},
		{"demo-server", "--help"}, {"cache", "--help"}} {
		var out, errOut bytes.Buffer
		if code := run(args, strings.NewReader(""), &out, &errOut); code != exitOK || !strings.HasPrefix(out.String(), "Usage: triage") || errOut.Len() > 0 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out.String(), errOut.String())
		}
		if args[0] == "apply" && (!strings.Contains(out.String(), "  -f FILE ") || strings.Contains(out.String(), "--f ")) {
			t.Errorf("apply's -f is not written as it is typed:\n%s", out.String())
		}
	}
	for _, args := range [][]string{{"--bogus"}, {"list", "--bogus"}} {
		var out, errOut bytes.Buffer
		code := run(args, strings.NewReader(""), &out, &errOut)
		if msg := errOut.String(); code != exitUsage || out.Len() > 0 || strings.Count(msg, "bogus") != 1 || !strings.Contains(msg, "--help)") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out.String(), msg)
		}
	}
}

// TestTheSearchHistoryIsKeptInTheStateDirectory: what Save writes, the
// next start reads back (the last 100), from a file nobody else may write.
func TestTheSearchHistoryIsKeptInTheStateDirectory(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	h, got, note := openHistory()
	if h == nil || got != nil || note != "" {
		t.Fatalf("a first start: %v %v %q", h, got, note)
	}
	var many []string
	for i := range 120 {
		many = append(many, fmt.Sprint("q", i))
	}
	if err := h.Save(many); err != nil {
		t.Fatal(err)
	}
	_, got, _ = openHistory()
	if len(got) != 100 || got[0] != "q20" || got[99] != "q119" {
		t.Errorf("read back %d: %v…", len(got), got[:3])
	}
	dir, _ := journal.DefaultDir()
	os.Chmod(filepath.Join(dir, "search-history"), 0o666)
	if h, _, note := openHistory(); h != nil || !strings.Contains(note, "not used") {
		t.Errorf("a file others may write: %v, %q", h, note)
	}
}

// TestTheExampleShowsTheDefaultColumns: config.toml.example's columns are
// the defaults, as it says, and it names every column there is.
func TestTheExampleShowsTheDefaultColumns(t *testing.T) {
	cfg, err := config.Load("config.toml.example", true)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(cfg.Columns, ui.DefaultColumns()) {
		t.Errorf("the example's columns %v, the defaults %v", cfg.Columns, ui.DefaultColumns())
	}
	b, _ := os.ReadFile("config.toml.example")
	for _, name := range ui.ColumnNames() {
		if !strings.Contains(string(b), name+" (") && !strings.Contains(string(b), name+",") && !strings.Contains(string(b), name+".") {
			t.Errorf("the example does not name the column %s", name)
		}
	}
}

// TestTheCollectorIsRelaxedWhileAChangeIsApplied: the console's goal is
// relaxed for a change applied in turns and put back after a collection;
// a goal already relaxed, or the collector off, is left alone.
func TestTheCollectorIsRelaxedWhileAChangeIsApplied(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	goal := func() int {
		s := []metrics.Sample{{Name: "/gc/gogc:percent"}}
		metrics.Read(s)
		return int(s[0].Value.Uint64())
	}
	for _, c := range []struct{ before, during int }{{gcPercent, relaxedGCPercent}, {200, 200}} {
		debug.SetGCPercent(c.before)
		relax := relaxGC()
		relax(true)
		if g := goal(); g != c.during {
			t.Errorf("from %d: %d while a change is applied, want %d", c.before, g, c.during)
		}
		relax(false)
		for deadline := time.Now().Add(time.Minute); goal() != c.before && time.Now().Before(deadline); {
			time.Sleep(time.Millisecond)
		}
		if g := goal(); g != c.before {
			t.Errorf("from %d: %d after the change", c.before, g)
		}
	}
	debug.SetGCPercent(-1)
	relax := relaxGC()
	relax(true)
	if was := debug.SetGCPercent(-1); was != -1 {
		t.Errorf("the collector turned off was turned on (%d) for a change", was)
	}
}
