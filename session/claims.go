package session

import (
	"slices"
	"time"

	"triage/api"
	"triage/sanitize"
	"triage/words"
)

// claimWatch is how long a confirmed claim is watched: the API writes
// tags whole and cannot refuse a write made on stale tags, so two agents
// claiming the same thread at the same moment both see their claim
// confirmed, and the later write wins. Whoever's claim was overwritten is
// told when the thread next comes in (a poll, a refresh, a read).
const claimWatch = 10 * time.Minute

// noteClaims remembers the claims a batch's answer confirmed.
func (s *Session) noteClaims(items []api.UpdateItem, updated []api.Thread) {
	o := s.opts.Owners
	if !o.On() || o.Me == "" {
		return
	}
	mine := o.Tag(o.Me)
	answered := make(map[string]*api.Thread, len(updated))
	for i := range updated {
		answered[updated[i].ID] = &updated[i]
	}
	for _, it := range items {
		t := answered[it.ThreadID]
		if it.Tags == nil || t == nil || !slices.Contains(it.Tags, mine) || !slices.Contains(t.Tags, mine) {
			continue
		}
		if s.claimed == nil {
			s.claimed = map[string]time.Time{}
		}
		s.claimed[it.ThreadID] = s.opts.Now()
	}
}

// watchClaims says, once, of each thread this agent claimed lately that
// now shows another owner: their write came after ours.
func (s *Session) watchClaims(ts []*api.Thread) {
	if len(s.claimed) == 0 {
		return
	}
	o, now := s.opts.Owners, s.opts.Now()
	for _, t := range ts {
		at, ok := s.claimed[t.ID]
		switch {
		case !ok:
		case now.Sub(at) > claimWatch:
			delete(s.claimed, t.ID)
		case !o.Mine(t.Tags):
			delete(s.claimed, t.ID)
			if others := o.OthersOf(t.Tags); len(others) > 0 {
				s.say("“"+sanitize.Line(t.Title)+"” ("+t.ID+") is "+sanitize.Line(words.List(others))+"'s: their claim was written after yours", true)
			} else {
				s.say("“"+sanitize.Line(t.Title)+"” ("+t.ID+") is no longer yours: someone removed your owner tag", true)
			}
		case len(o.OthersOf(t.Tags)) > 0:
			delete(s.claimed, t.ID)
			s.say("“"+sanitize.Line(t.Title)+"” ("+t.ID+") is also "+sanitize.Line(words.List(o.OthersOf(t.Tags)))+"'s: it has two owners now (claiming it again takes it over)", true)
		}
	}
}
