package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/term"

	"triage/api"
	"triage/journal"
	"triage/queue"
	"triage/session"
	"triage/trust"
	"triage/ui"
	"triage/words"
)

// journalStart is the journal of this console and what it held at start.
type journalStart struct {
	j        *journal.Journal // nil when read-only
	restored []*queue.Edit
	notice   string
	readOnly string // why the console is read-only, "" when it may edit
	others   []journal.Other
}

// startJournal takes the journal of this chatbot and deployment and reads
// what the last session left. The demo's server listens on a new port each
// run, so its journal is keyed by "demo" instead of the URL. When another
// console holds the journal, the agent chooses, as with vim's swap file:
// quit, or go on read-only (browse and read, no edits).
func startJournal(c api.Config, demo bool, lim journal.Limits, stdin io.Reader, stderr io.Writer) (journalStart, error) {
	dir, err := journal.DefaultDir()
	if err != nil {
		return journalStart{}, err
	}
	base := c.BaseURL
	if demo {
		base = "demo"
	}
	open := func() (*journal.Journal, error) {
		return journal.Open(dir, c.ChatbotID, base, journal.Options{Limits: lim})
	}
	j, err := open()
	var held *journal.HeldError
	for offer := true; errors.As(err, &held); offer = false {
		switch askHeld(held, offer && held.Takeable() == "", stdin, stderr) {
		case 't':
			j, err = takeOver(held, open, stderr)
			continue
		case 'r':
			return journalStart{readOnly: fmt.Sprintf("pid %d on %s holds this chatbot's journal: quit it to edit here",
				held.Owner.PID, held.Owner.Host)}, nil
		}
		return journalStart{}, errors.New("not started: " + held.Error())
	}
	var loose *trust.Error
	if errors.As(err, &loose) {
		return untrusted(loose, stderr), nil
	}
	if err != nil {
		return journalStart{}, err
	}
	edits, notices, err := j.Load()
	if errors.As(err, &loose) {
		j.Close()
		return untrusted(loose, stderr), nil
	}
	if err != nil {
		j.Close()
		return journalStart{}, err
	}
	return journalStart{j: j, restored: edits, notice: strings.Join(notices, "; "), others: j.Others()}, nil
}

// othersForUI are the chatbot's other journals as the console tells of
// them at start.
func (s journalStart) othersForUI(now time.Time) []ui.OtherJournal {
	var out []ui.OtherJournal
	for _, o := range s.others {
		where := "for " + o.Base
		switch {
		case o.Base == "demo":
			where = "for the demo (triage --demo)"
		case o.Problem != "":
			where = "in " + o.Problem
		}
		about := fmt.Sprintf("%s, written %s ago", where, ago(now.Sub(o.Written)))
		uo := ui.OtherJournal{About: about, Edits: o.Edits, Path: o.Path}
		if o.Holder != "" {
			uo.About += "; " + o.Holder + " holds it now"
		} else {
			uo.SetAside = func() (string, error) { return journal.SetAside(o, time.Now()) }
		}
		out = append(out, uo)
	}
	return out
}

// ago is a duration as people say it: "40s", "3m", "2h", "5d".
func ago(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int(d.Hours()))
	}
	return fmt.Sprintf("%dd", int(d.Hours()/24))
}

// untrusted is a console that may not edit: its journal is in a place
// another user could have written, so it is neither read nor written.
func untrusted(loose *trust.Error, stderr io.Writer) journalStart {
	fmt.Fprintf(stderr, "triage: the journal is not used: %v; the console is read-only until it is fixed\n", loose)
	return journalStart{readOnly: "journal not trusted: " + loose.Error(), notice: "Read-only: the journal " + loose.Error()}
}

// askHeld tells who holds the journal and how long it has been idle, and
// asks: quit, go on read-only, or (offered for a console of this user on
// this host, an orphan of a dropped connection perhaps) take over. It
// returns 't', 'r' or 'q' (anything else, or no answer).
func askHeld(held *journal.HeldError, offer bool, stdin io.Reader, stderr io.Writer) byte {
	idle := ""
	if at := held.LastWrite(); !at.IsZero() {
		idle = "; it last wrote the journal " + ago(time.Since(at)) + " ago"
	}
	fmt.Fprintf(stderr, "triage: another console holds the journal of this chatbot:\n  %s%s\n  (%s)\n"+
		"Its edits are safe there. Quit that console to edit here, or continue read-only (browse and read, no edits).\n", held.Owner, idle, held.Path)
	question := "[q]uit or [r]ead-only? "
	if offer {
		fmt.Fprintln(stderr, "Or take over: that console saves its edits and quits, and this one opens them.")
		question = "[t]ake over, [q]uit or [r]ead-only? "
	}
	fmt.Fprint(stderr, question)
	answer := readAnswer(stdin)
	fmt.Fprintln(stderr, string(answer))
	switch answer {
	case 'r', 'R':
		return 'r'
	case 't', 'T':
		if offer {
			return 't'
		}
	}
	return 'q'
}

// takeOverWait bounds the wait for the holder to let go of the journal.
const takeOverWait = 15 * time.Second

// takeOver asks the holder to save its edits and quit, and opens the
// journal once it has: with its edits. A holder that does not let go in
// time keeps it (the question is asked again, without taking over).
func takeOver(held *journal.HeldError, open func() (*journal.Journal, error), stderr io.Writer) (*journal.Journal, error) {
	if err := held.LetGo(); err != nil {
		fmt.Fprintln(stderr, "triage:", err)
		return nil, held
	}
	fmt.Fprintf(stderr, "triage: asked pid %d to save its edits and quit; waiting for it…\n", held.Owner.PID)
	deadline := time.Now().Add(takeOverWait)
	for {
		j, err := open()
		var still *journal.HeldError
		if !errors.As(err, &still) || time.Now().After(deadline) {
			if err == nil {
				fmt.Fprintf(stderr, "triage: pid %d let go of the journal: its edits open here\n", held.Owner.PID)
			} else if still != nil {
				fmt.Fprintf(stderr, "triage: pid %d did not let go within %s\n", held.Owner.PID, takeOverWait)
			}
			return j, err
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// readAnswer reads a one-key answer: on a terminal the key itself, as
// every question of the console takes one key; from a pipe the first
// character of a line. It is 0 when nothing came.
func readAnswer(stdin io.Reader) byte {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		if st, err := term.MakeRaw(int(f.Fd())); err == nil {
			defer func() { _ = term.Restore(int(f.Fd()), st) }()
			b := make([]byte, 1)
			if n, _ := f.Read(b); n == 1 && b[0] >= ' ' && b[0] < 0x7f {
				return b[0]
			}
			return 0 // ctrl+c, esc, enter: no
		}
	}
	line, _ := bufio.NewReader(stdin).ReadString('\n')
	if line = strings.TrimSpace(line); line != "" {
		return line[0]
	}
	return 0
}

// journal is the journal as the session sees it: none when read-only.
func (s journalStart) journal() session.Journal {
	if s.j == nil {
		return nil
	}
	return s.j
}

// parting is what the console says as it leaves: a line for its last
// frame, everything for standard error (a rescue's edits too), and
// whether it is a rescue the agent must read before the screen goes.
type parting struct {
	frame, full string
	rescue      bool
}

// partingFile is where the last parting words are kept, beside the
// journal: a terminal that drops what is written after the full screen
// (mosh) loses nothing.
const partingFile = "last-exit.txt"

// finish writes what the journal still owes, releases it and says what
// was kept; edits it could not write are rescued, unless the agent wrote
// them to a copy already (copied, its path). The words are written to
// partingFile first, and the frame's line names it.
func (s journalStart) finish(edits []*queue.Edit, copied string) parting {
	if s.j == nil {
		return parting{}
	}
	var p parting
	switch err := s.j.Close(); {
	case err != nil && len(edits) > 0 && copied != "":
		p.full = fmt.Sprintf("triage: the journal could not be written (%v); the edits of %s are in %s: copy it over %s to restore them",
			err, words.Plural(len(edits), "thread"), copied, s.j.Path())
		p.frame = p.full
	case err != nil && len(edits) > 0:
		p = rescue(s.j, err, edits, s.j.Path())
	case len(edits) > 0:
		p.full = fmt.Sprintf("triage: %s with edits kept for next time: triage restores them (%s)",
			words.Plural(len(edits), "thread"), s.j.Path())
		p.frame = p.full
	default:
		return p
	}
	file := filepath.Join(filepath.Dir(s.j.Path()), partingFile)
	if err := os.WriteFile(file, []byte(time.Now().Format(time.RFC3339)+"\n"+p.full+"\n"), 0o600); err == nil {
		p.frame += " (also in " + file + ")"
	}
	return p
}

// copyWriter writes edits to a file of their own.
type copyWriter interface {
	WriteCopy(path string, edits []*queue.Edit) error
}

// rescue puts edits the journal could not write in a copy beside the home
// directory, and failing that on standard error, and says where: none is
// lost in silence.
func rescue(w copyWriter, failure error, edits []*queue.Edit, journalPath string) parting {
	path := journal.CopyPath(time.Now())
	if err := w.WriteCopy(path, edits); err == nil {
		text := fmt.Sprintf("triage: the journal could not be written (%v); the edits of %s were written to %s: copy it over %s to restore them",
			failure, words.Plural(len(edits), "thread"), path, journalPath)
		return parting{frame: text, full: text, rescue: true}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "triage: the journal could not be written (%v), nor a copy; the edits follow, one per line:", failure)
	for _, e := range edits {
		line, _ := json.Marshal(e)
		b.WriteString("\n" + string(line))
	}
	frame := fmt.Sprintf("triage: the journal could not be written (%v), nor a copy: the edits of %s follow on standard error when this screen closes",
		failure, words.Plural(len(edits), "thread"))
	return parting{frame: frame, full: b.String(), rescue: true}
}
