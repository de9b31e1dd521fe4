package ui

import (
	"image/color"
	"strings"

	"charm.land/bubbles/v2/spinner"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
)

// Glyphs are the characters that carry meaning on screen. Every one has
// an ASCII form, and none relies on colour alone.
type Glyphs struct {
	Cursor string
	Mark   string
	// Pending marks a row with queued edits; Unconfirmed one the server's
	// answer did not mention; Problem a conflict or a refused field.
	Pending     string
	Unconfirmed string
	Problem     string
	// Others marks a thread another agent on this host is on.
	Others string
	Unset  string
	// Cleared is a flag a pending edit clears.
	Cleared  string
	Ellipsis string
	Sep      string
	Arrow    string
	// Above points at new threads above the rows shown.
	Above string
	// SortDown and SortUp mark the sorted column.
	SortDown string
	SortUp   string
	Spinner  spinner.Spinner
}

// UnicodeGlyphs is the default set.
func UnicodeGlyphs() Glyphs {
	return Glyphs{Cursor: "▶", Mark: "●", Pending: "~", Unconfirmed: "?", Problem: "!", Others: "◉", Unset: "·", Cleared: "-",
		Ellipsis: "…", Sep: " · ", Arrow: "→", Above: "↑", SortDown: "▼", SortUp: "▲", Spinner: spinner.MiniDot}
}

// ASCIIGlyphs is for terminals and fonts without Unicode.
func ASCIIGlyphs() Glyphs {
	return Glyphs{Cursor: ">", Mark: "*", Pending: "~", Unconfirmed: "?", Problem: "!", Others: "@", Unset: ".", Cleared: "-",
		Ellipsis: "..", Sep: " | ", Arrow: "->", Above: "^", SortDown: "v", SortUp: "^", Spinner: spinner.Line}
}

// look is how the screen is drawn: the glyph set and the styles, chosen
// for the terminal's background (dark unless it says otherwise) and its
// colours.
type look struct {
	g       Glyphs
	st      styles
	dark    bool
	profile colorprofile.Profile
}

// styles are the lipgloss styles of the screen. Colours are 24-bit; the
// renderer converts them to what the terminal supports, and NO_COLOR keeps
// only bold and reverse, which is why every state also has a glyph.
type styles struct {
	bar       lipgloss.Style
	barActive lipgloss.Style
	cursor    lipgloss.Style
	mark      lipgloss.Style
	pending   lipgloss.Style
	flagOn    [4]lipgloss.Style
	// flagOnText and pendingText are the flag letters already styled:
	// rendering them once, not per row and frame, keeps redraws cheap.
	flagOnText  [4]string
	pendingText map[rune]string
	dim         lipgloss.Style
	errText     lipgloss.Style
	strong      lipgloss.Style
	hintKey     lipgloss.Style // a key in a hint: bold in the hint's colour
	hintDesc    lipgloss.Style
	title       lipgloss.Style
	match       lipgloss.Style // a match of the reader's search
	dark        bool           // for the text inputs' own styles
}

// tone is one colour of the screen: for dark and light backgrounds, in
// 24 bits and among the 16 ANSI colours. The 16-colour choices are made
// by hand, each foreground on a background of another hue (white on
// blue, black on yellow): the nearest-colour conversion of the 24-bit
// ones would put blue on blue.
type tone struct {
	dark, light     string
	dark16, light16 ansi.BasicColor
}

// The screen's colours.
var (
	toneBarFg    = tone{"#e8e8ff", "#1c1c3c", ansi.BrightWhite, ansi.BrightWhite}
	toneBarBg    = tone{"#3b3f8f", "#c8ccf0", ansi.Blue, ansi.Blue}
	toneActiveFg = tone{"#1c1c3c", "#ffffff", ansi.Black, ansi.Black}
	toneActiveBg = tone{"#ffd75f", "#3b3f8f", ansi.Yellow, ansi.Yellow}
	toneMark     = tone{"#ff87d7", "#af005f", ansi.BrightMagenta, ansi.Magenta}
	tonePending  = tone{"#ffaf00", "#af5f00", ansi.BrightYellow, ansi.Blue}
	toneDim      = tone{"#8a8a8a", "#6c6c6c", ansi.BrightBlack, ansi.BrightBlack}
	toneErr      = tone{"#ff5f5f", "#d70000", ansi.BrightRed, ansi.Red}
	toneHint     = tone{"#a0a0a0", "#4e4e4e", ansi.White, ansi.Black}
	toneFlags    = [4]tone{{"#5fd787", "#008700", ansi.BrightGreen, ansi.Green}, {"#87afd7", "#005faf", ansi.BrightBlue, ansi.Blue},
		{"#ff875f", "#d75f00", ansi.BrightRed, ansi.Red}, {"#ffd75f", "#875f00", ansi.BrightYellow, ansi.Magenta}}
)

// color is the tone for the background and the profile: none where the
// terminal has no colour.
func (t tone) color(dark bool, p colorprofile.Profile) color.Color {
	switch {
	case p <= colorprofile.Ascii:
		return lipgloss.NoColor{}
	case p == colorprofile.ANSI:
		return lipgloss.LightDark(dark)(t.light16, t.dark16)
	}
	return lipgloss.LightDark(dark)(lipgloss.Color(t.light), lipgloss.Color(t.dark))
}

func newStyles(dark bool, p colorprofile.Profile) styles {
	c := func(t tone) color.Color { return t.color(dark, p) }
	s := styles{
		bar:       lipgloss.NewStyle().Foreground(c(toneBarFg)).Background(c(toneBarBg)),
		barActive: lipgloss.NewStyle().Bold(true).Foreground(c(toneActiveFg)).Background(c(toneActiveBg)),
		cursor:    lipgloss.NewStyle().Reverse(true).Bold(true),
		mark:      lipgloss.NewStyle().Bold(true).Foreground(c(toneMark)),
		pending:   lipgloss.NewStyle().Bold(true).Underline(true).Foreground(c(tonePending)),
		dim:       lipgloss.NewStyle().Foreground(c(toneDim)),
		errText:   lipgloss.NewStyle().Bold(true).Foreground(c(toneErr)),
		strong:    lipgloss.NewStyle().Bold(true),
		hintKey:   lipgloss.NewStyle().Bold(true).Foreground(c(toneHint)),
		hintDesc:  lipgloss.NewStyle().Foreground(c(toneHint)),
		title:     lipgloss.NewStyle().Bold(true).Underline(true),
		match:     lipgloss.NewStyle().Reverse(true),
		dark:      dark,
	}
	s.pendingText = map[rune]string{}
	for i, t := range toneFlags {
		s.flagOn[i] = lipgloss.NewStyle().Foreground(c(t))
		s.flagOnText[i] = s.flagOn[i].Render(string(flagLetters[i]))
	}
	return s
}

// heading is a line of column heads or a summary over a list: bold and
// underlined, the spaces between its words too. lipgloss leaves spaces out
// of bold, and every space between two words then costs the terminal two
// more changes of style.
func (s *styles) heading(line string) string {
	return ansi.Style{}.Bold().Underline(true).Styled(line)
}

// hints joins key hints ("x mark  d resolved"), each a key and what it
// does, in one colour with only the keys bold, so that the line costs the
// terminal a change of weight per key and not four changes of style.
func (s *styles) hints(pairs [][2]string) string {
	parts := make([]string, len(pairs))
	for i, p := range pairs {
		parts[i] = s.hintKey.Render(p[0]) + s.hintDesc.Render(" "+p[1])
	}
	return strings.Join(parts, s.hintDesc.Render("  "))
}

// pendingGlyph is a flag glyph in the pending style, rendered once.
func (s *styles) pendingGlyph(r rune) string {
	if v, ok := s.pendingText[r]; ok {
		return v
	}
	v := s.pending.Render(string(r))
	s.pendingText[r] = v
	return v
}
