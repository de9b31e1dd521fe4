package ui

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"triage/api"
	"triage/keymap"
	"triage/queue"
	"triage/sanitize"
	"triage/words"
)

// tagsForm edits the tags of the targets: "+tag" or "tag" adds, "-tag"
// removes, "=" and a list sets the exact list. Operations are resolved
// against each thread's latest server tags when sent, so nobody else's
// tags are clobbered. tab completes from the tags seen on loaded threads.
type tagsForm struct {
	keys    *keymap.Keymap
	targets []*api.Thread
	input   textinput.Model
	limit   int
	err     string
	all     []string       // tags every target has
	some    map[string]int // tags only some have, with how many
	vocab   []string       // completion candidates, most used first
	comp    completion
}

// completion is a tab-completion in progress: the prefix typed and the
// candidate last offered.
type completion struct {
	active bool
	prefix string
	index  int
	shown  []string
}

// newTagsForm opens the form; current gives each target's tags as the
// operator sees them (pending edits included), vocab the known tags.
func newTagsForm(km *keymap.Keymap, targets []*api.Thread, current func(*api.Thread) []string, vocab []string, limit int) (*tagsForm, tea.Cmd) {
	f := &tagsForm{keys: km, targets: targets, input: newTextInput(), limit: limit, some: map[string]int{}, vocab: vocab}
	count := map[string]int{}
	for _, t := range targets {
		for _, tag := range current(t) {
			count[tag]++
		}
	}
	for tag, n := range count {
		if n == len(targets) {
			f.all = append(f.all, tag)
		} else {
			f.some[tag] = n
		}
	}
	sort.Strings(f.all)
	return f, f.input.Focus()
}

func (f *tagsForm) context() keymap.Context { return keymap.InForm }

func (f *tagsForm) dirty() bool { return strings.TrimSpace(f.input.Value()) != "" }

func (f *tagsForm) typed(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	f.input, cmd = f.input.Update(msg)
	f.err = ""
	f.comp = completion{}
	if f.input.Value() == "=" && len(f.targets) == 1 {
		// One thread: "=" fills in its list to edit it exactly.
		f.input.SetValue("= " + strings.Join(f.all, " ") + " ")
		f.input.CursorEnd()
	}
	return cmd
}

func (f *tagsForm) action(a keymap.Action) formStep {
	switch a {
	case keymap.Cancel:
		return formStep{done: true}
	case keymap.NextField:
		f.complete()
	case keymap.Submit:
		in, err := queue.ParseTagInput(f.input.Value(), f.limit)
		if err != nil {
			f.err = err.Error()
			return formStep{}
		}
		targets := f.targets
		return formStep{done: true, submit: &submission{
			apply:   func(q *queue.Queue) { in.Apply(q, targets) },
			summary: tagSummary(in, len(targets)),
		}}
	}
	return formStep{}
}

func tagSummary(in queue.TagInput, n int) string {
	if in.Exact {
		return fmt.Sprintf("Tags set to [%s] on %s", strings.Join(in.List, " "), words.Plural(n, "thread"))
	}
	var parts []string
	for _, t := range in.Add {
		parts = append(parts, "+"+t)
	}
	for _, t := range in.Remove {
		parts = append(parts, "-"+t)
	}
	return fmt.Sprintf("Tags %s queued on %s", strings.Join(parts, " "), words.Plural(n, "thread"))
}

// complete replaces the last token's tag with the next known tag that
// starts with what was typed, cycling on each tab.
func (f *tagsForm) complete() {
	v := f.input.Value()
	start := strings.LastIndexAny(v, " ") + 1
	tok := v[start:]
	sign := ""
	if strings.HasPrefix(tok, "+") || strings.HasPrefix(tok, "-") || strings.HasPrefix(tok, "=") {
		sign, tok = tok[:1], tok[1:]
	}
	if !f.comp.active {
		typed := strings.Fields(v[:start])
		f.comp = completion{active: true, prefix: tok, index: -1}
		for _, c := range f.vocab {
			if strings.HasPrefix(strings.ToLower(c), strings.ToLower(tok)) && !slices.Contains(typed, c) &&
				!slices.Contains(typed, "+"+c) && !slices.Contains(typed, "-"+c) {
				f.comp.shown = append(f.comp.shown, c)
			}
		}
	}
	if len(f.comp.shown) == 0 {
		f.err = "no known tag starts with “" + f.comp.prefix + "”"
		return
	}
	f.comp.index = (f.comp.index + 1) % len(f.comp.shown)
	f.input.SetValue(v[:start] + sign + f.comp.shown[f.comp.index])
	f.input.CursorEnd()
}

func (f *tagsForm) view(width int, st *styles, g Glyphs) []string {
	f.input.SetWidth(width - 4)
	lines := []string{st.title.Render("Tags of " + sanitize.Line(targetsLabel(f.targets))), ""}
	all := "none"
	if len(f.all) > 0 {
		all = strings.Join(f.all, " ")
	}
	lines = append(lines, "All have:  "+sanitize.Line(all))
	if len(f.some) > 0 {
		some := make([]string, 0, len(f.some))
		for tag, n := range f.some {
			some = append(some, fmt.Sprintf("%s (%d)", tag, n))
		}
		sort.Strings(some)
		lines = append(lines, "Some have: "+sanitize.Line(strings.Join(some, " ")))
	}
	lines = append(lines, "")
	help := "tag or +tag adds, -tag removes (other agents' tags are kept); = and a list sets the exact list"
	if len(f.targets) == 1 {
		help += " (typing = first fills in the current list)"
	}
	lines = append(lines, wrapLines(help+".", width)...)
	lines = append(lines, "", f.input.View(), st.dim.Render("longest tag: ")+counter(longestToken(f.input.Value()), f.limit, st))
	if f.comp.active && len(f.comp.shown) > 1 {
		lines = append(lines, st.dim.Render("tab: "+sanitize.Line(strings.Join(f.comp.shown, " "))))
	}
	if f.err != "" {
		lines = append(lines, st.errText.Render(f.err))
	}
	return append(lines, "", keyHint(f.keys, st, keymap.Submit, "queue", keymap.NextField, "complete", keymap.Cancel, "cancel"))
}

// longestToken is the length of the longest tag typed, for the counter.
func longestToken(v string) int {
	n := 0
	for _, tok := range strings.Fields(v) {
		n = max(n, utf8.RuneCountInString(strings.TrimLeft(tok, "+-=")))
	}
	return n
}

// tagVocabulary is every tag on the loaded threads, most used first.
func tagVocabulary(rows []*api.Thread) []string {
	count := map[string]int{}
	for _, t := range rows {
		for _, tag := range t.Tags {
			count[tag]++
		}
	}
	out := make([]string, 0, len(count))
	for tag := range count {
		out = append(out, tag)
	}
	sort.Slice(out, func(i, j int) bool {
		if count[out[i]] != count[out[j]] {
			return count[out[i]] > count[out[j]]
		}
		return out[i] < out[j]
	})
	return out
}
