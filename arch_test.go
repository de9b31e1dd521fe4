package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// The rules of ARCHITECTURE.md, held against the code.

// importsOf are the imports of every package of the tree (tests left
// out), by directory.
func importsOf(t *testing.T) map[string][]string {
	t.Helper()
	imports := map[string][]string{}
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		dir := filepath.ToSlash(filepath.Dir(path))
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			imports[dir] = append(imports[dir], p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(imports["api"]) == 0 || len(imports["ui"]) == 0 || len(imports["session"]) == 0 {
		t.Fatal("walked no packages")
	}
	return imports
}

// TestDependencyDirection keeps the direction main → (ui, cli) → session
// → (queue, threads, cache, journal) → api: only api and api/apitest
// talk HTTP, neither api nor session knows anything of a terminal, only
// main takes the front ends, which do not take each other, and nothing
// below the session reaches up to it.
func TestDependencyDirection(t *testing.T) {
	charm := func(p string) bool {
		return strings.HasPrefix(p, "charm.land/") || strings.HasPrefix(p, "github.com/charmbracelet/")
	}
	below := []string{"api", "queue", "threads", "cache", "journal", "config", "keymap", "commands", "sanitize", "trust", "words", "cells"}
	for dir, imps := range importsOf(t) {
		for _, p := range imps {
			switch {
			case (p == "net/http" || p == "net/http/httptest") && dir != "api" && dir != "api/apitest":
				t.Errorf("%s imports %s: only api talks HTTP", dir, p)
			case (strings.HasPrefix(dir, "api") || dir == "session") && charm(p):
				t.Errorf("%s imports %s: it must not depend on a terminal library", dir, p)
			case dir != "." && (p == "triage/ui" || p == "triage/cli"):
				t.Errorf("%s imports %s: only main takes a front end", dir, p)
			case slices.Contains(below, strings.Split(dir, "/")[0]) && p == "triage/session":
				t.Errorf("%s imports the session: the packages below it do not reach up", dir)
			case strings.HasPrefix(dir, "api") && slices.Contains([]string{"triage/queue", "triage/threads", "triage/cache", "triage/journal"}, p):
				t.Errorf("%s imports %s: api is the bottom", dir, p)
			}
		}
	}
}

// apiCalls are the client's methods: the console never calls them, it
// asks the session.
var apiCalls = []string{"ListThreads", "LoadAll", "GetThread", "ListMessages", "UpdateThreads"}

// TestTheConsoleNeverCallsTheClient: no file of ui calls a method of the
// API client or makes one.
func TestTheConsoleNeverCallsTheClient(t *testing.T) {
	files := goFiles(t, "ui")
	for path, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if slices.Contains(apiCalls, sel.Sel.Name) {
				t.Errorf("%s calls %s: the console asks the session", path, sel.Sel.Name)
			}
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == "api" && (sel.Sel.Name == "New" || sel.Sel.Name == "Client") {
				t.Errorf("%s uses api.%s: the console asks the session", path, sel.Sel.Name)
			}
			return true
		})
	}
	if len(files) < 10 {
		t.Fatal("read no files of ui")
	}
}

// goFiles parses the files of a package directory, tests left out.
func goFiles(t *testing.T, dir string) map[string]*ast.File {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*ast.File{}
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), p, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		out[p] = f
	}
	return out
}

// TestTheRootsMethodsLiveWhereTheMapSays: the files that hold methods of
// the console's root Model are exactly those ARCHITECTURE.md names, and
// the root has at most 12 fields.
func TestTheRootsMethodsLiveWhereTheMapSays(t *testing.T) {
	doc, err := os.ReadFile("ARCHITECTURE.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(doc)
	start := strings.Index(s, "| file | what the root does there |")
	end := strings.Index(s[start:], "\n\n")
	if start < 0 || end < 0 {
		t.Fatal("ARCHITECTURE.md has no table of the root's files")
	}
	var named []string
	for _, m := range regexp.MustCompile("(?m)^\\| `([a-z_]+\\.go)` \\|").FindAllStringSubmatch(s[start:start+end], -1) {
		named = append(named, m[1])
	}
	var holding []string
	fields := 0
	for path, f := range goFiles(t, "ui") {
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv != nil && receiver(d.Recv) == "Model" && !slices.Contains(holding, filepath.Base(path)) {
					holding = append(holding, filepath.Base(path))
				}
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					if ts, ok := spec.(*ast.TypeSpec); ok && ts.Name.Name == "Model" {
						fields = len(ts.Type.(*ast.StructType).Fields.List)
					}
				}
			}
		}
	}
	sort.Strings(named)
	sort.Strings(holding)
	if !slices.Equal(named, holding) {
		t.Errorf("the root's methods live in %v; ARCHITECTURE.md names %v", holding, named)
	}
	if fields == 0 || fields > 12 {
		t.Errorf("the root Model has %d fields, want 1 to 12", fields)
	}
}

// receiver is the type name of a method's receiver.
func receiver(r *ast.FieldList) string {
	switch x := r.List[0].Type.(type) {
	case *ast.StarExpr:
		if id, ok := x.X.(*ast.Ident); ok {
			return id.Name
		}
	case *ast.Ident:
		return x.Name
	}
	return ""
}

// TestTheFrontEndsImportWhatTheMapSays: the packages ARCHITECTURE.md says
// ui and cli import (besides the session) are exactly those they import.
func TestTheFrontEndsImportWhatTheMapSays(t *testing.T) {
	doc, err := os.ReadFile("ARCHITECTURE.md")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(doc)), " ")
	imports := importsOf(t)
	for _, front := range []string{"ui", "cli"} {
		m := regexp.MustCompile("`" + front + "` imports ([^;.]+)[;.]").FindStringSubmatch(text)
		if m == nil {
			t.Errorf("ARCHITECTURE.md does not say what %s imports", front)
			continue
		}
		var said []string
		for _, name := range regexp.MustCompile("`([a-z/]+)`").FindAllStringSubmatch(m[1], -1) {
			said = append(said, name[1])
		}
		var real []string
		for _, p := range imports[front] {
			if name, ok := strings.CutPrefix(p, "triage/"); ok && name != "session" && !slices.Contains(real, name) {
				real = append(real, name)
			}
		}
		sort.Strings(said)
		sort.Strings(real)
		if !slices.Equal(said, real) {
			t.Errorf("ARCHITECTURE.md says %s imports %v; it imports %v", front, said, real)
		}
	}
}

// TestEveryFileIsOnTheMap: a package whose row in ARCHITECTURE.md names
// its files names every one of them (the console's in its two tables),
// and names no file that is gone.
func TestEveryFileIsOnTheMap(t *testing.T) {
	doc, err := os.ReadFile("ARCHITECTURE.md")
	if err != nil {
		t.Fatal(err)
	}
	named := map[string][]string{} // directory → the files (or globs) its rows name
	inConsole := false
	row := regexp.MustCompile("^\\| `([a-z/]+?)/?` \\|")
	file := regexp.MustCompile("`([a-z_*]+\\.go)`")
	for _, line := range strings.Split(string(doc), "\n") {
		if strings.HasPrefix(line, "## ") {
			inConsole = line == "## The console"
		}
		dir := ""
		if m := row.FindStringSubmatch(line); m != nil && !strings.HasSuffix(m[1], ".go") {
			dir = m[1]
			if dir == "main" {
				dir = "."
			}
		} else if inConsole && strings.HasPrefix(line, "| `") {
			dir = "ui"
		}
		if dir == "" {
			continue
		}
		for _, m := range file.FindAllStringSubmatch(line, -1) {
			named[dir] = append(named[dir], m[1])
		}
	}
	if len(named["."]) == 0 || len(named["ui"]) == 0 || len(named["session"]) == 0 {
		t.Fatal("read no rows of files from ARCHITECTURE.md")
	}
	for dir, names := range named {
		if dir == "e2e" {
			continue // its row names the harness and examples, not every area's file
		}
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil || len(files) == 0 {
			t.Errorf("ARCHITECTURE.md names files in %s, which holds none", dir)
			continue
		}
		for _, f := range files {
			base := filepath.Base(f)
			if strings.HasSuffix(base, "_test.go") {
				continue
			}
			if !slices.ContainsFunc(names, func(n string) bool { ok, _ := filepath.Match(n, base); return ok }) {
				t.Errorf("ARCHITECTURE.md does not say what %s/%s holds", dir, base)
			}
		}
		for _, n := range names {
			if m, _ := filepath.Glob(filepath.Join(dir, n)); len(m) == 0 {
				t.Errorf("ARCHITECTURE.md names %s/%s, which is not there", dir, n)
			}
		}
	}
}
