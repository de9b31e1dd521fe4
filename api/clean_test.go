package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"triage/api"
	"triage/sanitize"
)

const hostile = "A\x1b]2;PWNED\x07B\x1b[2J\u202eC\u009b31m\r\nD\u200b\ufeffE\U000e0041"

// setStrings sets every string reachable in v (fields, slices, pointers)
// to s: a field added to the thread later is covered without a change
// here.
func setStrings(v reflect.Value, s string) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		setStrings(v.Elem(), s)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				setStrings(v.Field(i), s)
			}
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.String {
			v.Set(reflect.ValueOf([]string{s, s}).Convert(v.Type()))
		}
	case reflect.String:
		v.SetString(s)
	}
}

// dirty names the strings reachable in v that could still reach a
// terminal raw.
func dirty(v reflect.Value, path string, out *[]string) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			dirty(v.Elem(), path, out)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				dirty(v.Field(i), path+"."+v.Type().Field(i).Name, out)
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			dirty(v.Index(i), path, out)
		}
	case reflect.String:
		if s := v.String(); sanitize.Text(s) != s || strings.Contains(s, "PWNED") {
			*out = append(*out, path+": "+s)
		}
	}
}

// TestDecodedStringsAreClean: every string of a thread decoded from a
// list page, a single-thread read or a PATCH answer is clean, whichever
// field it is in, the id and the mode included.
func TestDecodedStringsAreClean(t *testing.T) {
	var th api.Thread
	setStrings(reflect.ValueOf(&th).Elem(), hostile)
	th.InternalNotes = api.Value(hostile)
	raw, _ := json.Marshal(th)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Method == http.MethodPatch:
			_, _ = w.Write([]byte(`{"success":true,"data":{"updatedThreads":[[` + string(raw) + `]]}}`))
		case strings.Contains(r.URL.Path, "/thread/"):
			_, _ = w.Write([]byte(`{"success":true,"data":{"thread":` + string(raw) + `}}`))
		default:
			_, _ = w.Write([]byte(`{"success":true,"data":{"threads":[` + string(raw) + `],"pagination":{"page":1,"limit":1,"total":1,"totalPages":1}}}`))
		}
	}))
	defer srv.Close()
	c, err := api.New(api.Config{BaseURL: srv.URL + "/api/v1", ChatbotID: "b", APIKey: "k", RateLimit: -1})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	page, err := c.ListThreads(ctx, api.ListParams{})
	if err != nil || len(page.Threads) != 1 {
		t.Fatalf("list: %v", err)
	}
	updated, err := c.UpdateThreads(ctx, []api.UpdateItem{{ThreadID: "x", Resolved: api.Bool(true)}})
	if err != nil || len(updated) != 1 {
		t.Fatalf("update: %v", err)
	}
	read, _ := c.GetThread(ctx, page.Threads[0].ID)
	var found []string
	for name, v := range map[string]any{"list": page.Threads[0], "update": updated[0], "read": read} {
		dirty(reflect.ValueOf(v), name, &found)
	}
	if len(found) > 0 {
		t.Errorf("strings that could reach the terminal raw:\n%s", strings.Join(found, "\n"))
	}
	if page.Threads[0].Title != "ABC  DE" { // CR and LF become spaces on one line
		t.Errorf("the title decodes as %q", page.Threads[0].Title)
	}
}

// TestCleaningLeavesSharedIconsAlone: threads share their icons, so
// cleaning one thread's copies them when they change, and leaves them as
// they are (the same pointer, nothing written) when they are clean.
func TestCleaningLeavesSharedIconsAlone(t *testing.T) {
	shared := &api.Icons{BotIconSrc: "https://x/bot.png"}
	clean := api.Thread{ID: "a", Icons: shared}
	clean.Clean()
	if clean.Icons != shared {
		t.Error("clean icons were copied")
	}
	hostileIcons := &api.Icons{BotIconSrc: "https://x/\x1b]52;c;PWNED\x07bot.png"}
	dirtyOne := api.Thread{ID: "b", Icons: hostileIcons}
	dirtyOne.Clean()
	if dirtyOne.Icons == hostileIcons || strings.Contains(dirtyOne.IconsOf().BotIconSrc, "\x1b") || !strings.Contains(hostileIcons.BotIconSrc, "\x1b") {
		t.Errorf("cleaning wrote into the shared icons or left them raw: %q, shared %q", dirtyOne.IconsOf().BotIconSrc, hostileIcons.BotIconSrc)
	}
}
