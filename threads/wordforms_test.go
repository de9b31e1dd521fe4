package threads

import (
	"strings"
	"testing"
	"time"

	"triage/api"
	"triage/api/apitest"
)

func TestWordFormsAndAccents(t *testing.T) {
	rows := []*api.Thread{
		{ID: "th_a", Title: "Refund for order #12"},
		{ID: "th_b", Title: "They refunded me twice"},
		{ID: "th_c", Title: "Refunds are slow"},
		{ID: "th_d", Title: "Café menu question", Tags: []string{"shipping"}},
		{ID: "th_e", Title: "Order shipped late"},
		{ID: "th_f", Title: "Ask for a refundable ticket"},
	}
	for q, want := range map[string]string{
		"refunds":         "a,b,c,f",
		"refunded":        "a,b,c,f",
		"refund":          "a,b,c,f", // also as a substring
		"refu":            "a,b,c,f",
		`"refunds"`:       "c", // a quoted phrase matches as written
		`"refund for"`:    "a",
		"cafe":            "d",
		"CAFÉ":            "d",
		`"cafe"`:          "",    // quoted: the accent counts
		"ships":           "d,e", // the tag shipping, the title shipped
		"-refunds":        "d,e",
		"refunds ordered": "a",
	} {
		p, err := Parse(q)
		if err != nil {
			t.Fatalf("Parse(%q): %v", q, err)
		}
		if got := ids(Visible(rows, p, fakeState{}, SortUpdated, false)); got != want {
			t.Errorf("%q matched %q, want %q", q, got, want)
		}
	}
}

func TestWordFormsOffAndOtherLanguages(t *testing.T) {
	t.Cleanup(func() { _ = SetLanguage("english") })
	rows := []*api.Thread{{ID: "th_a", Title: "Refund for order"}, {ID: "th_b", Title: "Les remboursements"}}
	if err := SetLanguage("none"); err != nil {
		t.Fatal(err)
	}
	if p, _ := Parse("refunds"); ids(Visible(rows, p, fakeState{}, SortUpdated, false)) != "" {
		t.Error("with stemming off, refunds still finds refund")
	}
	if err := SetLanguage("french"); err != nil {
		t.Fatal(err)
	}
	if p, _ := Parse("remboursement"); ids(Visible(rows, p, fakeState{}, SortUpdated, false)) != "b" {
		t.Error("french stemming does not find remboursements")
	}
	if err := SetLanguage("klingon"); err == nil {
		t.Error("an unknown language is taken")
	}
}

func TestAStemmedWordNarrowsOnlyWhenItsFormsHoldThePrefix(t *testing.T) {
	prev, _ := Parse("ref")
	next, _ := Parse("refun") // its own stem: matched as written
	if !next.Narrows(prev) {
		t.Error("refun should narrow ref")
	}
	prev, _ = Parse("ppy")
	next, _ = Parse("happy") // stem happi: happiness matches, without ppy
	if next.Narrows(prev) {
		t.Error("happy narrows ppy, but happiness holds no ppy")
	}
}

// BenchmarkSearchWordForms: a search word that also matches its other
// forms ("refunds": refund, refunded) against one matched as written
// ("refund"), over 100,000 generated threads in one run.
func BenchmarkSearchWordForms(b *testing.B) {
	list := NewList(NewStore())
	list.Merge(apitest.Generate(benchThreads, "361628903185318481", 1, time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)))
	forms, _ := Parse("refunds")
	written, _ := Parse("refund")
	list.Visible(written, fakeState{}, SortUpdated, false) // the haystack is built
	for b.Loop() {
		t0 := time.Now()
		n := len(list.Visible(forms, fakeState{}, SortUpdated, false))
		mine := time.Since(t0)
		t1 := time.Now()
		m := len(list.Visible(written, fakeState{}, SortUpdated, false))
		ref := time.Since(t1)
		b.ReportMetric(float64(mine.Microseconds())/1000, "word-forms-ms")
		b.ReportMetric(float64(ref.Microseconds())/1000, "ref-as-written-ms")
		b.ReportMetric(float64(n), "word-forms-matches")
		b.ReportMetric(float64(m), "ref-as-written-matches")
	}
}

// BenchmarkSearchWithConversations is a fresh search keystroke over
// 100,000 threads with the conversations of the newest 10,000 held, beside
// the same search over the threads' fields alone (the bar: within 2x).
func BenchmarkSearchWithConversations(b *testing.B) {
	list := NewList(NewStore())
	list.Merge(apitest.Generate(benchThreads, "361628903185318481", 1, time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)))
	texts := NewTexts(0)
	size := 0
	for _, t := range list.All()[:10_000] {
		var sb strings.Builder
		for _, m := range apitest.Conversation(*t) {
			sb.WriteString(m.Content)
			sb.WriteByte('\n')
		}
		size += sb.Len()
		texts.Put(Text{ID: t.ID, AsOf: t.UpdatedAt, Conversation: sb.String()})
	}
	fields, _ := Parse("refund")
	with := fields.WithTexts(texts)
	list.Visible(fields, fakeState{}, SortUpdated, false) // the haystack is built
	for b.Loop() {
		t0 := time.Now()
		n := len(list.Visible(with, fakeState{}, SortUpdated, false))
		mine := time.Since(t0)
		t1 := time.Now()
		m := len(list.Visible(fields, fakeState{}, SortUpdated, false))
		ref := time.Since(t1)
		b.ReportMetric(float64(mine.Microseconds())/1000, "with-conversations-ms")
		b.ReportMetric(float64(ref.Microseconds())/1000, "ref-fields-alone-ms")
		b.ReportMetric(float64(mine)/float64(ref), "ratio(target<=2)")
		b.ReportMetric(float64(n), "matches")
		b.ReportMetric(float64(m), "ref-matches")
		b.ReportMetric(float64(size)/10_000, "conversation-B")
	}
}
