package ui

import (
	"slices"
	"strings"
	"testing"

	"triage/api"
	"triage/commands"
	"triage/keymap"
)

// withCommand binds one command on key C, its line from run.
func withCommand(t *testing.T, m *Model, c Command, run string) {
	t.Helper()
	tmpl, err := commands.Parse(run)
	if err != nil {
		t.Fatal(err)
	}
	c.Line = func(targets []*api.Thread) (commands.Line, error) {
		return commands.Write(tmpl, targets, "demo-bot", "http://127.0.0.1")
	}
	km, err := keymap.New(nil, keymap.Own{Name: c.Name, Key: "Z", Command: true})
	if err != nil {
		t.Fatal(err)
	}
	m.opts.Keys, m.opts.Commands = km, []Command{c}
}

func TestBackgroundCommandOutputToLogAndStatus(t *testing.T) {
	m, _, _ := twoConsoles(t)
	rows := m.table.rows
	withCommand(t, m, Command{Name: "ids"}, `{{range .Threads}}echo {{.ID}}; {{end}}`)
	act(t, m, "x", "j", "x", "Z")
	if m.status.text != "ids: "+rows[0].ID {
		t.Errorf("status %q", m.status.text)
	}
	var logged []string
	for _, e := range m.screen.log.events {
		logged = append(logged, e.text)
	}
	if !slices.Contains(logged, "ids: "+rows[1].ID) {
		t.Errorf("the second line is not in the log: %q", logged)
	}
}

func TestCommandFailureAndConfirm(t *testing.T) {
	m, _, _ := twoConsoles(t)
	withCommand(t, m, Command{Name: "mail", Confirm: true}, `echo "mutt: no mailbox for" {{.VisitorEmail}} >&2; exit 2`)
	act(t, m, "Z")
	if !strings.Contains(screenOf(m), "Run mail on 1 thread? (y/N)") {
		t.Fatalf("no question:\n%s", screenOf(m))
	}
	act(t, m, "y")
	if !m.status.isErr || !strings.HasPrefix(m.status.text, "mail failed with exit status 2: mutt: no mailbox for") {
		t.Errorf("status %q", m.status.text)
	}
}
