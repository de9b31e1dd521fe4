package threads

import (
	"strings"

	"triage/api"
)

// The query language's vocabulary, in one place: parsing, its errors, the
// help and the search line's reminder all read it.

// IsValues are the values of is:.
func IsValues() []string {
	return []string{"resolved", "archived", "escalated", "important", "anonymous", "pending", "conflict"}
}

// Qualifiers are the names of the "name:value" terms.
func Qualifiers() []string {
	return []string{"is", "in", "tag", "owner", "mode", "model", "platform", "unread", "neg"}
}

// modeValues are the values of mode:, as the API spells them.
func modeValues() []string {
	var out []string
	for _, m := range api.Modes() {
		out = append(out, string(m))
	}
	return out
}

// Grammar describes the query language for the help, in a sentence.
func Grammar() string {
	return `words match title, visitor name and email, tags, thread id, and the conversations and notes read (all must match; "quotes" keep spaces); ` +
		"in:" + strings.Join(InValues(), "|") + ", is:" + strings.Join(IsValues(), "|") + ", tag:NAME, owner:NAME|me|none, mode:" + strings.ToLower(strings.Join(modeValues(), "|")) +
		", model:TEXT, platform:TEXT, unread:>N, neg:>N (also <N, =N); a leading - negates"
}

// Reminder is the grammar in one short line, shown while a query is typed.
func Reminder() string {
	return "words · is:" + strings.Join(IsValues(), "|") + " · in: tag: owner: mode: model: platform: unread:>N neg:>N · -negates · \"quotes\""
}

// orList is "a, b or c".
func orList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}
