package ui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"triage/api"
	"triage/commands"
)

// Command is one of the agent's own commands on threads.
type Command struct {
	Name       string
	Foreground bool // it takes the terminal; else it runs in the background
	Confirm    bool // ask before running it
	// Line writes the command for the targets: its script refers to the
	// values from the server, which travel in its environment.
	Line func(targets []*api.Thread) (commands.Line, error)
	// Hide names environment variables the command must not see.
	Hide []string
}

// commandTimeout stops a background command that hangs.
const commandTimeout = 2 * time.Minute

// commandDoneMsg is the end of a command.
type commandDoneMsg struct {
	name   string
	output []string // a background command's standard output
	err    error
}

// start runs the command line: in the foreground the console hands the
// terminal over and takes it back when it ends; in the background its
// output comes back in commandDoneMsg.
func (c Command) start(ctx context.Context, line commands.Line) tea.Cmd {
	if c.Foreground {
		cmd, stderr := commands.Foreground(line, c.Hide)
		return tea.ExecProcess(cmd, func(err error) tea.Msg {
			return commandDoneMsg{name: c.Name, err: commands.Failure(err, stderr)}
		})
	}
	return func() tea.Msg {
		r := commands.Background(ctx, line, commandTimeout, c.Hide)
		return commandDoneMsg{name: c.Name, output: r.Output, err: r.Err}
	}
}
