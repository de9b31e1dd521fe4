package threads

import (
	"strings"

	"triage/api"
)

// View is a named list of threads with its order: filtered on the server
// (Params), and here on what the server cannot filter by (a Tag, an
// Owner: "me", "none" or a name, a Search), which only a view drawn from
// one without filters can do. Saved is a view the agent saved from the
// console (not the config's).
type View struct {
	Name    string
	Params  api.ListParams
	Tag     string
	Owner   string
	Search  Query
	Sort    SortKey
	Reverse bool
	Saved   bool
}

// Local reports a view that filters here on tags, owner or a search.
func (v View) Local() bool { return v.Tag != "" || v.Owner != "" || !v.Search.Empty() }

// Unfiltered reports a view of every thread of the chatbot.
func (v View) Unfiltered() bool { return Unfiltered(v.Params) && !v.Local() }

// Fits reports whether t is in the view, as far as the thread's fields
// tell (see Matches), owners judged by o.
func (v View) Fits(t *api.Thread, o Owners) (match, known bool) {
	match, known = Matches(v.Params, t)
	if !match {
		return match, known
	}
	if v.Tag != "" && !hasTagFold(t.Tags, v.Tag) {
		return false, true
	}
	if v.Owner != "" && !o.fits(v.Owner, t.Tags) {
		return false, true
	}
	if !v.Search.Empty() && !v.Search.With(o).Match(t, noQueue{}) {
		return false, true
	}
	return match, known
}

// noQueue is the queue's state as a view's search sees it: a view lists
// threads by what the server holds, not by what is queued.
type noQueue struct{}

func (noQueue) Pending(string) bool  { return false }
func (noQueue) Conflict(string) bool { return false }

// hasTagFold reports a tag, ignoring case.
func hasTagFold(tags []string, tag string) bool {
	for _, t := range tags {
		if strings.EqualFold(t, tag) {
			return true
		}
	}
	return false
}

// DefaultViews are the views used when the config names none: the inbox
// first.
func DefaultViews() []View {
	f, t := api.Bool(false), api.Bool(true)
	return []View{
		{Name: "Inbox", Params: api.ListParams{Resolved: f, Archived: f}},
		{Name: "Escalated", Params: api.ListParams{Escalated: t, Resolved: f}},
		{Name: "Important", Params: api.ListParams{Important: t, Resolved: f}},
		{Name: "Resolved", Params: api.ListParams{Resolved: t}},
		{Name: "Archived", Params: api.ListParams{Archived: t}},
		{Name: "All", Params: api.ListParams{}},
	}
}

// Derivable reports whether a view with the filter p can be drawn from
// the threads of a view without filters: every field it filters on is in
// the list object (the mode is not).
func Derivable(p api.ListParams) bool { return p.Mode == "" }

// Unfiltered reports whether p lists every thread of the chatbot.
func Unfiltered(p api.ListParams) bool {
	p.Page, p.Limit = 0, 0
	return p == api.ListParams{}
}

// Matches reports whether t is in a view with the server-side filter p, as
// far as the thread's fields tell: known is false when p filters on
// something the list object does not carry (the mode, unknown until the
// thread is read).
func Matches(p api.ListParams, t *api.Thread) (match, known bool) {
	for _, f := range []struct {
		want *bool
		is   bool
	}{{p.Resolved, t.Resolved}, {p.Archived, t.Archived}, {p.Escalated, t.Escalated}, {p.Important, t.Important}, {p.Anonymous, t.Anonymous}} {
		if f.want != nil && *f.want != f.is {
			return false, true
		}
	}
	if p.LLMModelID != "" && (t.LLMModel == nil || t.LLMModel.ID != p.LLMModelID) {
		return false, true
	}
	if p.Mode != "" {
		if t.Mode == "" {
			return false, false
		}
		return t.Mode == p.Mode, true
	}
	return true, true
}
