package ui

import (
	"errors"
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"triage/api"
	"triage/keymap"
	"triage/words"
)

// copyText is what y (CopyIDs) or Y (CopyLink) puts on the clipboard for
// the targets: their ids or their links, one per line; link builds a
// thread's link (nil: no dashboard_url is configured).
func copyText(a keymap.Action, targets []*api.Thread, link func(id string) (string, error)) (string, error) {
	lines := make([]string, len(targets))
	for i, t := range targets {
		lines[i] = t.ID
		if a == keymap.CopyLink {
			l, err := threadLink(link, t.ID)
			if err != nil {
				return "", err
			}
			lines[i] = l
		}
	}
	return strings.Join(lines, "\n"), nil
}

// threadLink is a thread's link in the dashboard.
func threadLink(link func(id string) (string, error), id string) (string, error) {
	if link == nil {
		return "", errNoLink
	}
	return link(id)
}

// errNoLink is the answer of a console given no way to build links (the
// config's ThreadLink says how to set dashboard_url).
var errNoLink = errors.New("no dashboard_url in the config")

// hyperlink shows url as a clickable OSC 8 link where the terminal
// supports it, and as plain text where it does not.
func hyperlink(url string) string { return ansi.SetHyperlink(url) + url + ansi.ResetHyperlink() }

// browserMsg is the end of starting the browser on a link.
type browserMsg struct {
	url string
	err error
}

// browserGrace is how long a browser is watched for a quick failure (a
// missing display, say) before it is taken as started.
const browserGrace = 2 * time.Second

// openInBrowser runs browser ($BROWSER: the first of its colon-separated
// commands; %s in it is replaced by the link, else the link is its last
// argument) on url, detached from the terminal.
func openInBrowser(browser, url string) tea.Cmd {
	return func() tea.Msg {
		first, _, _ := strings.Cut(browser, ":")
		args := strings.Fields(first)
		if len(args) == 0 {
			return browserMsg{url, errors.New("$BROWSER is empty")}
		}
		if i := slices.Index(args, "%s"); i >= 0 {
			args[i] = url
		} else {
			args = append(args, url)
		}
		cmd := exec.Command(args[0], args[1:]...) // stdin, stdout and stderr are /dev/null: the screen stays ours
		if err := cmd.Start(); err != nil {
			return browserMsg{url, err}
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				return browserMsg{url, fmt.Errorf("%s: %w", args[0], err)}
			}
		case <-time.After(browserGrace):
		}
		return browserMsg{url, nil}
	}
}

// copiedMsg says where a copy went, or why it did not.
type copiedMsg struct {
	text  string
	isErr bool
}

// copyTo copies text for y and Y: with clip (tmux's buffer, inside tmux)
// when there is one, which says where the text went; else with OSC 52,
// which the terminal may or may not allow. what is "3 ids".
func copyTo(clip func(string) (string, error), text, what string) (string, tea.Cmd) {
	if clip == nil {
		return "Copied " + what + " to the clipboard (OSC 52, if your terminal allows it)", tea.SetClipboard(text)
	}
	return "Copying " + what + "…", func() tea.Msg {
		where, err := clip(text)
		if err != nil {
			return copiedMsg{text: "Nothing copied: " + err.Error(), isErr: true}
		}
		return copiedMsg{text: "Copied " + what + " " + where}
	}
}

// copyOrOpen copies the targets' ids or links to the agent's clipboard
// (OSC 52, which travels over SSH), or shows the link of the thread under
// the cursor as a clickable link and opens it in the browser.
func (m *Model) copyOrOpen(a keymap.Action) tea.Cmd {
	targets := m.targets()
	if len(targets) == 0 {
		m.setStatus("No thread", true)
		return nil
	}
	if a == keymap.OpenLink {
		url, err := threadLink(m.opts.Link, m.table.current().ID)
		switch {
		case err != nil:
			m.setStatus("No link: "+err.Error(), true)
			return nil
		case m.opts.Browser == "":
			m.setStatus("Link: "+hyperlink(url), false)
			return nil
		}
		m.setStatus("Opening "+hyperlink(url), false)
		return openInBrowser(m.opts.Browser, url)
	}
	text, err := copyText(a, targets, m.opts.Link)
	if err != nil {
		m.setStatus("Nothing copied: "+err.Error(), true)
		return nil
	}
	status, cmd := copyTo(m.opts.Terminal.Clipboard, text, words.Plural(len(targets), pick(a == keymap.CopyLink, "link", "id")))
	m.setStatus(status, false)
	return cmd
}
