package ui

import (
	"unicode"

	tea "charm.land/bubbletea/v2"

	"triage/keymap"
	"triage/queue"
)

// handleKey sends a key to what is in front: an overlay, the search line
// while a query is typed, or the table.
func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	if m.status.parting {
		return tea.Quit // the parting words were read
	}
	if esc, key, ok := m.splitAlt(msg); ok {
		return tea.Batch(m.handleKey(esc), m.handleKey(key))
	}
	km := m.opts.Keys
	if m.sess.Busy() && !m.search.typing {
		top := m.screen.top()
		if a, _ := km.Lookup(keymap.InList, msg); a == keymap.Cancel && (top == overlayNone || top == overlayReview) && m.sess.CancelCheck() {
			return nil // esc stopped the reads before a send
		}
	}
	switch m.screen.top() {
	case overlayHelp:
		a, _ := km.Lookup(keymap.InList, msg)
		if a == keymap.ForceQuit {
			return m.quit()
		}
		lines := len(helpLines(km, m.screen.width, &m.look.st, m.look.g))
		if a == keymap.MarkDown {
			a = keymap.PageDown // space pages, as in a pager
		}
		if m.screen.help.key(a, lines, m.screen.height-2) {
			m.screen.close(overlayHelp) // any other key closes the help
		}
		return nil
	case overlayPrompt:
		return m.answerPrompt(msg)
	case overlayForm:
		return m.formKey(msg)
	case overlayLog:
		return m.logKey(msg)
	case overlayNone:
		if m.search.typing {
			a, bound := km.Lookup(keymap.InSearch, msg)
			in, cmd := m.search.key(msg, a, bound)
			return tea.Batch(cmd, m.searched(in))
		}
	case overlayReader:
		if f := &m.detail.reader.find; f.typing {
			a, bound := km.Lookup(keymap.InSearch, msg)
			if bound && a == keymap.ForceQuit {
				return m.quit()
			}
			changed, cmd := f.key(msg, a, bound)
			if changed {
				m.readerFind("")
			}
			return cmd
		}
		if a, ok := km.Lookup(keymap.InFound, msg); ok && m.detail.reader.find.active() {
			return m.readerFind(a)
		}
	}
	if a, ok := km.Lookup(m.actionContext(), msg); ok {
		return m.runAction(a)
	}
	return nil
}

// actionContext is the context of what takes actions in front: the
// review, the reader, else the list.
func (m *Model) actionContext() keymap.Context {
	switch m.screen.top() {
	case overlayReview:
		return keymap.InReview
	case overlayReader:
		return keymap.InReader
	}
	return keymap.InList
}

// runAction runs an action of the context in front (a key's, or the
// palette's choice); a console in read-only mode refuses the edits.
func (m *Model) runAction(a keymap.Action) tea.Cmd {
	if m.readOnly(a) || m.stillApplying(a) {
		return nil
	}
	switch m.actionContext() {
	case keymap.InReview:
		return m.reviewAction(a)
	case keymap.InReader:
		return m.readerAction(a)
	}
	from := m.table.cursor
	if m.table.move(a) {
		m.marks.moved(m.table.rows, from, m.table.cursor)
		return nil
	}
	return m.listAction(a)
}

// openPalette opens the palette on the actions of what is in front: the
// list (with the views and orders), the review or the reader.
func (m *Model) openPalette() tea.Cmd {
	ctx, views := m.actionContext(), []paletteView(nil)
	if ctx == keymap.InList {
		for _, v := range m.sess.Views() {
			views = append(views, paletteView{name: v.Def().Name, saved: v.Def().Saved})
		}
	}
	f, cmd := newPalette(m.opts.Keys, ctx, views)
	m.screen.form = f
	m.screen.open(overlayForm)
	return cmd
}

// runChosen runs what the palette chose, as its key would where the
// palette was opened.
func (m *Model) runChosen(it paletteItem) tea.Cmd {
	switch {
	case it.action != "":
		return m.runAction(it.action)
	case it.sort != nil:
		return m.sortView(*it.sort)
	case it.saveAs == " ":
		m.setStatus("Type save view and a name: save view Refunds", false)
		return nil
	case it.saveAs != "":
		return m.saveView(it.saveAs)
	case it.remove:
		return m.removeView(it.view)
	}
	return m.switchView(it.view)
}

// paste types into the form or the search line, whichever has the keys.
func (m *Model) paste(msg tea.PasteMsg) tea.Cmd {
	switch {
	case m.screen.top() == overlayForm:
		return m.screen.form.typed(msg)
	case m.search.typing && m.screen.top() == overlayNone:
		in, cmd := m.search.typed(msg)
		return tea.Batch(cmd, m.searched(in))
	}
	return nil
}

// listAction handles the table's actions other than movement.
func (m *Model) listAction(a keymap.Action) tea.Cmd {
	switch a {
	case keymap.MarkDown, keymap.Mark, keymap.RangeMark, keymap.MarkAll, keymap.ClearMarks:
		r := m.marks.act(a, m.table.rows, m.table.current())
		if r.down {
			m.table.moveTo(m.table.cursor + 1)
		}
		if r.status != "" {
			m.setStatus(r.status, false)
		}
	case keymap.Resolve, keymap.Archive, keymap.Escalate, keymap.Important:
		return m.toggle(map[keymap.Action]queue.Flag{keymap.Resolve: queue.Resolved, keymap.Archive: queue.Archived,
			keymap.Escalate: queue.Escalated, keymap.Important: queue.Important}[a])
	case keymap.SetMode, keymap.Tags, keymap.Title, keymap.Notes:
		return m.openEditForm(a)
	case keymap.Claim:
		m.claim()
	case keymap.Release:
		m.release()
	case keymap.GoToAlert:
		return m.goToAlert()
	case keymap.Cancel:
		switch {
		case m.detail.open:
			m.toggleDetail()
		case m.marks.stopRange():
			m.setStatus("Range marking off", false)
		case !m.search.query.Empty():
			m.searched(m.search.clear())
		}
	case keymap.Refresh:
		m.setStatus("Refreshing…", false)
		return m.run(m.sess.Refresh())
	case keymap.Search:
		at := ""
		if t := m.table.current(); t != nil {
			at = t.ID
		}
		return m.search.open(at)
	case keymap.NextView, keymap.PrevView:
		step := 1
		if a == keymap.PrevView {
			step = len(m.sess.Views()) - 1
		}
		return m.switchView((m.sess.Current().Index() + step) % len(m.sess.Views()))
	case keymap.Sort, keymap.SortReverse:
		return m.cycleSort(a == keymap.SortReverse)
	case keymap.SortPicker:
		d := m.sess.Current().Def()
		m.screen.form = newSortPicker(m.opts.Keys, sortChoice{d.Sort, d.Reverse})
		m.screen.open(overlayForm)
	case keymap.Detail:
		if m.detail.open {
			m.openReader() // enter in the pane reads the thread
		} else {
			m.toggleDetail()
		}
	case keymap.Reader:
		m.openReader()
	case keymap.CopyIDs, keymap.CopyLink, keymap.OpenLink:
		return m.copyOrOpen(a)
	case keymap.Quit:
		if m.detail.open { // q leaves the pane first, as a pager's q does
			m.toggleDetail()
			return nil
		}
		return m.commonAction(a)
	default:
		if n, ok := keymap.ViewNumber(a); ok {
			return m.switchView(n - 1)
		}
		if name, ok := keymap.MacroName(a); ok {
			m.runMacro(name)
			return nil
		}
		if name, ok := keymap.CommandName(a); ok {
			return m.runCommand(name)
		}
		return m.commonAction(a)
	}
	return nil
}

// commonAction handles the actions the table, the review and the reader
// share.
func (m *Model) commonAction(a keymap.Action) tea.Cmd {
	switch a {
	case keymap.Palette:
		return m.openPalette()
	case keymap.Help:
		m.screen.open(overlayHelp)
	case keymap.EventLog:
		m.screen.log.offset = 0
		m.screen.open(overlayLog)
	case keymap.Review:
		m.screen.review.reset()
		m.screen.review.build(m.sess.Queue(), m.lookup, m.look.g, m.othersText)
		m.screen.open(overlayReview)
	case keymap.Send:
		m.askSend()
	case keymap.Undo:
		return m.run(m.sess.Undo())
	case keymap.Redo:
		return m.run(m.sess.Redo())
	case keymap.Discard:
		m.askDiscard()
	case keymap.Quit:
		if m.sess.Queue().Len() > 0 {
			m.screen.prompt = prompt{quitting: true}
			m.screen.open(overlayPrompt)
			return nil
		}
		return m.quit()
	case keymap.ForceQuit:
		return m.quit()
	}
	return nil
}

// reviewAction runs an action of the review and applies what it asks.
// The review of another journal's edits only scrolls and closes.
func (m *Model) reviewAction(a keymap.Action) tea.Cmd {
	in := m.screen.review.key(a, m.table.height-1)
	if m.screen.review.foreign != "" {
		switch in.kind {
		case reviewClose:
			asked := m.screen.review.asked
			m.screen.review.foreign, m.screen.review.asked = "", 0
			m.screen.close(overlayReview)
			m.askOther(asked - 1) // again, so it can be set aside once seen
		case reviewNothing:
		default:
			m.setStatus("These edits belong to another journal: nothing here changes them", true)
		}
		return nil
	}
	switch in.kind {
	case reviewRevert:
		m.revert(in.id, in.field)
	case reviewSettle:
		m.settle(in.id, in.keepMine)
	case reviewSettleAll:
		m.settleAll(in.keepMine)
	case reviewClose:
		m.screen.close(overlayReview)
	case reviewOther:
		return m.commonAction(in.action)
	}
	return nil
}

// logKey hands a key to the event log.
func (m *Model) logKey(msg tea.KeyPressMsg) tea.Cmd {
	a, ok := m.opts.Keys.Lookup(keymap.InLog, msg)
	switch {
	case !ok:
	case a == keymap.ForceQuit:
		return m.quit()
	case m.screen.log.key(a, m.table.height):
		m.screen.close(overlayLog)
	}
	return nil
}

// formKey hands a key to the open form: actions of its context as
// actions, everything else as typing.
func (m *Model) formKey(msg tea.KeyPressMsg) tea.Cmd {
	if a, bound := m.opts.Keys.Lookup(m.screen.form.context(), msg); bound {
		switch {
		case a == keymap.ForceQuit:
			return m.quit()
		case a == keymap.Cancel && m.screen.form.dirty():
			m.ask("Discard what you typed? (y/N; any other key goes back to it)", func() tea.Cmd { return m.formDone(formStep{done: true}) })
			return nil
		}
		return m.formDone(m.screen.form.action(a))
	}
	return m.screen.form.typed(msg)
}

// readOnly refuses an action that would change the queue in a read-only
// console, and says why; it reports whether it refused.
func (m *Model) readOnly(a keymap.Action) bool {
	if m.opts.ReadOnly == "" || !keymap.Edits(a) {
		return false
	}
	m.setStatus(m.opts.ReadOnly, true)
	return true
}

// stillApplying refuses an action that would change the queue, or show
// it whole, while a change of many threads is being applied, and says
// why; it reports whether it refused. (Keys that ask for such actions
// wait for the change instead: heldkeys.go.)
func (m *Model) stillApplying(a keymap.Action) bool {
	if !m.sess.Applying() || !waitsForChange(a) {
		return false
	}
	m.setStatus("Wait: "+m.sess.ApplyProgress(), true)
	return true
}

// waitsForChange reports an action that must wait for a change being
// applied: those that edit, the review, which shows the queue whole, and
// quit, which asks about it.
func waitsForChange(a keymap.Action) bool {
	return keymap.Edits(a) || a == keymap.Review || a == keymap.Quit
}

// toggleDetail opens or closes the detail pane.
func (m *Model) toggleDetail() {
	m.detail.open = !m.detail.open
	m.resize(m.screen.width, m.screen.height)
}

// splitAlt reads an alt+key that is not bound where it is pressed as esc
// then the key: over SSH and in tmux, esc followed at once by a key
// arrives as one alt+key. In text fields the alt keys that edit by word
// keep their meaning.
func (m *Model) splitAlt(msg tea.KeyPressMsg) (esc, key tea.KeyPressMsg, ok bool) {
	if msg.Mod&tea.ModAlt == 0 {
		return esc, key, false
	}
	ctx, typing := keymap.InList, false
	switch m.screen.top() {
	case overlayReview:
		ctx = keymap.InReview
	case overlayLog:
		ctx = keymap.InLog
	case overlayPrompt:
		ctx = pickContext(m.screen.prompt.quitting, keymap.InQuit, keymap.InConfirm)
		if m.screen.prompt.notice > 0 {
			ctx = keymap.InNotice
		}
	case overlayForm:
		ctx, typing = m.screen.form.context(), true
	case overlayNone:
		if m.search.typing {
			ctx, typing = keymap.InSearch, true
		}
	}
	if _, bound := m.opts.Keys.Lookup(ctx, msg); bound {
		return esc, key, false
	}
	key = msg
	key.Mod &^= tea.ModAlt
	switch {
	case key.Mod&tea.ModShift != 0 && unicode.IsPrint(key.ShiftedCode): // esc+R reads as alt+shift+r
		key.Text = string(key.ShiftedCode)
	case unicode.IsPrint(key.Code):
		key.Text = string(key.Code)
	}
	if typing && wordKey(key) {
		return esc, key, false
	}
	return tea.KeyPressMsg{Code: tea.KeyEscape}, key, true
}

// wordKey reports the keys that, with alt, move or delete by word in a
// text field.
func wordKey(k tea.KeyPressMsg) bool {
	switch k.Code {
	case 'b', 'f', 'd', tea.KeyBackspace, tea.KeyDelete, tea.KeyLeft, tea.KeyRight:
		return true
	}
	return false
}

func pickContext(cond bool, yes, no keymap.Context) keymap.Context {
	if cond {
		return yes
	}
	return no
}

// openReader shows the thread under the cursor full screen.
func (m *Model) openReader() {
	if m.table.current() == nil {
		return
	}
	m.detail.reader.show()
	m.screen.open(overlayReader)
}

// readerFind moves the reader's search: to the first match from where the
// reader is (a changed search, a = ""), to the next or previous, or ends
// it (esc).
func (m *Model) readerFind(a keymap.Action) tea.Cmd {
	r := &m.detail.reader
	t := m.table.current()
	lines := readerLines(t, m.detailFacts(), m.readState(t), m.screen.width-1, &m.look)
	matches := r.find.matches(lines)
	switch a {
	case keymap.Cancel:
		r.find.clear()
		return nil
	case keymap.NextMatch:
		r.find.step(matches, 1)
	case keymap.PrevMatch:
		r.find.step(matches, -1)
	default:
		r.find.first(matches, r.offset)
	}
	r.found(lines, m.screen.rows())
	return nil
}

// readerAction runs an action of the reader: it scrolls, goes to the next
// or previous thread, closes, or acts on the thread it shows.
func (m *Model) readerAction(a keymap.Action) tea.Cmd {
	t := m.table.current()
	lines := len(readerLines(t, m.detailFacts(), m.readState(t), m.screen.width-1, &m.look))
	switch m.detail.reader.key(a, lines, m.screen.rows()) {
	case readerClose:
		m.detail.reader.open = false
		m.screen.close(overlayReader)
	case readerNext, readerPrev:
		step := 1
		if a == keymap.PrevThread {
			step = -1
		}
		m.table.moveTo(m.table.cursor + step)
		m.detail.reader.show()
	case readerAgain:
		return m.readAgain()
	case readerAction:
		if a == keymap.Search {
			return m.detail.reader.find.open()
		}
		return m.listAction(a) // targets() is the thread shown while the reader is open
	}
	return nil
}
