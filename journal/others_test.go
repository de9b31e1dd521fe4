package journal

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestOthersSayWhoseTheyAreAndWhatTheyHold: the demo's journal of the
// same chatbot is named by its deployment with its edits; one a console
// holds names the holder and cannot be set aside; set aside, it is kept
// whole beside and no longer listed.
func TestOthersSayWhoseTheyAreAndWhatTheyHold(t *testing.T) {
	dir := t.TempDir()
	demo := open(t, dir, "bot", "demo")
	save(t, demo, sample())
	if err := demo.Close(); err != nil {
		t.Fatal(err)
	}
	here := open(t, dir, "bot", "http://127.0.0.1:8787/api/v1")
	defer here.Close()
	if _, _, err := here.Load(); err != nil {
		t.Fatal(err)
	}
	others := here.Others()
	if len(others) != 1 || others[0].Base != "demo" || len(others[0].Edits) != len(sample()) || others[0].Holder != "" {
		t.Fatalf("others %+v", others)
	}
	if age := time.Since(others[0].Written); age < 0 || age > time.Minute {
		t.Errorf("written %s ago", age)
	}
	held := open(t, dir, "bot", "demo") // a console on the demo now
	o := here.Others()[0]
	if !strings.Contains(o.Holder, "pid ") {
		t.Errorf("the holder is not named: %q", o.Holder)
	}
	if _, err := SetAside(o, time.Now()); err == nil {
		t.Error("a journal a console holds was set aside")
	}
	held.Close()
	to, err := SetAside(here.Others()[0], time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(to); err != nil || st.Size() == 0 || !strings.HasPrefix(filepath.Base(to), filepath.Base(o.Path)+".set-aside-") {
		t.Errorf("set aside to %s: %v", to, err)
	}
	if n := len(here.Others()); n != 0 {
		t.Errorf("still listed: %d", n)
	}
}
