package main

import (
	"errors"
	"time"

	"triage/api"
	"triage/commands"
	"triage/config"
	"triage/keymap"
	"triage/queue"
	"triage/ui"
)

// ownKeys are the macros and commands as the keymap binds them.
func ownKeys(cfg *config.Config) []keymap.Own {
	var out []keymap.Own
	for _, m := range cfg.Macros {
		out = append(out, keymap.Own{Name: m.Name, Key: m.Key})
	}
	for _, c := range cfg.Commands {
		out = append(out, keymap.Own{Name: c.Name, Key: c.Key, Command: true})
	}
	return out
}

// keyError points a keymap error at its line: keys.ACTION, or the key of
// the [[macros]] or [[commands]] entry it is about.
func keyError(cfg *config.Config, err error) error {
	var ke *keymap.Error
	if !errors.As(err, &ke) {
		return err
	}
	a := keymap.Action(ke.Action)
	if name, ok := keymap.MacroName(a); ok {
		for i, m := range cfg.Macros {
			if m.Name == name {
				return cfg.ErrorInArray("macros", i, "key", "%s", ke.Msg)
			}
		}
	}
	if name, ok := keymap.CommandName(a); ok {
		for i, c := range cfg.Commands {
			if c.Name == name {
				return cfg.ErrorInArray("commands", i, "key", "%s", ke.Msg)
			}
		}
	}
	return cfg.ErrorAt("keys."+ke.Action, "%s", ke.Error())
}

// uiCommands are the commands of the config as the console runs them,
// on chatbot at baseURL; the API key's variable is hidden from them.
func uiCommands(cfg *config.Config, chatbot, baseURL string) []ui.Command {
	var out []ui.Command
	for _, c := range cfg.Commands {
		t, _ := commands.Parse(c.Run) // validated at start
		out = append(out, ui.Command{Name: c.Name, Foreground: c.Foreground(), Confirm: c.Confirm, Hide: []string{cfg.APIKeyEnv},
			Line: func(targets []*api.Thread) (commands.Line, error) {
				return commands.Write(t, targets, chatbot, baseURL)
			}})
	}
	return out
}

// uiMacros are the macros of the config as the console applies them;
// the config has validated every value.
func uiMacros(cfg *config.Config) []ui.Macro {
	var out []ui.Macro
	for _, m := range cfg.Macros {
		mc := ui.Macro{Name: m.Name, Mode: api.Mode(m.Mode), Title: m.Title}
		for _, f := range []struct {
			flag queue.Flag
			v    *bool
		}{{queue.Resolved, m.Resolved}, {queue.Archived, m.Archived}, {queue.Escalated, m.Escalated}, {queue.Important, m.Important}} {
			if f.v != nil {
				mc.Flags = append(mc.Flags, ui.FlagValue{Flag: f.flag, Value: *f.v})
			}
		}
		if len(m.Tags) > 0 {
			in, _ := m.TagInput(cfg.MaxTagLength) // validated at start
			mc.Tags = &in
		}
		if m.Notes != nil {
			agent := cfg.Agent()
			mc.Notes = func(today time.Time) (string, error) { return m.WriteNotes(agent, today) }
		}
		out = append(out, mc)
	}
	return out
}
