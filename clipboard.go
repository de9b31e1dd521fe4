package main

import (
	"errors"
	"fmt"
	"os/exec"
	"strings"
)

// tmuxClipboard copies text inside tmux with tmux's own buffer command:
// load-buffer -w puts it in tmux's paste buffer and also sends it on to
// the terminal tmux runs in (as OSC 52), which works with tmux's default
// set-clipboard (external), where the OSC 52 of a program in a pane is
// ignored. It says where the text went, and what to set when tmux will
// not pass it on.
func tmuxClipboard(text string) (string, error) {
	load := func(args ...string) error {
		cmd := exec.Command("tmux", args...)
		cmd.Stdin = strings.NewReader(text)
		out, err := cmd.CombinedOutput()
		if err != nil {
			return fmt.Errorf("%w: %s", err, strings.TrimSpace(string(out)))
		}
		return nil
	}
	err := load("load-buffer", "-w", "-")
	if err != nil { // tmux before 3.2 has no -w: the buffer only
		if err2 := load("load-buffer", "-"); err2 != nil {
			var ee *exec.Error
			if errors.As(err2, &ee) {
				return "", errors.New("inside tmux, but tmux could not be run to copy (" + ee.Err.Error() + ")")
			}
			return "", fmt.Errorf("tmux load-buffer failed: %v", err2)
		}
		return "to tmux's buffer only (prefix ] pastes; tmux 3.2 or later also reaches your clipboard)", nil
	}
	out, _ := exec.Command("tmux", "show-options", "-gv", "set-clipboard").Output()
	if strings.TrimSpace(string(out)) == "off" {
		return "to tmux's buffer only (prefix ] pastes): set -g set-clipboard external in ~/.tmux.conf for your clipboard", nil
	}
	return "to tmux's buffer and your terminal's clipboard", nil
}
