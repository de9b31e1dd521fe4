package ui

import (
	"charm.land/bubbles/v2/spinner"
	"charm.land/lipgloss/v2"
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
	Unset       string
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
	return Glyphs{Cursor: "▶", Mark: "●", Pending: "~", Unconfirmed: "?", Problem: "!", Unset: "·", Cleared: "-",
		Ellipsis: "…", Sep: " · ", Arrow: "→", Above: "↑", SortDown: "▼", SortUp: "▲", Spinner: spinner.MiniDot}
}

// ASCIIGlyphs is for terminals and fonts without Unicode.
func ASCIIGlyphs() Glyphs {
	return Glyphs{Cursor: ">", Mark: "*", Pending: "~", Unconfirmed: "?", Problem: "!", Unset: ".", Cleared: "-",
		Ellipsis: "..", Sep: " | ", Arrow: "->", Above: "^", SortDown: "v", SortUp: "^", Spinner: spinner.Line}
}

// look is how the screen is drawn: the glyph set and the styles.
type look struct {
	g  Glyphs
	st styles
}

// styles are the lipgloss styles of the screen. Colours are 24-bit; the
// renderer converts them to what the terminal supports, and NO_COLOR keeps
// only bold and reverse, which is why every state also has a glyph.
type styles struct {
	bar       lipgloss.Style
	barActive lipgloss.Style
	header    lipgloss.Style
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
	hintKey     lipgloss.Style
	hintDesc    lipgloss.Style
	title       lipgloss.Style
}

func newStyles() styles {
	s := styles{
		bar:       lipgloss.NewStyle().Foreground(lipgloss.Color("#e8e8ff")).Background(lipgloss.Color("#3b3f8f")),
		barActive: lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("#1c1c3c")).Background(lipgloss.Color("#ffd75f")),
		header:    lipgloss.NewStyle().Bold(true).Underline(true),
		cursor:    lipgloss.NewStyle().Reverse(true).Bold(true),
		mark:      lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("#ff87d7")),
		pending:   lipgloss.NewStyle().Bold(true).Underline(true).Foreground(lipgloss.Color("#ffaf00")),
		dim:       lipgloss.NewStyle().Foreground(lipgloss.Color("#8a8a8a")),
		errText:   lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("#ff5f5f")),
		hintKey:   lipgloss.NewStyle().Bold(true),
		hintDesc:  lipgloss.NewStyle().Foreground(lipgloss.Color("#a0a0a0")),
		title:     lipgloss.NewStyle().Bold(true).Underline(true),
	}
	s.pendingText = map[rune]string{}
	for i, c := range []string{"#5fd787", "#87afd7", "#ff875f", "#ffd75f"} {
		s.flagOn[i] = lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color(c))
		s.flagOnText[i] = s.flagOn[i].Render(string(flagLetters[i]))
	}
	return s
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
