package api

import (
	"encoding/json"
	"testing"
	"time"
)

// TestPagesAreDecodedOnACoreFewer: a page waits to be decoded while as
// many pages are decoded as the process has cores less one, so a key
// always finds a core; it is decoded once one of them ends.
func TestPagesAreDecodedOnACoreFewer(t *testing.T) {
	for range cap(decoding) {
		decoding <- struct{}{} // the pages being decoded
	}
	done := make(chan error)
	go func() {
		var p Page
		done <- json.Unmarshal([]byte(`{"threads":[{"id":"t1","updatedAt":"2026-12-02T10:00:00Z"}],"pagination":{}}`), &p)
	}()
	select {
	case <-done:
		t.Fatal("a page was decoded while every decoding slot was taken")
	case <-time.After(100 * time.Millisecond):
	}
	<-decoding // one of them ends
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(time.Minute):
		t.Fatal("the page was never decoded")
	}
	for range cap(decoding) - 1 {
		<-decoding
	}
}
