package journal

import (
	"crypto/sha256"
	"encoding/hex"
	"net"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
)

// NormalizeBase is the deployment part of a journal's key: the base URL
// with scheme and host in lower case, the default port dropped, trailing
// slashes and the spelling of /api/v1 made one, and every loopback name
// (localhost, 127.0.0.1, ::1) read as one, so that the same deployment
// always finds the same journal.
func NormalizeBase(base string) string {
	u, err := url.Parse(strings.TrimSpace(base))
	if err != nil || u.Host == "" {
		return strings.ToLower(strings.TrimRight(strings.TrimSpace(base), "/"))
	}
	scheme := strings.ToLower(u.Scheme)
	host, port := strings.ToLower(u.Hostname()), u.Port()
	if ip := net.ParseIP(host); host == "localhost" || ip != nil && ip.IsLoopback() {
		host = "loopback"
	}
	if scheme == "https" && port == "443" || scheme == "http" && port == "80" {
		port = ""
	}
	if port != "" {
		host += ":" + port
	}
	path := strings.ToLower(strings.TrimRight(u.EscapedPath(), "/"))
	return scheme + "://" + host + path
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// fileStem is the name a chatbot's journal files share in the state
// directory: the chatbot id and a hash of the normalised base URL.
func fileStem(chatbotID, normalizedBase string) string {
	sum := sha256.Sum256([]byte(normalizedBase))
	return chatbotPrefix(chatbotID) + hex.EncodeToString(sum[:4])
}

// chatbotPrefix is the part of a file name that names the chatbot.
func chatbotPrefix(chatbotID string) string {
	return unsafeName.ReplaceAllString(chatbotID, "_") + "-"
}

// paths are the files of one journal.
type paths struct {
	log, lock, rejected, tmp string
}

func pathsOf(dir, stem string) paths {
	p := filepath.Join(dir, stem)
	return paths{log: p + ".journal", lock: p + ".lock", rejected: p + ".rejected", tmp: p + ".tmp"}
}
