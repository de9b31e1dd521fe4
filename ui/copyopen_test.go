package ui

import (
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// clipboardOf is what a command sets the clipboard to, and the OSC 52
// bytes the terminal receives for it.
func clipboardOf(t *testing.T, m *Model, keys ...string) (text, osc string) {
	t.Helper()
	cmd := press(m, keys...)
	if cmd == nil {
		t.Fatalf("no command; status %q", m.status.text)
	}
	msg := cmd()
	if v := reflect.ValueOf(msg); v.Type().Name() != "setClipboardMsg" || v.Kind() != reflect.String {
		t.Fatalf("%T is not a clipboard write", msg)
	}
	text = fmt.Sprint(msg)
	return text, ansi.SetSystemClipboard(text)
}

func TestCopyIDsOfMarkedThreadsWithOSC52(t *testing.T) {
	m, _, _ := twoConsoles(t)
	rows := m.table.rows
	act(t, m, "x", "j", "x")
	text, osc := clipboardOf(t, m, "y")
	if want := rows[0].ID + "\n" + rows[1].ID; text != want {
		t.Errorf("copied %q, want %q", text, want)
	}
	payload, ok := strings.CutPrefix(osc, "\x1b]52;c;")
	payload, ok2 := strings.CutSuffix(payload, "\x07")
	raw, err := base64.StdEncoding.DecodeString(payload)
	if !ok || !ok2 || err != nil || string(raw) != text || strings.ContainsAny(payload, "\x1b\x07") {
		t.Errorf("OSC 52 %q", osc)
	}
	if !strings.Contains(m.status.text, "Copied 2 ids") {
		t.Errorf("status %q", m.status.text)
	}
}

func TestCopyLinkNeedsDashboardURL(t *testing.T) {
	m, _, _ := twoConsoles(t)
	if cmd := press(m, "Y"); cmd != nil || !strings.Contains(m.status.text, "dashboard_url") {
		t.Errorf("Y without dashboard_url: status %q", m.status.text)
	}
	m.opts.Link = func(id string) (string, error) { return "https://dash.example/t/" + id, nil }
	text, _ := clipboardOf(t, m, "Y")
	if text != "https://dash.example/t/"+m.table.current().ID {
		t.Errorf("copied %q", text)
	}
}

func TestOpenLinkRunsTheBrowser(t *testing.T) {
	m, _, _ := twoConsoles(t)
	m.opts.Link = func(id string) (string, error) { return "https://dash.example/t/" + id, nil }
	url := "https://dash.example/t/" + m.table.current().ID
	press(m, "o") // no browser (over SSH, say): the link is shown, clickable
	if m.status.text != "Link: "+hyperlink(url) || !strings.Contains(screenOf(m), url) {
		t.Errorf("status %q", m.status.text)
	}

	dir := t.TempDir()
	script := filepath.Join(dir, "browser")
	got := filepath.Join(dir, "opened")
	if err := os.WriteFile(script, []byte("#!/bin/sh\nprintf '%s' \"$2\" > "+got+"\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	m.opts.Browser = script + " --new-tab %s"
	drain(t, m, press(m, "o"))
	if b, err := os.ReadFile(got); err != nil || string(b) != url {
		t.Errorf("the browser got %q, %v", b, err)
	}
	m.opts.Browser = filepath.Join(dir, "missing")
	drain(t, m, press(m, "o"))
	if !m.status.isErr || !strings.Contains(m.status.text, "The browser did not open") {
		t.Errorf("a missing browser: status %q", m.status.text)
	}
}
