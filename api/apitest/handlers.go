package apitest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"triage/api"
)

type listResponse struct {
	Success bool     `json:"success"`
	Data    listData `json:"data"`
}

type listData struct {
	Threads    []api.Thread   `json:"threads"`
	Pagination api.Pagination `json:"pagination"`
}

// filter is a parsed list query.
type filter struct {
	mode  api.Mode
	bools [5]*bool // resolved, archived, escalated, important, anonymous
	model string
}

// boolParams are the boolean list filters, in filter.bools order.
func boolParams() [5]string {
	return [5]string{"resolved", "archived", "escalated", "important", "anonymous"}
}

func (f filter) match(r *record) bool {
	if f.mode != "" && r.mode != f.mode {
		return false
	}
	have := [5]bool{r.Resolved, r.Archived, r.Escalated, r.Important, r.Anonymous}
	for i, want := range f.bools {
		if want != nil && have[i] != *want {
			return false
		}
	}
	return f.model == "" || r.LLMModel != nil && r.LLMModel.ID == f.model
}

func (s *Server) handleList(w http.ResponseWriter, r *http.Request) {
	if !s.authorize(w, r) {
		return
	}
	q := r.URL.Query()
	var fields []any
	intParam := func(name string, def int) int {
		v := q.Get(name)
		if v == "" {
			return def
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			fields = append(fields, fieldError([]any{name}, "Expected a positive integer, received "+strconv.Quote(v)))
			return def
		}
		return n
	}
	page, limit := intParam("page", 1), intParam("limit", 20)
	var f filter
	if m := q.Get("mode"); m != "" {
		f.mode = api.Mode(m)
		if !f.mode.Valid() {
			fields = append(fields, fieldError([]any{"mode"}, "Invalid enum value. Expected 'AI' | 'AGENT' | 'HUMAN', received '"+m+"'"))
		}
	}
	for i, name := range boolParams() {
		switch v := q.Get(name); v {
		case "":
		case "true", "false":
			b := v == "true"
			f.bools[i] = &b
		default:
			fields = append(fields, fieldError([]any{name}, "Expected 'true' or 'false', received "+strconv.Quote(v)))
		}
	}
	f.model = q.Get("llmModelId")
	if most := s.opts.RefuseLimitAbove; most > 0 && limit > most {
		fields = append(fields, fieldError([]any{"limit"}, "Number must be less than or equal to "+strconv.Itoa(most)))
	}
	if len(fields) > 0 {
		writeError(w, http.StatusBadRequest, "REQUEST_VALIDATION_FAILED", "Request validation failed", fields)
		return
	}
	limit = min(limit, s.opts.MaxLimit)

	s.mu.Lock()
	matched := s.viewLocked(f, r.URL.Query())
	total := len(matched)
	start := min((page-1)*limit, total)
	end := min(start+limit, total)
	threads := make([]api.Thread, 0, end-start)
	for _, rec := range matched[start:end] {
		threads = append(threads, s.wire(rec))
	}
	s.mu.Unlock()

	writeJSON(w, http.StatusOK, listResponse{Success: true, Data: listData{
		Threads:    threads,
		Pagination: api.Pagination{Page: page, Limit: limit, Total: total, TotalPages: (total + limit - 1) / limit},
	}})
}

// viewLocked returns the records matching f, newest first, cached per
// filter until the next change.
func (s *Server) viewLocked(f filter, q map[string][]string) []*record {
	key := fmt.Sprint(f.mode, q["resolved"], q["archived"], q["escalated"], q["important"], q["anonymous"], f.model)
	if v, ok := s.cache[key]; ok {
		return v
	}
	var out []*record
	for _, rec := range s.sortedLocked() {
		if f.match(rec) {
			out = append(out, rec)
		}
	}
	if s.cache == nil {
		s.cache = map[string][]*record{}
	}
	s.cache[key] = out
	return out
}

func fieldError(path []any, msg string) map[string]any {
	return map[string]any{"path": path, "message": msg, "code": "invalid_type"}
}

type threadResponse struct {
	Success bool       `json:"success"`
	Data    threadData `json:"data"`
}

type threadData struct {
	Thread api.ThreadDetail `json:"thread"`
}

func (s *Server) handleGetThread(w http.ResponseWriter, r *http.Request) {
	if r.PathValue("threadId") == "update-thread" {
		s.methodNotAllowed(w, r)
		return
	}
	if !s.authorize(w, r) {
		return
	}
	s.mu.Lock()
	rec, ok := s.threads[r.PathValue("threadId")]
	var d api.ThreadDetail
	if ok {
		d = s.detail(rec)
	}
	s.mu.Unlock()
	if !ok {
		writeError(w, http.StatusNotFound, "THREAD_NOT_FOUND", "Thread not found", nil)
		return
	}
	writeJSON(w, http.StatusOK, threadResponse{Success: true, Data: threadData{Thread: d}})
}

type updateResponse struct {
	Success bool       `json:"success"`
	Message string     `json:"message"`
	Data    updateData `json:"data"`
}

type updateData struct {
	UpdatedThreads any `json:"updatedThreads"`
}

func (s *Server) handleUpdate(w http.ResponseWriter, r *http.Request) {
	if !s.authorize(w, r) {
		return
	}
	body, _ := io.ReadAll(r.Body)
	items, fields := parseUpdate(body)
	if len(fields) > 0 {
		writeError(w, http.StatusBadRequest, "REQUEST_VALIDATION_FAILED", "Request validation failed", fields)
		return
	}
	s.mu.Lock()
	updated := make([]api.Thread, 0, len(items))
	now := s.opts.Now().UTC()
	for _, it := range items {
		rec, ok := s.threads[it.ThreadID]
		if !ok {
			continue // unknown ids are skipped, as the real API does
		}
		apply(rec, it)
		rec.UpdatedAt = now
		updated = append(updated, s.wire(rec))
	}
	if len(updated) > 0 {
		s.touch()
	}
	s.mu.Unlock()
	var out any = [][]api.Thread{updated}
	if s.opts.FlatUpdated {
		out = updated
	}
	writeJSON(w, http.StatusOK, updateResponse{Success: true, Message: "Thread statuses updated successfully",
		Data: updateData{UpdatedThreads: out}})
}

func apply(rec *record, it api.UpdateItem) {
	for _, f := range []struct {
		v   *bool
		dst *bool
	}{
		{it.Resolved, &rec.Resolved}, {it.Archived, &rec.Archived},
		{it.Escalated, &rec.Escalated}, {it.Important, &rec.Important},
	} {
		if f.v != nil {
			*f.dst = *f.v
		}
	}
	if it.Mode != "" {
		rec.mode = it.Mode
	}
	if it.Tags != nil {
		rec.Tags = slices.Clone(it.Tags)
	}
	if !it.Title.IsZero() {
		rec.Title, _ = it.Title.Get()
	}
	if !it.InternalNotes.IsZero() {
		rec.notes = it.InternalNotes
	}
}

// itemType is the JSON type an update field must have; ok is false for a
// field the API does not know.
func itemType(field string) (string, bool) {
	switch field {
	case "threadId":
		return "string", true
	case "resolved", "archived", "escalated", "important":
		return "boolean", true
	case "mode":
		return "mode", true
	case "tags":
		return "string[]", true
	case "title", "internalNotes":
		return "string|null", true
	}
	return "", false
}

// parseUpdate validates a PATCH body strictly, the way the API's schema
// does, and returns the items or the field errors.
func parseUpdate(body []byte) ([]api.UpdateItem, []any) {
	var raw []json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, []any{fieldError([]any{}, "Expected an array of thread updates: "+err.Error())}
	}
	var fields []any
	items := make([]api.UpdateItem, 0, len(raw))
	for i, el := range raw {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(el, &obj); err != nil || obj == nil {
			fields = append(fields, fieldError([]any{i}, "Expected object"))
			continue
		}
		if _, ok := obj["threadId"]; !ok {
			fields = append(fields, fieldError([]any{i, "threadId"}, "Required"))
		}
		for k, v := range obj {
			want, known := itemType(k)
			if !known {
				fields = append(fields, map[string]any{"path": []any{i}, "message": "Unrecognized key(s) in object: '" + k + "'", "code": "unrecognized_keys"})
				continue
			}
			if msg := checkType(want, v); msg != "" {
				fields = append(fields, fieldError([]any{i, k}, msg))
			}
		}
		var it api.UpdateItem
		if err := json.Unmarshal(el, &it); err == nil && len(fields) == 0 {
			items = append(items, it)
		}
	}
	return items, fields
}

func checkType(want string, v json.RawMessage) string {
	v = bytes.TrimSpace(v)
	switch want {
	case "string":
		var s string
		if json.Unmarshal(v, &s) != nil || v[0] != '"' {
			return "Expected string, received " + jsonKind(v)
		}
		if strings.TrimSpace(s) == "" {
			return "String must contain at least 1 character(s)"
		}
	case "boolean":
		if string(v) != "true" && string(v) != "false" {
			return "Expected boolean, received " + jsonKind(v)
		}
	case "mode":
		var s string
		if json.Unmarshal(v, &s) != nil || !api.Mode(s).Valid() {
			return "Invalid enum value. Expected 'AI' | 'AGENT' | 'HUMAN', received " + string(v)
		}
	case "string[]":
		var ss []string
		if v[0] != '[' || json.Unmarshal(v, &ss) != nil || slices.Contains(ss, "") {
			return "Expected array of non-empty strings, received " + jsonKind(v)
		}
	case "string|null":
		if string(v) != "null" && v[0] != '"' {
			return "Expected string or null, received " + jsonKind(v)
		}
	}
	return ""
}

func jsonKind(v json.RawMessage) string {
	switch {
	case len(v) == 0:
		return "nothing"
	case v[0] == '"':
		return "string"
	case v[0] == '[':
		return "array"
	case v[0] == '{':
		return "object"
	case string(v) == "null":
		return "null"
	case string(v) == "true" || string(v) == "false":
		return "boolean"
	}
	return "number"
}
