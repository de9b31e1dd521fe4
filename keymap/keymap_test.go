package keymap

import (
	"os"

	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	tea "charm.land/bubbletea/v2"
)

func press(s string) tea.KeyPressMsg {
	switch s {
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "ctrl+d":
		return tea.KeyPressMsg{Code: 'd', Mod: tea.ModCtrl}
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
}

func TestDefaults(t *testing.T) {
	km := Default()
	for k, want := range map[string]Action{"j": Down, "down": Down, "G": Bottom, "ctrl+d": HalfDown, "?": Help, "q": Quit} {
		if got, ok := km.Lookup(InList, press(k)); !ok || got != want {
			t.Errorf("%s -> %v, want %v", k, got, want)
		}
	}
}

func TestContexts(t *testing.T) {
	km := Default()
	for _, c := range []struct {
		ctx  Context
		key  string
		want Action
	}{
		{InList, "x", Mark}, {InReview, "x", Revert}, {InReview, "j", Down}, {InQuit, "k", KeepAndQuit},
		{InList, "k", Up}, {InConfirm, "y", Yes}, {InConfirm, "ctrl+c", ForceQuit},
	} {
		if got, ok := km.Lookup(c.ctx, press(c.key)); !ok || got != c.want {
			t.Errorf("%s in %s -> %v, want %v", c.key, c.ctx, got, c.want)
		}
	}
	if _, ok := km.Lookup(InReview, press("d")); ok {
		t.Error("resolve is bound in the pending review")
	}
	// A key may move to an action of another context without conflict...
	if _, err := New(map[string][]string{"revert": {"d"}}); err != nil {
		t.Errorf("revert on d: %v", err)
	}
	// ...but not onto one that shares a context.
	if _, err := New(map[string][]string{"revert": {"j"}}); err == nil || !strings.Contains(err.Error(), "review") {
		t.Errorf("revert on j: %v", err)
	}
}

func TestOverrides(t *testing.T) {
	km, err := New(map[string][]string{"down": {"ctrl+n"}, "quit": {"Q"}})
	if err != nil {
		t.Fatal(err)
	}
	if a, _ := km.Lookup(InList, tea.KeyPressMsg{Code: 'n', Mod: tea.ModCtrl}); a != Down {
		t.Errorf("ctrl+n -> %v", a)
	}
	if _, ok := km.Lookup(InList, press("j")); ok {
		t.Error("j still bound after rebinding down")
	}
	if h := km.Binding(Quit).Help(); h.Key != "Q" {
		t.Errorf("help shows %q, not the key in force", h.Key)
	}
}

func TestOverrideErrors(t *testing.T) {
	tests := []struct {
		over map[string][]string
		want []string
	}{
		{map[string][]string{"jump": {"J"}}, []string{"keys.jump", "unknown action"}},
		{map[string][]string{"down": {"k"}}, []string{`"k"`, "down", "up"}},
		{map[string][]string{"down": {"ctrl+shiftx"}}, []string{"unknown key name"}},
		{map[string][]string{"down": {"hyperspace"}}, []string{"unknown key name"}},
		{map[string][]string{"down": {"shift+g"}}, []string{`"G"`}},
		{map[string][]string{"down": {" "}}, []string{`"space"`}},
		{map[string][]string{"down": {}}, []string{"at least one key"}},
		{map[string][]string{"down": {"cmd+j"}}, []string{"unknown modifier"}},
	}
	for _, tt := range tests {
		_, err := New(tt.over)
		if err == nil {
			t.Errorf("%v accepted", tt.over)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%v: %q lacks %q", tt.over, err, w)
			}
		}
	}
}

func TestValidKeys(t *testing.T) {
	for _, k := range []string{"j", "!", "?", "ctrl+r", "alt+x", "shift+tab", "pgdown", "space", "f12", "ctrl++", "enter"} {
		if err := ValidateKey(k); err != nil {
			t.Errorf("%q refused: %v", k, err)
		}
	}
	for _, k := range []string{"", "f13", "f0", "pagedown", "\x01"} {
		if ValidateKey(k) == nil {
			t.Errorf("%q accepted", k)
		}
	}
}

func TestGroupsCoverEveryAction(t *testing.T) {
	n := 0
	for _, g := range Default().Groups() {
		if g.Name == "" || len(g.Bindings) == 0 {
			t.Errorf("empty group %+v", g)
		}
		n += len(g.Bindings)
	}
	if n != len(defaults()) {
		t.Errorf("help shows %d bindings of %d actions", n, len(defaults()))
	}
}

// TestExampleConfigListsEveryAction keeps config.toml.example in step
// with the defaults.
func TestExampleConfigListsEveryAction(t *testing.T) {
	var ex struct {
		Keys map[string][]string `toml:"keys"`
	}
	if _, err := toml.DecodeFile("../config.toml.example", &ex); err != nil {
		t.Fatal(err)
	}
	for _, d := range defaults() {
		got := ex.Keys[string(d.action)]
		if strings.Join(got, " ") != strings.Join(d.keys, " ") {
			t.Errorf("config.toml.example: %s = %v, default is %v", d.action, got, d.keys)
		}
	}
	if len(ex.Keys) != len(defaults()) {
		t.Errorf("config.toml.example lists %d actions, the keymap has %d", len(ex.Keys), len(defaults()))
	}
}

// TestReadmeListsEveryAction keeps the README's key table in step.
func TestReadmeListsEveryAction(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range defaults() {
		row := "| `" + string(d.action) + "` |"
		if !strings.Contains(string(b), row) {
			t.Errorf("README.md has no key table row for %s (%q)", d.action, row)
		}
	}
}

// TestOldActionNames: configs written for earlier versions, which called
// send "flush" and search "filter", keep working.
func TestOldActionNames(t *testing.T) {
	km, err := New(map[string][]string{"flush": {"W"}, "filter": {"f"}})
	if err != nil {
		t.Fatal(err)
	}
	if a, _ := km.Lookup(InList, press("W")); a != Send {
		t.Errorf("W -> %v, want send", a)
	}
	if a, _ := km.Lookup(InList, press("f")); a != Search {
		t.Errorf("f -> %v, want search", a)
	}
	if _, err := New(map[string][]string{"flush": {"W"}, "send": {"w"}}); err == nil || !strings.Contains(err.Error(), "keep one") {
		t.Errorf("both names set: %v", err)
	}
}
