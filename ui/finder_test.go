package ui

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"triage/api"
	"triage/threads"
)

// ids are the threads' ids, in order.
func ids(ts []*api.Thread) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.ID
	}
	return out
}

// foundIn runs a key's command and returns the answer of the search it
// started, if any.
func foundIn(cmd tea.Cmd) (foundMsg, bool) {
	if cmd == nil {
		return foundMsg{}, false
	}
	switch msg := cmd().(type) {
	case foundMsg:
		return msg, true
	case tea.BatchMsg:
		for _, c := range msg {
			if f, ok := foundIn(c); ok {
				return f, true
			}
		}
	}
	return foundMsg{}, false
}

// TestLargeViewsSearchAndSortOffTheUIGoroutine: in a view of farRows
// threads a search key or a sort key returns at once with the rows on
// screen unchanged; the answer, computed elsewhere, then shows exactly
// what the search and sort select, unless a newer key replaced it.
func TestLargeViewsSearchAndSortOffTheUIGoroutine(t *testing.T) {
	m, _ := benchModel(t, farRows)
	all := slices.Clone(m.table.rows)
	want := func() []string {
		v := m.sess.Current()
		return ids(threads.Visible(slices.Clone(v.List().All()), m.search.query, m.sess.Queue(), v.Def().Sort, v.Def().Reverse))
	}

	press(m, "/")
	first := press(m, "r")
	second := press(m, "e") // the next key, before the first answer
	if !slices.Equal(m.table.rows, all) || !strings.Contains(screenOf(m), "searching 50,000 threads") {
		t.Fatalf("the keys waited for the search, or it is not said:\n%s", screenOf(m))
	}
	late, ok1 := foundIn(first)
	answer, ok2 := foundIn(second)
	if !ok1 || !ok2 {
		t.Fatal("a search key started no search off the UI goroutine")
	}
	if !errors.Is(late.err, context.Canceled) {
		t.Errorf("the next key did not cancel the first search: %v", late.err)
	}
	m.Update(answer)
	m.Update(late) // replaced by the second key: dropped
	if got := ids(m.table.rows); !slices.Equal(got, want()) || len(got) == 0 || len(got) == len(all) {
		t.Fatalf("%d rows after the search, want %d", len(got), len(want()))
	}
	if strings.Contains(screenOf(m), "searching") {
		t.Error("still says searching")
	}
	narrowed, ok := foundIn(press(m, "f")) // "ref" narrows "re": only the rows on screen are searched
	if !ok {
		t.Fatal("a narrowing key started no search")
	}
	m.Update(narrowed)
	if got := ids(m.table.rows); !slices.Equal(got, want()) || len(got) == 0 {
		t.Fatalf("%d rows after narrowing, want %d", len(got), len(want()))
	}

	cursor := m.table.current().ID
	m.Update(tea.KeyPressMsg{Code: tea.KeyEnter}) // keep the query
	sorted, ok := foundIn(press(m, "s"))
	if !ok {
		t.Fatal("the sort key started no sort off the UI goroutine")
	}
	m.Update(sorted)
	if got := ids(m.table.rows); !slices.Equal(got, want()) || m.sess.Current().Def().Sort == threads.SortUpdated {
		t.Fatalf("after the sort: %d rows, sorted by %s", len(got), m.sess.Current().Def().Sort)
	}
	if m.table.current().ID != cursor {
		t.Error("the sort moved the cursor off its thread")
	}
}
