package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"triage/api"
	"triage/api/apitest"
	"triage/cache"
	"triage/cells"
	"triage/session"
	"triage/threads"
)

// The command line's commands, run in process against an apitest server
// that caps pages at 50 and lists threads without mode or notes, as the
// API documents. (The e2e tests run the built binary.)

var fixedNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// bench is a server and what a run of a command printed.
type bench struct {
	t      *testing.T
	srv    *apitest.Server
	base   string
	stdin  string
	key    string // the key the command uses, when not the server's
	cache  string // the directory of a disk cache kept between runs ("": none)
	ask    func(string) bool
	stdout bytes.Buffer
	stderr bytes.Buffer
}

func newBench(t *testing.T, threads int) *bench {
	t.Helper()
	srv := apitest.New(apitest.Options{Threads: threads, Seed: 5, MaxLimit: 50, APIKey: "sk-live-cli-9f2e", Now: func() time.Time { return fixedNow }})
	base, stop, err := srv.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return &bench{t: t, srv: srv, base: base}
}

// run runs a command and returns its exit status.
func (b *bench) run(name string, args ...string) int {
	b.t.Helper()
	b.stdout.Reset()
	b.stderr.Reset()
	env := Env{Stdin: strings.NewReader(b.stdin), Stdout: &b.stdout, Stderr: &b.stderr, Ask: b.ask,
		Open: func(ctx context.Context, c Common) (*session.Session, Limits, error) {
			key := b.key
			if key == "" {
				key = b.srv.APIKey()
			}
			client, err := api.New(api.Config{BaseURL: b.base, ChatbotID: b.srv.ChatbotID(), APIKey: key, RateLimit: -1})
			if err != nil {
				return nil, Limits{}, err
			}
			views := threads.DefaultViews()
			shown := slices.IndexFunc(views, func(v threads.View) bool { return v.Name == c.View })
			opts := session.Options{API: client, Context: ctx, Views: views, Shown: max(shown, 0), PollInterval: c.PollInterval,
				Load: api.LoadOptions{PageLimit: 100}, OneView: true}
			if b.cache != "" && !c.NoCache {
				dc := cache.Open(b.cache, b.srv.ChatbotID(), b.base)
				snap, err := dc.Load()
				if err != nil {
					return nil, Limits{}, err
				}
				opts.Cache, opts.Cached = dc, snap
			}
			return session.New(opts), Limits{Tag: 40, Title: 200, Notes: 5000}, nil
		}}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	return Run(ctx, name, args, env)
}

// inbox are the server's open threads, newest first.
func (b *bench) inbox() []api.Thread {
	var out []api.Thread
	for _, t := range b.srv.Threads() {
		if !t.Resolved && !t.Archived {
			out = append(out, t)
		}
	}
	return out
}

func (b *bench) patches() int { return len(b.srv.RequestsFor(http.MethodPatch)) }

func TestListJSONIsTheServersView(t *testing.T) {
	b := newBench(t, 120)
	if st := b.run("list", "--view", "Inbox", "--json", "id,title,tags,updatedAt"); st != ExitOK {
		t.Fatalf("exit %d: %s", st, b.stderr.String())
	}
	var got []map[string]any
	if err := json.Unmarshal(b.stdout.Bytes(), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, b.stdout.String())
	}
	want := b.inbox()
	if len(got) != len(want) {
		t.Fatalf("%d threads, the server's Inbox has %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g["id"] != w.ID || g["title"] != w.Title || g["updatedAt"] != w.UpdatedAt.UTC().Format(time.RFC3339Nano) || len(g) != 4 {
			t.Fatalf("thread %d: %v, the server has %s %q %s", i, g, w.ID, w.Title, w.UpdatedAt)
		}
	}
	b.run("list", "--view", "Inbox", "--query", "no-such-words-anywhere", "--json", "id")
	if strings.TrimSpace(b.stdout.String()) != "[]" {
		t.Errorf("an empty result is not []: %q", b.stdout.String())
	}
}

func TestListJQAndTemplate(t *testing.T) {
	b := newBench(t, 40)
	b.run("list", "--json", "id", "--jq", ".[].id", "--limit", "3")
	ids := strings.Fields(b.stdout.String())
	if want := b.inbox(); len(ids) != 3 || ids[0] != want[0].ID || ids[2] != want[2].ID {
		t.Errorf("--jq .[].id: %q", b.stdout.String())
	}
	b.run("list", "--json", "id,title", "--template", `{{range .}}{{csv .id}},{{csv .title}}{{"\n"}}{{end}}`, "--limit", "2")
	if lines := strings.Split(strings.TrimSpace(b.stdout.String()), "\n"); len(lines) != 2 || !strings.HasPrefix(lines[0], b.inbox()[0].ID+",") {
		t.Errorf("--template: %q", b.stdout.String())
	}
	if st := b.run("list", "--jq", ".[]"); st != ExitUsage {
		t.Errorf("--jq without --json: exit %d", st)
	}
	if st := b.run("list", "--json"); st != ExitOK || !strings.Contains(b.stdout.String(), "updatedAt\n") {
		t.Errorf("--json alone does not list the fields: %d %q", st, b.stdout.String())
	}
}

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

func TestNoKeyInAnyOutput(t *testing.T) {
	b := newBench(t, 30)
	x := b.inbox()[0]
	var all strings.Builder
	for _, run := range [][]string{{"list", "--json", "id,title,tags"}, {"list"}, {"show", x.ID, "--json"}, {"show", x.ID}} {
		b.run(run[0], run[1:]...)
		all.WriteString(b.stdout.String() + b.stderr.String())
	}
	b.stdin = `{"threadId":"` + x.ID + `","resolved":true}`
	b.run("apply", "--yes", "--json")
	all.WriteString(b.stdout.String() + b.stderr.String())
	if strings.Contains(all.String(), "sk-live") || strings.Contains(all.String(), "9f2e") {
		t.Error("the key is in the output")
	}
	if !strings.Contains(all.String(), x.ID) {
		t.Error("the outputs hold nothing (the check above would pass on anything)")
	}
}

func TestShowHasNotesAndConversation(t *testing.T) {
	b := newBench(t, 30)
	x := b.inbox()[0]
	b.srv.Change(x.ID, func(th *api.Thread) { th.InternalNotes = api.Value("Called back on Monday") })
	if st := b.run("show", x.ID, "--json"); st != ExitOK {
		t.Fatalf("exit %d: %s", st, b.stderr.String())
	}
	var got []map[string]any
	if err := json.Unmarshal(b.stdout.Bytes(), &got); err != nil || len(got) != 1 {
		t.Fatalf("%v %s", err, b.stdout.String())
	}
	if got[0]["internalNotes"] != "Called back on Monday" || got[0]["messages"] == nil {
		t.Errorf("show --json: notes %v, messages %v", got[0]["internalNotes"], got[0]["messages"])
	}
	if st := b.run("show", "th_no_such"); st != ExitFailed || !strings.Contains(b.stderr.String(), "th_no_such") {
		t.Errorf("a thread that does not exist: exit %d %s", st, b.stderr.String())
	}
}

// TestWatchPrintsNewAndChangedThreads: a new conversation and a
// colleague's change each come out as one JSON line.
func TestWatchPrintsNewAndChangedThreads(t *testing.T) {
	b := newBench(t, 30)
	x := b.inbox()[0]
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out, msgs := &syncBuffer{}, &syncBuffer{}
	env := Env{Stdout: out, Stderr: msgs, Open: func(ctx context.Context, c Common) (*session.Session, Limits, error) {
		client, _ := api.New(api.Config{BaseURL: b.base, ChatbotID: b.srv.ChatbotID(), APIKey: b.srv.APIKey(), RateLimit: -1})
		return session.New(session.Options{API: client, Context: ctx, PollInterval: c.PollInterval}), Limits{}, nil
	}}
	done := make(chan int)
	go func() { done <- Run(ctx, "watch", []string{"--interval", "5s"}, env) }()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(msgs.String(), "Watching") { // the view is read: what comes now is news
		if time.Now().After(deadline) {
			t.Fatalf("watch did not start: %s", msgs.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	added := b.srv.AddThreads(1)[0]
	b.srv.Change(x.ID, func(th *api.Thread) { th.Important = true })
	for !strings.Contains(out.String(), added) || !strings.Contains(out.String(), x.ID) {
		if time.Now().After(deadline) {
			t.Fatalf("watch printed:\n%s", out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if st := <-done; st != ExitOK {
		t.Errorf("exit %d", st)
	}
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var e struct {
			Event  string         `json:"event"`
			Thread map[string]any `json:"thread"`
		}
		if err := json.Unmarshal([]byte(l), &e); err != nil || e.Thread["id"] == nil {
			t.Errorf("not an event line: %q", l)
		}
		if e.Thread["id"] == added && e.Event != "new" || e.Thread["id"] == x.ID && e.Event != "changed" {
			t.Errorf("%s is %s", e.Thread["id"], e.Event)
		}
	}
}

// syncBuffer is a buffer a command writes to while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestAuthenticationExits4: a key the server refuses ends with exit 4
// and says to check the key.
func TestAuthenticationExits4(t *testing.T) {
	b := newBench(t, 10)
	b.key = b.srv.APIKey() + "-rotated"
	if st := b.run("list"); st != ExitAuth || strings.Count(b.stderr.String(), "check the API key") != 1 {
		t.Errorf("exit %d: %s", st, b.stderr.String())
	}
}

// TestJQTakesEveryField: every field goes through --jq as the JSON type
// it is printed as (gojq panics on Go types JSON does not have), and
// lists of tags can be indexed and searched.
func TestJQTakesEveryField(t *testing.T) {
	b := newBench(t, 40)
	x := b.inbox()[0]
	b.srv.Change(x.ID, func(th *api.Thread) { th.Tags = []string{"vip", "billing"} })
	all := strings.Join(Fields(), ",")
	if st := b.run("list", "--json", all); st != ExitOK {
		t.Fatalf("exit %d: %s", st, b.stderr.String())
	}
	var printed []map[string]any
	if err := json.Unmarshal(b.stdout.Bytes(), &printed); err != nil || len(printed) == 0 {
		t.Fatalf("%v %s", err, b.stdout.String())
	}
	if st := b.run("list", "--json", all, "--jq", ".[0] | map_values(type)"); st != ExitOK {
		t.Fatalf("map_values(type): exit %d: %s", st, b.stderr.String())
	}
	var types map[string]string
	if err := json.Unmarshal(b.stdout.Bytes(), &types); err != nil {
		t.Fatalf("%v %s", err, b.stdout.String())
	}
	for _, f := range Fields() {
		if want := jqType(printed[0][f]); types[f] != want {
			t.Errorf("%s is %q through --jq, %q in --json", f, types[f], want)
		}
	}
	if b.run("list", "--json", "id,tags", "--jq", ".[0].tags"); strings.TrimSpace(b.stdout.String()) != `["vip","billing"]` {
		t.Errorf(".[0].tags: %q %s", b.stdout.String(), b.stderr.String())
	}
	b.run("list", "--json", "id,tags", "--jq", `.[] | select(.tags|index("vip")) | .id`)
	if ids := strings.Fields(b.stdout.String()); !slices.Contains(ids, x.ID) || strings.Contains(b.stdout.String(), "PANIC") {
		t.Errorf(`select(.tags|index("vip")): %q`, b.stdout.String())
	}
}

// jqType is jq's name of the type of a value encoding/json decoded.
func jqType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case float64:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	}
	return "object"
}

func TestAFieldOfAnotherTypeIsJSONNative(t *testing.T) {
	got := value(struct {
		N    int      `json:"n"`
		Tags []string `json:"tags"`
	}{3, []string{"a"}})
	if want := map[string]any{"n": 3.0, "tags": []any{"a"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("%#v, want %#v", got, want)
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
	b.stdin = ""
	if st := b.run("apply", "--yes"); st != ExitOK || !strings.Contains(b.stderr.String(), "no edits given") {
		t.Errorf("no edits: exit %d: %s", st, b.stderr.String())
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

// TestShowSaysRolesAndAgesForPeople: a message's role in the console's
// words whatever the server's spelling, "just now" rather than "now
// ago", no empty visitor fields; in JSON a missing reaction is null.
func TestShowSaysRolesAndAgesForPeople(t *testing.T) {
	now := fixedNow
	st := session.ReadState{Reading: &session.Reading{
		Detail: api.ThreadDetail{Thread: api.Thread{ID: "th_1", Title: "Refund", VisitorName: "Ann", UpdatedAt: now}},
		Messages: []api.Message{{Role: "USER", Content: "hello", CreatedAt: now}, {Role: "ai", Content: "hi", CreatedAt: now.Add(-time.Hour),
			Reaction: "POSITIVE"}, {Role: "moderator", Content: "note", CreatedAt: now}},
	}}
	var out bytes.Buffer
	writeThread(&out, st, now)
	text := out.String()
	for _, want := range []string{"(just now)", "Visitor · just now", "Bot · 1h ago", "moderator · just now", "Visitor    Ann\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in:\n%s", want, text)
		}
	}
	if strings.Contains(text, "now ago") || strings.Contains(text, "USER") {
		t.Errorf("show says:\n%s", text)
	}
	msgs := detailObject(st)["messages"].([]map[string]any)
	if msgs[0]["reaction"] != nil || msgs[1]["reaction"] != "POSITIVE" {
		t.Errorf("reactions %v, %v", msgs[0]["reaction"], msgs[1]["reaction"])
	}
}

// TestTableFitsTheTerminal: the table fits the terminal's width as the
// console measures cells (an emoji takes two), its columns line up after
// wide characters, and an untitled thread says so.
func TestTableFitsTheTerminal(t *testing.T) {
	ts := []*api.Thread{
		{ID: "th_1", Title: "🚀🚀 launch day, a long title that goes on and on past any terminal", VisitorName: "Zoë", Tags: []string{"vip"}, UpdatedAt: time.Now()},
		{ID: "th_22", Title: "", VisitorName: "Ann", UpdatedAt: time.Now()},
		{ID: "th_333", Title: "漢字 naïve café", VisitorName: "Bob", Tags: []string{"a", "b"}, UpdatedAt: time.Now()},
	}
	for _, width := range []int{60, 100} {
		var out bytes.Buffer
		if err := table(&out, ts, width); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
		at := -1
		for i, l := range lines {
			if w := cells.Width(l); w > width {
				t.Errorf("width %d: line %d is %d cells: %q", width, i, w, l)
			}
			name := []string{"VISITOR", "Zoë", "Ann", "Bob"}[i]
			col := cells.Width(l[:strings.Index(l, name)])
			if at >= 0 && col != at {
				t.Errorf("width %d: the visitor column starts at %d on line %d, %d above:\n%s", width, col, i, at, out.String())
			}
			at = col
		}
		if !strings.Contains(lines[2], "(no title)") {
			t.Errorf("an untitled thread: %q", lines[2])
		}
	}
}
