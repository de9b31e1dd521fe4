package ui

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"triage/api"
	"triage/keymap"
	"triage/presence"
	"triage/queue"
	"triage/sanitize"
	"triage/session"
	"triage/words"
)

// presenceEvery is how often the console looks at the presence
// directory: writing its own file when what it says changed (or its
// heartbeat is due), reading the others'.
const presenceEvery = 2 * time.Second

// team is what the console knows of the other agents: their consoles on
// this host (presence), and the alert the agent may go to.
type team struct {
	dir   *presence.Dir
	peers []presence.Peer
	// on are, by thread, the peers reading it or with edits queued on it.
	on map[string][]*presence.Peer
	// written is what the file last said, with the queue's version then.
	written        presence.Entry
	writtenVersion int
	failed         bool // a write or a read of the directory failed: said once
	// alert is the last alert; held one that came while the agent typed.
	alert, held *session.Alert
}

// presenceTickMsg is the time to look at the presence directory.
type presenceTickMsg struct{}

// presenceMsg is what a look found: the other consoles, and the entry
// written (zero when none was).
type presenceMsg struct {
	peers   []presence.Peer
	written presence.Entry
	version int
	err     error
}

// presenceLater schedules the next look, while presence is on.
func (m *Model) presenceLater() tea.Cmd {
	if m.team.dir == nil {
		return nil
	}
	return m.opts.Tick(presenceEvery, func(time.Time) tea.Msg { return presenceTickMsg{} })
}

// presenceLook writes this console's file when what it says changed or
// its heartbeat is due, and reads the others', off the UI goroutine.
func (m *Model) presenceLook() tea.Cmd {
	d, tm, q := m.team.dir, &m.team, m.sess.Queue()
	if d == nil {
		return nil
	}
	now := time.Now() // the host's clock, which the other consoles read it by
	reading := m.detail.watching
	// The queue's threads change at every turn of a change applied in
	// turns: they are written once it is done (the heartbeat still beats).
	queueMoved := q.Version() != tm.writtenVersion && !m.sess.Applying()
	due := tm.written.Heartbeat.IsZero() || reading != tm.written.Reading || queueMoved ||
		now.Sub(tm.written.Heartbeat) > presence.Beat-presenceEvery // (never written: now.Sub would saturate, and the sum wrap)
	var e presence.Entry
	version := tm.writtenVersion
	if due {
		version = q.Version()
		ids, fields := q.FieldsByThread() // sorted off the UI goroutine: 100,000 ids take 30 ms
		e = presence.Entry{Agent: m.opts.Agent, Reading: reading, Queued: ids, Fields: fields, PID: os.Getpid(), Heartbeat: now}
	}
	return func() tea.Msg {
		var werr error
		if due {
			sortQueued(&e)
			werr = d.Write(e)
		}
		peers, serr := d.Scan(time.Now())
		if werr != nil {
			e = presence.Entry{}
		}
		return presenceMsg{peers: peers, written: e, version: version, err: errors.Join(werr, serr)}
	}
}

// sortQueued sorts an entry's threads by id, their fields with them.
func sortQueued(e *presence.Entry) {
	order := make([]int, len(e.Queued))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(e.Queued[a], e.Queued[b]) })
	ids, fields := make([]string, len(order)), make([]int, len(order))
	for i, o := range order {
		ids[i], fields[i] = e.Queued[o], e.Fields[o]
	}
	e.Queued, e.Fields = ids, fields
}

// presenceFound takes what a look found, and schedules the next.
func (m *Model) presenceFound(msg presenceMsg) tea.Cmd {
	tm := &m.team
	if !msg.written.Heartbeat.IsZero() {
		tm.written, tm.writtenVersion = msg.written, msg.version
	}
	switch {
	case msg.err != nil && !tm.failed:
		tm.failed = true
		m.screen.log.add(m.sess.Now(), "Presence: "+msg.err.Error()+" (other agents may not see this console; tried again every few seconds)", true)
	case msg.err == nil && tm.failed:
		tm.failed = false
		m.screen.log.add(m.sess.Now(), "Presence works again", false)
	}
	tm.peers = msg.peers
	var sooner tea.Cmd
	if m.sess.SetConsoles(1 + len(tm.peers)) { // this chatbot's consoles on this host share the poll's budget
		sooner = m.pollLater() // fewer of them: the next poll comes sooner
	}
	tm.on = map[string][]*presence.Peer{}
	for i := range tm.peers {
		p := &tm.peers[i]
		ids := slices.Clone(p.Queued)
		if p.Reading != "" {
			ids = append(ids, p.Reading)
		}
		for _, id := range ids {
			if !slices.Contains(tm.on[id], p) {
				tm.on[id] = append(tm.on[id], p)
			}
		}
	}
	return tea.Batch(sooner, m.presenceLater())
}

// othersOn says who else is on a thread: "bo (bob) is reading · ana has
// 2 edits queued", "" when nobody.
func (m *Model) othersOn(id string) string {
	var out []string
	for _, p := range m.team.on[id] {
		var doing []string
		if p.Reading == id {
			doing = append(doing, "is reading")
		}
		if i := slices.Index(p.Queued, id); i >= 0 {
			doing = append(doing, "has "+words.Plural(p.Fields[i], "edit")+" queued")
		}
		out = append(out, m.peerName(p)+" "+strings.Join(doing, " and "))
	}
	return strings.Join(out, m.look.g.Sep)
}

// peerName is a peer as the console names it: this agent's own console
// elsewhere says so.
func (m *Model) peerName(p *presence.Peer) string {
	if p.SameAccount && p.Agent == m.opts.Agent {
		return "you (another console)"
	}
	return p.Name()
}

// claim claims the targets for the agent (their owner tag, others'
// removed) as one step; threads another agent owns are asked about first.
func (m *Model) claim() {
	o := m.sess.Owners()
	switch {
	case !o.On():
		m.setStatus(`Claiming is off: owner_tag_prefix = "" in the config`, true)
		return
	case o.Me == "":
		m.setStatus("Claiming needs a name: set agent_name in the config", true)
		return
	}
	targets := m.targets()
	if len(targets) == 0 {
		m.setStatus("No thread to claim", true)
		return
	}
	owned := map[string]int{}
	var names []string
	for _, t := range targets {
		if others := o.OthersOf(shownTags(t, m.sess.Queue().Get(t.ID))); len(others) > 0 {
			owner := words.List(others)
			if owned[owner] == 0 {
				names = append(names, owner)
			}
			owned[owner]++
		}
	}
	do := func() tea.Cmd {
		m.sess.Queue().Claim(o.Prefix, o.Me, targets)
		m.setStatus(fmt.Sprintf("Claimed %s for %s (%s sends, %s undoes)", words.Plural(len(targets), "thread"), sanitize.Line(o.Me),
			m.keyName(keymap.Send), m.keyName(keymap.Undo)), false)
		return nil
	}
	if len(names) == 0 {
		do()
		return
	}
	var parts []string
	for _, name := range names {
		parts = append(parts, fmt.Sprintf("%d by %s", owned[name], sanitize.Line(name)))
	}
	q := "Owned by " + sanitize.Line(names[0]) + "; take it over? (y/N)"
	if len(targets) > 1 || len(names) > 1 {
		q = fmt.Sprintf("%d of %s are owned: %s; take them over? (y/N)", sum(owned),
			words.Plural(len(targets), "thread"), strings.Join(parts, ", "))
	}
	m.ask(q, do)
}

// sum adds up the counts of a map.
func sum(counts map[string]int) int {
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}

// release removes the agent's owner tag from the targets that carry it.
func (m *Model) release() {
	o := m.sess.Owners()
	if !o.On() || o.Me == "" {
		m.setStatus(`Claiming is off: owner_tag_prefix = "" in the config`, true)
		return
	}
	var mine []*api.Thread
	targets := m.targets()
	for _, t := range targets {
		if slices.Contains(shownTags(t, m.sess.Queue().Get(t.ID)), o.Tag(o.Me)) {
			mine = append(mine, t)
		}
	}
	if len(mine) == 0 {
		what := "the thread is"
		if len(targets) > 1 {
			what = fmt.Sprintf("none of the %s is", words.Plural(len(targets), "thread"))
		}
		m.setStatus(fmt.Sprintf("Not yours: %s owned by %s", what, sanitize.Line(o.Me)), false)
		return
	}
	m.sess.Queue().Release(o.Prefix, o.Me, mine)
	m.setStatus(fmt.Sprintf("Released %s (%s sends, %s undoes)", words.Plural(len(mine), "thread"), m.keyName(keymap.Send), m.keyName(keymap.Undo)), false)
}

// keyName is the first key of an action, for hints.
func (m *Model) keyName(a keymap.Action) string {
	if keys := m.opts.Keys.Binding(a).Keys(); len(keys) > 0 {
		return keys[0]
	}
	return string(a)
}

// overlap is what presence and owner tags say of a thread a send
// carries.
type overlap struct {
	readers, queuers []string // other agents reading it, with edits queued on it
	owner            string   // another agent who owns it
}

// text is the overlap for the review: "open by bo · owned by ana".
func (c overlap) text(sep string) string {
	var out []string
	if len(c.readers) > 0 {
		out = append(out, "open by "+strings.Join(c.readers, ", "))
	}
	if c.owner != "" {
		out = append(out, "owned by "+c.owner)
	}
	if len(c.queuers) > 0 {
		out = append(out, "edits queued by "+strings.Join(c.queuers, ", "))
	}
	return strings.Join(out, sep)
}

// collisions are what others are doing on the threads a send carries,
// by thread.
func (m *Model) collisions(plan queue.Plan) map[string]overlap {
	out := map[string]overlap{}
	for _, it := range plan.Items {
		if c, ok := m.collisionOf(it.ThreadID); ok {
			out[it.ThreadID] = c
		}
	}
	return out
}

// collisionOf is what presence and owner tags say of a thread, and
// whether they say anything.
func (m *Model) collisionOf(id string) (overlap, bool) {
	o := m.sess.Owners()
	var c overlap
	for _, p := range m.team.on[id] {
		if p.Reading == id {
			c.readers = append(c.readers, m.peerName(p))
		}
		if slices.Contains(p.Queued, id) {
			c.queuers = append(c.queuers, m.peerName(p))
		}
	}
	if t := m.lookup(id); t != nil && o.On() {
		if others := o.OthersOf(t.Tags); len(others) > 0 {
			c.owner = sanitize.Line(words.List(others))
		}
	}
	return c, c.owner != "" || len(c.readers)+len(c.queuers) > 0
}

// othersText is what others are doing on a thread, for the review.
func (m *Model) othersText(id string) string {
	c, _ := m.collisionOf(id)
	return c.text(m.look.g.Sep)
}

// collisionText counts the collisions for the send's question: "3 are
// open by bo, 1 is owned by ana, 2 have edits queued by bo".
func collisionText(cs map[string]overlap) string {
	var open, owned, queued int
	var readers, owners, queuers []string
	add := func(list []string, names ...string) []string {
		for _, n := range names {
			if !slices.Contains(list, n) {
				list = append(list, n)
			}
		}
		return list
	}
	for _, c := range cs {
		if len(c.readers) > 0 {
			open++
			readers = add(readers, c.readers...)
		}
		if c.owner != "" {
			owned++
			owners = add(owners, c.owner)
		}
		if len(c.queuers) > 0 {
			queued++
			queuers = add(queuers, c.queuers...)
		}
	}
	var out []string
	is := func(n int, one, many string) string { return fmt.Sprintf("%d %s", n, pick(n == 1, one, many)) }
	for _, part := range []struct {
		n         int
		one, many string
		names     []string
	}{{open, "is open by", "are open by", readers}, {owned, "is owned by", "are owned by", owners}, {queued, "has edits queued by", "have edits queued by", queuers}} {
		if part.n > 0 {
			slices.Sort(part.names)
			out = append(out, is(part.n, part.one, part.many)+" "+words.List(part.names))
		}
	}
	return strings.Join(out, ", ")
}

// alerted takes an alert of the session: it rings now, or once the agent
// stops typing in a form.
func (m *Model) alerted(a session.Alert) tea.Cmd {
	if m.screen.top() == overlayForm || m.search.typing {
		m.team.held = &a
		return nil
	}
	return m.ring(a)
}

// ringHeld rings the alert held while the agent typed, once the form or
// the search line closed.
func (m *Model) ringHeld() tea.Cmd {
	if a := m.team.held; a != nil && m.screen.top() != overlayForm && !m.search.typing {
		m.team.held = nil
		return m.ring(*a)
	}
	return nil
}

// ring says an alert in the status line, with the key that goes there,
// and rings the terminal as alert_via says: once, whatever the alert
// holds.
func (m *Model) ring(a session.Alert) tea.Cmd {
	m.team.alert = &a
	text := a.Text()
	if k := m.keyName(keymap.GoToAlert); k != "" {
		text += ": " + k + " goes there"
	}
	m.status.keep(text)
	m.screen.log.add(m.sess.Now(), text, false)
	return m.opts.Terminal.ring(a.Text(), m.opts.AlertVia)
}

// goToAlert shows the thread of the last alert: in the view shown when it
// lists it, else in the first view that does.
func (m *Model) goToAlert() tea.Cmd {
	a := m.team.alert
	if a == nil {
		m.setStatus("No alert to go to", false)
		return nil
	}
	id := a.Items[0].Thread.ID
	views := m.sess.Views()
	at := slices.IndexFunc(views, func(v *session.View) bool { return v.List().Has(id) })
	if m.sess.Current().List().Has(id) {
		at = m.sess.Current().Index()
	}
	if at < 0 {
		m.setStatus("The alerted thread is in no view any more", true)
		return nil
	}
	var cmd tea.Cmd
	if at != m.sess.Current().Index() {
		cmd = m.switchView(at)
	}
	if !slices.ContainsFunc(m.table.rows, func(t *api.Thread) bool { return t.ID == id }) && !m.search.query.Empty() {
		m.searched(m.search.clear()) // the search hides it
	}
	m.table.moveToThread(id)
	return cmd
}
