package queue

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"triage/api"
)

// fieldCase queues one field on a thread and says what the server holds
// once it has the wanted value, or a third value another agent set.
type fieldCase struct {
	queue func(q *Queue, t *api.Thread)
	has   func(t *api.Thread) // the server holds the wanted value
	other func(t *api.Thread) // another agent set a third value (nil: impossible)
}

func fieldCases() map[Field]fieldCase {
	flag := func(f Flag) fieldCase {
		return fieldCase{
			queue: func(q *Queue, t *api.Thread) { q.Toggle(f, []*api.Thread{t}) },
			has: func(t *api.Thread) {
				*[numFlags]*bool{&t.Resolved, &t.Archived, &t.Escalated, &t.Important}[f] = true
			},
		}
	}
	str := func(s string) *string { return &s }
	return map[Field]fieldCase{
		FieldResolved: flag(Resolved), FieldArchived: flag(Archived), FieldEscalated: flag(Escalated), FieldImportant: flag(Important),
		FieldMode: {
			queue: func(q *Queue, t *api.Thread) { q.SetMode(api.ModeHuman, []*api.Thread{t}) },
			has:   func(t *api.Thread) { t.Mode = api.ModeHuman },
			other: func(t *api.Thread) { t.Mode = api.ModeAgent },
		},
		FieldTags: {
			queue: func(q *Queue, t *api.Thread) { q.EditTags([]string{"b"}, nil, []*api.Thread{t}) },
			has:   func(t *api.Thread) { t.Tags = []string{"a", "b"} },
		},
		FieldTitle: {
			queue: func(q *Queue, t *api.Thread) { q.SetTitle(str("new"), []*api.Thread{t}) },
			has:   func(t *api.Thread) { t.Title = "new" },
			other: func(t *api.Thread) { t.Title = "theirs" },
		},
		FieldNotes: {
			queue: func(q *Queue, t *api.Thread) { q.SetNotes(str("new notes"), []*api.Thread{t}) },
			has:   func(t *api.Thread) { t.InternalNotes = api.Value("new notes") },
			other: func(t *api.Thread) { t.InternalNotes = api.Value("their notes") },
		},
	}
}

// TestEveryFieldIsHandledByEveryStep: adding a field to an edit touches
// many per-field steps; this fails when one of them does not handle a
// field of AllFields, or when Edit gains a field AllFields does not list.
func TestEveryFieldIsHandledByEveryStep(t *testing.T) {
	// Edit's editable fields: the four flags, and one pointer per other field.
	et := reflect.TypeFor[Edit]()
	editable := 0
	for i := range et.NumField() {
		f := et.Field(i)
		switch {
		case f.Type.Kind() == reflect.Array:
			editable += f.Type.Len()
		case f.Type.Kind() == reflect.Pointer:
			editable++
		}
	}
	cases := fieldCases()
	if editable != len(AllFields()) || len(cases) != len(AllFields()) {
		t.Fatalf("Edit has %d editable fields, AllFields lists %d, this test covers %d", editable, len(AllFields()), len(cases))
	}
	base := func() api.Thread {
		return api.Thread{ID: "t1", Title: "old", Tags: []string{"a"}, Mode: api.ModeAI, InternalNotes: api.Value("old notes")}
	}
	for _, f := range AllFields() {
		c, ok := cases[f]
		if !ok {
			t.Errorf("%s: no case", f)
			continue
		}
		t.Run(string(f), func(t *testing.T) {
			th := base()
			q := New()
			c.queue(q, &th)
			e := q.Get(th.ID)
			if e == nil || e.Fields() != 1 {
				t.Fatalf("queued: %+v", e)
			}
			ch := e.Changes(&th)
			if len(ch) != 1 || ch[0].Field != f {
				t.Fatalf("Changes: %+v", ch)
			}
			wanted := base()
			c.has(&wanted)
			if from, to := jsonOf(t, ch[0].From), jsonOf(t, ch[0].To); from != fieldJSON(t, th, f) || to != fieldJSON(t, wanted, f) {
				t.Errorf("Changes as values: from %s to %s, the server holds %s and %s is wanted", from, to, fieldJSON(t, th, f), fieldJSON(t, wanted, f))
			}
			plan := q.Build(func(string) *api.Thread { return &th })
			body, _ := json.Marshal(plan.Items)
			if plan.Fields != 1 || !strings.Contains(string(body), `"`+string(f)+`"`) {
				t.Errorf("the PATCH does not carry %s: %s", f, body)
			}
			if cl := e.clone(); !equalEdits(cl, e) || !reflect.DeepEqual(cl, e) {
				t.Errorf("clone differs: %+v", cl)
			}
			q.RevertField(th.ID, f)
			if q.Len() != 0 {
				t.Errorf("RevertField left %+v", q.Get(th.ID))
			}
			if _, ok := q.Undo(); !ok || q.Get(th.ID) == nil {
				t.Fatal("undo did not bring the field back")
			}

			answer := base()
			c.has(&answer)
			q.Confirm(plan.Items, []api.Thread{answer})
			if q.Len() != 0 {
				t.Errorf("an answer holding the value left %+v", q.Get(th.ID))
			}

			c.queue(q, &th)
			if !q.Rebase(&answer) || q.Len() != 0 {
				t.Errorf("a refresh holding the value left %+v", q.Get(th.ID))
			}
			if c.other == nil {
				return
			}
			c.queue(q, &th)
			theirs := base()
			c.other(&theirs)
			q.Rebase(&theirs)
			if e := q.Get(th.ID); e == nil || e.Conflicts() != 1 {
				t.Fatalf("another agent's value is not a conflict: %+v", e)
			}
			if p := q.Build(func(string) *api.Thread { return &theirs }); p.Fields != 0 || p.HeldBack != 1 {
				t.Errorf("a conflict was not held back: %+v", p)
			}
			q.Settle(&theirs, true)
			if e := q.Get(th.ID); e == nil || e.Conflicts() != 0 || e.Fields() != 1 {
				t.Errorf("keep mine: %+v", e)
			}
			q.Rebase(&th) // back to the old value: a conflict again
			q.Settle(&th, false)
			if q.Len() != 0 {
				t.Errorf("take theirs left %+v", q.Get(th.ID))
			}
		})
	}
}

// TestANotesChangeSaysWhatTheServerHoldsNow: the server's side of a
// notes change is the notes it returned last, not the notes the edit was
// queued against; when it has not returned them since, the queued-against
// notes stand only while nothing says they changed.
func TestANotesChangeSaysWhatTheServerHoldsNow(t *testing.T) {
	notes := func(n api.Nullable) *api.Thread { return &api.Thread{ID: "t0", InternalNotes: n} }
	mine := "mine"
	serverOf := func(e *Edit, t *api.Thread) string {
		for _, c := range e.Changes(t) {
			if c.Field == FieldNotes {
				return c.Old
			}
		}
		return "(no notes change)"
	}
	q := New()
	q.SetNotes(&mine, []*api.Thread{notes(api.Null())}) // none, as read
	if got := serverOf(q.Get("t0"), notes(api.Nullable{})); got != `""` {
		t.Errorf("queued against none, not read since: %s", got)
	}
	q.Rebase(notes(api.Value("theirs")))
	if got := serverOf(q.Get("t0"), notes(api.Value("theirs"))); got != `"theirs"` || !q.Get("t0").Notes.Conflict {
		t.Errorf("a colleague's notes: %s", got)
	}
	if got := serverOf(q.Get("t0"), notes(api.Nullable{})); got != "(unknown: changed since it was read)" {
		t.Errorf("in conflict, the thread changed since without its notes: %s", got)
	}
	q2 := New()
	q2.SetNotes(&mine, []*api.Thread{notes(api.Nullable{})})
	if got := serverOf(q2.Get("t0"), nil); got != "(not returned by the server)" {
		t.Errorf("never returned: %s", got)
	}
}

// jsonOf is v in JSON.
func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// fieldJSON is the field f of a thread as the API's JSON has it.
func fieldJSON(t *testing.T, th api.Thread, f Field) string {
	t.Helper()
	var fields map[string]json.RawMessage
	if err := json.Unmarshal([]byte(jsonOf(t, th)), &fields); err != nil {
		t.Fatal(err)
	}
	return string(fields[string(f)])
}
