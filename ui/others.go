package ui

import (
	"fmt"

	"triage/api"
	"triage/keymap"
	"triage/queue"
	"triage/words"
)

// OtherJournal is a journal of this chatbot kept under another key (the
// demo's, another spelling of the base URL, an earlier version): its
// edits are never applied here; at start the agent is told what it holds
// and may look at them or set it aside.
type OtherJournal struct {
	// About says whose it is and what it holds: "for the demo (triage
	// --demo): 3 edits, written 2h ago".
	About string
	// Edits are its edits, to show read-only.
	Edits []*queue.Edit
	// SetAside moves it out of the way and says where; nil when it
	// cannot be (a console holds it).
	SetAside func() (string, error)
	// Path is its file, for the event log.
	Path string
}

// askOther asks about the other journal i, if there is one.
func (m *Model) askOther(i int) {
	if i >= len(m.opts.Others) {
		return
	}
	o := m.opts.Others[i]
	k := func(a keymap.Action) string {
		if keys := m.opts.Keys.Binding(a).Keys(); len(keys) > 0 {
			return keys[0]
		}
		return "?"
	}
	q := "Another journal: " // its keys first, so a narrow screen cuts the rest
	if len(o.Edits) > 0 {
		q += k(keymap.OpenOther) + " shows its " + words.Plural(len(o.Edits), "edit") + ", "
	}
	if o.SetAside != nil {
		q += k(keymap.SetAside) + " sets it aside, "
	}
	m.screen.prompt = prompt{question: q + "other keys: later" + m.look.g.Sep + o.About, notice: i + 1}
	m.screen.open(overlayPrompt)
	if o.Path != "" {
		m.screen.log.add(m.sess.Now(), "Another journal of this chatbot "+o.About+": "+o.Path, false)
	}
}

// showOther opens the review on the edits of the other journal i,
// read-only: they belong to another deployment or version.
func (m *Model) showOther(i int) {
	o := m.opts.Others[i]
	q := queue.New()
	q.Restore(o.Edits)
	m.screen.review.reset()
	m.screen.review.build(q, func(string) *api.Thread { return nil }, m.look.g, func(string) string { return "" })
	m.screen.review.foreign = fmt.Sprintf("Read-only: the journal %s (esc closes)", o.About)
	m.screen.review.asked = i + 1
	m.screen.open(overlayReview)
}

// setAsideOther moves the other journal i aside and says where.
func (m *Model) setAsideOther(i int) {
	o := m.opts.Others[i]
	if o.SetAside == nil {
		return
	}
	to, err := o.SetAside()
	if err != nil {
		m.setStatus("The other journal was not set aside: "+err.Error(), true)
		return
	}
	m.setStatus("The other journal is set aside, whole, at "+to, false)
	m.askOther(i + 1)
}
