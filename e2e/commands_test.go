package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestForegroundCommandGetsTheTerminal: a foreground command takes the
// terminal (it prompts and reads a line), then the console comes back.
func TestForegroundCommandGetsTheTerminal(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "ids")
	cfg := filepath.Join(dir, "config.toml")
	run := `printf 'write to %s? ' {{.VisitorEmail}}; read answer; echo "$answer" {{.ID}} > '` + out + `'`
	body := "[[commands]]\nname = \"mail\"\nkey = \"M\"\nmode = \"foreground\"\nrun = '''" + run + "'''\n"
	if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	s := start(t, 80, 24, nil, "--demo", "--demo-threads", "30", "--config", cfg)
	s.waitText("[1 Inbox", "1/")
	s.literal("M")
	s.waitText("write to ")
	s.literal("yes")
	s.keys("Enter")
	s.waitText("[1 Inbox", "mail done")
	b, err := os.ReadFile(out)
	if fields := strings.Fields(string(b)); err != nil || len(fields) != 2 || fields[0] != "yes" || !strings.HasPrefix(fields[1], "th_") {
		t.Errorf("the command wrote %q, %v", b, err)
	}
	s.keys("q")
	if st := s.waitExit(); st != "0" {
		t.Errorf("exit status %s", st)
	}
}
