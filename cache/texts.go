package cache

import (
	"bufio"
	"io"
	"strings"

	"triage/threads"
)

// The conversations and notes the console read, kept beside the thread
// cache as the search holds them (searchable: folded, white space as one
// space) so a search finds what was said from the first frame of the
// next start, without folding them again. The file, every integer a varint:
//
//	magic "TRIAGE\x00T", format version
//	key (base URL and chatbot), number of texts
//	per text: thread id, as of (its updatedAt when read), conversation, notes
//	CRC-32C of everything before it, 4 bytes little-endian
//
// It is bounded (WriteTexts keeps the newest within a budget), written
// 0600 like the thread cache, and checked like it: a damaged file, one of
// another version or another chatbot is removed and said.
const (
	textsMagic   = "TRIAGE\x00T"
	textsVersion = 1
)

// TextsPath is the file of the texts beside the thread cache; its name
// ends like every cache file, so `triage cache clear` removes it too.
func (c *Cache) TextsPath() string {
	return strings.TrimSuffix(c.path, suffix) + "-texts" + suffix
}

// LoadTexts reads the texts kept, the most recent first; no file is none.
func (c *Cache) LoadTexts() ([]threads.Text, error) {
	f, r, size, err := c.open(c.TextsPath(), "conversation cache")
	if f == nil || err != nil {
		return nil, err
	}
	defer f.Close()
	out, err := decodeTexts(r, size, c.key)
	if err != nil {
		return nil, discard(c.TextsPath(), "conversation cache", err)
	}
	return out, nil
}

// WriteTexts replaces the file with texts (the most recent first), as
// many as fit in budget bytes.
func (c *Cache) WriteTexts(texts []threads.Text, budget int) error {
	kept, size := 0, 0
	for _, t := range texts {
		if size += len(t.ID) + len(t.Conversation) + len(t.Notes) + 16; size > budget {
			break
		}
		kept++
	}
	return c.write(c.TextsPath(), "conversation cache", func(w io.Writer) error {
		return encodeTexts(w, c.key, texts[:kept])
	})
}

func encodeTexts(w io.Writer, key string, texts []threads.Text) error {
	out := newSumWriter(w)
	e := &encoder{}
	e.header(textsMagic, textsVersion, key)
	e.uint(uint64(len(texts)))
	for _, t := range texts {
		e.str(t.ID)
		e.time(t.AsOf)
		e.str(t.Conversation)
		e.str(t.Notes)
		if len(e.buf) > 1<<16 {
			if err := out.put(e); err != nil {
				return err
			}
		}
	}
	return out.end(e)
}

func decodeTexts(r *bufio.Reader, size int64, key string) ([]threads.Text, error) {
	d := &decoder{r: r, left: size - 4}
	if err := d.header(textsMagic, textsVersion, key, "conversation cache"); err != nil {
		return nil, err
	}
	n := d.count()
	out := make([]threads.Text, 0, n)
	for range n {
		t := threads.Text{ID: d.str(), AsOf: d.time(), Conversation: d.str(), Notes: d.str()}
		if d.err != nil {
			return nil, d.err
		}
		out = append(out, t)
	}
	if d.err == nil && d.left != 0 {
		d.fail(errDamaged)
	}
	if d.err != nil {
		return nil, d.err
	}
	return out, nil
}
