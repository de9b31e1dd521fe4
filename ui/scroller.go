package ui

import "triage/keymap"

// scrollTo is where a movement action puts a cursor over n lines, page
// lines to a screen: the one scroll switch of the table, the review, the
// event log and the reader. ok is false for an action that does not move.
func scrollTo(a keymap.Action, cursor, n, page int) (to int, ok bool) {
	page = max(1, page)
	switch a {
	case keymap.Down:
		to = cursor + 1
	case keymap.Up:
		to = cursor - 1
	case keymap.Top:
		to = 0
	case keymap.Bottom:
		to = n - 1
	case keymap.HalfDown:
		to = cursor + page/2
	case keymap.HalfUp:
		to = cursor - page/2
	case keymap.PageDown:
		to = cursor + page
	case keymap.PageUp:
		to = cursor - page
	default:
		return cursor, false
	}
	return max(0, min(to, n-1)), true
}
