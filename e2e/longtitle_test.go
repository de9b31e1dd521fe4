package e2e

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"triage/api"
	"triage/api/apitest"
)

// peakRSS is the most resident memory the process has had, in MB
// (VmHWM of /proc).
func peakRSS(t *testing.T, pid int) float64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			var kb float64
			fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(l, "VmHWM:"), "kB")), &kb)
			return kb / 1024
		}
	}
	t.Fatal("no VmHWM")
	return 0
}

// TestATenMegabyteTitleIsBounded: a thread whose title is 10 MB (under
// the 16 MiB cap of an answer) is loaded, read in the reader, opened in
// the title form and searched with its resident memory at its peak under
// 150 MB, measured from outside the process; the title shows cut with
// its marker and the form says it cannot be edited.
func TestATenMegabyteTitleIsBounded(t *testing.T) {
	srv := apitest.New(apitest.Options{Threads: 200, Seed: 5})
	title := "Spam " + strings.Repeat("spam é ", 10<<20/8)
	srv.Put(api.Thread{ID: "th_huge", ChatbotID: srv.ChatbotID(), Title: title, UpdatedAt: time.Now()}, "", api.Value("notes"))
	base, stop, err := srv.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	s := start(t, 80, 24, []string{"CONTEXTGPT_API_KEY=" + srv.APIKey()}, "--base-url", base, "--chatbot", srv.ChatbotID())
	s.waitText("[1 Inbox", "Spam spam")
	s.keys("R")
	s.waitText("J next thread", "lines ")
	s.keys("g") // the top: the title, the notes, the conversation
	s.waitText("Internal notes", "Conversation (")
	s.keys("Escape")
	s.waitFor("the list", func(scr string) bool { return !strings.Contains(scr, "J next thread") })
	s.keys("T")
	s.waitText("it is shown cut", "cannot be edited here")
	s.keys("Escape")
	s.waitText("nothing queued")
	s.literal("/spam")
	s.keys("Enter")
	s.waitText("/spam:")
	peak := peakRSS(t, s.pid())
	t.Logf("peak resident memory: %.1f MB", peak)
	if peak > 150 {
		t.Errorf("peak RSS %.1f MB, more than 150", peak)
	}
	s.keys("q")
	s.waitExit()
}
