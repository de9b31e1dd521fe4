package ui

import (
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

	"triage/api"
	"triage/journal"
	"triage/keymap"
	"triage/queue"
	"triage/words"
)

// setStatus shows the latest result in the status line and records it in
// the event log, so nothing is lost from view when the next one comes.
func (m *Model) setStatus(s string, isErr bool) {
	m.status.set(s, isErr)
	if s != "" && s != "Refreshing…" {
		m.screen.log.add(m.sess.Now(), s, isErr)
	}
}

// targets are the threads an action applies to: the one the reader
// shows, else the marked ones, else the cursor's.
func (m *Model) targets() []*api.Thread {
	if m.detail.reader.open { // the reader acts on the thread it shows
		if t := m.table.current(); t != nil {
			return []*api.Thread{t}
		}
		return nil
	}
	return m.marks.targets(m.table.rows, m.table.current(), m.lookup)
}

// toggle flips a flag on the targets and says what it did.
func (m *Model) toggle(f queue.Flag) tea.Cmd {
	targets := m.targets()
	if len(targets) == 0 {
		m.setStatus("No thread to change", true)
		return nil
	}
	return m.run(m.sess.Toggle(f, targets))
}

// runMacro applies the macro named name to the targets, as one step.
func (m *Model) runMacro(name string) {
	for _, mc := range m.opts.Macros {
		if mc.Name != name {
			continue
		}
		targets := m.targets()
		if len(targets) == 0 {
			m.setStatus("No thread to change", true)
			return
		}
		before := m.sess.Queue().Fields()
		changed, err := mc.apply(m.sess.Queue(), targets, m.sess.Now())
		switch {
		case err != nil:
			m.setStatus("Macro "+name+": its notes could not be written: "+err.Error(), true)
		case !changed:
			m.setStatus("Macro "+name+": nothing to change on "+words.Plural(len(targets), "thread"), false)
		default:
			m.setStatus(fmt.Sprintf("Macro %s on %s (%+d pending changes; u undoes it)", name, words.Plural(len(targets), "thread"), m.sess.Queue().Fields()-before), false)
		}
		return
	}
}

// runCommand runs the command named name on the targets, after asking
// when it is configured to.
func (m *Model) runCommand(name string) tea.Cmd {
	for _, c := range m.opts.Commands {
		if c.Name != name {
			continue
		}
		targets := m.targets()
		if len(targets) == 0 {
			m.setStatus("No thread to run "+name+" on", true)
			return nil
		}
		line, err := c.Line(targets)
		if err != nil {
			m.setStatus("Command "+name+": "+err.Error(), true)
			return nil
		}
		run := func() tea.Cmd {
			m.setStatus(fmt.Sprintf("Running %s on %s…", name, words.Plural(len(targets), "thread")), false)
			return c.start(m.opts.Context, line)
		}
		if c.Confirm {
			m.ask(fmt.Sprintf("Run %s on %s? (y/N)", name, words.Plural(len(targets), "thread")), run)
			return nil
		}
		return run()
	}
	return nil
}

// commandDone reports how a command ended: a failure in the status line,
// a background command's output in the event log and its first line in
// the status line.
func (m *Model) commandDone(msg commandDoneMsg) {
	for _, l := range msg.output {
		m.screen.log.add(m.sess.Now(), msg.name+": "+l, false)
	}
	switch {
	case msg.err != nil:
		m.setStatus(msg.name+" "+msg.err.Error(), true)
	case len(msg.output) > 0:
		m.status.set(msg.name+": "+msg.output[0], false)
	default:
		m.setStatus(msg.name+" done", false)
	}
}

// openEditForm opens the form of an edit action on the targets.
func (m *Model) openEditForm(a keymap.Action) tea.Cmd {
	targets := m.targets()
	if len(targets) == 0 {
		m.setStatus("No thread to change", true)
		return nil
	}
	f, cmd := openEditForm(a, m.opts.Keys, m.sess.Queue(), targets, tagVocabulary(m.sess.Current().List().All()), m.opts.Limits)
	if f == nil {
		return nil
	}
	m.screen.form = f
	m.screen.open(overlayForm)
	if w, ok := f.(threadWaiter); ok && w.waitsFor() != "" {
		return tea.Batch(cmd, m.readForForm(w))
	}
	return cmd
}

// formDone applies what a key did to the open form: when it closes with
// a submission, the submission is queued (after its question, if any);
// what the palette chose runs.
func (m *Model) formDone(st formStep) tea.Cmd {
	if !st.done {
		return nil
	}
	m.screen.form = nil
	m.screen.close(overlayForm)
	switch {
	case st.run != nil:
		return m.runChosen(*st.run)
	case st.sort != nil:
		return m.sortView(*st.sort)
	}
	s := st.submit
	if s == nil {
		m.setStatus("Cancelled: nothing queued", false)
		return nil
	}
	apply := func() tea.Cmd {
		before := m.sess.Queue().Version()
		s.apply(m.sess.Queue())
		if m.sess.Queue().Version() == before {
			m.setStatus("No change: nothing queued", false)
			return nil
		}
		m.setStatus(s.summary, false)
		return nil
	}
	if s.question != "" {
		m.ask(s.question, apply)
		return nil
	}
	apply()
	return nil
}

// askDiscard asks before dropping every pending edit.
func (m *Model) askDiscard() {
	q := m.sess.Queue()
	if q.Len() == 0 {
		m.setStatus("Nothing pending", false)
		return
	}
	m.ask(fmt.Sprintf("Discard %s on %s? (undo brings them back) (y/N)",
		words.Plural(q.Fields(), "pending change"), words.Plural(q.Len(), "thread")), func() tea.Cmd {
		q.Discard()
		m.setStatus("Discarded all pending edits (u to undo)", false)
		return nil
	})
}

// ask puts a yes/no question in front of everything; once answered, what
// was in front (the review, say) comes back.
func (m *Model) ask(question string, yes func() tea.Cmd) {
	m.screen.prompt = prompt{question: question, yes: yes}
	m.screen.open(overlayPrompt)
}

// answerPrompt takes the answer to the question in front.
func (m *Model) answerPrompt(msg tea.KeyPressMsg) tea.Cmd {
	p := m.screen.prompt
	ans := p.answer(m.opts.Keys, msg)
	if p.quitting && ans == answerNo {
		return nil // not an answer: the question stays
	}
	m.screen.close(overlayPrompt)
	m.screen.prompt = prompt{}
	switch ans {
	case answerKeepAndQuit:
		if m.sess.JournalFailure() != "" {
			m.setStatus("Not kept: the journal cannot be written; send (s) or write a copy (w) instead", true)
			return nil
		}
		return m.quit()
	case answerCopyAndQuit:
		path := journal.CopyPath(m.sess.Now())
		if err := m.sess.WriteCopy(path); err != nil {
			m.setStatus("Could not write a copy to "+path+": "+err.Error(), true)
			return nil
		}
		m.screen.log.add(m.sess.Now(), "edits written to "+path, false)
		return m.leave(true, path)
	case answerForceQuit:
		return m.quit()
	case answerYes:
		return p.yes()
	case answerSendAndQuit:
		return m.send(true)
	case answerShowWhich:
		return m.commonAction(keymap.Review)
	case answerShowOther:
		m.showOther(p.notice - 1)
	case answerSetAside:
		m.setAsideOther(p.notice - 1)
	case answerCancel:
		m.setStatus("", false)
	case answerNo:
		if p.notice > 0 {
			m.askOther(p.notice) // later: the next one, if any
			return nil
		}
		m.setStatus("Cancelled", false)
	}
	return nil
}

// revert drops a thread's edit (field "") or one field of it.
func (m *Model) revert(id string, field queue.Field) {
	if field == "" {
		m.sess.Queue().Revert(id)
		m.setStatus("Reverted thread "+id+" (u to undo)", false)
		return
	}
	m.sess.Queue().RevertField(id, field)
	m.setStatus(fmt.Sprintf("Reverted %s of %s (u to undo)", field, id), false)
}

// settle settles one thread's conflicts: keep mine or take theirs.
func (m *Model) settle(id string, keepMine bool) {
	t := m.lookup(id)
	if t == nil {
		m.setStatus("Thread "+id+" is not loaded: refresh (r) to compare with the server", true)
		return
	}
	if m.sess.Queue().Settle(t, keepMine) {
		m.setStatus("Conflicts of "+id+" settled (u to undo)", false)
	}
}

// settleAll settles every conflict the same way, as one action per
// thread, for the loaded threads.
func (m *Model) settleAll(keepMine bool) {
	n, skipped := 0, 0
	for _, id := range m.sess.Queue().IDs() {
		if m.sess.Queue().Get(id).Conflicts() == 0 {
			continue
		}
		t := m.lookup(id)
		if t == nil {
			skipped++
			continue
		}
		if m.sess.Queue().Settle(t, keepMine) {
			n++
		}
	}
	msg := fmt.Sprintf("Settled the conflicts of %s, %s", words.Plural(n, "thread"), pick(keepMine, "keeping mine", "taking theirs"))
	if skipped > 0 {
		msg += fmt.Sprintf("; %d not loaded (refresh first)", skipped)
	}
	m.setStatus(msg, false)
}

// askSend says what a send would carry and what it reads first, and asks
// before the session sends.
func (m *Model) askSend() {
	if m.sess.Busy() {
		m.setStatus("A send is already in flight", false)
		return
	}
	p := m.sess.Preview()
	plan := p.Plan
	if len(plan.Items) == 0 {
		m.sess.ExplainNothingToSend()
		return
	}
	held := ""
	if plan.HeldBack > 0 {
		held = fmt.Sprintf(" (%s held back: conflicts)", words.Plural(plan.HeldBack, "field"))
	}
	hidden := ""
	if n := notShown(plan, m.table.rows); n > 0 {
		hidden = fmt.Sprintf(" (%d not shown: search or other views)", n)
	}
	first := "" // after the (y/N), so a narrow screen cuts this, not the answer keys
	if p.Reads > 0 {
		first = " · reads " + words.Plural(p.Reads, "thread") + " first"
		if p.ETA > 10*time.Second {
			first += fmt.Sprintf(" (%s, about %s under the rate limit)", words.Plural(p.Requests, "request"), p.ETA.Round(time.Second))
		}
	}
	batches := ""
	if p.Batches > 1 {
		batches = fmt.Sprintf(" in %d PATCHes of up to %d (max_batch)", p.Batches, p.MaxBatch)
	}
	others := "" // after the (y/N) too
	if cs := m.collisions(plan); len(cs) > 0 {
		others = " · " + collisionText(cs) + " (" + m.keyName(keymap.Review) + " shows which)"
	}
	q := fmt.Sprintf("Send %s to %s%s%s?%s (y/N)%s%s", words.Plural(plan.Fields, "change"), words.Plural(plan.Threads(), "thread"), batches, hidden, held, others, first)
	m.ask(q, func() tea.Cmd { return m.send(false) })
	m.screen.prompt.which = others != ""
}

// send hands the queue to the session to send; quitAfter quits once it
// is sent.
func (m *Model) send(quitAfter bool) tea.Cmd {
	m.setStatus("", false)
	return m.run(m.sess.Send(quitAfter))
}

// notShown counts the threads of a plan the rows do not show.
func notShown(plan queue.Plan, rows []*api.Thread) int {
	shown := make(map[string]bool, len(rows))
	for _, t := range rows {
		shown[t.ID] = true
	}
	n := 0
	for _, it := range plan.Items {
		if !shown[it.ThreadID] {
			n++
		}
	}
	return n
}
