package cli

import (
	"encoding/json"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"triage/api"
	"triage/api/apitest"
)

// apply, run in process against the bench of cli_test.go.

func TestApplyDryRunSendsNothing(t *testing.T) {
	b := newBench(t, 60)
	x := b.inbox()[0]
	b.stdin = `{"threadId":"` + x.ID + `","addTags":["cli"],"resolved":true}` + "\n"
	if st := b.run("apply", "--dry-run"); st != ExitOK {
		t.Fatalf("exit %d: %s", st, b.stderr.String())
	}
	if b.patches() != 0 {
		t.Errorf("a dry run sent %d PATCHes", b.patches())
	}
	out := b.stdout.String()
	if !strings.Contains(out, x.ID) || !strings.Contains(out, "resolved false→true") || !strings.Contains(out, "tags +cli") ||
		!strings.Contains(out, "Would send 2 changes to 1 thread") {
		t.Errorf("the dry run says:\n%s", out)
	}
}

// TestApplySendsOnePatchAndKeepsAColleaguesTag: the threads are read,
// then a colleague tags one while the question is asked; the send reads
// again, keeps the colleague's tag, and sends one PATCH.
func TestApplySendsOnePatchAndKeepsAColleaguesTag(t *testing.T) {
	b := newBench(t, 60)
	ts := b.inbox()[:3]
	var lines []string
	for _, th := range ts {
		lines = append(lines, `{"threadId":"`+th.ID+`","addTags":["cli"]}`)
	}
	b.stdin = strings.Join(lines, "\n")
	b.ask = func(q string) bool {
		if !strings.Contains(q, "Send 3 changes to 3 threads?") {
			t.Errorf("the question: %q", q)
		}
		b.srv.Change(ts[0].ID, func(th *api.Thread) { th.Tags = append(th.Tags, "colleague") })
		return true
	}
	if st := b.run("apply"); st != ExitOK {
		t.Fatalf("exit %d: %s", st, b.stderr.String())
	}
	if b.patches() != 1 {
		t.Errorf("%d PATCHes", b.patches())
	}
	got, _ := b.srv.Thread(ts[0].ID)
	if !slices.Contains(got.Tags, "colleague") || !slices.Contains(got.Tags, "cli") {
		t.Errorf("tags %v: the colleague's tag or ours was lost", got.Tags)
	}
	b.ask = nil
	b.stdin = `{"threadId":"` + ts[1].ID + `","important":true}`
	if st := b.run("apply"); st != ExitUsage || b.patches() != 1 {
		t.Errorf("a send from a pipe without --yes: exit %d, %d PATCHes", st, b.patches())
	}
}

// TestApplyConflictExits3AndNamesTheThread: a title a colleague changed
// after the read is held back, named, and the exit status is 3.
func TestApplyConflictExits3AndNamesTheThread(t *testing.T) {
	b := newBench(t, 60)
	x := b.inbox()[0]
	b.stdin = `{"threadId":"` + x.ID + `","title":"From the script","important":true}`
	b.ask = func(string) bool {
		b.srv.Change(x.ID, func(th *api.Thread) { th.Title = "From a colleague" })
		return true
	}
	if st := b.run("apply", "--json"); st != ExitConflicts {
		t.Fatalf("exit %d, want 3: %s", st, b.stderr.String())
	}
	if !strings.Contains(b.stderr.String(), "Held back from the send: title") || !strings.Contains(b.stderr.String(), x.ID) {
		t.Errorf("the conflict is not named:\n%s", b.stderr.String())
	}
	var out struct {
		HeldBack []map[string]any `json:"heldBack"`
	}
	if err := json.Unmarshal(b.stdout.Bytes(), &out); err != nil || len(out.HeldBack) != 1 || out.HeldBack[0]["threadId"] != x.ID ||
		out.HeldBack[0]["server"] != "From a colleague" || out.HeldBack[0]["mine"] != "From the script" {
		t.Errorf("--json: %v %s", err, b.stdout.String())
	}
	got, _ := b.srv.Thread(x.ID)
	if got.Title != "From a colleague" || !got.Important {
		t.Errorf("the server holds %q important %v", got.Title, got.Important)
	}
}

func TestApplyBadLineNamesItsLineAndSendsNothing(t *testing.T) {
	b := newBench(t, 30)
	x := b.inbox()[0]
	b.stdin = strings.Join([]string{`{"threadId":"` + x.ID + `","resolved":true}`, ``, `{"threadId":"` + x.ID + `x","resolved":tru}`,
		`{"threadId":"y","mode":"ROBOT"}`}, "\n")
	if st := b.run("apply", "--yes"); st != ExitUsage {
		t.Fatalf("exit %d", st)
	}
	if msg := b.stderr.String(); !strings.Contains(msg, "line 3: not JSON") || !strings.Contains(msg, `line 4: mode: "ROBOT"`) ||
		!strings.Contains(msg, "nothing was sent") {
		t.Errorf("the message:\n%s", msg)
	}
	for raw, want := range map[string]string{
		`["th_1"]`:                           "not an edit: a JSON object is wanted, not an array",
		`{"threadId":"th_1","resolved":"y"}`: "resolved: true or false is wanted, not a string",
		`{"threadId":"th_1","title":5}`:      "title: a string or null is wanted, not a number",
		`{"threadId":"th_1","addTags":[1]}`:  "addTags: a list of strings is wanted, and an item of it is not a string",
		`{"threadId":"th_1","flagged":true}`: `"flagged" is not a field of an edit (the fields: threadId, resolved,`,
	} {
		b.stdin = raw
		if st := b.run("apply", "--yes"); st != ExitUsage || !strings.Contains(b.stderr.String(), "line 1: "+want) || strings.Contains(b.stderr.String(), "Go ") {
			t.Errorf("%s: exit %d: %s", raw, st, b.stderr.String())
		}
	}
	if b.patches() != 0 || len(b.srv.Requests()) != 0 {
		t.Errorf("%d requests for edits that did not check", len(b.srv.Requests()))
	}
}

// TestApplyByQuery: the same change on the threads a query chooses, with
// one PATCH; a thread already as wanted is not sent.
func TestApplyByQuery(t *testing.T) {
	b := newBench(t, 100)
	if st := b.run("apply", "--view", "Inbox", "--query", "refund", "--add-tag", "refunds", "--yes"); st != ExitOK {
		t.Fatalf("exit %d: %s", st, b.stderr.String())
	}
	n := 0
	for _, th := range b.inbox() {
		if slices.Contains(th.Tags, "refunds") {
			n++
		}
	}
	if n == 0 || b.patches() != 1 {
		t.Errorf("%d threads tagged, %d PATCHes", n, b.patches())
	}
	if st := b.run("apply", "--view", "Inbox", "--query", "refund", "--add-tag", "refunds", "--yes"); st != ExitOK || b.patches() != 1 ||
		!strings.Contains(b.stderr.String(), "Nothing to send") {
		t.Errorf("again: exit %d, %d PATCHes: %s", st, b.patches(), b.stderr.String())
	}
}

// TestApplyRefusesWhatItWouldIgnore: an operand (a file meant for -f) and
// --id beside --view or --query are usage errors that say what to do;
// nothing is read or sent.
func TestApplyRefusesWhatItWouldIgnore(t *testing.T) {
	b := newBench(t, 30)
	x := b.inbox()[0]
	b.stdin = `{"threadId":"` + x.ID + `","resolved":true}`
	if st := b.run("apply", "one.jsonl", "--yes"); st != ExitUsage || !strings.Contains(b.stderr.String(), "-f one.jsonl") {
		t.Errorf("an operand: exit %d: %s", st, b.stderr.String())
	}
	for _, args := range [][]string{{"--view", "Inbox"}, {"--query", "refund"}} {
		args = append(args, "--id", x.ID, "--set", "resolved=true", "--yes")
		if st := b.run("apply", args...); st != ExitUsage || !strings.Contains(b.stderr.String(), "not both") {
			t.Errorf("%v: exit %d: %s", args, st, b.stderr.String())
		}
	}
	if n := len(b.srv.Requests()); n != 0 {
		t.Errorf("%d requests", n)
	}
}

// cached is a bench whose runs share a disk cache, filled by a first
// list: what a script meets after its first command.
func cached(t *testing.T, threads int) *bench {
	t.Helper()
	return cachedAfter(t, newBench(t, threads))
}

// cachedAfter is cached on a bench already set up.
func cachedAfter(t *testing.T, b *bench) *bench {
	t.Helper()
	b.cache = t.TempDir()
	if st := b.run("list", "--json", "id"); st != ExitOK {
		t.Fatalf("list: exit %d: %s", st, b.stderr.String())
	}
	return b
}

// TestApplyQueuesAgainstTheServerNotTheCache: with the threads in the
// disk cache and the server changed behind it, each edit is queued
// against what the server holds now: a second title after our own
// first, a colleague's tag removed, notes replaced, and a dry run that
// does not describe a change already made.
func TestApplyQueuesAgainstTheServerNotTheCache(t *testing.T) {
	b := cached(t, 40)
	ts := b.inbox()
	x, y, z, w := ts[0].ID, ts[1].ID, ts[2].ID, ts[3].ID
	for i, title := range []string{"Script title 1", "Script title 2"} {
		b.stdin = `{"threadId":"` + x + `","title":"` + title + `"}`
		if st := b.run("apply", "--yes"); st != ExitOK {
			t.Fatalf("title %d: exit %d: %s", i+1, st, b.stderr.String())
		}
	}
	if got, _ := b.srv.Thread(x); got.Title != "Script title 2" {
		t.Errorf("the title is %q", got.Title)
	}
	b.srv.Change(y, func(th *api.Thread) { th.Tags = append(th.Tags, "colleague") })
	b.stdin = `{"threadId":"` + y + `","removeTags":["colleague"]}`
	if st := b.run("apply", "--yes"); st != ExitOK {
		t.Fatalf("removeTags: exit %d: %s", st, b.stderr.String())
	}
	if got, _ := b.srv.Thread(y); slices.Contains(got.Tags, "colleague") {
		t.Errorf("the colleague's tag stays: %v (%s)", got.Tags, b.stderr.String())
	}
	b.srv.Change(z, func(th *api.Thread) { th.InternalNotes = api.Value("Called on Monday") })
	b.stdin = `{"threadId":"` + z + `","internalNotes":"Called again on Tuesday"}`
	if st := b.run("apply", "--yes"); st != ExitOK {
		t.Fatalf("notes: exit %d: %s", st, b.stderr.String())
	}
	if got, _ := b.srv.Thread(z); got.InternalNotes != api.Value("Called again on Tuesday") {
		t.Errorf("the notes are %v", got.InternalNotes)
	}
	b.srv.Change(w, func(th *api.Thread) { th.Important = true })
	b.stdin = `{"threadId":"` + w + `","important":true}`
	if st := b.run("apply", "--dry-run"); st != ExitOK || strings.Contains(b.stdout.String(), "important") ||
		!strings.Contains(b.stdout.String(), "Would send 0 changes") {
		t.Errorf("a dry run of what the server holds: exit %d:\n%s", st, b.stdout.String())
	}
}

// TestApplyByViewJudgesTheThreadsAgain: a thread a colleague moves out of
// the view between apply's read of the view and its read of the thread
// is left out, and said.
func TestApplyByViewJudgesTheThreadsAgain(t *testing.T) {
	b := newBench(t, 60)
	two := b.inbox()[4:6]
	for _, th := range two {
		b.srv.Change(th.ID, func(th *api.Thread) { th.Title = "Unicorn plushie refund" })
	}
	cachedAfter(t, b)
	moved := two[0].ID
	hold := apitest.Fault{Kind: apitest.FaultHold, Method: http.MethodGet, PathSuffix: "/thread/" + moved,
		Release: make(chan struct{}), Held: make(chan struct{})}
	b.srv.Inject(hold)
	done := make(chan int)
	go func() {
		done <- b.run("apply", "--view", "Inbox", "--query", "unicorn", "--add-tag", "refunds", "--yes")
	}()
	select {
	case <-hold.Held:
	case st := <-done:
		t.Fatalf("apply ended before reading %s: exit %d: %s", moved, st, b.stderr.String())
	}
	b.srv.Change(moved, func(th *api.Thread) { th.Resolved = true })
	close(hold.Release)
	if st := <-done; st != ExitOK {
		t.Fatalf("exit %d: %s", st, b.stderr.String())
	}
	if got, _ := b.srv.Thread(moved); slices.Contains(got.Tags, "refunds") {
		t.Errorf("a thread that left Inbox was tagged: %v", got.Tags)
	}
	if got, _ := b.srv.Thread(two[1].ID); !slices.Contains(got.Tags, "refunds") {
		t.Errorf("a thread still in Inbox was not tagged: %v", got.Tags)
	}
	if !strings.Contains(b.stderr.String(), "1 thread no longer in Inbox") {
		t.Errorf("not said:\n%s", b.stderr.String())
	}
}

// TestAFailedReadIsNotAMissingThread: a key the server refuses, or a
// server failing the reads, is said as such, once, with the exit status
// of its cause; with --dry-run too.
func TestAFailedReadIsNotAMissingThread(t *testing.T) {
	b := newBench(t, 20)
	x := b.inbox()[0].ID
	b.key = "sk-wrong"
	for _, extra := range []string{"--yes", "--dry-run"} {
		st := b.run("apply", "--id", x, "--set", "resolved=true", extra)
		msg := b.stderr.String()
		if st != ExitAuth || strings.Count(msg, "check the API key") != 1 || strings.Contains(msg, "does not exist") {
			t.Errorf("a wrong key, %s: exit %d:\n%s", extra, st, msg)
		}
	}
	b.key = ""
	b.srv.Inject(apitest.Fault{Kind: apitest.FaultStatus, Status: http.StatusInternalServerError, Method: http.MethodGet, Times: -1})
	st := b.run("apply", "--id", x, "--set", "resolved=true", "--yes")
	if msg := b.stderr.String(); st != ExitFailed || !strings.Contains(msg, "Reading 1 thread from the server failed: 500") ||
		strings.Contains(msg, "does not exist") || strings.Count(msg, "500") != 1 {
		t.Errorf("a failing server: exit %d:\n%s", st, msg)
	}
	if b.patches() != 0 {
		t.Errorf("%d PATCHes", b.patches())
	}
}

// TestApplySaysWhatItLeftOut: a thread the server does not have is
// named once and the exit status is 1; no edits at all are said as none.
func TestApplySaysWhatItLeftOut(t *testing.T) {
	b := newBench(t, 20)
	b.stdin = `{"threadId":"th_no_such","resolved":true}`
	st := b.run("apply", "--yes")
	if msg := b.stderr.String(); st != ExitFailed || strings.Count(msg, "th_no_such") != 1 || strings.Contains(msg, "holds those values") ||
		strings.Contains(msg, "discarded") {
		t.Errorf("a missing thread: exit %d:\n%s", st, msg)
	}
	b.stdin, b.tty = "", true
	if st := b.run("apply", "--yes"); st != ExitOK || !strings.Contains(b.stderr.String(), "no edits given") ||
		!strings.HasPrefix(b.stderr.String(), "Reading edits as JSON Lines from standard input") {
		t.Errorf("no edits typed at a terminal: exit %d: %s", st, b.stderr.String())
	}
}

// TestApplyNotesConflictSaysTheServersNotes: notes a colleague writes
// while the question is asked are held back, and what the server holds
// is said as it is now, on standard error and in --json.
func TestApplyNotesConflictSaysTheServersNotes(t *testing.T) {
	b := cached(t, 30)
	x := b.inbox()[0]
	b.stdin = `{"threadId":"` + x.ID + `","internalNotes":"note from the script"}`
	b.ask = func(string) bool {
		b.srv.Change(x.ID, func(th *api.Thread) { th.InternalNotes = api.Value("note from a colleague") })
		return true
	}
	if st := b.run("apply", "--json"); st != ExitConflicts {
		t.Fatalf("exit %d: %s", st, b.stderr.String())
	}
	if msg := b.stderr.String(); !strings.Contains(msg, `server now "note from a colleague", mine "note from the script"`) ||
		strings.Count(msg, "note from a colleague") != 1 {
		t.Errorf("the conflict says:\n%s", b.stderr.String())
	}
	var out struct {
		HeldBack []map[string]any `json:"heldBack"`
	}
	if err := json.Unmarshal(b.stdout.Bytes(), &out); err != nil || len(out.HeldBack) != 1 || out.HeldBack[0]["server"] != "note from a colleague" {
		t.Errorf("--json: %v %s", err, b.stdout.String())
	}
}

// TestDryRunJSONHasTypedValues: the values of --dry-run --json are JSON
// values (a flag a boolean, tags a list, a cleared title null), not the
// text a line shows.
func TestDryRunJSONHasTypedValues(t *testing.T) {
	b := newBench(t, 30)
	x := b.inbox()[0]
	b.srv.Change(x.ID, func(th *api.Thread) { th.Tags, th.Title = []string{"new"}, "Old title" })
	b.stdin = `{"threadId":"` + x.ID + `","resolved":true,"addTags":["vip"],"removeTags":["new"],"title":null}`
	if st := b.run("apply", "--dry-run", "--json"); st != ExitOK {
		t.Fatalf("exit %d: %s", st, b.stderr.String())
	}
	var out struct {
		Changes []struct {
			ThreadID string           `json:"threadId"`
			Changes  []map[string]any `json:"changes"`
		} `json:"changes"`
	}
	if err := json.Unmarshal(b.stdout.Bytes(), &out); err != nil || len(out.Changes) != 1 {
		t.Fatalf("%v %s", err, b.stdout.String())
	}
	want := map[string]map[string]any{
		"resolved": {"field": "resolved", "old": false, "new": true},
		"tags":     {"field": "tags", "old": []any{"new"}, "new": []any{"vip"}},
		"title":    {"field": "title", "old": "Old title", "new": nil},
	}
	for _, c := range out.Changes[0].Changes {
		if w := want[c["field"].(string)]; !reflect.DeepEqual(c, w) {
			t.Errorf("%v, want %v", c, w)
		}
		delete(want, c["field"].(string))
	}
	if len(want) > 0 {
		t.Errorf("missing %v in %s", want, b.stdout.String())
	}
}
