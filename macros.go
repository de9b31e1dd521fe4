package main

import (
	"errors"
	"os"
	"strings"
	"time"

	"triage/api"
	"triage/config"
	"triage/keymap"
	"triage/queue"
	"triage/ui"
)

// macroKeys are the macros as the keymap binds them.
func macroKeys(ms []config.Macro) []keymap.Macro {
	out := make([]keymap.Macro, len(ms))
	for i, m := range ms {
		out[i] = keymap.Macro{Name: m.Name, Key: m.Key}
	}
	return out
}

// macroKeyError points a keymap error about a macro at its [[macros]]
// entry; other errors are returned as they are.
func macroKeyError(cfg *config.Config, err error) error {
	var ke *keymap.Error
	if !errors.As(err, &ke) {
		return err
	}
	name, ok := keymap.MacroName(keymap.Action(ke.Action))
	if !ok {
		return cfg.ErrorAt("keys."+ke.Action, "%s", ke.Error())
	}
	for i, m := range cfg.Macros {
		if m.Name == name {
			return cfg.ErrorInArray("macros", i, "key", "%s", ke.Msg)
		}
	}
	return err
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
			in, _ := queue.ParseTagInput(strings.Join(m.Tags, " "), cfg.MaxTagLength)
			mc.Tags = &in
		}
		if m.Notes != nil {
			agent := agentName(cfg)
			mc.Notes = func(today time.Time) (string, error) { return m.WriteNotes(agent, today) }
		}
		out = append(out, mc)
	}
	return out
}

// agentName is {{.Agent}}: agent_name from the config, else $USER.
func agentName(cfg *config.Config) string {
	if cfg.AgentName != "" {
		return cfg.AgentName
	}
	return os.Getenv("USER")
}
