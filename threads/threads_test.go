package threads

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unsafe"

	"triage/api"
)

type fakeState map[string]string // id -> "pending" or "conflict"

func (f fakeState) Pending(id string) bool  { return f[id] != "" }
func (f fakeState) Conflict(id string) bool { return f[id] == "conflict" }

func sample() []*api.Thread {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	return []*api.Thread{
		{ID: "th_a", Title: "Refund for order #12", VisitorName: "Chloé Müller", VisitorEmail: "chloe@acme.io",
			Tags: []string{"billing", "VIP"}, Resolved: true, UnreadMessagesCount: 3, NegativeCount: 1,
			PlatformSource: "WHATSAPP", Mode: api.ModeHuman, LLMModel: &api.LLMModel{ID: "gpt-4o", Provider: "openai", Title: "GPT-4o"},
			UpdatedAt: now, StartedAt: now.Add(-time.Hour)},
		{ID: "th_b", Title: "Cannot log in", VisitorEmail: "ben@example.org", Tags: []string{"login"}, Escalated: true,
			Anonymous: false, NegativeCount: 4, PlatformSource: "WEBSITE", UpdatedAt: now.Add(-time.Minute), StartedAt: now},
		{ID: "th_c", Title: "", Anonymous: true, Important: true, Archived: true, UnreadMessagesCount: 0,
			PlatformSource: "API", UpdatedAt: now.Add(-2 * time.Minute), StartedAt: now.Add(-2 * time.Hour)},
	}
}

func ids(ts []*api.Thread) string {
	var out []string
	for _, t := range ts {
		out = append(out, strings.TrimPrefix(t.ID, "th_"))
	}
	return strings.Join(out, ",")
}

func TestQueryMatches(t *testing.T) {
	st := fakeState{"th_b": "pending", "th_c": "conflict"}
	tests := []struct{ q, want string }{
		{"", "a,b,c"},
		{"refund", "a"},
		{"REFUND order", "a"},
		{"refund login", ""},
		{"müller", "a"},
		{"CHLOÉ", "a"},
		{"acme.io", "a"},
		{"vip", "a"},
		{"th_b", "b"},
		{`"log in"`, "b"},
		{`-"log in"`, "a,c"},
		{"-refund", "b,c"},
		{"is:resolved", "a"},
		{"-is:resolved", "b,c"},
		{"is:escalated", "b"},
		{"is:important is:archived", "c"},
		{"is:anonymous", "c"},
		{"is:pending", "b,c"},
		{"is:conflict", "c"},
		{"-is:pending", "a"},
		{"tag:vip", "a"},
		{"tag:vi", ""},
		{"-tag:billing", "b,c"},
		{"mode:human", "a"},
		{"mode:AI", ""},
		{"model:gpt", "a"},
		{"model:openai", "a"},
		{"-model:gpt", "b,c"},
		{"platform:what", "a"},
		{"unread:>2", "a"},
		{"unread:0", "b,c"},
		{"unread:<1", "b,c"},
		{"neg:>0", "a,b"},
		{"neg:=4", "b"},
		{"-neg:>3", "a,c"},
		{"tag:vip -is:escalated", "a"},
		{"is:esc", "b"},
		{"mode:h", "a"},
	}
	for _, tt := range tests {
		q, err := Parse(tt.q)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.q, err)
			continue
		}
		if got := ids(Visible(sample(), q, st, SortUpdated, false)); got != tt.want {
			t.Errorf("%q matched %q, want %q", tt.q, got, tt.want)
		}
	}
}

func TestQueryErrors(t *testing.T) {
	for q, want := range map[string]string{
		"is:open":        "expected one of resolved",
		"is:a":           "expected one of resolved",
		"mode:a":         "expected ai, agent or human",
		"mode:robot":     "expected ai, agent or human",
		"unread:>x":      "expected a count",
		"neg:-1":         "expected a count",
		"tag:":           "needs a value",
		"colour:red":     `unknown qualifier "colour:"`,
		`"unterminated`:  "unclosed quote",
		`vip -"no close`: "unclosed quote",
	} {
		_, err := Parse(q)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q) = %v, want %q", q, err, want)
		}
	}
	if q, err := Parse(`"10:30"`); err != nil || q.Empty() {
		t.Errorf("a quoted word with a colon: %v", err)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"tag:vip -is:escalated", `"a b" -"c`, "unread:>3 neg:<2", "-", ":", "is:", `""`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := Parse(s)
		if err == nil {
			for _, th := range sample() {
				q.Match(th, fakeState{})
			}
		}
	})
}

func TestNarrows(t *testing.T) {
	for _, c := range []struct {
		prev, next string
		want       bool
	}{
		{"ref", "refu", true},
		{"ref", "ref und", true},
		{"tag:vip", "tag:vip is:resolved", true},
		{"tag:v", "tag:vi", false},
		{"-ref", "-refu", false},
		{"ref und", "ref", false},
		{"model:g", "model:gp", true},
		{"refund", "ref", false},
	} {
		p, _ := Parse(c.prev)
		n, _ := Parse(c.next)
		if got := n.Narrows(p); got != c.want {
			t.Errorf("%q narrows %q = %v, want %v", c.next, c.prev, got, c.want)
		}
	}
}

func TestSortKeys(t *testing.T) {
	for _, c := range []struct {
		key     SortKey
		reverse bool
		want    string
	}{
		{SortUpdated, false, "a,b,c"},
		{SortUpdated, true, "c,b,a"},
		{SortStarted, false, "b,a,c"},
		{SortUnread, false, "a,b,c"},
		{SortNegative, false, "b,a,c"},
		{SortTitle, false, "c,b,a"},
	} {
		if got := ids(Visible(sample(), Query{}, nil, c.key, c.reverse)); got != c.want {
			t.Errorf("%v reverse=%v: %s, want %s", c.key, c.reverse, got, c.want)
		}
	}
	for k := SortUpdated; k < numSortKeys; k++ {
		if got, err := ParseSortKey(k.String()); err != nil || got != k {
			t.Errorf("round trip %v", k)
		}
	}
	if SortTitle.Next() != SortUpdated {
		t.Error("the cycle does not wrap")
	}
}

func TestVisibleDoesNotCopyWhenNothingChanges(t *testing.T) {
	all := sample()
	if got := Visible(all, Query{}, nil, SortUpdated, false); &got[0] != &all[0] {
		t.Error("copied")
	}
}

func TestListMergeDedupesAndSorts(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	page := func(from, to int) []api.Thread {
		var out []api.Thread
		for i := from; i < to; i++ {
			out = append(out, api.Thread{ID: fmt.Sprintf("t%03d", i), UpdatedAt: now.Add(-time.Duration(i) * time.Minute),
				PlatformSource: strings.Repeat("WEB", 1), Tags: []string{"vip"}})
		}
		return out
	}
	store := NewStore()
	s := NewList(store)
	s.Merge(page(100, 200))
	s.Merge(page(0, 110))
	s.Merge(page(190, 250))
	if s.Len() != 250 {
		t.Fatalf("%d threads", s.Len())
	}
	for i, th := range s.All() {
		if th.ID != fmt.Sprintf("t%03d", i) {
			t.Fatalf("row %d is %s", i, th.ID)
		}
	}
	if a, b := s.Get("t001").Tags[0], s.Get("t002").Tags[0]; a != "vip" || unsafe.StringData(a) != unsafe.StringData(b) {
		t.Error("equal tags of two threads are not one shared string")
	}
	moved := s.Get("t200")
	upd := *moved
	upd.UpdatedAt = now.Add(time.Hour)
	s.Merge([]api.Thread{upd})
	if s.All()[0].ID != "t200" {
		t.Error("a thread updated by a reload did not move to the top")
	}
	upd.UpdatedAt = now.Add(2 * time.Hour)
	upd.Title = "sent"
	store.Put(upd)
	if s.All()[0].Title != "sent" {
		t.Error("a put through the store did not reach the list")
	}
	dropped := s.Prune(func(t *api.Thread) bool { return t.ID == "t000" || t.ID == "t200" })
	if s.Len() != 2 || len(dropped) != 248 || s.Get("t100") != nil {
		t.Errorf("prune: %d left, %d dropped", s.Len(), len(dropped))
	}
	if store.Get("t100") == nil {
		t.Error("pruning a list dropped the thread from the store, where other lists may show it")
	}
}

// TestListsShareOneCopy: two views' lists hold the store's single copy, so
// an answer merged through one (or put by a send) shows in the other, and
// the other re-sorts on its next page.
func TestListsShareOneCopy(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	store := NewStore()
	inbox, all := NewList(store), NewList(store)
	a := api.Thread{ID: "a", Title: "old", UpdatedAt: now}
	b := api.Thread{ID: "b", UpdatedAt: now.Add(time.Minute)}
	inbox.Merge([]api.Thread{a})
	all.Merge([]api.Thread{a, b})
	if inbox.Get("a") != all.Get("a") || store.Len() != 2 {
		t.Fatal("the two lists hold separate copies of one thread")
	}
	a.Title, a.UpdatedAt = "new", now.Add(time.Hour)
	inbox.Merge([]api.Thread{a})
	if all.Get("a").Title != "new" {
		t.Errorf("a page of one view left the other showing %q", all.Get("a").Title)
	}
	if all.All()[0].ID != "b" {
		t.Error("rows of a view not refreshed moved mid-scroll")
	}
	all.Merge(nil)
	if all.All()[0].ID != "a" {
		t.Error("the other view did not re-sort on its next page")
	}
}

// TestStoreKeepsWhatTheListOmits: mode and notes, known from a read, stay
// when a list page omits them and the thread did not change since; they
// become unknown when it did.
func TestStoreKeepsWhatTheListOmits(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	store := NewStore()
	store.Put(api.Thread{ID: "a", UpdatedAt: now, Mode: api.ModeHuman, InternalNotes: api.Value("called")})
	got := store.Put(api.Thread{ID: "a", UpdatedAt: now})
	if got.Mode != api.ModeHuman || got.InternalNotes.String() != "called" {
		t.Errorf("an unchanged thread lost what the list omits: %q %v", got.Mode, got.InternalNotes)
	}
	got = store.Put(api.Thread{ID: "a", UpdatedAt: now.Add(time.Second)})
	if got.Mode != "" || !got.InternalNotes.IsZero() {
		t.Errorf("a changed thread kept stale values: %q %v", got.Mode, got.InternalNotes)
	}
}

// TestThreadsShareTheirIcons: threads with the same icons hold one shared
// copy, whatever copies their pages decoded, threads with other icons
// their own, and icons all empty are none at all; a thread's size stays
// in the allocator's 320-byte class (the four icon strings in it would
// put it in the 384-byte one).
func TestThreadsShareTheirIcons(t *testing.T) {
	store := NewStore()
	icons := func(bot string) *api.Icons { return &api.Icons{BotIconSrc: bot, UserIconSrc: "https://x/user.png"} }
	a := store.Put(api.Thread{ID: "a", Icons: icons("https://x/bot.png")})
	b := store.Put(api.Thread{ID: "b", Icons: icons("https://x/bot.png")})
	c := store.Put(api.Thread{ID: "c", Icons: icons("https://x/other.png")})
	d := store.Put(api.Thread{ID: "d", Icons: &api.Icons{}})
	if a.Icons != b.Icons || a.IconsOf() != *icons("https://x/bot.png") {
		t.Errorf("two threads of one widget hold %p and %p", a.Icons, b.Icons)
	}
	if c.Icons == a.Icons || c.IconsOf().BotIconSrc != "https://x/other.png" {
		t.Errorf("other icons: %+v", c.IconsOf())
	}
	if d.Icons != nil || d.IconsOf() != (api.Icons{}) {
		t.Errorf("empty icons kept: %+v", d.Icons)
	}
	if size := unsafe.Sizeof(api.Thread{}); size > 320 {
		t.Errorf("a thread is %d bytes, over the 320-byte size class", size)
	}
}
