package config

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"triage/api"
	"triage/commands"
)

func writeConfig(t *testing.T, body string, mode os.FileMode) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(p, []byte(body), mode); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadErrorsNameKeyAndLine(t *testing.T) {
	tests := []struct {
		name, body string
		want       []string
	}{
		{"unknown key", "chatbot_id = \"b\"\n\nbase_uri = \"x\"\n", []string{":3:", `unknown key "base_uri"`}},
		{"unknown nested key", "[keys]\ndown = [\"j\"]\n\n[extra]\nx = 1\n", []string{":4:", `unknown key "extra"`}},
		{"wrong type", "chatbot_id = \"b\"\nrate_limit = \"fast\"\n", []string{":2:", "rate_limit"}},
		{"bad value", "page_size = 100\nconcurrency = 99\n", []string{":2:", "concurrency = 99", "between 1 and 16"}},
		{"bad duration", "timeout = \"soon\"\n", []string{":1:", "duration"}},
		{"bad glyphs", "\nglyphs = \"emoji\"\n", []string{":2:", `"unicode" or "ascii"`}},
		{"syntax", "chatbot_id = \n", []string{":1:"}},
		{"view without name", "[[views]]\nresolved = false\n", []string{":1:", "views[1].name", "needs a name"}},
		{"view bad mode", "[[views]]\nname = \"a\"\n\n[[views]]\nname = \"b\"\nmode = \"ROBOT\"\n", []string{":6:", "views[2].mode", `"ROBOT"`}},
		{"view bad sort", "[[views]]\nname = \"a\"\nsort = \"age\"\n", []string{":3:", "views[1].sort", "updated, started"}},
		{"view unknown key", "[[views]]\nname = \"a\"\ncolour = \"red\"\n", []string{":3:", `"views.colour"`}},
		{"dashboard_url not a link", "chatbot_id = \"b\"\ndashboard_url = \"dash/{{.ID}}\"\n", []string{":2:", "dashboard_url", "not an http(s) link"}},
		{"dashboard_url unknown field", "dashboard_url = \"https://d.example/{{.Thread}}\"\n", []string{":1:", "{{.ChatbotID}} and {{.ID}}"}},
		{"command without name", "[[commands]]\nrun = \"true\"\n", []string{":1:", "commands[1].name", "needs a name"}},
		{"command without run", "[[commands]]\nname = \"log\"\n", []string{":1:", "commands[1].run", "runs nothing"}},
		{"command bad mode", "[[commands]]\nname = \"log\"\nrun = \"true\"\nmode = \"tty\"\n", []string{":4:", "commands[1].mode", `"foreground"`}},
		{"command bad template", "[[commands]]\nname = \"log\"\nrun = \"echo {{.ID\"\n", []string{":3:", "commands[1].run", "not a template"}},
		{"command value in quotes", "[[commands]]\nname = \"log\"\nrun = \"echo '{{.Title}}'\"\n", []string{":3:", "commands[1].run", "line 1: {{.Title}} is inside single quotes"}},
		{"command value to eval", "[[commands]]\nname = \"log\"\nrun = \"\"\"\ncd /tmp\neval \\\"echo {{.Title}}\\\"\"\"\"\n", []string{":3:", "commands[1].run", "line 2: {{.Title}} is an argument of eval"}},
		{"command value to trap", "[[commands]]\nname = \"log\"\nrun = \"\"\"\ncd /tmp\ntrap {{.Title}} EXIT; true\"\"\"\n", []string{":3:", "commands[1].run", "line 2: {{.Title}} is an argument of trap"}},
		{"command value to alias", "[[commands]]\nname = \"log\"\nrun = \"\"\"\nalias x={{.Title}}\nx\"\"\"\n", []string{":3:", "commands[1].run", "line 1: {{.Title}} is an argument of alias"}},
		{"command pipes into sh", "[[commands]]\nname = \"log\"\nrun = \"echo {{.ID}} | sh\"\n", []string{":3:", "commands[1].run", "feeds sh"}},
		{"command asks the key", "[[commands]]\nname = \"log\"\nrun = \"echo {{.APIKey}}\"\n", []string{":3:", "commands[1].run", "{{.VisitorEmail}}"}},
		{"command named as a macro", "[[macros]]\nname = \"x\"\nresolved = true\n[[commands]]\nname = \"x\"\nrun = \"true\"\n", []string{":5:", "commands[1].name", "two macros or commands"}},
		{"macro without name", "[[macros]]\nresolved = true\n", []string{":1:", "macros[1].name", "needs a name"}},
		{"macro twice", "[[macros]]\nname = \"a\"\nkey = \"D\"\nresolved = true\n[[macros]]\nname = \"a\"\nkey = \"Z\"\narchived = true\n", []string{":6:", "macros[2].name", `"a" names two`}},
		{"macro changes nothing", "[[macros]]\nname = \"a\"\nkey = \"D\"\n", []string{":2:", "macros[1].name", "changes nothing"}},
		{"macro bad mode", "[[macros]]\nname = \"a\"\nkey = \"D\"\n\nmode = \"ROBOT\"\n", []string{":5:", "macros[1].mode", `"ROBOT"`, "HUMAN"}},
		{"macro bad tag", "[[macros]]\nname = \"a\"\nkey = \"D\"\ntags = [\"+ok\", \"-ok\"]\n", []string{":4:", "macros[1].tags", "both added and removed"}},
		{"macro tag with a space", "[[macros]]\nname = \"a\"\nkey = \"D\"\ntags = [\"needs review\"]\n", []string{":4:", "macros[1].tags", `"needs review"`}},
		{"macro long title", "max_title_length = 5\n[[macros]]\nname = \"a\"\nkey = \"D\"\ntitle = \"too long\"\n", []string{":5:", "macros[1].title", "max_title_length (5)"}},
		{"macro bad template", "[[macros]]\nname = \"a\"\nkey = \"D\"\nnotes = \"by {{.Agent\"\n", []string{":4:", "macros[1].notes", "not a template"}},
		{"view on a tag without All", "[[views]]\nname = \"VIP\"\nresolved = false\ntag = \"vip\"\n", []string{":4:", "views[1].tag", "none is configured"}},
		{"view on the owner and the mode", "[[views]]\nname = \"All\"\n[[views]]\nname = \"M\"\nowner = \"me\"\nmode = \"AI\"\n", []string{":5:", "views[2].owner", "cannot filter on the mode"}},
		{"view on the owner without claims", "owner_tag_prefix = \"\"\n[[views]]\nname = \"All\"\n[[views]]\nname = \"M\"\nowner = \"me\"\n", []string{":6:", "views[2].owner", "nobody claims"}},
		{"agent with a space", "agent_name = \"ana b\"\n", []string{":1:", "agent_name", "without spaces"}},
		{"owner prefix with a sign", "owner_tag_prefix = \"-o:\"\n", []string{":1:", "owner_tag_prefix", "not starting with"}},
		{"owner tag too long", "max_tag_length = 8\nagent_name = \"anastasia\"\n", []string{"owner_tag_prefix", "owner:anastasia", "max_tag_length (8)"}},
		{"relative presence dir", "presence_dir = \"tmp/p\"\n", []string{":1:", "presence_dir", "absolute path"}},
		{"bad alert", "alerts = [\"is:urgent\"]\n", []string{":1:", "alerts", "is:urgent"}},
		{"bad search language", "search_language = \"klingon\"\n", []string{":1:", "search_language", "english"}},
		{"bad alert way", "alert_via = [\"bell\", \"email\"]\n", []string{":1:", "alert_via", `"email"`}},
		{"macro unknown field", "[[macros]]\nname = \"a\"\nkey = \"D\"\nnotes = \"{{.Who}}\"\n", []string{":4:", "macros[1].notes", "{{.Agent}} and {{.Date}}"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeConfig(t, tt.body, 0o600)
			_, err := Load(p, true)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestLoadDefaultsAndFile(t *testing.T) {
	cfg, err := Load(filepath.Join(t.TempDir(), "missing.toml"), false)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.PageSize != 1000 || !cfg.Cache || cfg.RateLimit != 500 || cfg.APIKeyEnv != DefaultAPIKeyEnv || cfg.Timeout.Duration != 30*time.Second {
		t.Errorf("defaults %+v", cfg)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.toml"), true); err == nil {
		t.Error("an explicit missing file was accepted")
	}
	p := writeConfig(t, "chatbot_id = \"361628903185318481\"\ntimeout = \"5s\"\n[keys]\ndown = [\"J\", \"down\"]\n", 0o644)
	cfg, err = Load(p, true)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.ChatbotID != "361628903185318481" || cfg.Timeout.Duration != 5*time.Second || cfg.PageSize != 1000 {
		t.Errorf("file values not applied over defaults: %+v", cfg)
	}
	if got := cfg.Keys["down"]; len(got) != 2 || got[0] != "J" {
		t.Errorf("keys %v", cfg.Keys)
	}
}

func TestAPIKeyInFileMustBePrivate(t *testing.T) {
	p := writeConfig(t, "api_key = \"sk-123\"\n", 0o644)
	if err := os.Chmod(p, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(p, true)
	if err == nil || !strings.Contains(err.Error(), "chmod 600") || strings.Contains(err.Error(), "sk-123") {
		t.Fatalf("err = %v", err)
	}
	if err := os.Chmod(p, 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(p, true)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("TRIAGE_TEST_NO_KEY", "")
	cfg.APIKeyEnv = "TRIAGE_TEST_NO_KEY"
	if key, err := cfg.ResolveAPIKey(context.Background()); err != nil || key != "sk-123" {
		t.Errorf("key %q err %v", key, err)
	}
}

func TestResolveAPIKey(t *testing.T) {
	t.Setenv("TRIAGE_TEST_KEY", "  from-env \n")
	cfg := Default()
	cfg.APIKeyEnv = "TRIAGE_TEST_KEY"
	if key, err := cfg.ResolveAPIKey(context.Background()); err != nil || key != "from-env" {
		t.Errorf("env: %q %v", key, err)
	}
	cfg.APIKeyCmd = "echo from-cmd"
	if key, err := cfg.ResolveAPIKey(context.Background()); err != nil || key != "from-cmd" {
		t.Errorf("cmd wins over env: %q %v", key, err)
	}
	cfg.APIKeyCmd = "echo secret-on-stdout; echo 'vault is locked' >&2; exit 3"
	_, err := cfg.ResolveAPIKey(context.Background())
	if err == nil || !strings.Contains(err.Error(), "exit status 3") || !strings.Contains(err.Error(), "vault is locked") ||
		strings.Contains(err.Error(), "secret-on-stdout") {
		t.Errorf("failing command: %v", err)
	}
	cfg.APIKeyCmd = "true"
	if _, err := cfg.ResolveAPIKey(context.Background()); err == nil || !strings.Contains(err.Error(), "printed nothing") {
		t.Errorf("empty output: %v", err)
	}
	cfg.APIKeyCmd = ""
	t.Setenv("TRIAGE_TEST_KEY", "")
	_, err = cfg.ResolveAPIKey(context.Background())
	if !errors.Is(err, ErrNoAPIKey) || !strings.Contains(err.Error(), "$TRIAGE_TEST_KEY") || !strings.Contains(err.Error(), "--demo") {
		t.Errorf("missing key: %v", err)
	}
}

func TestExampleConfigIsValid(t *testing.T) {
	cfg, err := Load(filepath.Join("..", "config.toml.example"), true)
	if err != nil {
		t.Fatalf("config.toml.example: %v", err)
	}
	if cfg.ChatbotID == "" {
		t.Error("the example should show chatbot_id")
	}
}

// TestExampleMacrosAndCommandsAreValid loads the example's commented
// macros and commands, as an agent who uncomments them would.
func TestExampleMacrosAndCommandsAreValid(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "config.toml.example"))
	if err != nil {
		t.Fatal(err)
	}
	src := string(b)
	start, cmds, end := strings.Index(src, "# agent_name"), strings.Index(src, "# [[commands]]"), strings.Index(src, "# Rebind any action")
	if start < 0 || cmds < start || end < cmds {
		t.Fatal("the example lost its macros or commands")
	}
	setting := regexp.MustCompile(`^(\[\[\w+\]\]|\w+ = )`) // not the prose around them
	var body strings.Builder
	for line := range strings.Lines(src[start:end]) {
		if l := strings.TrimPrefix(strings.TrimPrefix(line, "#"), " "); setting.MatchString(l) {
			body.WriteString(l)
		}
	}
	cfg, err := Load(writeConfig(t, body.String(), 0o600), true)
	if err != nil {
		t.Fatalf("%v\n%s", err, body.String())
	}
	if cfg.AgentName != "ana" || len(cfg.Macros) != 3 || cfg.Macros[0].Key != "D" || *cfg.Macros[0].Notes == "" {
		t.Errorf("%+v", cfg.Macros)
	}
	if len(cfg.Commands) != 3 || !cfg.Commands[0].Foreground() || !cfg.Commands[2].Confirm {
		t.Errorf("%+v", cfg.Commands)
	}
}

// TestReadmeCommandsWork loads the README's commands and runs its chat
// post on two threads, curl replaced by cat.
func TestReadmeCommandsWork(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, block, _ := strings.Cut(string(b), "```toml\n[[commands]]")
	block, _, _ = strings.Cut(block, "```")
	cfg, err := Load(writeConfig(t, "[[commands]]"+block, 0o600), true)
	if err != nil || len(cfg.Commands) != 3 {
		t.Fatalf("%v: %d commands", err, len(cfg.Commands))
	}
	post := cfg.Commands[2]
	tmpl, _ := commands.Parse(strings.Replace(post.Run, "curl -fsS --data-urlencode text@- https://chat.example/hooks/T0KEN", "cat", 1))
	line, err := commands.Write(tmpl, []*api.Thread{{ID: "th_1"}, {ID: "th_2"}}, "b", "https://x")
	if err != nil {
		t.Fatal(err)
	}
	r := commands.Background(context.Background(), line, 10*time.Second, nil)
	if r.Err != nil || len(r.Output) != 1 || r.Output[0] != "Threads to look at: th_1 th_2" {
		t.Errorf("%q: %+v", line, r)
	}
}

func TestViewsDecode(t *testing.T) {
	p := writeConfig(t, "[[views]]\nname = \"VIP\"\nresolved = false\nmode = \"HUMAN\"\nsort = \"unread\"\nreverse = true\n", 0o600)
	cfg, err := Load(p, true)
	if err != nil {
		t.Fatal(err)
	}
	v := cfg.Views[0]
	if len(cfg.Views) != 1 || v.Name != "VIP" || v.Resolved == nil || *v.Resolved || v.Archived != nil || v.Mode != "HUMAN" || v.Sort != "unread" || !v.Reverse {
		t.Errorf("views %+v", cfg.Views)
	}
}

func TestCheckBaseURL(t *testing.T) {
	for base, ok := range map[string]bool{
		"https://contextgpt.in/api/v1": true, "http://127.0.0.1:8787/api/v1": true, "http://localhost/api/v1": true,
		"http://[::1]:80/api/v1": true, "http://contextgpt.in/api/v1": false, "contextgpt.in": false,
	} {
		if err := CheckBaseURL(base, false); (err == nil) != ok {
			t.Errorf("%s: %v", base, err)
		}
	}
	if err := CheckBaseURL("http://contextgpt.in/api/v1", true); err != nil {
		t.Errorf("--insecure-http refused: %v", err)
	}
}

func TestMacroNotesTemplate(t *testing.T) {
	notes := "Spam, closed by {{.Agent}} on {{.Date}}."
	m := Macro{Name: "Spam", Notes: &notes}
	got, err := m.WriteNotes("ana", time.Date(2026, 11, 23, 23, 0, 0, 0, time.UTC))
	if err != nil || got != "Spam, closed by ana on 2026-11-23." {
		t.Errorf("%q, %v", got, err)
	}
	if got, err := (Macro{Name: "x"}).WriteNotes("ana", time.Time{}); got != "" || err != nil {
		t.Errorf("a macro without notes wrote %q, %v", got, err)
	}
}

func TestThreadLinkEscapesValues(t *testing.T) {
	c := Config{DashboardURL: "https://dash.example/bots/{{.ChatbotID}}/threads/{{.ID}}"}
	got, err := c.ThreadLink("b 1", "../../admin?x=1#y")
	if err != nil || got != "https://dash.example/bots/b%201/threads/..%2F..%2Fadmin%3Fx=1%23y" {
		t.Errorf("%q, %v", got, err)
	}
	if _, err := (&Config{}).ThreadLink("b", "th_1"); err == nil || !strings.Contains(err.Error(), "dashboard_url =") {
		t.Errorf("no dashboard_url: %v", err)
	}
}
