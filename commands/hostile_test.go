package commands

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"triage/api"
)

// hostileValues are what a server could put in any field to run code if
// a shell parsed it: substitutions, quotes that close the template's own,
// a here-document's delimiter, newlines, separators, globs, expansions.
var hostileValues = []string{
	"$(touch PWN1)",
	"`touch PWN2`",
	`\'$(touch PWN3)`,
	"'; touch PWN4; '",
	`"; touch PWN5; "`,
	"a\nb; touch PWN6",
	"x; touch PWN7 #",
	"EOF\ntouch PWN8\nEOF",
	"${IFS}touch${IFS}PWN9",
	"a[$(touch PWN10)]",
	`\$(touch PWN11) && touch PWN12 || touch PWN13`,
	"* ~ $HOME ?",
	"--help -c 'touch PWN14'",
	"Émile 🚀 $((1+1))",
}

// shape is a template and what must come of it: refused at start, or run
// with each value reaching it whole (want is the file out, "" when the
// command's own output does not matter).
type shape struct {
	name, run string
	refused   bool
	want      func(v string) string
}

func line(v string) string { return v + "\n" }

var shapes = []shape{
	{name: "plain", run: "printf '%s\\n' {{.Title}} > out", want: line},
	{name: "every field", run: "printf '%s\\n' {{.ID}} {{.Title}} {{.VisitorName}} {{.VisitorEmail}} {{.Tags}} {{.Notes}} > out",
		want: func(v string) string { return strings.Repeat(line(v), 4) + line(v+","+v) + line(v) }},
	{name: "quoted by the template", run: `printf '%s\n' "title: {{.Title}}; name: {{.VisitorName}}" > out`,
		want: func(v string) string { return line("title: " + v + "; name: " + v) }},
	{name: "here-document", run: "cat > out <<EOF\n{{.Title}}\n\tnotes: {{.Notes}}\nEOF", want: func(v string) string { return line(v) + line("\tnotes: "+v) }},
	{name: "here-document stripping tabs", run: "cat > out <<-EOF\n\t{{.Title}}\n\tEOF", want: line},
	{name: "quoted here-document", run: "cat > out <<'EOF'\n{{.Title}}\nEOF", refused: true},
	{name: "ANSI-C quotes", run: "printf '%s\\n' $'{{.Title}}' > out", refused: true},
	{name: "single quotes", run: "echo '{{.Title}}' > out", refused: true},
	{name: "after a backslash", run: "echo \\{{.Title}} > out", refused: true},
	{name: "printf %q", run: "printf '%q\\n' {{.Title}} > out 2>/dev/null || true"},
	{name: "eval", run: `eval "echo {{.Title}}"`, refused: true},
	{name: "sh -c with the value in the script", run: `sh -c "echo {{.Title}}"`, refused: true},
	{name: "bash -c with the value in a substitution", run: `bash -c "$(printf 'echo %s' {{.Title}})"`, refused: true},
	{name: "sh -c with the value as an argument", run: `sh -c 'printf "%s\n" "$1" > out' sh {{.Title}}`, want: line},
	{name: "sh -c reading the variable", run: `sh -c 'printf "%s\n" "$TRIAGE_TITLE" > out'`, want: line},
	{name: "a pipe into sh", run: "echo {{.Title}} | sh", refused: true},
	{name: "a here-document into sh", run: "sh <<EOF\necho {{.Title}}\nEOF", refused: true},
	{name: "xargs -I into sh -c", run: "printf '%s\\n' {{range .Threads}}{{.ID}} {{end}} | xargs -I{} sh -c 'echo {}'", refused: true},
	{name: "xargs into sh -c as arguments", run: `printf '%s\0' {{range .Threads}}{{.ID}} {{end}} | xargs -0 sh -c 'for a; do printf "%s\n" "$a"; done' sh > out`,
		want: func(v string) string { return line(v) + line(v+"2") }},
	{name: "a loop over .Threads", run: `for t in {{range .Threads}}{{.Title}} {{end}}; do printf '%s\n' "$t"; done > out`,
		want: func(v string) string { return line(v) + line(v+"2") }},
	{name: "a value in a file name", run: "printf x > ./f-{{.ID}}.txt 2>/dev/null || true"},
	{name: "a command substitution", run: `printf '%s\n' "$(printf '%s' {{.Title}})" > out`, want: line},
	{name: "backticks", run: "printf '%s\\n' \"`printf '%s' {{.Title}}`\" > out", want: line},
	{name: "a default in ${…}", run: `printf '%s\n' "${UNSET_VAR:-{{.Title}}}" > out`, want: line},
	{name: "arithmetic", run: "echo $(( {{.ID}} ))", refused: true},
	{name: "python -c", run: `python3 -c "print('{{.Title}}')"`, refused: true},
	{name: "an awk program", run: `awk "BEGIN { print \"{{.Title}}\" }"`, refused: true},
	{name: "a sed script", run: `echo a | sed "s/a/{{.Title}}/"`, refused: true},
	{name: "ssh", run: `ssh example.invalid echo {{.Title}}`, refused: true},
	{name: "a comment", run: "printf '%s\\n' {{.Title}} > out # {{.ID}}", want: line},
	{name: "trap", run: "trap {{.Title}} EXIT; true", refused: true},
	{name: "trap reading the variable", run: `trap 'printf "%s\n" "$TRIAGE_TITLE" > out' EXIT; true`, want: line},
	{name: "alias", run: "alias x={{.Title}}\nx", refused: true},
	{name: "alias through command", run: "command alias x={{.Title}}\nx", refused: true},
	{name: "bind -x", run: "bind -x '\\C-x:'{{.Title}} 2>/dev/null; true", refused: true},
	{name: "complete -C", run: "complete -C {{.Title}} x 2>/dev/null; true", refused: true},
	{name: "compgen -W", run: "compgen -W {{.Title}} 2>/dev/null; true", refused: true},
	{name: "fc -s", run: "fc -s {{.Title}} 2>/dev/null; true", refused: true},
	{name: "let", run: "let {{.ID}} 2>/dev/null; true", refused: true},
	{name: "source", run: ". {{.Title}} 2>/dev/null; true", refused: true},
	{name: "read into a named variable", run: "echo x | read {{.ID}} 2>/dev/null; true", refused: true},
	{name: "printf -v", run: "printf -v {{.ID}} x 2>/dev/null; true", refused: true},
	{name: "declare -i", run: "declare -i n={{.ID}} 2>/dev/null; true", refused: true},
	{name: "an integer declared before", run: "typeset -i n 2>/dev/null; n={{.ID}}; true", refused: true},
	{name: "a value as a declared name", run: "export {{.ID}}=x 2>/dev/null; true", refused: true},
	{name: "export a value", run: `export X={{.Title}}; printf '%s\n' "$X" > out`, want: line},
	{name: "PS4", run: "PS4={{.Title}}; set -x; true 2>/dev/null", refused: true},
	{name: "PS4 exported", run: "export PS4={{.Title}}; true", refused: true},
	{name: "PATH through env", run: "env PATH={{.Title}} ls 2>/dev/null; true", refused: true},
	{name: "BASH_ENV", run: "BASH_ENV={{.Title}} bash -c true 2>/dev/null; true", refused: true},
	{name: "a value as the program", run: "{{.Title}} 2>/dev/null; true", refused: true},
	{name: "a value as the program after exec", run: "exec {{.Title}} 2>/dev/null; true", refused: true},
	{name: "a value in a name", run: "P{{.Title}}S4=x 2>/dev/null; true", refused: true},
	{name: "((…))", run: "(( {{.ID}} )) 2>/dev/null; true", refused: true},
	{name: "quoted in $((…))", run: `echo $(( "{{.ID}}" )) 2>/dev/null; true`, refused: true},
	{name: "a subscript", run: `echo "${x[{{.ID}}]}" 2>/dev/null; true`, refused: true},
	{name: "a quoted subscript", run: `echo "${x["{{.ID}}"]}" 2>/dev/null; true`, refused: true},
	{name: "an offset", run: `echo "${TRIAGE_ID:{{.ID}}}" 2>/dev/null; true`, refused: true},
	{name: "a pattern in ${…}", run: `x=abc; printf '%s\n' "${x#{{.Title}}}" > out`, want: func(string) string { return "abc\n" }},
	{name: "an arithmetic test in [[", run: "[[ {{.ID}} -eq 1 ]] 2>/dev/null; true", refused: true},
	{name: "[[ -v", run: "[[ -v {{.ID}} ]] 2>/dev/null; true", refused: true},
	{name: "a string test in [[", run: "[[ {{.Title}} == x ]] 2>/dev/null || printf '%s\\n' {{.Title}} > out", want: line},
}

// TestHostileValuesNeverRun runs every shape on threads whose every field
// is hostile, for real with /bin/sh in a directory of its own: no file
// the value names is ever created, a refused shape is refused whatever
// the value, and an accepted one hands the command each value whole.
func TestHostileValuesNeverRun(t *testing.T) {
	for _, sh := range shapes {
		t.Run(sh.name, func(t *testing.T) {
			for _, v := range hostileValues {
				dir := t.TempDir()
				tmpl, err := Parse("cd '" + dir + "' || exit 9\n" + sh.run)
				if err != nil {
					t.Fatalf("%s does not parse: %v", sh.run, err)
				}
				threads := []*api.Thread{
					{ID: v, Title: v, VisitorName: v, VisitorEmail: v, Tags: []string{v, v}, InternalNotes: api.Value(v)},
					{ID: v + "2", Title: v + "2", VisitorName: v, VisitorEmail: v, Tags: []string{v}, InternalNotes: api.Value(v)},
				}
				l, err := Write(tmpl, threads, v, v)
				switch {
				case sh.refused && err == nil:
					t.Errorf("%q was accepted: %q", sh.run, l.Script) // and run, to say whether it ran code
				case sh.refused:
					if !strings.HasPrefix(err.Error(), "line ") || !strings.Contains(err.Error(), ": {{.") {
						t.Errorf("the refusal does not say which value and line: %v", err)
					}
					continue
				case err != nil:
					t.Fatalf("%q was refused: %v", sh.run, err)
				}
				if strings.Contains(l.Script, v) && v != "" {
					t.Errorf("the value %q is in the script %q", v, l.Script)
				}
				r := Background(context.Background(), l, 10*time.Second, nil)
				if sh.want != nil && r.Err != nil {
					t.Errorf("value %q: %v", v, r.Err)
				}
				pwned, _ := filepath.Glob(filepath.Join(dir, "PWN*"))
				if len(pwned) > 0 {
					t.Errorf("value %q ran code: %v", v, pwned)
				}
				if sh.want != nil {
					if got, _ := os.ReadFile(filepath.Join(dir, "out")); string(got) != sh.want(v) {
						t.Errorf("value %q: the command got %q, want %q", v, got, sh.want(v))
					}
				}
			}
		})
	}
}
