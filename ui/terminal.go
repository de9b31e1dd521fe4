package ui

import (
	"strings"
	"triage/sanitize"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
)

// Terminal is what main found out about the terminal before the console
// starts: its character set, colours, background and abilities.
type Terminal struct {
	// ASCIIOnly is a terminal whose locale is not UTF-8: no byte of 0x80
	// or above may reach it (in ISO-8859-1, 0x80-0x9F are controls), so
	// every frame is written in ASCII (cells.ASCII).
	ASCIIOnly bool
	// Theme is "auto" (ask the terminal its background), "dark" or
	// "light"; "" is "auto".
	Theme string
	// Profile is the terminal's colour profile (colorprofile.Ascii or
	// below: no colour at all).
	Profile colorprofile.Profile
	// NoQueries is a terminal that cannot answer a query (dumb, vt100):
	// its background is not asked.
	NoQueries bool
	// Title is the window title while the console runs; "" leaves the
	// title alone.
	Title string
	// Clipboard copies text where the agent pastes (tmux's buffer inside
	// tmux) and says where it went; nil copies with OSC 52.
	Clipboard func(text string) (where string, err error)
	// Multiplexer is "tmux" or "screen" when the console runs inside one:
	// a desktop notification is wrapped for tmux to pass through, and not
	// sent inside screen, which would show it as text.
	Multiplexer string
}

// ring is what an alert writes to the terminal: BEL (a terminal, or
// tmux, marks the window) and desktop notifications, as via says.
func (t Terminal) ring(text string, via []string) tea.Cmd {
	text = strings.ReplaceAll(sanitize.Line(text), ";", ",")
	if r := []rune(text); len(r) > 200 {
		text = string(r[:200])
	}
	var b strings.Builder
	for _, way := range via {
		var osc string
		switch way {
		case "bell":
			b.WriteByte('\a')
		case "osc9":
			osc = "\x1b]9;" + text + "\a"
		case "osc777":
			osc = "\x1b]777;notify;triage;" + text + "\a"
		}
		switch {
		case osc == "" || t.Multiplexer == "screen":
		case t.Multiplexer == "tmux": // passed through to the terminal tmux runs in (allow-passthrough on)
			b.WriteString("\x1bPtmux;" + strings.ReplaceAll(osc, "\x1b", "\x1b\x1b") + "\x1b\\")
		default:
			b.WriteString(osc)
		}
	}
	if b.Len() == 0 {
		return nil
	}
	return tea.Raw(b.String())
}

// darkAtStart is whether the console starts with its dark styles: all
// but a light theme, until the terminal says its background.
func (t Terminal) darkAtStart() bool { return t.Theme != "light" }

// askBackground asks the terminal its background colour when the theme
// follows it; the answer is a tea.BackgroundColorMsg.
func (t Terminal) askBackground() tea.Cmd {
	if t.NoQueries || t.Theme != "" && t.Theme != "auto" {
		return nil
	}
	return tea.RequestBackgroundColor
}

// background restyles the screen for the background the terminal said.
func (lk *look) background(msg tea.BackgroundColorMsg, t Terminal) {
	if t.Theme != "" && t.Theme != "auto" {
		return
	}
	lk.dark = msg.IsDark()
	lk.st = newStyles(lk.dark, lk.profile)
}
