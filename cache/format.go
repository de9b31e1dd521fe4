package cache

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"sync"
	"time"

	"triage/api"
)

// The file, every integer a varint:
//
//	magic "TRIAGE\x00C", format version
//	key (base URL and chatbot), written at (Unix ns), number of views
//	per view: its ViewKey, total, read at, mark, number of rows, then per row either
//	  the index+1 of a thread an earlier row wrote, or 0 and the thread
//	CRC-32C of everything before it, 4 bytes little-endian
//
// A thread is its fields in a fixed order. Strings that repeat across
// threads (chatbot, platform, icons, tags, model, mode) are symbols: 0
// and the string the first time, then the index+1 of that first time.
// Other strings are a length and the bytes.
const (
	magic   = "TRIAGE\x00C"
	version = 2 // 2: a thread says which of its fields were cut
	// maxString bounds one string, far above any field's: a length
	// beyond it is damage, not a thread.
	maxString = 1 << 20
	// chunk is how many rows are encoded under one hold of the store's
	// lock, so a Put on the UI goroutine waits at most that long.
	chunk = 256
)

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// Flag bits of a thread.
const (
	fAnonymous = 1 << iota
	fEscalated
	fImportant
	fResolved
	fArchived
	fModel
	fNotesNull
	fNotesValue
	fCutTitle
	fCutNotes
)

// encoder writes threads and symbols into a buffer.
type encoder struct {
	buf  []byte
	syms map[string]uint64
}

func (e *encoder) uint(v uint64) { e.buf = binary.AppendUvarint(e.buf, v) }
func (e *encoder) int(v int64)   { e.buf = binary.AppendVarint(e.buf, v) }

func (e *encoder) str(s string) {
	e.uint(uint64(len(s)))
	e.buf = append(e.buf, s...)
}

func (e *encoder) sym(s string) {
	if i, ok := e.syms[s]; ok {
		e.uint(i)
		return
	}
	e.uint(0)
	e.str(s)
	e.syms[s] = uint64(len(e.syms) + 1)
}

// time writes 0 for the zero time, else 1 and the Unix nanoseconds.
func (e *encoder) time(t time.Time) {
	if t.IsZero() {
		e.uint(0)
		return
	}
	e.uint(1)
	e.int(t.UnixNano())
}

func (e *encoder) thread(t *api.Thread) {
	var flags uint64
	notes, hasNotes := t.InternalNotes.Get()
	for bit, on := range [...]bool{t.Anonymous, t.Escalated, t.Important, t.Resolved, t.Archived,
		t.LLMModel != nil, t.InternalNotes.IsNull(), hasNotes, t.Cut&api.CutTitle != 0, t.Cut&api.CutNotes != 0} {
		if on {
			flags |= 1 << bit
		}
	}
	e.uint(flags)
	e.str(t.ID)
	e.sym(t.ChatbotID)
	e.str(t.VisitorID)
	e.str(t.Title)
	e.uint(uint64(max(t.UnreadMessagesCount, 0)))
	e.uint(uint64(len(t.Tags)))
	for _, tag := range t.Tags {
		e.sym(tag)
	}
	e.uint(uint64(max(t.PositiveCount, 0)))
	e.uint(uint64(max(t.NegativeCount, 0)))
	e.sym(t.PlatformSource)
	e.time(t.StartedAt)
	e.time(t.UpdatedAt)
	e.time(t.EndedAt)
	e.str(t.VisitorName)
	e.str(t.VisitorEmail)
	e.str(t.VisitorPhone)
	ic := t.IconsOf()
	e.sym(ic.BotIconSrc)
	e.sym(ic.UserIconSrc)
	e.sym(ic.AgentIconSrc)
	e.sym(ic.BubbleIconSrc)
	if m := t.LLMModel; m != nil {
		e.sym(m.ID)
		e.sym(m.Provider)
		e.sym(m.Title)
	}
	e.sym(string(t.Mode))
	if hasNotes {
		e.str(notes)
	}
}

// encode writes the whole file to w: the header, then each view's rows
// in chunks encoded under lock and written outside it.
func encode(w io.Writer, key string, now time.Time, views []View, lock sync.Locker) error {
	out := newSumWriter(w)
	e := &encoder{syms: map[string]uint64{}}
	e.header(magic, version, key)
	e.int(now.UnixNano())
	e.uint(uint64(len(views)))
	index := map[*api.Thread]uint64{}
	for _, v := range views {
		e.str(v.Key)
		e.int(int64(v.Total))
		e.time(v.ReadAt)
		e.time(v.Mark)
		e.uint(uint64(len(v.Rows)))
		for start := 0; start < len(v.Rows); start += chunk {
			lock.Lock()
			for _, t := range v.Rows[start:min(start+chunk, len(v.Rows))] {
				if i, ok := index[t]; ok {
					e.uint(i)
					continue
				}
				e.uint(0)
				e.thread(t)
				index[t] = uint64(len(index) + 1)
			}
			lock.Unlock()
			if err := out.put(e); err != nil {
				return err
			}
		}
	}
	return out.end(e)
}

// header writes a file's magic, format version and key.
func (e *encoder) header(magic string, version uint64, key string) {
	e.buf = append(e.buf, magic...)
	e.uint(version)
	e.str(key)
}

// sumWriter writes a file through its CRC-32C, and the sum at its end.
type sumWriter struct {
	w   io.Writer
	crc hash.Hash32
}

func newSumWriter(w io.Writer) *sumWriter { return &sumWriter{w: w, crc: crc32.New(crcTable)} }

// put writes what e holds and empties it.
func (s *sumWriter) put(e *encoder) error {
	if _, err := io.MultiWriter(s.w, s.crc).Write(e.buf); err != nil {
		return err
	}
	e.buf = e.buf[:0]
	return nil
}

// end writes what e holds, then the sum.
func (s *sumWriter) end(e *encoder) error {
	if err := s.put(e); err != nil {
		return err
	}
	_, err := s.w.Write(binary.LittleEndian.AppendUint32(nil, s.crc.Sum32()))
	return err
}

// errDamaged is what any malformed content is reported as.
var errDamaged = errors.New("it is damaged")

// decoder reads a file of known size, checking every length against
// what is left so damage is an error, never a panic or a huge allocation.
type decoder struct {
	r    *bufio.Reader
	left int64
	syms []string
	// shared holds one copy of each set of icons read, which the threads
	// that carry it share.
	shared map[api.Icons]*api.Icons
	err    error
}

// icons is the shared copy of ic, nil when it is empty.
func (d *decoder) icons(ic api.Icons) *api.Icons {
	if ic == (api.Icons{}) {
		return nil
	}
	if p, ok := d.shared[ic]; ok {
		return p
	}
	if d.shared == nil {
		d.shared = map[api.Icons]*api.Icons{}
	}
	p := &ic
	d.shared[ic] = p
	return p
}

func (d *decoder) fail(err error) {
	if d.err == nil {
		d.err = err
	}
}

func (d *decoder) ReadByte() (byte, error) {
	if d.left <= 0 {
		return 0, errDamaged
	}
	b, err := d.r.ReadByte()
	if err != nil {
		return 0, errDamaged
	}
	d.left--
	return b, nil
}

func (d *decoder) uint() uint64 {
	v, err := binary.ReadUvarint(d)
	if err != nil {
		d.fail(errDamaged)
	}
	return v
}

func (d *decoder) int() int64 {
	v, err := binary.ReadVarint(d)
	if err != nil {
		d.fail(errDamaged)
	}
	return v
}

// count reads a number of things of at least one byte each.
func (d *decoder) count() int {
	n := d.uint()
	if n > uint64(d.left) {
		d.fail(errDamaged)
		return 0
	}
	return int(n)
}

func (d *decoder) str() string {
	n := d.count()
	if d.err != nil || n == 0 {
		return ""
	}
	if n > maxString {
		d.fail(errDamaged)
		return ""
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(d.r, b); err != nil {
		d.fail(errDamaged)
		return ""
	}
	d.left -= int64(n)
	return string(b)
}

func (d *decoder) sym() string {
	i := d.uint()
	switch {
	case d.err != nil:
		return ""
	case i == 0:
		s := d.str()
		d.syms = append(d.syms, s)
		return s
	case i > uint64(len(d.syms)):
		d.fail(errDamaged)
		return ""
	}
	return d.syms[i-1]
}

func (d *decoder) time() time.Time {
	if d.uint() == 0 {
		return time.Time{}
	}
	return time.Unix(0, d.int()).UTC()
}

func (d *decoder) thread() api.Thread {
	flags := d.uint()
	var t api.Thread
	t.Anonymous, t.Escalated, t.Important = flags&fAnonymous != 0, flags&fEscalated != 0, flags&fImportant != 0
	t.Resolved, t.Archived = flags&fResolved != 0, flags&fArchived != 0
	if flags&fCutTitle != 0 {
		t.Cut |= api.CutTitle
	}
	if flags&fCutNotes != 0 {
		t.Cut |= api.CutNotes
	}
	t.ID = d.str()
	t.ChatbotID = d.sym()
	t.VisitorID = d.str()
	t.Title = d.str()
	t.UnreadMessagesCount = int(d.uint())
	if n := d.count(); n > 0 {
		t.Tags = make([]string, n)
		for i := range t.Tags {
			t.Tags[i] = d.sym()
		}
	}
	t.PositiveCount, t.NegativeCount = int(d.uint()), int(d.uint())
	t.PlatformSource = d.sym()
	t.StartedAt, t.UpdatedAt, t.EndedAt = d.time(), d.time(), d.time()
	t.VisitorName, t.VisitorEmail, t.VisitorPhone = d.str(), d.str(), d.str()
	t.Icons = d.icons(api.Icons{BotIconSrc: d.sym(), UserIconSrc: d.sym(), AgentIconSrc: d.sym(), BubbleIconSrc: d.sym()})
	if flags&fModel != 0 {
		t.LLMModel = &api.LLMModel{ID: d.sym(), Provider: d.sym(), Title: d.sym()}
	}
	t.Mode = api.Mode(d.sym())
	switch {
	case flags&fNotesValue != 0:
		t.InternalNotes = api.Value(d.str())
	case flags&fNotesNull != 0:
		t.InternalNotes = api.Null()
	}
	if t.ID == "" {
		d.fail(errDamaged)
	}
	t.Clean() // the file is ours, but a changed one must not reach the screen raw
	return t
}

// header reads a file's magic (a what otherwise), format version and
// key, and says what is wrong with them.
func (d *decoder) header(magic string, version uint64, key, what string) error {
	head := make([]byte, len(magic))
	if _, err := io.ReadFull(d.r, head); err != nil || string(head) != magic {
		return errors.New("it is not a " + what)
	}
	d.left -= int64(len(magic))
	if v := d.uint(); d.err == nil && v != version {
		return fmt.Errorf("it is of format version %d; this console reads version %d", v, version)
	}
	if k := d.str(); d.err == nil && k != key {
		return errors.New("it belongs to another chatbot or base URL")
	}
	return d.err
}

// checksum reads a whole file of size bytes and reports whether its last
// four bytes are the CRC-32C of the rest.
func checksum(r io.Reader, size int64) error {
	if size < int64(len(magic))+4 {
		return errDamaged
	}
	crc := crc32.New(crcTable)
	if _, err := io.CopyN(crc, r, size-4); err != nil {
		return errDamaged
	}
	var sum [4]byte
	if _, err := io.ReadFull(r, sum[:]); err != nil || binary.LittleEndian.Uint32(sum[:]) != crc.Sum32() {
		return fmt.Errorf("%w (its checksum does not match)", errDamaged)
	}
	return nil
}

// Part is what Reader.Next read: rows of one view, in its order. The
// first part of a view has View set (its key, total, read at, mark; no
// rows) and Size, its number of rows. New are the threads no earlier
// part brought, in the order they appear; Rows name each row by its
// place among every thread the file brought so far (New continue the
// count), so a thread in two views is one thread.
type Part struct {
	View *View
	Size int
	New  []api.Thread
	Rows []int
}

// next decodes up to n rows of the file: the rest of the view under way,
// or the start of the next. ok is false at the file's end.
func (r *Reader) next(n int) (p Part, ok bool, err error) {
	d := r.d
	if r.left == 0 {
		if r.views == 0 {
			if d.left != 0 {
				d.fail(errDamaged)
			}
			return Part{}, false, d.err
		}
		r.views--
		p.View = &View{Key: d.str(), Total: int(d.int()), ReadAt: d.time(), Mark: d.time()}
		r.left = d.count()
		p.Size = r.left
	}
	n = min(n, r.left)
	p.Rows = make([]int, 0, n)
	for range n {
		switch i := d.uint(); {
		case d.err != nil:
		case i == 0:
			p.New = append(p.New, d.thread())
			p.Rows = append(p.Rows, r.threads)
			r.threads++
		case i <= uint64(r.threads):
			p.Rows = append(p.Rows, int(i-1))
		default:
			d.fail(errDamaged)
		}
		if d.err != nil {
			return Part{}, false, d.err
		}
	}
	r.left -= n
	return p, true, nil
}
