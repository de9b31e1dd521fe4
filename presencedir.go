package main

import (
	"triage/api"
	"triage/config"
	"triage/presence"
)

// openPresence opens the presence directory of the config (the default:
// one per chatbot under the temporary directory), or says why presence is
// off; nil and "" when the config turns it off, and for --demo, whose
// server is this console's alone (nobody else could be there).
func openPresence(cfg *config.Config, c api.Config, demo bool) (*presence.Dir, string) {
	if cfg.PresenceOff() || demo {
		return nil, ""
	}
	path := cfg.PresenceDir
	if path == "" {
		path = presence.DefaultPath(c.BaseURL, c.ChatbotID)
	}
	d, err := presence.Open(path, presence.Scope(c.BaseURL, c.ChatbotID))
	if err != nil {
		return nil, err.Error()
	}
	return d, ""
}
