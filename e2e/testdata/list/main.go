// Command list is a minimal Bubble Tea list: rows of generated threads
// with a cursor, j and k to move, pgdown and pgup to page, q to quit.
// The harness measures triage against it on the same machine in the same
// run: what any Bubble Tea list costs, against what the console adds.
// Its rows hold what a list of threads shows (title, visitor, address,
// tag, channel, age, the start of the last message) and, like the console's, fill the terminal's width:
// what a key costs grows with the width of the rows it redraws.
package main

import (
	"fmt"
	"os"
	"strings"

	tea "charm.land/bubbletea/v2"
)

type model struct {
	rows          []string
	cursor, top   int
	width, height int
}

func (m model) Init() tea.Cmd { return nil }

func (m model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
	case tea.KeyPressMsg:
		page := max(1, m.height-1)
		switch msg.String() {
		case "q", "ctrl+c":
			return m, tea.Quit
		case "j", "down":
			m.cursor = min(m.cursor+1, len(m.rows)-1)
		case "k", "up":
			m.cursor = max(m.cursor-1, 0)
		case "pgdown":
			m.cursor = min(m.cursor+page, len(m.rows)-1)
			m.top = min(m.top+page, max(0, len(m.rows)-page))
		case "pgup":
			m.cursor, m.top = max(m.cursor-page, 0), max(m.top-page, 0)
		}
		if m.cursor < m.top {
			m.top = m.cursor
		} else if m.cursor >= m.top+page {
			m.top = m.cursor - page + 1
		}
	}
	return m, nil
}

func (m model) View() tea.View {
	var b strings.Builder
	b.WriteString("Threads\n")
	for i := m.top; i < min(len(m.rows), m.top+m.height-1); i++ {
		line := m.rows[i]
		if len(line) > m.width-2 {
			line = line[:m.width-2]
		}
		if i == m.cursor {
			b.WriteString("> \x1b[7m" + line + "\x1b[m\n")
		} else {
			b.WriteString("  " + line + "\n")
		}
	}
	v := tea.NewView(strings.TrimSuffix(b.String(), "\n"))
	v.AltScreen = true
	return v
}

func main() {
	titles := []string{"GDPR data deletion request", "Invoice shows the wrong VAT", "Cannot log in after password reset",
		"Refund for order", "Change the email on my account", "Integration with Shopify"}
	names := []string{"Sven Moreno", "Rosa Martin", "Fatima Lee", "Bruno Walsh", "Nikhil Lee", "Tariq Lee", "anonymous"}
	tags := []string{"vip", "refund", "follow-up", "", "pricing", "churn-risk"}
	channels := []string{"WEB", "WHATSAPP", "MESSENGER", "EMAIL"}
	previews := []string{"Hello, I asked last week and nobody answered my question about this",
		"Thanks, but that did not help at all, can a person look at it please?",
		"The page says an error occurred and to try again later, which I did twice"}
	rows := make([]string, 2000)
	for i := range rows {
		rows[i] = fmt.Sprintf("%-36s %-14s %-26s %-12s %-10s %4dh %s", titles[i%len(titles)], names[i%len(names)],
			fmt.Sprintf("visitor%d@example.org", i), tags[i%len(tags)], channels[i%len(channels)], i, previews[i%len(previews)])
	}
	if _, err := tea.NewProgram(model{rows: rows}).Run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
