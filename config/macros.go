package config

import (
	"fmt"
	"strings"
	"text/template"
	"time"
	"unicode"

	"triage/api"
	"triage/queue"
)

// Macro is one [[macros]] entry: a name, an optional key, and the fields
// it sets on the targets, as absolute values, in one undoable step. Tags
// are operations ("+spam", "-vip", "vip" adds); title and notes set the
// text ("" clears it); notes is a template over {{.Agent}} and {{.Date}}.
type Macro struct {
	Name      string   `toml:"name"`
	Key       string   `toml:"key"`
	Resolved  *bool    `toml:"resolved"`
	Archived  *bool    `toml:"archived"`
	Escalated *bool    `toml:"escalated"`
	Important *bool    `toml:"important"`
	Mode      string   `toml:"mode"`
	Tags      []string `toml:"tags"`
	Title     *string  `toml:"title"`
	Notes     *string  `toml:"notes"`
}

// notesData is what a macro's notes template may use.
type notesData struct {
	Agent string // agent_name, else $USER
	Date  string // today, 2006-01-02
}

// WriteNotes fills the macro's notes template for agent on a day; a
// macro without notes writes "".
func (m Macro) WriteNotes(agent string, today time.Time) (string, error) {
	if m.Notes == nil {
		return "", nil
	}
	t, err := template.New("notes").Option("missingkey=error").Parse(*m.Notes)
	if err != nil {
		return "", fmt.Errorf("not a template: %w", err)
	}
	var b strings.Builder
	if err := t.Execute(&b, notesData{Agent: agent, Date: today.Format(time.DateOnly)}); err != nil {
		return "", fmt.Errorf("%w (it may use {{.Agent}} and {{.Date}})", err)
	}
	return b.String(), nil
}

// TagInput is the macro's tag operations as the tags form reads them;
// each tag must be one word.
func (m Macro) TagInput(maxLen int) (queue.TagInput, error) {
	for _, tag := range m.Tags {
		if strings.ContainsFunc(tag, unicode.IsSpace) {
			return queue.TagInput{}, fmt.Errorf("%q: a tag is one word (+tag adds, -tag removes)", tag)
		}
	}
	return queue.ParseTagInput(strings.Join(m.Tags, " "), maxLen)
}

// validateMacros checks each [[macros]] entry as the forms would check
// what it sets, naming the entry, the key and its line.
func (c *Config) validateMacros() error {
	names := map[string]bool{}
	for i, m := range c.Macros {
		at := func(key, format string, args ...any) error {
			return c.ErrorInArray("macros", i, key, format, args...)
		}
		switch {
		case strings.TrimSpace(m.Name) == "":
			return at("name", "every macro needs a name")
		case names[m.Name]:
			return at("name", "%q names two macros", m.Name)
		case m.Resolved == nil && m.Archived == nil && m.Escalated == nil && m.Important == nil && m.Mode == "" &&
			len(m.Tags) == 0 && m.Title == nil && m.Notes == nil:
			return at("name", "macro %q changes nothing: set resolved, archived, escalated, important, mode, tags, title or notes", m.Name)
		case m.Mode != "" && !api.Mode(m.Mode).Valid():
			return at("mode", "%q: must be one of %s", m.Mode, modeNames())
		case m.Title != nil && len([]rune(*m.Title)) > c.MaxTitleLength:
			return at("title", "%d characters, more than max_title_length (%d)", len([]rune(*m.Title)), c.MaxTitleLength)
		}
		names[m.Name] = true
		if len(m.Tags) > 0 {
			if _, err := m.TagInput(c.MaxTagLength); err != nil {
				return at("tags", "%v", err)
			}
		}
		if _, err := m.WriteNotes("", time.Time{}); err != nil {
			return at("notes", "%v", err)
		}
	}
	return nil
}
