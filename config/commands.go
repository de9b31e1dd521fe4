package config

import (
	"triage/api"
	"triage/commands"
)

// Command is one [[commands]] entry: a shell command line written from a
// template over the target threads, run in the background (its output to
// the event log) or in the foreground (it gets the terminal).
type Command struct {
	Name    string `toml:"name"`
	Key     string `toml:"key"`
	Run     string `toml:"run"`
	Mode    string `toml:"mode"`    // "background" (default) or "foreground"
	Confirm bool   `toml:"confirm"` // ask before running
}

// Foreground reports whether the command takes the terminal.
func (c Command) Foreground() bool { return c.Mode == "foreground" }

// sampleThread is what a command's template is tried on at start.
var sampleThread = api.Thread{ID: "th_1", Title: "Refund", VisitorName: "Ana", VisitorEmail: "ana@example.com", Tags: []string{"vip"}}

// validateCommands checks each [[commands]] entry, naming the entry, the
// key and its line; names are shared with the macros (the palette lists
// both).
func (c *Config) validateCommands() error {
	names := map[string]bool{}
	for _, m := range c.Macros {
		names[m.Name] = true
	}
	for i, cmd := range c.Commands {
		at := func(key, format string, args ...any) error {
			return c.ErrorInArray("commands", i, key, format, args...)
		}
		switch {
		case cmd.Name == "":
			return at("name", "every command needs a name")
		case names[cmd.Name]:
			return at("name", "%q names two macros or commands", cmd.Name)
		case cmd.Run == "":
			return at("run", "command %q runs nothing: set run", cmd.Name)
		case cmd.Mode != "" && cmd.Mode != "background" && cmd.Mode != "foreground":
			return at("mode", "%q: must be \"background\" or \"foreground\"", cmd.Mode)
		}
		names[cmd.Name] = true
		t, err := commands.Parse(cmd.Run)
		if err != nil {
			return at("run", "not a template: %v", err)
		}
		if _, err := commands.Write(t, []*api.Thread{&sampleThread}, "b", "https://x"); err != nil {
			return at("run", "%v", err)
		}
	}
	return nil
}
