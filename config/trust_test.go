package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAConfigOthersCanWriteIsRefused: its commands would run as you, so
// a config file others can write, or one in a directory they can write
// (unless sticky, as /tmp), stops the start naming the path and mode.
func TestAConfigOthersCanWriteIsRefused(t *testing.T) {
	p := writeConfig(t, "page_size = 100\n", 0o600)
	if _, err := Load(p, true); err != nil {
		t.Fatalf("a private config: %v", err)
	}
	if err := os.Chmod(p, 0o666); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(p, true); err == nil || !strings.Contains(err.Error(), p+" is writable by group and others (mode 0666)") {
		t.Errorf("a 0666 config: %v", err)
	}
	if err := os.Chmod(p, 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Dir(p)
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(p, true); err == nil || !strings.Contains(err.Error(), dir+" is writable by group and others (mode 0777)") {
		t.Errorf("a config in a 0777 directory: %v", err)
	}
	if err := os.Chmod(dir, 0o777|os.ModeSticky); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(p, true); err != nil {
		t.Errorf("a config in a sticky directory: %v", err)
	}
}
