package config

import (
	"fmt"
	"net/url"
	"strings"
	"text/template"
)

// linkData is what dashboard_url may use; both are path-escaped.
type linkData struct {
	ChatbotID string
	ID        string
}

// ThreadLink is the link to thread id of chatbot in the dashboard, from
// the dashboard_url template. The values are path-escaped, so a hostile id
// cannot change where the link goes. No dashboard_url is an error saying
// how to set it.
func (c *Config) ThreadLink(chatbot, id string) (string, error) {
	if c.DashboardURL == "" {
		return "", fmt.Errorf(`no dashboard_url in the config: set it to the link of a thread, e.g. dashboard_url = "https://contextgpt.in/dashboard/{{.ChatbotID}}/threads/{{.ID}}"`)
	}
	t, err := template.New("dashboard_url").Option("missingkey=error").Parse(c.DashboardURL)
	if err != nil {
		return "", fmt.Errorf("not a template: %w", err)
	}
	var b strings.Builder
	if err := t.Execute(&b, linkData{ChatbotID: url.PathEscape(chatbot), ID: url.PathEscape(id)}); err != nil {
		return "", fmt.Errorf("%w (it may use {{.ChatbotID}} and {{.ID}})", err)
	}
	u, err := url.Parse(b.String())
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", fmt.Errorf("%q is not an http(s) link", b.String())
	}
	return u.String(), nil
}

// validateLinks checks dashboard_url, when set, on a sample thread.
func (c *Config) validateLinks() error {
	if c.DashboardURL == "" {
		return nil
	}
	if _, err := c.ThreadLink("361628903185318481", "th_1"); err != nil {
		return c.ErrorAt("dashboard_url", "dashboard_url: %v", err)
	}
	return nil
}
