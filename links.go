package main

import (
	"os"
)

// browser is $BROWSER, unless the console runs over SSH: there it would
// open on the jump host, not in front of the agent.
func browser() string {
	for _, v := range []string{"SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY"} {
		if os.Getenv(v) != "" {
			return ""
		}
	}
	return os.Getenv("BROWSER")
}
