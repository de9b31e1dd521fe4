package queue

import (
	"slices"
	"strings"

	"triage/api"
)

// Claim queues, as one action, the owner tag of the agent me (prefix and
// name, "owner:ana") on the targets and the removal of every other owner
// tag they carry: the thread becomes the agent's alone. The claim is
// guarded: should the server show an owner tag the thread did not carry
// when the claim was queued, its tags edit becomes a conflict, held back
// (see rebase), so a thread never gets two owners unseen.
func (q *Queue) Claim(prefix, me string, targets []*api.Thread) {
	mine := prefix + me
	q.begin("claim", len(targets))
	for _, t := range targets {
		t = q.expected(t)
		te := q.tagsEdit(t)
		te.merge([]string{mine}, ownerTags(prefix, mine, append(slices.Clone(t.Tags), te.Add...)))
		te.Claim = prefix
		q.putTags(t, te)
	}
	q.end()
}

// Release queues, as one action, the removal of the agent's owner tag
// from the targets.
func (q *Queue) Release(prefix, me string, targets []*api.Thread) {
	q.begin("release", len(targets))
	for _, t := range targets {
		t = q.expected(t)
		te := q.tagsEdit(t)
		te.merge(nil, []string{prefix + me})
		te.Claim = ""
		q.putTags(t, te)
	}
	q.end()
}

// ownerTags are the tags of list that name an owner other than mine.
func ownerTags(prefix, mine string, list []string) []string {
	var out []string
	for _, tag := range list {
		if strings.HasPrefix(tag, prefix) && len(tag) > len(prefix) && tag != mine && !slices.Contains(out, tag) {
			out = append(out, tag)
		}
	}
	return out
}

// claimTaken reports a claim that someone else's owner tag now stands
// against: the server's tags hold an owner tag that was not there when
// the claim was queued, and that the claim neither adds nor removes.
func (t *TagsEdit) claimTaken(server []string) bool {
	if t.Claim == "" || t.Exact {
		return false
	}
	for _, tag := range ownerTags(t.Claim, "", server) {
		if !slices.Contains(t.Base, tag) && !slices.Contains(t.Add, tag) && !slices.Contains(t.Remove, tag) {
			return true
		}
	}
	return false
}

// kept is the tag list keeping mine would send onto server: for a claim,
// the new owner's tag removed.
func (t *TagsEdit) kept(server []string) []string {
	c := *t
	c.Add, c.Remove = slices.Clone(t.Add), slices.Clone(t.Remove)
	c.takeOver(server)
	return c.Result(server)
}

// takeOver settles a claim conflict the agent's way: the owner tags now
// on the server are removed too.
func (t *TagsEdit) takeOver(server []string) {
	if t.Claim == "" || t.Exact {
		return
	}
	var mine string
	for _, tag := range t.Add {
		if strings.HasPrefix(tag, t.Claim) {
			mine = tag
		}
	}
	t.merge(nil, ownerTags(t.Claim, mine, server))
}
