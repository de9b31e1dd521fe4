package threads

import (
	"bytes"

	"triage/api"
)

// haystack is what the words of a search look in, for every thread of a
// list, in one contiguous buffer: title, visitor name, email, id and
// tags, ASCII letters lower-cased (as containsFold compares them), fields
// separated by 0 bytes. A word is then found with one bytes.Index over the
// whole buffer instead of five scattered strings per thread. The notes a
// row carries are there too; the conversations and notes read are in
// Texts.
type haystack struct {
	buf  []byte
	ends []int32 // ends[i] is where row i's text ends in buf
	// stamp is the store's and the list's change counts it was built at.
	stamp [2]int
}

// newHaystack is the haystack of rows, in buffers of the exact size (at
// 1M threads, growing by appends would leave up to half of them unused).
// Once built a haystack is never written again: a search on another
// goroutine may hold it while the list builds a new one.
func newHaystack(rows []*api.Thread, stamp [2]int) *haystack {
	h := &haystack{stamp: stamp}
	h.reserve(textSize(rows), len(rows))
	h.addRows(rows)
	return h
}

// textSize is the length of the rows' text in a haystack.
func textSize(rows []*api.Thread) int {
	size := 0
	for _, t := range rows {
		size += len(t.Title) + len(t.VisitorName) + len(t.VisitorEmail) + len(t.ID) + 4
		if n, ok := t.InternalNotes.Get(); ok && n != "" {
			size += len(fold(n)) + 1
		}
		for _, tag := range t.Tags {
			size += len(tag) + 1
		}
	}
	return size
}

// reserve makes room for size bytes of text of n rows.
func (h *haystack) reserve(size, n int) {
	h.buf, h.ends = make([]byte, 0, size), make([]int32, 0, n)
}

// addRows appends the text of rows.
func (h *haystack) addRows(rows []*api.Thread) {
	for _, t := range rows {
		h.add(t.Title)
		h.add(t.VisitorName)
		h.add(t.VisitorEmail)
		h.add(t.ID)
		if n, ok := t.InternalNotes.Get(); ok && n != "" { // the notes a row carries, when the server sends them
			h.add(searchable(n))
		}
		for _, tag := range t.Tags {
			h.add(tag)
		}
		h.ends = append(h.ends, int32(len(h.buf)))
	}
}

// add appends one field, ASCII letters lower-cased (the rest folded, as
// a search word is), and its separator.
func (h *haystack) add(s string) {
	if !isASCII(s) {
		s = fold(s)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		h.buf = append(h.buf, c)
	}
	h.buf = append(h.buf, 0)
}

// rowsWith calls found with the index of each row whose text holds word
// (lower-case ASCII without 0 bytes), in order; found returns false to
// stop.
func (h *haystack) rowsWith(word []byte, found func(row int) bool) {
	row, at, f := 0, 0, newFinder(word)
	for {
		j := f.index(h.buf[at:])
		if j < 0 {
			return
		}
		at += j
		for int(h.ends[row]) <= at { // rows only move forward
			row++
		}
		if !found(row) {
			return
		}
		at = int(h.ends[row]) // the next row: one hit per row is enough
		row++
		if row == len(h.ends) {
			return
		}
	}
}

// rowsMatching calls found with each row, in order, whose text in the
// haystack holds word or whose conversation or notes held (inText, by
// id) do; id reads a row's id (under the store's lock, for a search off
// the list's goroutine).
func (h *haystack) rowsMatching(word []byte, inText map[string]bool, n int, id func(i int) string, found func(row int)) {
	if len(inText) == 0 {
		h.rowsWith(word, func(i int) bool { found(i); return true })
		return
	}
	hit := make([]bool, n)
	h.rowsWith(word, func(i int) bool { hit[i] = true; return true })
	for i := range n {
		if hit[i] || inText[id(i)] {
			found(i)
		}
	}
}

// finder finds a word by the byte of it rarest in a haystack: the
// vectorised IndexByte skips to each place that byte is, and only there
// is the word compared, where bytes.Index, led by the word's first byte,
// stops at every "r" or "e" of the text.
type finder struct {
	word []byte
	rare byte
	at   int // where the rare byte is in the word
}

// commonness ranks the bytes of a haystack from rare to common: those
// beyond ASCII (accented letters, other scripts) rarest, then letters by
// their frequency in English, with the other ASCII marks in their midst,
// digits and "_" as common as the ids that are full of them make them,
// and the space, between every two words of a title, most common.
var commonness = func() (rank [256]int) {
	for i := range rank {
		rank[i] = 10
		if i < 0x80 {
			rank[i] = 30
		}
	}
	for i, c := range "zqxjkvbpygfwmucldrhsnioate" {
		rank[c] = 20 + i
	}
	for _, c := range "0123456789_" {
		rank[c] = 50
	}
	rank[' '] = 60
	return rank
}()

func newFinder(word []byte) finder {
	f := finder{word: word}
	for i, c := range word {
		if commonness[c] < commonness[word[f.at]] {
			f.at = i
		}
	}
	if len(word) > 0 {
		f.rare = word[f.at]
	}
	return f
}

// index is where the word first is in buf, -1 when it is not.
func (f finder) index(buf []byte) int {
	n := len(f.word)
	if n == 0 {
		return 0
	}
	for q := f.at; q < len(buf); q++ {
		j := bytes.IndexByte(buf[q:], f.rare)
		if j < 0 {
			return -1
		}
		q += j
		start := q - f.at
		if start+n > len(buf) {
			return -1
		}
		if string(buf[start:start+n]) == string(f.word) {
			return start
		}
	}
	return -1
}
