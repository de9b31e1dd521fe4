package threads

import (
	"slices"
	"strings"

	"triage/api"
)

// Owners is who owns what: a thread is claimed by a tag made of Prefix and
// the agent's name ("owner:ana"), as the API has no assignee; Me is this
// agent's name. A zero Prefix turns claiming off.
type Owners struct {
	Prefix string
	Me     string
}

// On reports that claiming is on.
func (o Owners) On() bool { return o.Prefix != "" }

// Tag is the owner tag of an agent.
func (o Owners) Tag(name string) string { return o.Prefix + name }

// IsOwnerTag reports whether a tag names an owner.
func (o Owners) IsOwnerTag(tag string) bool {
	return o.On() && strings.HasPrefix(tag, o.Prefix) && len(tag) > len(o.Prefix)
}

// Of is the owner of a thread as its owner tags name it, "" when it has
// none (or claiming is off): "ana", or "ana,bo" when tags set elsewhere
// gave it two (never one silently).
func (o Owners) Of(tags []string) string { return strings.Join(o.All(tags), ",") }

// All are the owners its owner tags name, in order.
func (o Owners) All(tags []string) []string {
	var out []string
	for _, tag := range tags {
		if o.IsOwnerTag(tag) {
			out = append(out, tag[len(o.Prefix):])
		}
	}
	return out
}

// Others are the owners of tags other than this agent.
func (o Owners) OthersOf(tags []string) []string {
	var out []string
	for _, name := range o.All(tags) {
		if !strings.EqualFold(name, o.Me) {
			out = append(out, name)
		}
	}
	return out
}

// Mine reports whether this agent is among the thread's owners.
func (o Owners) Mine(tags []string) bool {
	return o.Me != "" && slices.ContainsFunc(o.All(tags), func(n string) bool { return strings.EqualFold(n, o.Me) })
}

// Others are the owner tags of tags that are not this agent's.
func (o Owners) Others(tags []string) []string {
	var out []string
	for _, tag := range tags {
		if o.IsOwnerTag(tag) && tag != o.Tag(o.Me) {
			out = append(out, tag)
		}
	}
	return out
}

// Plain are the tags that do not name an owner, for the tags column.
func (o Owners) Plain(tags []string) []string {
	if !o.On() {
		return tags
	}
	out := make([]string, 0, len(tags))
	for _, tag := range tags {
		if !o.IsOwnerTag(tag) {
			out = append(out, tag)
		}
	}
	return out
}

// fits reports whether a thread's tags fit an owner filter: "me", "none",
// or a name (any of its owners).
func (o Owners) fits(filter string, tags []string) bool {
	owners := o.All(tags)
	switch strings.ToLower(filter) {
	case "none":
		return len(owners) == 0
	case "me":
		return o.Mine(tags)
	}
	return slices.ContainsFunc(owners, func(n string) bool { return strings.EqualFold(n, filter) })
}

// ClaimViews are the default views of a team that claims threads: Mine
// (open threads this agent owns) and Unowned (open threads nobody owns).
func ClaimViews() []View {
	f := api.Bool(false)
	return []View{
		{Name: "Mine", Params: api.ListParams{Resolved: f, Archived: f}, Owner: "me"},
		{Name: "Unowned", Params: api.ListParams{Resolved: f, Archived: f}, Owner: "none"},
	}
}
