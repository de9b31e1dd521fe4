package ui

import (
	"bytes"
	"image/color"
	"regexp"
	"strconv"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"triage/session"
)

// asSent is a frame as the terminal receives it in profile p: the
// renderer converts every colour to what the profile has.
func asSent(frame string, p colorprofile.Profile) string {
	var b bytes.Buffer
	w := &colorprofile.Writer{Forward: &b, Profile: p}
	_, _ = w.WriteString(frame)
	return b.String()
}

// TestThemes: the top bar, a row, the status line and the key hint in the
// dark and light themes, in 24-bit and 16 colours, as the terminal gets
// them; without colour only bold, underline and reverse are left.
func TestThemes(t *testing.T) {
	for _, c := range []struct {
		name    string
		dark    bool
		profile colorprofile.Profile
	}{
		{"dark", true, colorprofile.TrueColor}, {"light", false, colorprofile.TrueColor},
		{"dark-16", true, colorprofile.ANSI}, {"light-16", false, colorprofile.ANSI},
		{"none", true, colorprofile.ASCII},
	} {
		t.Run(c.name, func(t *testing.T) {
			m, _, _ := loadedModelWith(t, 30, &fakeAPI{}, session.Options{Now: fixedClock}) // ages do not move with the day
			m.look.dark, m.look.profile = c.dark, c.profile
			m.look.st = newStyles(c.dark, c.profile)
			act(t, m, " ", "d") // a mark and a pending flag on the first row
			lines := strings.Split(m.render(), "\n")
			picked := []string{lines[0], lines[2], lines[3], lines[len(lines)-2], lines[len(lines)-1]}
			var out []string
			for _, l := range picked {
				out = append(out, strconv.Quote(asSent(l, c.profile)))
			}
			golden.RequireEqual(t, []byte(strings.Join(out, "\n")+"\n"))
			if sent := asSent(strings.Join(picked, "\n"), c.profile); sgrColour.MatchString(sent) != (c.profile != colorprofile.ASCII) {
				t.Errorf("colour sent in profile %v: %v", c.profile, sgrColour.FindString(sent))
			}
		})
	}
}

// sgrColour finds an SGR sequence that sets a colour.
var sgrColour = regexp.MustCompile(`\x1b\[(?:[0-9]*;)*(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])[;m]`)

// TestSixteenColoursAreLegible: in 16 colours no text is drawn on a
// background of its own hue (bright or not), in either theme.
func TestSixteenColoursAreLegible(t *testing.T) {
	hue := func(c ansi.BasicColor) int { return int(c) % 8 }
	for _, pair := range [][2]tone{{toneBarFg, toneBarBg}, {toneActiveFg, toneActiveBg}} {
		if hue(pair[0].dark16) == hue(pair[1].dark16) || hue(pair[0].light16) == hue(pair[1].light16) {
			t.Errorf("%v on %v", pair[0], pair[1])
		}
	}
	for _, fg := range append([]tone{toneMark, tonePending, toneDim, toneErr, toneHint}, toneFlags[:]...) {
		if fg.light16 == ansi.White || fg.light16 == ansi.BrightWhite || fg.light16 == ansi.BrightYellow || fg.light16 == ansi.Yellow {
			t.Errorf("%v: white or yellow text on a light background", fg)
		}
		if fg.dark16 == ansi.Black || fg.dark16 == ansi.Blue {
			t.Errorf("%v: black or blue text on a dark background", fg)
		}
	}
}

// TestTheBackgroundAnswerRestyles: the console starts dark, asks the
// terminal its background and takes the light styles when it is light;
// a theme chosen in the config neither asks nor changes.
func TestTheBackgroundAnswerRestyles(t *testing.T) {
	white := tea.BackgroundColorMsg{Color: color.White}
	m, _, _ := loadedModel(t, 5)
	if m.opts.Terminal.askBackground() == nil {
		t.Error("an auto theme does not ask the background")
	}
	darkHint := hintLine(m.opts.Keys, overlayNone, false, 80, &m.look)
	m.Update(white)
	if m.look.dark || hintLine(m.opts.Keys, overlayNone, false, 80, &m.look) == darkHint {
		t.Error("a white background kept the dark styles")
	}
	for _, theme := range []string{"dark", "light"} {
		m := testConsole(session.Options{API: &fakeAPI{}}, Options{Terminal: Terminal{Theme: theme}})
		before := m.look.dark
		m.Update(white)
		m.Update(tea.BackgroundColorMsg{Color: color.Black})
		if m.opts.Terminal.askBackground() != nil || m.look.dark != before || before != (theme == "dark") {
			t.Errorf("theme %s: dark %v, then %v", theme, before, m.look.dark)
		}
	}
	if (Terminal{NoQueries: true}).askBackground() != nil {
		t.Error("a terminal that cannot answer was asked")
	}
}
