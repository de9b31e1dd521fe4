package journal

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"triage/queue"
)

// Other is a journal of the same chatbot under another key: another
// spelling of the base URL, another deployment, the embedded demo, or the
// format of an earlier version. Its edits are never applied here; the
// agent is told what it holds and may set it aside.
type Other struct {
	Path string
	// Base is the deployment it belongs to, as its header names it
	// ("demo" for the embedded demo); "" when it cannot be read.
	Base    string
	Edits   []*queue.Edit
	Written time.Time
	// Holder names the console holding it now, "" when none does.
	Holder string
	// Problem says why its edits cannot be read (an earlier format).
	Problem string
}

// Others lists the journals of this chatbot under other keys that hold
// edits.
func (j *Journal) Others() []Other {
	var out []Other
	matches, _ := filepath.Glob(filepath.Join(j.dir, chatbotPrefix(j.chatbot)+"*"))
	for _, m := range matches {
		ext := filepath.Ext(m)
		if m == j.p.log || ext != ".journal" && ext != ".json" {
			continue
		}
		st, err := os.Lstat(m)
		if err != nil || !st.Mode().IsRegular() || st.Size() == 0 {
			continue
		}
		o := Other{Path: m, Written: st.ModTime()}
		if ext == ".json" {
			o.Problem = "the format of an earlier version"
		} else {
			o.readEdits(j.lim)
			o.Holder = holder(strings.TrimSuffix(m, ext) + ".lock")
		}
		if len(o.Edits) > 0 || o.Problem != "" {
			out = append(out, o)
		}
	}
	return out
}

// readEdits replays the journal's lines into its edits, leaving out what
// does not check; it changes nothing on disk.
func (o *Other) readEdits(lim Limits) {
	b, err := os.ReadFile(o.Path)
	if err != nil {
		o.Problem = err.Error()
		return
	}
	lines := bytes.Split(b, []byte("\n"))
	var h header
	if json.Unmarshal(lines[0], &h) != nil || h.Journal != "triage" || h.Version != Version {
		o.Problem = "not a journal of this version"
		return
	}
	o.Base = h.BaseURL
	state := map[string]*queue.Edit{}
	var order []string
	for _, raw := range lines[1:] {
		if len(bytes.TrimSpace(raw)) == 0 {
			continue
		}
		switch put, del, why := decodeLine(raw, lim); {
		case why != "":
		case put != nil:
			if state[put.ThreadID] == nil {
				order = append(order, put.ThreadID)
			}
			state[put.ThreadID] = put
		default:
			delete(state, del)
		}
	}
	for _, id := range order {
		if e := state[id]; e != nil {
			o.Edits = append(o.Edits, e)
		}
	}
}

// holder names the console holding a lock file now, "" when none does.
func holder(lockPath string) string {
	f, err := os.OpenFile(lockPath, os.O_RDONLY, 0)
	if err != nil {
		return ""
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_SH|syscall.LOCK_NB); errors.Is(err, syscall.EWOULDBLOCK) {
		return readOwner(lockPath).String()
	}
	return ""
}

// SetAside moves another journal out of the way, keeping it whole beside
// (….set-aside-<time>), and returns where; a journal a console holds is
// refused.
func SetAside(o Other, now time.Time) (string, error) {
	if h := holder(strings.TrimSuffix(o.Path, filepath.Ext(o.Path)) + ".lock"); h != "" {
		return "", fmt.Errorf("%s is held by %s", o.Path, h)
	}
	to := o.Path + ".set-aside-" + now.UTC().Format("20060102T150405")
	if err := os.Rename(o.Path, to); err != nil {
		return "", fmt.Errorf("journal: %w", err)
	}
	return to, nil
}
