package main

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestDependencyDirection keeps the rules of ARCHITECTURE.md: only api
// and api/apitest talk HTTP, api knows nothing of the UI, and the domain
// packages do not reach up into ui.
func TestDependencyDirection(t *testing.T) {
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
	for dir, imps := range imports {
		for _, p := range imps {
			if (p == "net/http" || p == "net/http/httptest") && dir != "api" && dir != "api/apitest" {
				t.Errorf("%s imports %s: only api talks HTTP", dir, p)
			}
			if strings.HasPrefix(dir, "api") && (strings.HasPrefix(p, "charm.land/") || strings.HasPrefix(p, "github.com/charmbracelet/")) {
				t.Errorf("%s imports %s: api must not depend on Charm", dir, p)
			}
			if dir != "." && p == "triage/ui" {
				t.Errorf("%s imports the ui package", dir)
			}
		}
	}
	if len(imports["api"]) == 0 || len(imports["ui"]) == 0 {
		t.Fatal("walked no packages")
	}
}
