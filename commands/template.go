// Package commands runs the agent's own commands on threads: a shell
// command line written from a text/template over the target threads,
// every value from the server shell-quoted, and the run itself, in the
// background with its output kept or in the foreground on the terminal.
package commands

import (
	"fmt"
	"strings"
	"text/template"

	"triage/api"
)

// Thread is one thread as a command's template sees it. Every value is
// already shell-quoted: {{.Title}} is one word to the shell whatever the
// title holds ($(…), quotes, newlines).
type Thread struct {
	ID, Title, VisitorName, VisitorEmail, Tags string
}

// Data is what a command's template may use: the first target's fields
// (the cursor's thread when nothing is marked), every target in .Threads,
// the chatbot and the API's base URL. Never the API key.
type Data struct {
	Thread
	Threads   []Thread
	ChatbotID string
	BaseURL   string
}

// NewData is the template data for the targets (at least one).
func NewData(targets []*api.Thread, chatbot, baseURL string) Data {
	d := Data{ChatbotID: Quote(chatbot), BaseURL: Quote(baseURL)}
	for _, t := range targets {
		d.Threads = append(d.Threads, Thread{ID: Quote(t.ID), Title: Quote(t.Title), VisitorName: Quote(t.VisitorName),
			VisitorEmail: Quote(t.VisitorEmail), Tags: Quote(strings.Join(t.Tags, ","))})
	}
	if len(d.Threads) > 0 {
		d.Thread = d.Threads[0]
	}
	return d
}

// Quote makes s one word to a POSIX shell: single quotes, with each
// single quote inside written as '\”.
func Quote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// Parse reads a command's run template; an unknown field is an error
// when it is written. A value put inside shell quotes is refused: quoted
// once more, '{{.Title}}' would leave the title bare to the shell.
func Parse(run string) (*template.Template, error) {
	if err := checkQuoting(run); err != nil {
		return nil, err
	}
	return template.New("run").Option("missingkey=error").Parse(run)
}

// checkQuoting finds a template action inside single or double quotes of
// the shell line around it.
func checkQuoting(run string) error {
	var quote byte // the open quote, 0 outside
	for i := 0; i < len(run); i++ {
		c := run[i]
		switch {
		case strings.HasPrefix(run[i:], "{{"):
			end := strings.Index(run[i:], "}}")
			if end < 0 {
				return nil // not a template: Parse says so
			}
			if quote != 0 {
				return fmt.Errorf("%s is inside %c quotes: write it bare, every value is quoted for the shell already", run[i:i+end+2], quote)
			}
			i += end + 1
		case c == '\\' && quote != '\'':
			i++ // an escaped character, outside quotes or in double quotes
		case quote == 0 && (c == '\'' || c == '"'):
			quote = c
		case c == quote:
			quote = 0
		}
	}
	return nil
}

// Write is the command line of a template for data.
func Write(t *template.Template, d Data) (string, error) {
	var b strings.Builder
	if err := t.Execute(&b, d); err != nil {
		return "", fmt.Errorf("%w (it may use {{.ID}}, {{.Title}}, {{.VisitorName}}, {{.VisitorEmail}}, {{.Tags}}, {{.ChatbotID}}, {{.BaseURL}} and {{range .Threads}})", err)
	}
	return b.String(), nil
}
