package ui

// overlay is what covers the table.
type overlay int

const (
	overlayNone overlay = iota
	overlayHelp
	overlayReview
	overlayPrompt
	overlayForm
	overlayLog
	overlayReader
)

// screen is the terminal's size, the overlays in front of the table (the
// last on top: closing one shows the one it was opened from), and the
// components that draw there, each owning its state.
type screen struct {
	width, height int
	front         []overlay
	help          helpPane
	log           eventLog
	review        review
	prompt        prompt
	form          form // the one open, nil when none
	// frame is the last frame drawn; while wait, View shows it again
	// rather than drawing a new one (see statusBar.follow).
	frame string
	wait  bool
}

// top is the overlay in front, overlayNone when the table is.
func (s *screen) top() overlay {
	if len(s.front) == 0 {
		return overlayNone
	}
	return s.front[len(s.front)-1]
}

// open puts o in front; an overlay already open is brought forward.
func (s *screen) open(o overlay) {
	s.close(o)
	s.front = append(s.front, o)
}

// close removes o, wherever it is.
func (s *screen) close(o overlay) {
	for i, f := range s.front {
		if f == o {
			s.front = append(s.front[:i], s.front[i+1:]...)
			return
		}
	}
}

// isOpen reports whether o is open, in front or behind another.
func (s *screen) isOpen(o overlay) bool {
	for _, f := range s.front {
		if f == o {
			return true
		}
	}
	return false
}

// tooSmall reports whether the terminal is below the minimum size.
func (s *screen) tooSmall() bool { return s.width < minWidth || s.height < minHeight }

// rows is the number of lines between the top bar and the status line.
func (s *screen) rows() int { return s.height - chromeLines + 1 }
