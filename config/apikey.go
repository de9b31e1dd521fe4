package config

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"

	"triage/sanitize"
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

// runKeyCommand runs the key command in a process group of its own: at
// the timeout the whole group is killed (a grandchild holding the pipes
// included), and the wait for its output ends soon after. Its standard
// error is shown only cleaned of escape sequences and of anything it also
// printed on standard output (the key, when a command echoes it twice).
func runKeyCommand(ctx context.Context, command string, timeout time.Duration) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "/bin/sh", "-c", command)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Stdin = nil
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = time.Second
	err := cmd.Run()
	errText := stderr.String()
	for _, secret := range strings.Fields(stdout.String()) {
		errText = strings.ReplaceAll(errText, secret, "[redacted]")
	}
	errText = sanitize.Line(strings.TrimSpace(errText))
	if len(errText) > 300 {
		errText = errText[:300] + "..."
	}
	switch {
	case ctx.Err() == context.DeadlineExceeded:
		return "", fmt.Errorf("api_key_cmd did not finish within %s and was stopped", timeout)
	case err != nil:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return "", fmt.Errorf("api_key_cmd failed with exit status %d: %s", ee.ExitCode(), orNone(errText))
		}
		return "", fmt.Errorf("api_key_cmd could not run: %w", err)
	}
	key := strings.TrimSpace(stdout.String())
	if key == "" {
		return "", fmt.Errorf("api_key_cmd printed nothing on standard output (stderr: %s)", orNone(errText))
	}
	if strings.ContainsAny(key, "\n\r") {
		return "", errors.New("api_key_cmd printed more than one line; it must print only the key")
	}
	return key, nil
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
