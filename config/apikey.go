package config

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"triage/trust"
)

// KeyCommandTimeout bounds how long api_key_cmd may run.
const KeyCommandTimeout = 15 * time.Second

// ErrNoAPIKey is returned when no source gave a key.
var ErrNoAPIKey = errors.New("no API key")

// ResolveAPIKey finds the API key: api_key_cmd if set, else the variable
// api_key_env names, else api_key from the file. Errors never contain the
// key or the command's standard output.
func (c *Config) ResolveAPIKey(ctx context.Context) (string, error) {
	if c.APIKeyCmd != "" {
		return runKeyCommand(ctx, c.APIKeyCmd, KeyCommandTimeout)
	}
	if v := strings.TrimSpace(os.Getenv(c.APIKeyEnv)); v != "" {
		return v, nil
	}
	if c.APIKey != "" {
		return c.APIKey, nil
	}
	return "", fmt.Errorf("%w: set $%s (export %s=...), or api_key_cmd in %s; or try the demo: triage --demo",
		ErrNoAPIKey, c.APIKeyEnv, c.APIKeyEnv, c.describePath())
}

func (c *Config) describePath() string {
	if c.Path != "" {
		return c.Path
	}
	if p := DefaultPath(); p != "" {
		return p
	}
	return "the config file"
}

func orNone(s string) string {
	if s == "" {
		return "no error output"
	}
	return s
}

// CheckBaseURL refuses a base URL that is not absolute, or that would send
// the key in clear text off this machine (http:// to a host that is not
// loopback) unless insecure allows it.
func CheckBaseURL(base string, insecure bool) error {
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		return fmt.Errorf("base URL %q is not an absolute URL like https://contextgpt.in/api/v1", base)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		host := u.Hostname()
		if ip := net.ParseIP(host); host == "localhost" || ip != nil && ip.IsLoopback() || insecure {
			return nil
		}
		return fmt.Errorf("base URL %q would send the API key unencrypted; use https, or pass --insecure-http if you must", base)
	}
	return fmt.Errorf("base URL %q must use https", base)
}

// trustConfig refuses a config file that another user could have
// written, or that sits in a directory they could write (unless it is
// sticky, as /tmp is): its commands run as you.
func trustConfig(path string) error {
	if err := trust.File(path); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	if err := trust.Parent(filepath.Dir(path)); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	return nil
}

// checkPrivate refuses a key in a file others can read, as ssh does.
func checkPrivate(path string) error {
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	if st.Mode().Perm()&0o077 != 0 {
		return fmt.Errorf("config: %s holds api_key but is readable by others (mode %04o); run: chmod 600 %s, or use api_key_cmd or $%s instead",
			path, st.Mode().Perm(), path, DefaultAPIKeyEnv)
	}
	return nil
}
