// Package commands runs the agent's own commands on threads: a shell
// command line written from a text/template over the target threads, and
// the run itself, in the background with its output kept or in the
// foreground on the terminal. No value from the server is ever written
// into the command line: each reaches the command as an environment
// variable, and the template's {{.Title}} is written as a reference to it
// ("${TRIAGE_TITLE}"), which the shell expands without parsing it again.
// A template that would hand a value to a second parser (eval, sh -c with
// the value in its script, a pipe into sh, …) is refused (shell.go).
package commands

import (
	"fmt"
	"strconv"
	"strings"
	"text/template"
	"text/template/parse"

	"triage/api"
)

// Thread is one thread as a command's template sees it. Each field is a
// reference to the variable that carries the value, never the value.
type Thread struct {
	ID, Title, VisitorName, VisitorEmail, Tags, Notes string
}

// fields are the fields of Thread with the suffix of their variables, in
// the order they are listed to the agent.
var fields = []struct{ name, env string }{
	{"ID", "ID"}, {"Title", "TITLE"}, {"VisitorName", "VISITOR_NAME"},
	{"VisitorEmail", "VISITOR_EMAIL"}, {"Tags", "TAGS"}, {"Notes", "NOTES"},
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

// Template is a parsed run template.
type Template struct {
	t *template.Template
}

// Line is a command ready to run: the script for /bin/sh and the
// variables that carry the values it refers to.
type Line struct {
	Script string
	Env    []string // NAME=value
}

// Parse reads a command's run template. Only values ({{.Title}}) and
// {{range .Threads}}…{{end}} may be used: a value is a reference to a
// variable, so a function or a condition applied to it would work on the
// reference, not on the value.
func Parse(run string) (*Template, error) {
	t, err := template.New("run").Option("missingkey=error").Parse(run)
	if err != nil {
		return nil, err
	}
	if err := checkNodes(t.Tree.Root, false); err != nil {
		return nil, err
	}
	return &Template{t: t}, nil
}

// checkNodes allows text, single fields and one range over .Threads.
func checkNodes(list *parse.ListNode, inRange bool) error {
	if list == nil {
		return nil
	}
	for _, n := range list.Nodes {
		switch n := n.(type) {
		case *parse.TextNode, *parse.CommentNode:
		case *parse.ActionNode:
			if fieldName(n.Pipe) == "" {
				return fmt.Errorf("%s: only a value such as {{.Title}} may be written there; it reaches the command as a variable, unchanged", n)
			}
		case *parse.RangeNode:
			if inRange || n.ElseList != nil || fieldName(n.Pipe) != "Threads" {
				return fmt.Errorf("%s: only {{range .Threads}}…{{end}} may loop", n.Pipe)
			}
			if err := checkNodes(n.List, true); err != nil {
				return err
			}
		default:
			return fmt.Errorf("%s: only values ({{.Title}}) and {{range .Threads}}…{{end}} may be used", n)
		}
	}
	return nil
}

// fieldName is the one field a pipeline names ("Title" for {{.Title}}),
// "" for anything else.
func fieldName(p *parse.PipeNode) string {
	if p == nil || len(p.Decl) > 0 || len(p.Cmds) != 1 || len(p.Cmds[0].Args) != 1 {
		return ""
	}
	f, ok := p.Cmds[0].Args[0].(*parse.FieldNode)
	if !ok || len(f.Ident) != 1 {
		return ""
	}
	return f.Ident[0]
}

// Write is the command for the targets (at least one) on chatbot at
// baseURL: the template's text with each value written as a reference,
// and the variables. It fails when the template puts a value where the
// shell would not expand it or where a second parser would read it.
func Write(t *Template, targets []*api.Thread, chatbot, baseURL string) (Line, error) {
	v := newValues(targets, chatbot, baseURL)
	var b strings.Builder
	if err := t.t.Execute(&b, v.data); err != nil {
		return Line{}, fmt.Errorf("%w (it may use %s, {{.ChatbotID}}, {{.BaseURL}} and {{range .Threads}})", err, fieldList())
	}
	script, used, err := resolve(b.String(), v.refs)
	if err != nil {
		return Line{}, err
	}
	return Line{Script: script, Env: v.environ(used)}, nil
}

// fieldList names the thread's fields for messages.
func fieldList() string {
	var out []string
	for _, f := range fields {
		out = append(out, "{{."+f.name+"}}")
	}
	return strings.Join(out, ", ")
}

// ref is one value a template can refer to: its variable and how the
// template spells it.
type ref struct {
	name, spelling, value string
	always                bool // exported whether or not the template refers to it
}

// values are the references of one command's data.
type values struct {
	data Data
	refs []ref
}

// Placeholders stand for a value in the executed template until its
// context in the shell line is known; they are private-use characters,
// which the server's text cannot hold (api cleans it) and a template has
// no reason to.
const (
	openRef  = "\ue000"
	closeRef = "\ue001"
)

func newValues(targets []*api.Thread, chatbot, baseURL string) *values {
	v := &values{}
	add := func(name, spelling, value string, always bool) string {
		v.refs = append(v.refs, ref{name: name, spelling: spelling, value: value, always: always})
		return openRef + strconv.Itoa(len(v.refs)-1) + closeRef
	}
	thread := func(prefix, in string, t *api.Thread, always bool) Thread {
		notes, _ := t.InternalNotes.Get()
		vals := []string{t.ID, t.Title, t.VisitorName, t.VisitorEmail, strings.Join(t.Tags, ","), notes}
		var refs [6]string
		for i, f := range fields {
			refs[i] = add(prefix+f.env, "{{."+f.name+"}}"+in, vals[i], always)
		}
		return Thread{ID: refs[0], Title: refs[1], VisitorName: refs[2], VisitorEmail: refs[3], Tags: refs[4], Notes: refs[5]}
	}
	v.data.ChatbotID = add("TRIAGE_CHATBOT_ID", "{{.ChatbotID}}", chatbot, true)
	v.data.BaseURL = add("TRIAGE_BASE_URL", "{{.BaseURL}}", baseURL, true)
	ids := make([]string, len(targets))
	for i, t := range targets {
		ids[i] = t.ID
		v.data.Threads = append(v.data.Threads, thread("TRIAGE_"+strconv.Itoa(i+1)+"_", " in {{range .Threads}}", t, false))
	}
	add("TRIAGE_COUNT", "", strconv.Itoa(len(targets)), true)
	add("TRIAGE_IDS", "", strings.Join(ids, "\n"), true)
	if len(targets) > 0 {
		v.data.Thread = thread("TRIAGE_", "", targets[0], true)
	}
	return v
}

// environ is the variables of the values always exported and of those
// the script refers to.
func (v *values) environ(used map[int]bool) []string {
	var env []string
	for i, r := range v.refs {
		if r.always || used[i] {
			env = append(env, r.name+"="+r.value)
		}
	}
	return env
}
