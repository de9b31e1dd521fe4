package e2e

import (
	"fmt"
	"strings"
	"testing"
)

// saneScreen fails when a screen shows escape-sequence debris: what a
// terminal prints when it is sent sequences it does not understand.
func saneScreen(t *testing.T, scr string) {
	t.Helper()
	for _, debris := range []string{"\x1b", "[?", "]2;", "[38;", "[0m"} {
		if strings.Contains(scr, debris) {
			t.Errorf("screen shows %q:\n%s", debris, scr)
		}
	}
}

// TestTerminalMatrix runs the demo at 80x24 under several TERM values,
// without colour and with the ASCII glyph set.
func TestTerminalMatrix(t *testing.T) {
	cases := []struct {
		name string
		env  []string
		args []string
		want []string
	}{
		{"xterm-256color", []string{"TERM=xterm-256color"}, nil, []string{"▶", "[1 Inbox"}},
		{"screen", []string{"TERM=screen"}, nil, []string{"[1 Inbox"}},
		{"tmux-256color", []string{"TERM=tmux-256color"}, nil, []string{"[1 Inbox"}},
		{"vt100", []string{"TERM=vt100"}, nil, []string{"[1 Inbox"}},
		{"NO_COLOR", []string{"NO_COLOR=1"}, nil, []string{"[1 Inbox", "●~"}},
		{"ascii", nil, []string{"--ascii"}, []string{"[1 Inbox", "*~", ">"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := start(t, 80, 24, c.env, append([]string{"--demo", "--demo-threads", "300"}, c.args...)...)
			s.waitText("[1 Inbox", "1/")
			s.literal(" d") // mark, move, toggle: the mark and pending glyphs show
			scr := s.waitText(c.want...)
			saneScreen(t, scr)
			if lines := strings.Split(strings.TrimRight(scr, "\n"), "\n"); len(lines) != 24 {
				t.Errorf("%d lines at 80x24", len(lines))
			}
			if c.name == "ascii" {
				// The console's own glyphs (bar, gutter, flags, status, hints)
				// are ASCII; visitors' names may of course not be.
				lines := strings.Split(strings.TrimRight(scr, "\n"), "\n")
				chrome := []string{lines[0], lines[len(lines)-2], lines[len(lines)-1]}
				for _, l := range lines[1 : len(lines)-2] {
					chrome = append(chrome, string([]rune(l)[:min(9, len([]rune(l)))]))
				}
				for _, l := range chrome {
					for _, r := range l {
						if r > 126 {
							t.Errorf("non-ASCII %q in %q on an --ascii screen", r, l)
						}
					}
				}
			}
			s.keys("C-c")
			if st := s.waitExit(); st != "0" {
				t.Errorf("exit status %s", st)
			}
		})
	}
}

// TestTooSmallAndResizeDuringLoad shrinks the terminal below the minimum
// (a clear message), grows it back (the screen returns), and resizes while
// a large view loads (nothing is lost).
func TestTooSmallAndResizeDuringLoad(t *testing.T) {
	s := start(t, 80, 24, nil, "--demo", "--demo-threads", "20000")
	s.waitText("[1 Inbox", "1/")
	s.literal("jjj")
	s.waitText("4/")
	s.tmux("resize-window", "-t", "main", "-x", "40", "-y", "6")
	s.waitText("Terminal too small: 40x6", "Need at least 50x8")
	for _, size := range [][2]int{{120, 40}, {60, 15}, {200, 50}, {80, 24}} {
		s.tmux("resize-window", "-t", "main", "-x", fmt.Sprint(size[0]), "-y", fmt.Sprint(size[1]))
		scr := s.waitFor(fmt.Sprintf("a %dx%d screen", size[0], size[1]), func(scr string) bool {
			return strings.Contains(scr, "4/") && len(strings.Split(strings.TrimRight(scr, "\n"), "\n")) == size[1]
		})
		saneScreen(t, scr)
	}
	s.literal("G")
	scr := s.waitText("[1 Inbox")
	if strings.Contains(scr, "too small") {
		t.Errorf("the too-small message stayed:\n%s", scr)
	}
	s.keys("q")
	s.waitExit()
}
