package e2e

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"triage/api"
	"triage/api/apitest"
)

// hostileTitles are titles that are not ASCII: accents, emoji (U+1F680's
// UTF-8 holds 0x9A, which a Latin-1 terminal takes for DECID), CJK and
// typographic punctuation.
var hostileTitles = []string{"Émile’s 🚀 launch", "Çà et là — “quotes” …", "漢字 naïve café"}

// serveHostile runs a server of a few threads with those titles and
// returns the console's arguments and environment for it.
func serveHostile(t *testing.T) (env, args []string) {
	t.Helper()
	srv := apitest.New(apitest.Options{Threads: 5, Seed: 3})
	for i, title := range hostileTitles {
		srv.Put(api.Thread{ID: "th_x" + string(rune('a'+i)), ChatbotID: srv.ChatbotID(), Title: title, VisitorName: "Zoë Ærø",
			Tags: []string{"café"}, UpdatedAt: time.Now().Add(time.Duration(i) * time.Second)}, "", api.Value("Notes for Émile ✓"))
	}
	base, stop, err := srv.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return []string{"CONTEXTGPT_API_KEY=" + srv.APIKey()}, []string{"--base-url", base, "--chatbot", srv.ChatbotID()}
}

// highBytes counts the bytes of 0x80 and above the terminal was sent.
func highBytes(b []byte) int {
	n := 0
	for _, c := range b {
		if c >= 0x80 {
			n++
		}
	}
	return n
}

// TestNonUTF8LocalesGetASCII: under LANG=C, LC_ALL=POSIX (which wins over
// a UTF-8 LANG) and ISO-8859-1, the raw output of a session that shows,
// opens and reads threads with emoji and accents holds no byte >= 0x80,
// and the titles read in ASCII; under UTF-8 they are there as they are.
func TestNonUTF8LocalesGetASCII(t *testing.T) {
	for _, c := range []struct {
		name string
		env  []string
		want string // on screen
		high bool   // bytes >= 0x80 expected
	}{
		{"LANG=C", []string{"LANG=C"}, "Emile's ?? launch", false},
		{"LC_ALL=POSIX", []string{"LC_ALL=POSIX", "LANG=en_US.UTF-8"}, "Emile's ?? launch", false},
		{"ISO-8859-1", []string{"LANG=en_US.ISO-8859-1"}, "Ca et la - \"quotes\"", false},
		{"UTF-8", []string{"LANG=en_US.UTF-8"}, "Émile’s 🚀 launch", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			env, args := serveHostile(t)
			raw := filepath.Join(t.TempDir(), "raw")
			s := startRecorded(t, 80, 24, append(env, c.env...), raw, args...)
			s.waitText(c.want)
			s.keys("R") // the reader: title, visitor, tags, notes, the conversation
			s.waitText("J next thread", "Visitor")
			s.keys("Escape")
			s.waitFor("the list", func(scr string) bool { return !strings.Contains(scr, "J next thread") })
			s.keys("q")
			s.waitExit()
			b, err := os.ReadFile(raw)
			if err != nil || len(b) < 1000 {
				t.Fatalf("recorded %d bytes: %v", len(b), err)
			}
			if n := highBytes(b); (n > 0) != c.high {
				t.Errorf("%d bytes >= 0x80 in %d recorded", n, len(b))
			}
		})
	}
}

// sgrColour finds SGR sequences that set a colour.
var sgrColour = regexp.MustCompile(`\x1b\[(?:[0-9]*;)*(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])[;m]`)

// TestLimitedTerminalsGetNoQueries: TERM=dumb and vt100 are sent no
// query (device attributes, mode reports, the keyboard protocol's, the
// background colour), no keyboard or input mode switch, no title and no
// colour; xterm-256color is sent them, so the check can see them.
func TestLimitedTerminalsGetNoQueries(t *testing.T) {
	unknown := []string{"\x1b[>", "\x1b[<", "\x1b[?u", "$p", "\x1b]", "\x1b[c", "\x1b[?2004h", "\x1b[22;0t"}
	for _, c := range []struct {
		term    string
		limited bool
	}{{"dumb", true}, {"vt100", true}, {"xterm-256color", false}} {
		t.Run(c.term, func(t *testing.T) {
			raw := filepath.Join(t.TempDir(), "raw")
			// tmux sets TERM in the pane whatever the environment says: the command line sets it.
			s := startShell(t, 80, 24, nil, "read -r _ && TERM="+c.term+" "+shellQuote(triageBin)+" --demo --demo-threads 50")
			s.tmux("pipe-pane", "-t", "main", "-o", "cat > "+shellQuote(raw))
			s.keys("Enter")
			s.waitText("[1 Inbox", "1/")
			s.literal("jx")
			s.waitText("1 marked")
			s.keys("q")
			s.waitExit()
			b, _ := os.ReadFile(raw)
			var found []string
			for _, u := range unknown {
				if bytes.Contains(b, []byte(u)) {
					found = append(found, u)
				}
			}
			if sgrColour.Match(b) {
				found = append(found, "colour")
			}
			if c.limited && len(found) > 0 {
				t.Errorf("TERM=%s was sent %q", c.term, found)
			}
			if !c.limited && len(found) < 4 {
				t.Errorf("TERM=%s was sent only %q: the check sees nothing", c.term, found)
			}
		})
	}
}

// TestTitleIsRestored: the console's title shows while it runs, and the
// agent's title is back after it quits; with window_title = "leave" the
// title is never touched.
func TestTitleIsRestored(t *testing.T) {
	for _, mode := range []string{"restore", "leave"} {
		cfg := filepath.Join(t.TempDir(), "config.toml")
		if err := os.WriteFile(cfg, []byte("window_title = \""+mode+"\"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		line := `printf '\033]2;agent-title\033\\'; read -r _ && ` + shellQuote(triageBin) + " --demo --demo-threads 20 --config " + shellQuote(cfg)
		s := startShell(t, 80, 24, nil, line)
		s.waitFor("the agent's title", func(string) bool { return s.format("pane_title") == "agent-title" })
		s.keys("Enter")
		s.waitText("[1 Inbox", "1/")
		want := map[string]string{"restore": "triage", "leave": "agent-title"}[mode]
		s.waitFor("the title "+want, func(string) bool { return s.format("pane_title") == want })
		s.keys("q")
		s.waitExit()
		if got := s.format("pane_title"); got != "agent-title" {
			t.Errorf("%s: the title after the console is %q", mode, got)
		}
	}
}

// hintLine is the key hint's line of the screen with its colours.
func hintLine(s *session) string {
	lines := strings.Split(strings.TrimRight(s.tmux("capture-pane", "-p", "-e", "-t", "main"), "\n"), "\n")
	return lines[len(lines)-1]
}

// TestLightBackgroundGetsLightStyles: a terminal that answers a light
// background gets the light theme's hint, the same as theme = "light",
// not the dark one's.
func TestLightBackgroundGetsLightStyles(t *testing.T) {
	hint := func(theme string, light bool, want string) string {
		cfg := filepath.Join(t.TempDir(), "config.toml")
		if err := os.WriteFile(cfg, []byte("theme = \""+theme+"\"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		s := startRecorded(t, 80, 24, nil, filepath.Join(t.TempDir(), "raw"), "--demo", "--demo-threads", "20", "--config", cfg)
		if light {
			s.tmux("set-option", "-g", "window-style", "bg=#ffffff") // what tmux answers to the background query
		}
		s.waitText("[1 Inbox", "1/", "? help")
		if want != "" {
			s.waitFor("the light theme's hint", func(string) bool { return hintLine(s) == want })
		}
		h := hintLine(s)
		s.keys("q")
		s.waitExit()
		return h
	}
	dark := hint("dark", false, "")
	light := hint("light", false, "")
	if light == dark {
		t.Fatalf("the themes' hints are the same: %q", light)
	}
	hint("auto", true, light) // fails unless the light background brings the light hint
}

// TestNoTerminalIsSaidPlainly: without a terminal (ssh -T, a pipe, no
// controlling tty) the console says what to do and exits with 2.
func TestNoTerminalIsSaidPlainly(t *testing.T) {
	cmd := exec.Command(triageBin, "--demo", "--demo-threads", "10")
	cmd.Env = append(os.Environ(), "XDG_STATE_HOME="+t.TempDir(), "XDG_CACHE_HOME="+t.TempDir(), "XDG_CONFIG_HOME="+t.TempDir())
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true} // no controlling terminal, as under ssh -T
	var stderr bytes.Buffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = strings.NewReader(""), &bytes.Buffer{}, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 2 || !strings.Contains(stderr.String(), "triage needs a terminal: run it with ssh -t") {
		t.Errorf("%v: %q", err, stderr.String())
	}
}

// TestCommandLineWritesASCIIToANonUTF8Terminal: under LANG=C, list's
// table, show and apply's dry run write no byte >= 0x80 to the terminal,
// the server's text in ASCII of the same widths; into a pipe the same
// commands write it as it is.
func TestCommandLineWritesASCIIToANonUTF8Terminal(t *testing.T) {
	env, args := serveHostile(t)
	env = append(env, "LANG=C")
	for _, c := range []struct {
		name string
		cmd  []string
		want string
	}{
		{"list", []string{"list"}, "Emile's ?? launch"},
		{"show", []string{"show", "th_xa"}, "Notes for Emile ?"},
		{"dry run", []string{"apply", "--id", "th_xb", "--set", "important=true", "--dry-run"}, "Ca et la - \"quotes\" .  important false>true"},
	} {
		t.Run(c.name, func(t *testing.T) {
			raw := filepath.Join(t.TempDir(), "raw")
			line := []string{"read -r _ &&", shellQuote(triageBin)}
			for _, a := range append(c.cmd, args...) {
				line = append(line, shellQuote(a))
			}
			s := startShell(t, 120, 30, env, strings.Join(line, " ")+"; echo END-OF-OUTPUT")
			s.tmux("pipe-pane", "-t", "main", "-o", "cat > "+shellQuote(raw))
			s.keys("Enter")
			b := waitFile(t, raw, "END-OF-OUTPUT")
			if n := highBytes(b); n > 0 || !bytes.Contains(b, []byte(c.want)) {
				t.Errorf("%d bytes >= 0x80; the terminal got:\n%s", n, b)
			}
			piped := exec.Command(triageBin, append(c.cmd, args...)...)
			piped.Env = append(env, "XDG_CACHE_HOME="+t.TempDir(), "XDG_CONFIG_HOME="+t.TempDir(), "XDG_STATE_HOME="+t.TempDir())
			out, err := piped.Output()
			if err != nil || highBytes(out) == 0 {
				t.Errorf("into a pipe: %v, %d bytes >= 0x80:\n%s", err, highBytes(out), out)
			}
		})
	}
}

// waitFile waits until the file at path holds text, and returns it.
func waitFile(t *testing.T, path, text string) []byte {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		b, _ := os.ReadFile(path)
		if bytes.Contains(b, []byte(text)) {
			return b
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never held %q: %q", path, text, b)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
