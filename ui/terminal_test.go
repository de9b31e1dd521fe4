package ui

import (
	"strings"
	"testing"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"triage/api"
	"triage/session"
)

// TestAnASCIIOnlyTerminalGetsNoHighByte: on a terminal whose locale is not
// UTF-8 every frame (list, pane, reader, forms, help) is ASCII, with the
// ASCII glyphs, and every line is as wide as it would have been.
func TestAnASCIIOnlyTerminalGetsNoHighByte(t *testing.T) {
	threads := sampleThreads(20)
	for i, title := range []string{"Émile’s 🚀 launch", "漢字 naïve café", "Çà et là — “quotes” …"} {
		threads[i].Title, threads[i].VisitorName, threads[i].Tags = title, "Zoë Ærø", []string{"café"}
	}
	fa := &fakeAPI{update: func([]api.UpdateItem) ([]api.Thread, error) { return nil, nil }, loads: [][][]api.Thread{{threads}}}
	m := testConsole(session.Options{API: fa}, Options{Source: "bot @ hôte", Terminal: Terminal{ASCIIOnly: true}})
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	drain(t, m, m.Init())
	if m.look.g.Cursor != ">" {
		t.Errorf("glyphs %q", m.look.g.Cursor)
	}
	if scr := ansi.Strip(m.View().Content); !strings.Contains(scr, "Emile's ?? launch") || !strings.Contains(scr, "Zoe ?r?") {
		t.Errorf("titles are not written in ASCII:\n%s", scr)
	}
	for _, keys := range [][]string{{}, {"x", "d"}, {"<enter>"}, {"<esc>", "R"}, {"<esc>", "T"}, {"<esc>", "?"}} {
		act(t, m, keys...)
		frame := m.View().Content
		for i := 0; i < len(frame); i++ {
			if frame[i] >= utf8.RuneSelf {
				t.Fatalf("after %q: byte %#x in %q", keys, frame[i], frame[max(0, i-20):min(len(frame), i+20)])
			}
		}
		for n, l := range strings.Split(ansi.Strip(frame), "\n") {
			if w := ansi.StringWidthWc(l); w > 80 {
				t.Errorf("after %q, line %d is %d wide: %q", keys, n, w, l)
			}
		}
	}
}

func TestCopyToSaysWhereItWent(t *testing.T) {
	status, cmd := copyTo(func(text string) (string, error) { return "to tmux's buffer", nil }, "th_1\nth_2", "2 ids")
	if msg, ok := cmd().(copiedMsg); status != "Copying 2 ids…" || !ok || msg.text != "Copied 2 ids to tmux's buffer" || msg.isErr {
		t.Errorf("%q, %+v", status, msg)
	}
	_, cmd = copyTo(func(string) (string, error) { return "", errFake }, "x", "1 id")
	if msg := cmd().(copiedMsg); !msg.isErr || !strings.Contains(msg.text, "Nothing copied") {
		t.Errorf("%+v", msg)
	}
	if status, _ := copyTo(nil, "x", "1 id"); !strings.Contains(status, "OSC 52") {
		t.Errorf("%q", status)
	}
}

var errFake = fakeErr("tmux: no server running")

type fakeErr string

func (e fakeErr) Error() string { return string(e) }
