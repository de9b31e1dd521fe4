package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"triage/config"
)

func TestLocaleIsUTF8(t *testing.T) {
	for _, c := range []struct {
		env  map[string]string
		utf8 bool
	}{
		{map[string]string{}, false},
		{map[string]string{"LANG": "C"}, false},
		{map[string]string{"LANG": "C.UTF-8"}, true},
		{map[string]string{"LANG": "en_US.utf8"}, true},
		{map[string]string{"LANG": "de_DE.UTF-8@euro"}, true},
		{map[string]string{"LANG": "en_US.ISO-8859-1"}, false},
		{map[string]string{"LANG": "en_US"}, false},
		{map[string]string{"LC_ALL": "POSIX", "LANG": "en_US.UTF-8"}, false},
		{map[string]string{"LC_CTYPE": "en_US.UTF-8", "LANG": "C"}, true},
		{map[string]string{"LC_ALL": "C.UTF-8", "LC_CTYPE": "C"}, true},
	} {
		if got := localeIsUTF8(func(k string) string { return c.env[k] }); got != c.utf8 {
			t.Errorf("%v: UTF-8 %v", c.env, got)
		}
	}
}

func TestLimitedTerm(t *testing.T) {
	for term, limited := range map[string]bool{"": true, "dumb": true, "vt100": true, "vt220": true, "vt52": true,
		"xterm-256color": false, "screen": false, "tmux-256color": false, "linux": false, "vt100-color": false} {
		if limitedTerm(term) != limited {
			t.Errorf("TERM=%q: limited %v", term, !limited)
		}
	}
}

// TestFilteredOutput: to a limited terminal the queries and mode switches
// go nowhere and the frame goes through, whole even when a sequence is
// cut between two writes; to a terminal that is not UTF-8 nothing above
// ASCII goes.
func TestFilteredOutput(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	w := &filtered{f: f, dropQueries: true, asciiOnly: true}
	frames := []string{
		"\x1b[?2026$p\x1b[?2027$p", "\x1b[>4;2m\x1b[>1u\x1b[?u", "\x1b[?1049h\x1b[?25l\x1b[?2004h\x1b[?1004h",
		"\x1b]11;?\x07\x1b]2;triage\x1b\\\x1b[c\x1b[>c\x1b[6n", "\x1b[1;1H\x1b[7mrow é\x1b[m", "\x1b[2", "J\x1b[<u\x1b[>4m\x1b[?25h",
	}
	for _, fr := range frames {
		if n, err := w.Write([]byte(fr)); err != nil || n != len(fr) {
			t.Fatalf("%q: %d, %v", fr, n, err)
		}
	}
	got, _ := os.ReadFile(f.Name())
	if want := "\x1b[?1049h\x1b[?25l\x1b[1;1H\x1b[7mrow ?\x1b[m\x1b[2J\x1b[?25h"; string(got) != want {
		t.Errorf("the terminal got %q, want %q", got, want)
	}
}

// TestNoTerminalIsRefused: standard output that is not a terminal stops
// the console with the sentence to act on.
func TestNoTerminalIsRefused(t *testing.T) {
	cfg := config.Default()
	if _, err := openConsole(strings.NewReader(""), &bytes.Buffer{}, os.Getenv, &cfg); err != errNoTerminal {
		t.Errorf("%v", err)
	}
	var stderr bytes.Buffer
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	code := run([]string{"--demo", "--demo-threads", "5"}, strings.NewReader(""), &bytes.Buffer{}, &stderr)
	if code != exitUsage || !strings.HasPrefix(stderr.String(), "triage needs a terminal: run it with ssh -t") {
		t.Errorf("exit %d: %q", code, stderr.String())
	}
}
