package session

import (
	"strings"

	"triage/api"
	"triage/sanitize"
	"triage/threads"
	"triage/words"
)

// Alert says the live poll brought threads that newly match an alert
// (Options.Alerts): each with the query it matched. At most one per poll.
type Alert struct{ Items []AlertItem }

// AlertItem is one thread of an alert and the query that rang.
type AlertItem struct {
	Thread *api.Thread
	Query  string
}

func (Alert) event() {}

// Text is the alert for people: "New escalated: Refund not received",
// "New thread: …", `New "tag:vip": …`, with how many more.
func (a Alert) Text() string {
	first := a.Items[0]
	text := "New " + alertName(first.Query) + ": " + sanitize.Line(Label(first.Thread, nil))
	if n := len(a.Items) - 1; n > 0 {
		text += " (and " + words.Thousands(n) + " more)"
	}
	return text
}

// alertName names an alert's query: "" is any new thread, "is:X" X.
func alertName(q string) string {
	switch v, ok := strings.CutPrefix(q, "is:"); {
	case q == "":
		return "thread"
	case ok && !strings.ContainsAny(v, " :"):
		return v
	}
	return `"` + q + `"`
}

// alertBefore is whether each thread of a page matched each alert before
// the page is taken in: a thread rings only on newly matching.
func (s *Session) alertBefore(page []api.Thread) [][]bool {
	if len(s.opts.Alerts) == 0 {
		return nil
	}
	was := make([][]bool, len(page))
	for i := range page {
		was[i] = make([]bool, len(s.opts.Alerts))
		old := s.store.Get(page[i].ID)
		for j, q := range s.opts.Alerts {
			was[i][j] = old != nil && q.Match(old, s.q)
		}
	}
	return was
}

// alertAfter emits the alert of the threads that now match an alert they
// did not: for each, the first such query that filters (a thread both
// new and escalated is "New escalated"), else the one that does not.
func (s *Session) alertAfter(ps []*api.Thread, was [][]bool) {
	if was == nil {
		return
	}
	var items []AlertItem
	for i, t := range ps {
		rang := -1
		for j, q := range s.opts.Alerts {
			if was[i][j] || !q.Match(t, s.q) {
				continue
			}
			if rang < 0 || s.opts.Alerts[rang].Empty() && !q.Empty() {
				rang = j
			}
		}
		if rang >= 0 {
			items = append(items, AlertItem{Thread: t, Query: s.opts.Alerts[rang].String()})
		}
	}
	if len(items) > 0 {
		s.emit(Alert{Items: items})
	}
}

// alertQueries are the alerts' queries judging owner: as this agent.
func alertQueries(qs []threads.Query, o threads.Owners) []threads.Query {
	out := make([]threads.Query, len(qs))
	for i, q := range qs {
		out[i] = q.With(o)
	}
	return out
}
