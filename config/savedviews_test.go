package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSavedViewsRoundTripAndChecks(t *testing.T) {
	dir := t.TempDir()
	path := SavedViewsPath(filepath.Join(dir, "config.toml"))
	f := false
	views := []View{{Name: "Refunds", Resolved: &f, Archived: &f, Query: "refund -is:escalated", Sort: "unread"},
		{Name: "VIP of mine", Tag: "vip", Owner: "me"}}
	if err := SaveViews(path, views); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("the file is %v", st.Mode())
	}
	cfg := Default()
	got, err := cfg.LoadSavedViews(path)
	if err != nil || len(got) != 2 || got[0].Query != "refund -is:escalated" || *got[0].Resolved || got[1].Owner != "me" || got[0].Sort != "unread" {
		t.Fatalf("read back %+v, %v", got, err)
	}
	if b, _ := os.ReadFile(path); strings.Contains(string(b), `mode = ""`) {
		t.Errorf("unset fields are written:\n%s", b)
	}
	fresh := Default()
	// A name the config has, a bad query, a file others may write: refused with the file named.
	cfg.Views = []View{{Name: "All"}, {Name: "Refunds"}}
	if _, err := cfg.LoadSavedViews(path); err == nil || !strings.Contains(err.Error(), `"Refunds" names two views`) {
		t.Errorf("a clash with the config: %v", err)
	}
	os.WriteFile(path, []byte("[[views]]\nname = \"x\"\nquery = \"is:open\"\n"), 0o600)
	if _, err := fresh.LoadSavedViews(path); err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "views[1].query") {
		t.Errorf("a bad query: %v", err)
	}
	os.Chmod(path, 0o666)
	if _, err := fresh.LoadSavedViews(path); err == nil {
		t.Error("a file others may write is read")
	}
	if got, err := fresh.LoadSavedViews(filepath.Join(dir, "none.toml")); err != nil || got != nil {
		t.Errorf("no file: %v, %v", got, err)
	}
}
