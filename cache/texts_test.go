package cache

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"triage/threads"
)

// someTexts are three texts, the most recent first.
func someTexts() []threads.Text {
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	return []threads.Text{
		{ID: "th_3", AsOf: at, Conversation: "I was charged twice\n", Notes: "Refund sent"},
		{ID: "th_2", AsOf: at.Add(-time.Hour), Conversation: strings.Repeat("Café ", 200)},
		{ID: "th_1", AsOf: at.Add(-2 * time.Hour)},
	}
}

// TestTextsAreKeptBesideTheThreadCache: the conversations written come
// back as they were, in their order, in a private file whose name `cache
// clear` removes; the budget keeps the most recent.
func TestTextsAreKeptBesideTheThreadCache(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "triage")
	c := Open(dir, "bot-1", "https://api.example.com/api/v1")
	if got, err := c.LoadTexts(); got != nil || err != nil {
		t.Fatalf("no file: %v, %v", got, err)
	}
	if err := c.WriteTexts(someTexts(), 1<<20); err != nil {
		t.Fatal(err)
	}
	got, err := c.LoadTexts()
	if err != nil || !slices.EqualFunc(got, someTexts(), func(a, b threads.Text) bool {
		return a.ID == b.ID && a.AsOf.Equal(b.AsOf) && a.Conversation == b.Conversation && a.Notes == b.Notes
	}) {
		t.Fatalf("read back %+v, %v", got, err)
	}
	if st, err := os.Stat(c.TextsPath()); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("the file: %v, %v", st, err)
	}
	if err := c.WriteTexts(someTexts(), 200); err != nil {
		t.Fatal(err)
	}
	if got, _ := c.LoadTexts(); len(got) != 1 || got[0].ID != "th_3" {
		t.Errorf("within 200 bytes: %+v", got)
	}
	if n, err := Clear(dir); err != nil || n != 1 {
		t.Errorf("cache clear removed %d files (%v)", n, err)
	}
}

// TestDamagedOrForeignTextsAreDiscarded: a conversation cache changed on
// disk, of another version or of another chatbot is removed and said,
// never searched.
func TestDamagedOrForeignTextsAreDiscarded(t *testing.T) {
	for _, tc := range append(damages, []damage{
		{"another format version", true, func(b []byte) []byte { b[len(textsMagic)] = textsVersion + 1; return b }, "format version 2"},
		{"a thread cache in its place", true, func(b []byte) []byte { copy(b, magic); return b }, "not a conversation cache"},
		{"a length past the end", true, func(b []byte) []byte {
			i := strings.Index(string(b), "th_3")
			b[i-1] = 0x7f
			return b
		}, "damaged"},
	}...) {
		t.Run(tc.name, func(t *testing.T) {
			c := Open(t.TempDir(), "bot-1", "https://api.example.com/api/v1")
			if err := c.WriteTexts(someTexts(), 1<<20); err != nil {
				t.Fatal(err)
			}
			rewrite(t, c.TextsPath(), tc.fix, tc.edit)
			got, err := c.LoadTexts()
			if got != nil || err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "conversation cache") {
				t.Fatalf("LoadTexts = %v, %v; want nothing and an error saying %q", got, err, tc.want)
			}
			if _, err := os.Stat(c.TextsPath()); !os.IsNotExist(err) {
				t.Errorf("the damaged file is still there: %v", err)
			}
		})
	}
	dir := t.TempDir()
	mine, other := Open(dir, "bot-1", "https://api.example.com/api/v1"), Open(dir, "bot-2", "https://api.example.com/api/v1")
	if err := mine.WriteTexts(someTexts(), 1<<20); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(mine.TextsPath())
	if err := os.WriteFile(other.TextsPath(), b, 0o600); err != nil {
		t.Fatal(err)
	}
	if got, err := other.LoadTexts(); got != nil || err == nil || !strings.Contains(err.Error(), "another chatbot or base URL") {
		t.Errorf("another chatbot's conversations: %v, %v", got, err)
	}
	if err := os.Chmod(mine.TextsPath(), 0o666); err != nil {
		t.Fatal(err)
	}
	if got, err := mine.LoadTexts(); got != nil || err == nil || !strings.Contains(err.Error(), "not used") {
		t.Errorf("a file others may write: %v, %v", got, err)
	}
}
