package journal

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"triage/api"
	"triage/queue"
)

func sample() []*queue.Edit {
	q := queue.New()
	ts := []*api.Thread{{ID: "a"}, {ID: "b", Title: "x"}}
	q.Toggle(queue.Resolved, ts)
	q.SetTitle(nil, ts[1:])
	return q.Snapshot()
}

func TestRoundTripAndPermissions(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state", "triage")
	j := Open(dir, "bot/../1", "https://contextgpt.in/api/v1")
	if filepath.Dir(j.Path()) != dir || strings.Contains(filepath.Base(j.Path()), "/") {
		t.Fatalf("unsafe path %s", j.Path())
	}
	if err := j.Save(sample()); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(j.Path())
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("file mode %o", st.Mode().Perm())
	}
	if dst, _ := os.Stat(dir); dst.Mode().Perm() != 0o700 {
		t.Errorf("dir mode %o", dst.Mode().Perm())
	}
	edits, warn, err := j.Load()
	if err != nil || warn != "" || len(edits) != 2 || edits[1].Title == nil || edits[1].Title.Want != nil {
		t.Fatalf("load: %v %q %+v", err, warn, edits)
	}
	if err := j.Save(nil); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(j.Path()); !os.IsNotExist(err) {
		t.Error("an empty queue left a journal")
	}
	if edits, warn, err := j.Load(); edits != nil || warn != "" || err != nil {
		t.Errorf("missing journal: %v %q %v", edits, warn, err)
	}
	left, _ := os.ReadDir(dir)
	if len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestUnreadableJournalMovedAside(t *testing.T) {
	for name, content := range map[string]string{
		"truncated": `{"version":1,"chatbotId":"bot","baseUrl":"u","edits":[{"threadId":"a","fl`,
		"garbage":   "\x00\x01not json",
		"version":   `{"version":99,"chatbotId":"bot","baseUrl":"u","edits":[]}`,
		"other bot": `{"version":1,"chatbotId":"other","baseUrl":"u","edits":[{"threadId":"a"}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			j := Open(dir, "bot", "u")
			if err := os.WriteFile(j.Path(), []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			edits, warn, err := j.Load()
			if err != nil || edits != nil || !strings.Contains(warn, "moved to") {
				t.Fatalf("edits %v warn %q err %v", edits, warn, err)
			}
			if _, err := os.Stat(j.Path()); !os.IsNotExist(err) {
				t.Error("the unreadable journal is still in place")
			}
			moved, _ := filepath.Glob(j.Path() + ".unreadable-*")
			if len(moved) != 1 {
				t.Errorf("moved aside: %v", moved)
			}
		})
	}
}

func TestDeploymentsDoNotShareJournals(t *testing.T) {
	dir := t.TempDir()
	a, b := Open(dir, "bot", "https://a.example/api/v1"), Open(dir, "bot", "https://b.example/api/v1")
	if a.Path() == b.Path() {
		t.Fatal("two deployments share one journal file")
	}
	if err := a.Save(sample()); err != nil {
		t.Fatal(err)
	}
	if edits, _, _ := b.Load(); edits != nil {
		t.Error("b read a's journal")
	}
}
