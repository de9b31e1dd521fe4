package queue

import (
	"slices"

	"triage/api"
)

// Result is the full tag list this edit gives a thread whose server tags
// are server: the exact list, or the server tags without the removed ones
// plus the added ones, in order and without duplicates.
func (t *TagsEdit) Result(server []string) []string {
	if t.Exact {
		return dedupe(t.List)
	}
	out := make([]string, 0, len(server)+len(t.Add))
	for _, tag := range server {
		if !slices.Contains(t.Remove, tag) {
			out = append(out, tag)
		}
	}
	out = append(out, t.Add...)
	return dedupe(out)
}

// onto is the full tag list a send carries for this edit: its operations
// (or exact list) applied to the thread's latest server tags (t, nil when
// not loaded: the tags it was queued against), and whether that changes
// them. A conflicted exact list, or no edit, carries nothing.
func (t *TagsEdit) onto(th *api.Thread) ([]string, bool) {
	if t == nil || t.Conflict {
		return nil, false
	}
	base := t.Base
	if th != nil {
		base = th.Tags
	}
	result := t.Result(base)
	return result, !sameTagSet(result, base)
}

func dedupe(tags []string) []string {
	out := make([]string, 0, len(tags))
	for _, tag := range tags {
		if !slices.Contains(out, tag) {
			out = append(out, tag)
		}
	}
	return out
}

// sameTagSet reports whether two tag lists hold the same tags.
func sameTagSet(a, b []string) bool {
	a, b = dedupe(a), dedupe(b)
	if len(a) != len(b) {
		return false
	}
	for _, tag := range a {
		if !slices.Contains(b, tag) {
			return false
		}
	}
	return true
}

// EditTags queues tag operations on the targets as one action: add and
// remove are merged with any operations already queued (a later add
// cancels an earlier remove of the same tag and the other way round). A
// thread whose tags would not change is left out of the queue.
func (q *Queue) EditTags(add, remove []string, targets []*api.Thread) {
	q.begin("edit tags", len(targets))
	for _, t := range targets {
		t = q.expected(t)
		te := q.tagsEdit(t)
		te.merge(add, remove)
		q.putTags(t, te)
	}
	q.end()
}

// tagsEdit is a copy of the thread's queued tags edit (or none), edited
// against the tags the agent sees now.
func (q *Queue) tagsEdit(t *api.Thread) TagsEdit {
	var te TagsEdit
	if e := q.edits[t.ID]; e != nil && e.Tags != nil {
		te = *e.Tags
		te.Add, te.Remove, te.List = slices.Clone(te.Add), slices.Clone(te.Remove), slices.Clone(te.List)
	}
	te.Base, te.Conflict = slices.Clone(t.Tags), false
	return te
}

// merge adds operations to the edit (or applies them to its exact list).
func (te *TagsEdit) merge(add, remove []string) {
	if te.Exact {
		te.List = (&TagsEdit{Add: add, Remove: remove}).Result(te.List)
		return
	}
	te.Add = dedupe(append(without(te.Add, remove), add...))
	te.Remove = dedupe(append(without(te.Remove, add), remove...))
}

// SetTags queues an exact tag list for the targets as one action.
func (q *Queue) SetTags(list []string, targets []*api.Thread) {
	q.begin("set tags", len(targets))
	for _, t := range targets {
		t = q.expected(t)
		q.putTags(t, TagsEdit{Exact: true, List: dedupe(list), Base: slices.Clone(t.Tags)})
	}
	q.end()
}

func (q *Queue) putTags(t *api.Thread, te TagsEdit) {
	if sameTagSet(te.Result(t.Tags), t.Tags) {
		if e := q.touch(t.ID); e != nil {
			e.Tags = nil
		}
		return
	}
	q.edit(t).Tags = &te
}

func without(list, drop []string) []string {
	out := make([]string, 0, len(list))
	for _, s := range list {
		if !slices.Contains(drop, s) {
			out = append(out, s)
		}
	}
	return out
}
