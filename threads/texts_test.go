package threads

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"triage/api"
)

// textsList is a list of three threads, the conversation of the second
// held, the notes of the third in its row and of the first read.
func textsList(t *testing.T) (*List, *Texts) {
	t.Helper()
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	rows := []api.Thread{
		{ID: "th_1", Title: "Login loop", UpdatedAt: at},
		{ID: "th_2", Title: "Invoice question", UpdatedAt: at.Add(-time.Hour)},
		{ID: "th_3", Title: "Where is my parcel", UpdatedAt: at.Add(-2 * time.Hour), InternalNotes: api.Value("Promised a call-back on Friday")},
	}
	store := NewStore()
	list := NewList(store)
	list.Merge(rows)
	x := NewTexts(0)
	x.Put(Text{ID: "th_2", AsOf: rows[1].UpdatedAt, Conversation: "Hello\nI was charged  twice this month\nand I want my money refunded."})
	x.Put(Text{ID: "th_1", AsOf: rows[0].UpdatedAt, Notes: "Escalated to the Café team"})
	return list, x
}

// TestConversationsAndNotesAreSearched: a word or a phrase said only in
// a held conversation finds its thread (its other forms too, white space
// as one space), so do the notes a row carries and the notes read; in:
// keeps the search to the title, the conversation or the notes; the
// search off the list's goroutine finds the same.
func TestConversationsAndNotesAreSearched(t *testing.T) {
	list, x := textsList(t)
	cases := []struct{ query, want string }{
		{`"charged twice"`, "th_2"},
		{"charged twice", "th_2"},
		{"refund", "th_2"}, // refunded, by its stem
		{"call-back", "th_3"},
		{"cafe", "th_1"},
		{"in:conversation charged", "th_2"},
		{"in:notes charged", ""},
		{"in:title charged", ""},
		{"in:title invoice", "th_2"},
		{"in:notes friday", "th_3"},
		{"in:conv in:notes cafe", "th_1"},
		{"-charged", "th_1 th_3"},
		{"login", "th_1"},
	}
	for _, c := range cases {
		q, err := Parse(c.query)
		if err != nil {
			t.Fatalf("%q: %v", c.query, err)
		}
		q = q.WithTexts(x)
		got := list.Visible(q, nil, SortUpdated, false)
		if s := strings.Join(idsOf(got), " "); s != c.want {
			t.Errorf("%q found %q, want %q", c.query, s, c.want)
		}
		found, err := list.Snapshot().Search(context.Background(), list.store.ReadLocker(), q, nil, SortUpdated, false)
		if err != nil || !slices.Equal(found.Rows, got) {
			t.Errorf("%q off the list's goroutine found %v (%v), on it %v", c.query, idsOf(found.Rows), err, idsOf(got))
		}
	}
	q, _ := Parse("charged")
	if got := list.Visible(q, nil, SortUpdated, false); len(got) != 0 {
		t.Errorf("without the texts, a word only in a conversation found %v", idsOf(got))
	}
}

// TestInTakesItsValuesOnly: in: takes title, conversation or notes (a
// unique prefix), says what it expects otherwise, and cannot be negated.
func TestInTakesItsValuesOnly(t *testing.T) {
	for _, bad := range []string{"in:body x", "-in:notes x", "in: x"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
	if _, err := Parse("in:body x"); err == nil || !strings.Contains(err.Error(), "title, conversation or notes") {
		t.Errorf("in:body says %v", err)
	}
	q, err := Parse("in:t x")
	if err != nil || q.where() != (scope{title: true}) || q.SearchesTexts() {
		t.Errorf("in:t is %+v (%v)", q.where(), err)
	}
}

// TestTextsKeepToTheirBudget: the least recently put texts go first
// beyond the budget; a text put again replaces the last, and Fresh says
// whether it is as of the thread's updatedAt.
func TestTextsKeepToTheirBudget(t *testing.T) {
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	x := NewTexts(3000)
	for i := range 10 {
		x.Put(Text{ID: string(rune('a' + i)), AsOf: at, Conversation: strings.Repeat("word ", 100)})
	}
	if n := x.Len(); n == 0 || n >= 10 {
		t.Fatalf("%d texts held within 3,000 bytes", n)
	}
	if !x.Fresh("j", at) || x.Fresh("a", at) || x.Fresh("j", at.Add(time.Second)) {
		t.Error("Fresh does not follow what is held and as of when")
	}
	if all := x.All(); all[0].ID != "j" {
		t.Errorf("the most recent first: %v", all[0].ID)
	}
	v := x.Version()
	x.Put(Text{ID: "j", AsOf: at.Add(time.Minute), Notes: "later"})
	if x.Version() == v || x.NotesOf("j") != "later" || !x.Fresh("j", at.Add(time.Minute)) {
		t.Error("a text put again did not replace the last")
	}
}

func idsOf(rows []*api.Thread) []string {
	out := make([]string, len(rows))
	for i, t := range rows {
		out[i] = t.ID
	}
	return out
}

// TestTextsEvictTheLeastRecentlyPut: a text put again is the most recent,
// so the one put longest ago goes first; Restore takes back what All gave,
// the most recent first, as many as the budget holds, as they were.
func TestTextsEvictTheLeastRecentlyPut(t *testing.T) {
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	one := strings.Repeat("x", 1000)
	x := NewTexts(3 * heldSize(Text{ID: "a", Conversation: one}))
	for _, id := range []string{"a", "b", "c", "a", "d"} {
		x.Put(Text{ID: id, AsOf: at, Conversation: one})
	}
	var held []string
	for _, tx := range x.All() {
		held = append(held, tx.ID)
	}
	if strings.Join(held, " ") != "d a c" {
		t.Errorf("held %v, want d a c (b was put longest ago)", held)
	}
	y := NewTexts(2 * heldSize(Text{ID: "a", Conversation: one}))
	y.Restore(x.All())
	got := y.All()
	if len(got) != 2 || got[0].ID != "d" || got[1].ID != "a" || got[0].Conversation != one || !y.Fresh("a", at) {
		t.Errorf("restored %d texts: %v", len(got), got)
	}
}
