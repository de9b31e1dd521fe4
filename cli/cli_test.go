package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
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
	tty    bool   // standard input is a terminal
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
	env := Env{Stdin: strings.NewReader(b.stdin), Stdout: &b.stdout, Stderr: &b.stderr, Ask: b.ask, InTerminal: b.tty,
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
				opts.Cache = cache.Open(b.cache, b.srv.ChatbotID(), b.base)
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

// TestADamagedCacheIsANoteNotAFailure: a list over a cache that cannot
// be read says so on standard error, loads from the server and exits 0.
func TestADamagedCacheIsANoteNotAFailure(t *testing.T) {
	b := newBench(t, 30)
	b.cache = t.TempDir()
	c := cache.Open(b.cache, b.srv.ChatbotID(), b.base)
	if err := os.MkdirAll(filepath.Dir(c.Path()), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(c.Path(), []byte("TRIAGE\x00C but damaged"), 0o600); err != nil {
		t.Fatal(err)
	}
	st := b.run("list", "--json", "id")
	if msg := b.stderr.String(); st != ExitOK || !strings.Contains(msg, "was discarded") || !strings.Contains(msg, "loading from the server") {
		t.Errorf("exit %d, stderr:\n%s", st, msg)
	}
	if n := strings.Count(b.stdout.String(), `"id"`); n == 0 {
		t.Errorf("nothing listed:\n%s", b.stdout.String())
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

// TestJSONTakesTheThreadObjectsFields: --json takes every field of the
// API's thread object, in its order, the icons included (a struct of
// their own in api.Thread, and null nowhere: "" when a thread has none),
// plus mode and internalNotes.
func TestJSONTakesTheThreadObjectsFields(t *testing.T) {
	want := "id,chatbotId,visitorId,title,anonymous,unreadMessagesCount,escalated,important,resolved,archived," +
		"tags,positiveCount,negativeCount,platformSource,startedAt,updatedAt,endedAt," +
		"visitorName,visitorEmail,visitorPhone,botIconSrc,userIconSrc,agentIconSrc,bubbleIconSrc,llmModel,mode,internalNotes"
	if got := strings.Join(Fields(), ","); got != want {
		t.Fatalf("--json fields:\n%s\nwant\n%s", got, want)
	}
	with := object(&api.Thread{ID: "a", Icons: &api.Icons{BotIconSrc: "https://x/bot.png"}}, must(pickFields("botIconSrc,userIconSrc")))
	without := object(&api.Thread{ID: "b"}, must(pickFields("botIconSrc,userIconSrc")))
	if with["botIconSrc"] != "https://x/bot.png" || with["userIconSrc"] != "" || without["botIconSrc"] != "" || without["userIconSrc"] != "" {
		t.Errorf("icons: %v, without: %v", with, without)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
