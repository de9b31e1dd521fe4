package ui

import (
	tea "charm.land/bubbletea/v2"

	"triage/keymap"
	"triage/words"
)

// prompt is a question in the status line, in front of everything: a
// yes/no question whose yes runs an action, or the question asked when
// quitting with edits pending (send, keep or cancel).
//
// At start it may also ask about another journal of the chatbot (notice):
// show its edits, set it aside, or any other key for later.
type prompt struct {
	question string
	yes      func() tea.Cmd
	which    bool // the send's question, naming threads others are on: the review shows which
	quitting bool
	notice   int // 1 + the index of the other journal asked about; 0 when not
}

// answer is what the operator said to a prompt.
type answer int

const (
	answerNo answer = iota
	answerYes
	answerSendAndQuit
	answerKeepAndQuit
	answerCopyAndQuit
	answerCancel
	answerForceQuit
	answerShowOther
	answerSetAside
	answerShowWhich
)

// answer reads a key as an answer: for a yes/no question any key other
// than yes is no.
func (p *prompt) answer(km *keymap.Keymap, msg tea.KeyPressMsg) answer {
	if p.quitting {
		a, _ := km.Lookup(keymap.InQuit, msg)
		switch a {
		case keymap.SendAndQuit:
			return answerSendAndQuit
		case keymap.KeepAndQuit:
			return answerKeepAndQuit
		case keymap.CopyAndQuit:
			return answerCopyAndQuit
		case keymap.ForceQuit:
			return answerForceQuit
		case keymap.Cancel:
			return answerCancel
		}
		return answerNo // ignored: the question stays
	}
	if p.notice > 0 {
		switch a, _ := km.Lookup(keymap.InNotice, msg); a {
		case keymap.OpenOther:
			return answerShowOther
		case keymap.SetAside:
			return answerSetAside
		case keymap.ForceQuit:
			return answerForceQuit
		}
		return answerNo // later
	}
	switch a, _ := km.Lookup(keymap.InConfirm, msg); {
	case a == keymap.ForceQuit:
		return answerForceQuit
	case a == keymap.Yes:
		return answerYes
	case a == keymap.Review && p.which:
		return answerShowWhich
	}
	return answerNo
}

// quitQuestion is the question asked when quitting with edits pending.
// While the journal cannot be written (failure says why), keeping is not
// offered as if it were safe: the question offers to send the edits or to
// write a copy elsewhere, and says the rest would lose them.
func quitQuestion(km *keymap.Keymap, threads int, failure string) string {
	k := func(a keymap.Action) string {
		if keys := km.Binding(a).Keys(); len(keys) > 0 {
			return keys[0]
		}
		return "?"
	}
	if failure != "" {
		return "Edits NOT saved: " + k(keymap.SendAndQuit) + " send now, " + k(keymap.CopyAndQuit) + " write a copy and quit, " +
			k(keymap.Cancel) + " cancel; quitting otherwise loses the edits of " + words.Plural(threads, "thread") + " (" + failure + ")"
	}
	return words.Plural(threads, "thread") + " with pending edits: " + k(keymap.SendAndQuit) + " send now, " +
		k(keymap.KeepAndQuit) + " keep for next time, " + k(keymap.Cancel) + " cancel"
}
