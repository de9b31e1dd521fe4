package main

import (
	"bytes"
	"os"
	"strings"
	"unicode/utf8"
)

// filtered is the console's output on a terminal that cannot take all of
// what Bubble Tea writes. On a limited terminal (dumb, vt100) it drops
// the queries (device attributes, mode reports, the keyboard protocol's)
// and the switches of keyboard and input modes, and every OSC (title,
// clipboard, colours), none of which such a terminal knows: their answers
// would never come, or come as keys. Where the locale is not UTF-8 it
// writes '?' for any character that is not ASCII, a last guard behind the
// console's own ASCII frames. It is the terminal's file to Bubble Tea
// (Fd), so sizes and raw mode work as on the file itself.
type filtered struct {
	f           *os.File
	dropQueries bool
	asciiOnly   bool
	held        []byte // a sequence cut between two writes
}

// Read reads the terminal.
func (w *filtered) Read(p []byte) (int, error) { return w.f.Read(p) }

// Close closes the terminal.
func (w *filtered) Close() error { return w.f.Close() }

// Fd is the terminal's descriptor.
func (w *filtered) Fd() uintptr { return w.f.Fd() }

// Write writes p without what the terminal cannot take; it reports all
// of p written.
func (w *filtered) Write(p []byte) (int, error) {
	in := append(w.held, p...)
	w.held = nil
	var out bytes.Buffer
	for i := 0; i < len(in); {
		c := in[i]
		switch {
		case c == 0x1b:
			n := sequenceLen(in[i:])
			if n < 0 { // cut short: the rest comes with the next write
				w.held = append([]byte(nil), in[i:]...)
				i = len(in)
				continue
			}
			if seq := in[i : i+n]; !w.dropQueries || !unknownTo(string(seq)) {
				out.Write(seq)
			}
			i += n
		case c >= utf8.RuneSelf && w.asciiOnly:
			_, size := utf8.DecodeRune(in[i:])
			out.WriteByte('?')
			i += size
		default:
			out.WriteByte(c)
			i++
		}
	}
	if _, err := w.f.Write(out.Bytes()); err != nil {
		return 0, err
	}
	return len(p), nil
}

// sequenceLen is the length of the escape sequence at the start of b, or
// -1 when b ends before it does.
func sequenceLen(b []byte) int {
	if len(b) < 2 {
		return -1
	}
	switch b[1] {
	case '[':
		for i := 2; i < len(b); i++ {
			if b[i] >= 0x40 && b[i] <= 0x7e {
				return i + 1
			}
		}
		return -1
	case ']', 'P', '_', '^', 'X':
		for i := 2; i < len(b); i++ {
			if b[i] == 0x07 {
				return i + 1
			}
			if b[i] == 0x1b && i+1 < len(b) && b[i+1] == '\\' {
				return i + 2
			}
		}
		return -1
	}
	i := 1
	for i < len(b) && b[i] >= 0x20 && b[i] <= 0x2f {
		i++
	}
	if i >= len(b) {
		return -1
	}
	return i + 1
}

// unknownTo reports a sequence a limited terminal does not know: a query
// or a switch of keyboard or input modes, or any OSC or DCS.
func unknownTo(seq string) bool {
	if len(seq) < 3 {
		return false
	}
	if seq[1] != '[' {
		return seq[1] == ']' || seq[1] == 'P' || seq[1] == '_' || seq[1] == '^'
	}
	body, final := seq[2:len(seq)-1], seq[len(seq)-1]
	switch {
	case body != "" && strings.IndexByte("<=>", body[0]) >= 0:
		return true // xterm's and kitty's keyboard modes, XTVERSION, secondary DA
	case final == 'c' || final == 'n' || final == 'u':
		return true // device attributes, status reports, the kitty keyboard query
	case final == 'p' && strings.Contains(body, "$"):
		return true // a mode report (DECRQM)
	case (final == 'h' || final == 'l') && strings.HasPrefix(body, "?"):
		for _, mode := range strings.Split(body[1:], ";") {
			switch mode {
			case "1", "7", "25", "47", "1047", "1048", "1049":
			default:
				return true // paste, focus, mouse, synchronized output, Unicode width
			}
		}
	}
	return false
}
