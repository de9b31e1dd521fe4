package api

import (
	"net/url"
	"testing"
)

func TestSameOrigin(t *testing.T) {
	base, _ := url.Parse("https://contextgpt.in/api/v1")
	for raw, want := range map[string]bool{
		"https://contextgpt.in/other":         true,
		"https://CONTEXTGPT.in:443/api/v1/x":  true,
		"http://contextgpt.in/api/v1":         false, // https to http: the key in clear text
		"https://contextgpt.in:8443/api/v1":   false,
		"https://evil.example/api/v1":         false,
		"https://contextgpt.in.evil.example/": false,
	} {
		u, _ := url.Parse(raw)
		if got := sameOrigin(u, base); got != want {
			t.Errorf("%s: %v, want %v", raw, got, want)
		}
	}
}
