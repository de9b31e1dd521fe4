package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"triage/api"
	"triage/api/apitest"
)

// inbox is what the default first view shows: unresolved, unarchived.
func inbox(all []api.Thread) []api.Thread {
	var out []api.Thread
	for _, t := range all {
		if !t.Resolved && !t.Archived {
			out = append(out, t)
		}
	}
	return out
}

func TestDemoShowsAndScrolls(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {200, 50}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			s := start(t, size[0], size[1], nil, "--demo", "--demo-threads", "500")
			n := len(inbox(apitest.Generate(500, "demo-bot", 1, time.Now())))
			total := fmt.Sprintf("/%d", n)
			scr := s.waitText("[1 Inbox", "1"+total, "Title", "Visitor")
			if lines := strings.Split(strings.TrimRight(scr, "\n"), "\n"); len(lines) != size[1] {
				t.Errorf("screen has %d lines, want %d", len(lines), size[1])
			}
			s.literal("jjjjjjjjjj") // one burst, as over SSH
			s.waitText("11" + total)
			s.keys("G")
			s.waitText(fmt.Sprint(n) + total)
			s.keys("g", "C-d")
			rows := size[1] - 4
			s.waitText(fmt.Sprintf("%d%s", rows/2+1, total))
			s.keys("?")
			s.waitText("half page down")
			s.keys("Space") // the help scrolls where it does not fit
			s.waitText("view 1-9", "Search (/)")
			s.keys("Escape", "q") // esc then q in one read: read as both, not alt+q
			if st := s.waitExit(); st != "0" {
				t.Errorf("exit status %s", st)
			}
		})
	}
}

// TestListsEveryThreadOfCappedServer points the console at a
// ContextGPT-compatible server on 127.0.0.1 that caps limit at 50.
func TestListsEveryThreadOfCappedServer(t *testing.T) {
	srv := apitest.New(apitest.Options{Threads: 237, MaxLimit: 50, ChatbotID: "361628903185318481", APIKey: "e2e-key"})
	base, stop, err := srv.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	s := start(t, 120, 30, []string{"CONTEXTGPT_API_KEY=e2e-key"}, "--base-url", base, "--chatbot", "361628903185318481")
	want := inbox(srv.Threads())
	total := fmt.Sprintf("/%d", len(want))
	scr := s.waitText("[1 Inbox "+fmt.Sprint(len(want))+"]", "1"+total)
	// Newest first: the first rows are the server's newest threads.
	lines := strings.Split(scr, "\n")
	for i := 0; i < 5; i++ {
		prefix := want[i].Title
		if prefix == "" {
			prefix = "(no title)"
		}
		prefix = prefix[:min(len(prefix), 20)]
		if !strings.Contains(lines[2+i], prefix) {
			t.Errorf("row %d is %q, want thread %q", i, lines[2+i], prefix)
		}
	}
	var pages []apitest.Request
	for _, r := range srv.RequestsFor(http.MethodGet) {
		if r.Query.Get("limit") != "1" && !strings.HasSuffix(r.Path, "/messages") { // not the other views' totals, nor conversations read for the search
			pages = append(pages, r)
		}
	}
	// The default views are drawn from the pages of All: 237 threads.
	if wantPages := (237 + 49) / 50; len(pages) != wantPages {
		t.Errorf("%d list requests for 237 threads at 50 a page", len(pages))
	}
	for _, r := range pages[1:] {
		if r.Query.Get("limit") != "50" || r.Query.Get("resolved") != "" || r.Query.Get("archived") != "" {
			t.Errorf("page request %v: want All's pages at the server's limit of 50", r.Query)
		}
	}
	s.keys("G")
	s.waitText(fmt.Sprint(len(want)) + total)
}

func TestBadKeyIsExplained(t *testing.T) {
	srv := apitest.New(apitest.Options{Threads: 5, APIKey: "right"})
	base, stop, err := srv.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	s := start(t, 120, 24, []string{"CONTEXTGPT_API_KEY=wrong"}, "--base-url", base, "--chatbot", srv.ChatbotID())
	scr := s.waitText("Load failed", "401", "API_KEY_NOT_VALID", "check the API key")
	if strings.Contains(scr, "wrong") {
		t.Error("the key is on the screen")
	}
}

func TestSignalsRestoreTerminal(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) {
			s := start(t, 80, 24, nil, "--demo", "--demo-threads", "50")
			s.waitText("[1 Inbox", "Title")
			if s.format("alternate_on") != "1" {
				t.Fatal("the console is not on the alternate screen")
			}
			if err := syscall.Kill(s.pid(), sig); err != nil {
				t.Fatal(err)
			}
			if st := s.waitExit(); st != "0" {
				t.Errorf("exit status %s after %v", st, sig)
			}
			if s.format("alternate_on") != "0" {
				t.Errorf("after %v the terminal is still on the alternate screen", sig)
			}
		})
	}
}

func TestUsageErrors(t *testing.T) {
	s := start(t, 120, 24, []string{"CONTEXTGPT_API_KEY="}, "--chatbot", "x", "--base-url", "http://example.com/api/v1")
	if st := s.waitExit(); st != "2" {
		t.Errorf("exit status %s, want 2", st)
	}
	out := s.scrollback()
	for _, w := range []string{"unencrypted", "https", "--insecure-http"} {
		if !strings.Contains(out, w) {
			t.Errorf("the refusal does not mention %q:\n%s", w, out)
		}
	}
}
