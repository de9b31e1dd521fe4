package threads

import (
	"bytes"

	"triage/api"
)

// haystack is what the words of a search look in, for every thread of a
// list, in one contiguous buffer: title, visitor name, email, id and
// tags, ASCII letters lower-cased (as containsFold compares them), fields
// separated by 0 bytes. A word is then found with one bytes.Index over the
// whole buffer instead of five scattered strings per thread.
type haystack struct {
	buf  []byte
	ends []int32 // ends[i] is where row i's text ends in buf
	// stamp is the store's and the list's change counts it was built at.
	stamp [2]int
}

// build fills the haystack for rows, in buffers of the exact size (at 1M
// threads, growing by appends would leave up to half of them unused).
func (h *haystack) build(rows []*api.Thread) {
	size := 0
	for _, t := range rows {
		size += len(t.Title) + len(t.VisitorName) + len(t.VisitorEmail) + len(t.ID) + 4
		for _, tag := range t.Tags {
			size += len(tag) + 1
		}
	}
	if cap(h.buf) < size || cap(h.buf) > 2*size {
		h.buf = make([]byte, 0, size)
	}
	if cap(h.ends) < len(rows) || cap(h.ends) > 2*len(rows) {
		h.ends = make([]int32, 0, len(rows))
	}
	h.buf, h.ends = h.buf[:0], h.ends[:0]
	for _, t := range rows {
		h.add(t.Title)
		h.add(t.VisitorName)
		h.add(t.VisitorEmail)
		h.add(t.ID)
		for _, tag := range t.Tags {
			h.add(tag)
		}
		h.ends = append(h.ends, int32(len(h.buf)))
	}
}

// add appends one field, ASCII letters lower-cased, and its separator.
func (h *haystack) add(s string) {
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
	row, at := 0, 0
	for {
		j := bytes.Index(h.buf[at:], word)
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
