package config

import (
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"triage/threads"
)

// AlertWays are the ways an alert may ring, for alert_via.
var AlertWays = []string{"bell", "osc9", "osc777"}

// Agent is the agent's name: agent_name, else the login name.
func (c *Config) Agent() string {
	if c.AgentName != "" {
		return c.AgentName
	}
	if name := os.Getenv("USER"); name != "" {
		return name
	}
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return ""
}

// Owners is who owns what, as claims tell it: the owner tag's prefix and
// the agent; zero when claiming is off.
func (c *Config) Owners() threads.Owners {
	if c.OwnerTagPrefix == "" {
		return threads.Owners{}
	}
	return threads.Owners{Prefix: c.OwnerTagPrefix, Me: c.Agent()}
}

// AlertQueries are the alerts, parsed (Validate has checked them).
func (c *Config) AlertQueries() []threads.Query {
	out := make([]threads.Query, 0, len(c.Alerts))
	for _, q := range c.Alerts {
		if p, err := threads.Parse(q); err == nil {
			out = append(out, p)
		}
	}
	return out
}

// PresenceOff reports that presence_dir turns presence off.
func (c *Config) PresenceOff() bool { return c.PresenceDir == "off" }

// validateTeam checks the keys of claims, presence and alerts.
func (c *Config) validateTeam() error {
	badName := func(s string) bool {
		return strings.ContainsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) || utf8.RuneCountInString(s) > 64
	}
	p := c.OwnerTagPrefix
	switch {
	case badName(c.AgentName):
		return c.ErrorAt("agent_name", "agent_name = %q: a name of at most 64 characters, without spaces (it becomes a tag)", c.AgentName)
	case badName(p) || strings.ContainsAny(p[:min(len(p), 1)], "+-="):
		return c.ErrorAt("owner_tag_prefix", "owner_tag_prefix = %q: a tag's beginning, without spaces, not starting with +, - or = (\"\" turns claiming off)", p)
	case p != "" && utf8.RuneCountInString(p+c.Agent()) > c.MaxTagLength:
		return c.ErrorAt("owner_tag_prefix", "owner_tag_prefix and agent_name make the owner tag %q, longer than max_tag_length (%d)", p+c.Agent(), c.MaxTagLength)
	case c.PresenceDir != "" && !c.PresenceOff() && !filepath.IsAbs(c.PresenceDir):
		return c.ErrorAt("presence_dir", "presence_dir = %q: an absolute path, \"off\", or unset for the default", c.PresenceDir)
	case len(c.Alerts) > 20:
		return c.ErrorAt("alerts", "%d alerts: at most 20", len(c.Alerts))
	}
	for _, q := range c.Alerts {
		if _, err := threads.Parse(q); err != nil {
			return c.ErrorAt("alerts", "alerts: %q: %v", q, err)
		}
	}
	for _, way := range c.AlertVia {
		if !slices.Contains(AlertWays, way) {
			return c.ErrorAt("alert_via", "alert_via: %q: must be among %q", way, AlertWays)
		}
	}
	return nil
}
