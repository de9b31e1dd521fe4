package threads

import "triage/api"

// View is a named, server-side filtered list of threads with its order.
type View struct {
	Name    string
	Params  api.ListParams
	Sort    SortKey
	Reverse bool
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
