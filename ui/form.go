package ui

import (
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"triage/api"
	"triage/keymap"
	"triage/queue"
)

// Limits are the longest values the forms accept, in characters.
type Limits struct {
	Tag   int
	Title int
	Notes int
}

// form is an overlay that edits the targets. It gets every key and paste
// while open; keys bound in its context (submit, cancel, tab) come as
// actions, the rest go to its input.
type form interface {
	// action handles a keymap action of the form's context.
	action(a keymap.Action) formStep
	// typed handles any other message (typing, pasting).
	typed(msg tea.Msg) tea.Cmd
	// context is the keymap context of the form.
	context() keymap.Context
	// view draws the form in a panel width cells wide.
	view(width int, st *styles, g Glyphs) []string
}

// formStep is what a key did to a form.
type formStep struct {
	done   bool // close the form
	submit *submission
}

// submission is a validated form: apply queues it (one undo step); a
// non-empty question is asked first.
type submission struct {
	apply    func(q *queue.Queue)
	question string
	summary  string
}

// closeWith closes the form with a validated submission, or keeps it open
// showing what is wrong in shown.
func closeWith(s *submission, err error, shown *string) formStep {
	if err != nil {
		*shown = err.Error()
		return formStep{}
	}
	return formStep{done: true, submit: s}
}

// openForm shows a form over the table.
func (m *Model) openForm(f form, cmd tea.Cmd) tea.Cmd {
	m.form = f
	m.overlay = overlayForm
	return cmd
}

// formMsg routes a key or a paste to the open form.
func (m *Model) formMsg(msg tea.Msg) tea.Cmd {
	f := m.form
	if key, ok := msg.(tea.KeyPressMsg); ok {
		if a, bound := m.keys.Lookup(f.context(), key); bound {
			if a == keymap.ForceQuit {
				return m.quit()
			}
			m.formStep(f.action(a))
			return nil
		}
	}
	return f.typed(msg)
}

func (m *Model) formStep(st formStep) {
	if !st.done {
		return
	}
	m.form = nil
	m.overlay = overlayNone
	s := st.submit
	if s == nil {
		m.setStatus("Cancelled: nothing queued", false)
		return
	}
	apply := func() tea.Cmd {
		s.apply(m.queue)
		m.setStatus(s.summary, false)
		m.queueChanged()
		return nil
	}
	if s.question != "" {
		m.ask(s.question, apply)
		return
	}
	apply()
}

// formView draws the open form in the table's place, height lines.
func (m *Model) formView(b *strings.Builder, height int) {
	width := min(m.width, 90)
	lines := m.form.view(width-2, &m.st, m.glyphs)
	for i := 0; i < height; i++ {
		if i < len(lines) {
			b.WriteString(" " + fit(lines[i], width-2, false, m.glyphs.Ellipsis))
		}
		b.WriteByte('\n')
	}
}

// targetsLabel names the targets of a form: the title of one thread or
// the count.
func targetsLabel(targets []*api.Thread) string {
	if len(targets) == 1 {
		if t := targets[0].Title; t != "" {
			return "“" + t + "”"
		}
		return "thread " + targets[0].ID
	}
	return plural(len(targets), "thread")
}

// counter is "12/200", styled as an error when over the limit.
func counter(n, limit int, st *styles) string {
	s := strconv.Itoa(n) + "/" + strconv.Itoa(limit)
	if n > limit {
		return st.errText.Render(s + " too long")
	}
	return st.dim.Render(s)
}

// keyHint is "enter save  esc cancel" from the bindings of actions.
func keyHint(km *keymap.Keymap, st *styles, pairs ...any) string {
	var parts []string
	for i := 0; i+1 < len(pairs); i += 2 {
		a, label := pairs[i].(keymap.Action), pairs[i+1].(string)
		if keys := km.Binding(a).Keys(); len(keys) > 0 {
			parts = append(parts, st.hintKey.Render(keys[0])+" "+st.hintDesc.Render(label))
		}
	}
	return strings.Join(parts, "  ")
}

// wrapLines wraps text to width for an info block.
func wrapLines(text string, width int) []string {
	return strings.Split(ansi.Wordwrap(text, width, ""), "\n")
}
