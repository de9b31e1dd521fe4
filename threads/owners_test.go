package threads

import (
	"slices"
	"testing"

	"triage/api"
)

func owned() []*api.Thread {
	ts := sample()
	ts[0].Tags = []string{"billing", "owner:ana", "VIP"}
	ts[1].Tags = []string{"owner:Bo"}
	return ts
}

func TestOwnerQueries(t *testing.T) {
	o := Owners{Prefix: "owner:", Me: "ana"}
	for q, want := range map[string]string{
		"owner:me":          "a",
		"owner:ana":         "a",
		"owner:bo":          "b",
		"owner:none":        "c",
		"-owner:none":       "a,b",
		"-owner:me":         "b,c",
		"owner:cy":          "",
		"owner:me tag:vip":  "a",
		"owner:none is:esc": "",
	} {
		p, err := Parse(q)
		if err != nil {
			t.Fatalf("Parse(%q): %v", q, err)
		}
		if got := ids(Visible(owned(), p.With(o), fakeState{}, SortUpdated, false)); got != want {
			t.Errorf("%q matched %q, want %q", q, got, want)
		}
	}
	p, _ := Parse("owner:none")
	if got := ids(Visible(owned(), p.With(Owners{}), fakeState{}, SortUpdated, false)); got != "" {
		t.Errorf("with claiming off, owner:none matched %q", got)
	}
}

func TestOwnersReadTheTags(t *testing.T) {
	o := Owners{Prefix: "owner:", Me: "ana"}
	tags := []string{"vip", "owner:", "owner:bo", "owner:ana", "ownerless"}
	if got := o.Of(tags); got != "bo,ana" {
		t.Errorf("Of %q, want every owner tag's name", got)
	}
	if got := o.Plain(tags); !slices.Equal(got, []string{"vip", "owner:", "ownerless"}) {
		t.Errorf("Plain %v", got)
	}
	if got := o.Others(tags); !slices.Equal(got, []string{"owner:bo"}) {
		t.Errorf("Others %v", got)
	}
	if off := (Owners{}); off.Of(tags) != "" || len(off.Plain(tags)) != len(tags) {
		t.Error("claiming off still reads owners")
	}
}

func TestLocalViewsFit(t *testing.T) {
	ts := owned()
	for _, tt := range []struct {
		v        View
		me, want string
	}{
		{View{Tag: "vip"}, "ana", "a"},
		{View{Owner: "me"}, "ana", "a"},
		{View{Owner: "none"}, "ana", "c"},
		{View{Owner: "BO"}, "ana", "b"},
		{ClaimViews()[0], "ana", ""}, // ana's thread is resolved: Mine lists open threads
		{ClaimViews()[0], "bo", "b"},
		{ClaimViews()[1], "ana", ""}, // the open one is bo's
	} {
		var got []*api.Thread
		for _, th := range ts {
			if ok, _ := tt.v.Fits(th, Owners{Prefix: "owner:", Me: tt.me}); ok {
				got = append(got, th)
			}
		}
		if ids(got) != tt.want {
			t.Errorf("%+v for %s fits %q, want %q", tt.v, tt.me, ids(got), tt.want)
		}
	}
	if (View{Tag: "vip"}).Unfiltered() || !(View{}).Unfiltered() {
		t.Error("a view filtering on tags counts as unfiltered")
	}
}

func TestTwoOwnersAreNeverOneSilently(t *testing.T) {
	o := Owners{Prefix: "owner:", Me: "bo"}
	tags := []string{"owner:ana", "vip", "owner:bo"}
	if got := o.Of(tags); got != "ana,bo" {
		t.Errorf("Of %q", got)
	}
	if !o.Mine(tags) || !slices.Equal(o.OthersOf(tags), []string{"ana"}) {
		t.Errorf("Mine %v, others %v", o.Mine(tags), o.OthersOf(tags))
	}
	th := &api.Thread{ID: "th_x", Tags: tags}
	for _, q := range []string{"owner:bo", "owner:ana", "owner:me", "-owner:none"} {
		p, _ := Parse(q)
		if !p.With(o).Match(th, fakeState{}) {
			t.Errorf("%q does not find a thread owned by ana and bo", q)
		}
	}
}
