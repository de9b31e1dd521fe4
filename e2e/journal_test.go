package e2e

import (
	"fmt"
	"reflect"
	"syscall"
	"testing"
)

// TestSecondConsoleOnOneChatbot: A queues edits; B, started for the same
// chatbot with the same state directory, is told A holds the journal and
// may go on read-only; A is killed with SIGKILL; B started again takes
// the journal over at once and restores exactly A's edits.
func TestSecondConsoleOnOneChatbot(t *testing.T) {
	srv, base := server(t, 40)
	before := inbox(srv.Threads())[:3]
	state := t.TempDir()
	a := console(t, base, state)
	a.waitText("[1 Inbox", "1/")
	a.literal("   d!")
	a.waitText("(3 threads)")
	waitJournal(t, state, 6)

	b := console(t, base, state)
	b.waitText("another console holds the journal", fmt.Sprintf("pid %d on ", a.pid()), "[q]uit or [r]ead-only?")
	b.literal("r") // one key, as every question takes
	b.waitText("[1 Inbox", "Read-only")
	b.literal("d")
	b.waitText("quit it to edit here")
	b.keys("C-c")
	b.waitExit()

	if err := syscall.Kill(a.pid(), syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if st := a.waitExit(); st != "137" {
		t.Fatalf("exit status %s after kill -9", st)
	}
	b2 := console(t, base, state)
	b2.waitText("Restored 6 changes on 3 threads", "[1 Inbox")
	b2.send()
	waitPatches(t, srv, 1)
	b2.waitText("Sent ")
	if got, want := patchItems(t, srv), expectedItems(before); !reflect.DeepEqual(got, want) {
		t.Errorf("B sent\n got %v\nwant %v", got, want)
	}
}
