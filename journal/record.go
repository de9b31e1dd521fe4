package journal

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"strings"
	"unicode"
	"unicode/utf8"

	"triage/queue"
)

// Version is the format version of the journal.
const Version = 2

// The journal is a log of JSON lines: a header naming the chatbot and the
// deployment, then one line per change, a whole edit ("put") or the end of
// one ("del"), each with a CRC-32 of its payload. Replaying the lines in
// order gives the queue; the writer rewrites the file whole when the log
// has grown well past what it holds.

// header is the first line.
type header struct {
	Journal   string `json:"journal"`
	Version   int    `json:"version"`
	ChatbotID string `json:"chatbotId"`
	BaseURL   string `json:"baseUrl"`
}

// line is every other line: Put or Del, and the CRC of that payload.
type line struct {
	CRC uint32          `json:"crc"`
	Put json.RawMessage `json:"put,omitempty"`
	Del json.RawMessage `json:"del,omitempty"`
}

// putLine and delLine encode one change.
func putLine(e *queue.Edit) ([]byte, error) {
	b, err := json.Marshal(e)
	if err != nil {
		return nil, err
	}
	return json.Marshal(line{CRC: crc32.ChecksumIEEE(b), Put: b})
}

func delLine(id string) ([]byte, error) {
	b, err := json.Marshal(id)
	if err != nil {
		return nil, err
	}
	return json.Marshal(line{CRC: crc32.ChecksumIEEE(b), Del: b})
}

// Limits are the longest values the forms accept; an edit in the journal
// must keep to them too.
type Limits struct{ Tag, Title, Notes int }

// decodeLine reads one change: the edit put, or the id deleted; problem
// says why the line cannot be trusted (naming the thread and the field
// when it can).
func decodeLine(raw []byte, lim Limits) (put *queue.Edit, del string, problem string) {
	var l line
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l); err != nil {
		return nil, "", "not a journal line: " + err.Error()
	}
	payload := l.Put
	if len(payload) == 0 {
		payload = l.Del
	}
	if len(payload) == 0 || len(l.Put) > 0 && len(l.Del) > 0 {
		return nil, "", "neither one edit nor one deletion"
	}
	if crc32.ChecksumIEEE(payload) != l.CRC {
		id := ""
		var probe struct {
			ThreadID string `json:"threadId"`
		}
		if json.Unmarshal(l.Put, &probe) == nil {
			id = probe.ThreadID
		}
		return nil, "", withThread(id, "checksum mismatch: the line was damaged")
	}
	if len(l.Del) > 0 {
		if err := json.Unmarshal(l.Del, &del); err != nil || del == "" {
			return nil, "", "a deletion without a thread id"
		}
		return nil, del, ""
	}
	var e queue.Edit
	dec = json.NewDecoder(bytes.NewReader(l.Put))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		return nil, "", withThread(e.ThreadID, "unreadable edit: "+err.Error())
	}
	if p := validate(&e, lim); p != "" {
		return nil, "", withThread(e.ThreadID, p)
	}
	return &e, "", ""
}

func withThread(id, problem string) string {
	if id == "" {
		return problem
	}
	return "thread " + id + ": " + problem
}

// validate checks an edit as the forms would have: a thread id, a known
// mode, tags that are words within the limit, a title and notes within
// theirs, and at least one field. It returns "" or the first problem,
// naming the field.
func validate(e *queue.Edit, lim Limits) string {
	switch {
	case strings.TrimSpace(e.ThreadID) == "" || strings.ContainsFunc(e.ThreadID, unicode.IsControl):
		return "threadId: missing or not a thread id"
	case e.Fields() == 0:
		return "no field is edited"
	case e.Mode != nil && !e.Mode.Want.Valid():
		return fmt.Sprintf("mode: %q is not a mode", e.Mode.Want)
	case e.Mode != nil && e.Mode.Base != "" && !e.Mode.Base.Valid():
		return fmt.Sprintf("mode: base %q is not a mode", e.Mode.Base)
	}
	if t := e.Tags; t != nil {
		for _, list := range [][]string{t.Add, t.Remove, t.List} {
			for _, tag := range list {
				if tag == "" || strings.ContainsFunc(tag, unicode.IsSpace) || lim.Tag > 0 && utf8.RuneCountInString(tag) > lim.Tag {
					return fmt.Sprintf("tags: %q is not a tag of at most %d characters", clip(tag), lim.Tag)
				}
			}
		}
	}
	for _, f := range []struct {
		name  string
		edit  *queue.TextEdit
		limit int
	}{{"title", e.Title, lim.Title}, {"notes", e.Notes, lim.Notes}} {
		if f.edit != nil && f.edit.Want != nil && f.limit > 0 && utf8.RuneCountInString(*f.edit.Want) > f.limit {
			return fmt.Sprintf("%s: %d characters, more than the limit of %d", f.name, utf8.RuneCountInString(*f.edit.Want), f.limit)
		}
	}
	return ""
}

// clip shortens a value for a message.
func clip(s string) string {
	if utf8.RuneCountInString(s) > 24 {
		return string([]rune(s)[:24]) + "…"
	}
	return s
}
