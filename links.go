package main

import (
	"os"

	"triage/config"
)

// threadLinks builds a thread's dashboard link for the console, nil when
// no dashboard_url is configured.
func threadLinks(cfg *config.Config, chatbot string) func(id string) (string, error) {
	if cfg.DashboardURL == "" {
		return nil
	}
	return func(id string) (string, error) { return cfg.ThreadLink(chatbot, id) }
}

// browser is $BROWSER, unless the console runs over SSH: there it would
// open on the jump host, not in front of the agent.
func browser() string {
	for _, v := range []string{"SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY"} {
		if os.Getenv(v) != "" {
			return ""
		}
	}
	return os.Getenv("BROWSER")
}
