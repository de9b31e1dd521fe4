package keymap

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// displayKeys is how keys appear in the help: "j/down".
func displayKeys(keys []string) string {
	return strings.Join(keys, "/")
}

// isNamedKey reports the multi-character key names Bubble Tea reports.
func isNamedKey(name string) bool {
	switch name {
	case "up", "down", "left", "right", "home", "end", "pgup", "pgdown", "enter", "esc", "tab",
		"space", "backspace", "delete", "insert":
		return true
	}
	if n, ok := strings.CutPrefix(name, "f"); ok && len(n) > 0 && len(n) <= 2 {
		var num int
		_, err := fmt.Sscanf(n, "%d", &num)
		return err == nil && num >= 1 && num <= 12 && fmt.Sprint(num) == n
	}
	return false
}

// ValidateKey checks that k is a key name as Bubble Tea spells it:
// "j", "G", "!", "ctrl+d", "alt+x", "shift+tab", "pgdown", "space".
func ValidateKey(k string) error {
	if k == "" {
		return fmt.Errorf("empty key name")
	}
	if k == " " {
		return fmt.Errorf(`key " ": write "space"`)
	}
	parts := strings.Split(k, "+")
	base := parts[len(parts)-1]
	mods := parts[:len(parts)-1]
	if base == "" && len(parts) > 1 { // "ctrl++" style: the key is "+"
		base, mods = "+", parts[:len(parts)-2]
	}
	for _, m := range mods {
		switch m {
		case "ctrl", "alt", "shift", "meta", "super", "hyper":
		default:
			return fmt.Errorf("key %q: unknown modifier %q (ctrl, alt, shift)", k, m)
		}
	}
	if isNamedKey(base) {
		return nil
	}
	if utf8.RuneCountInString(base) != 1 {
		return fmt.Errorf("key %q: unknown key name %q", k, base)
	}
	r, _ := utf8.DecodeRuneInString(base)
	if r < 0x21 || r == 0x7f {
		return fmt.Errorf("key %q: not a printable key", k)
	}
	if slices.Contains(mods, "shift") && len(mods) == 1 && r >= 'a' && r <= 'z' {
		return fmt.Errorf("key %q: write %q (Bubble Tea reports shifted letters as capitals)", k, strings.ToUpper(base))
	}
	return nil
}
