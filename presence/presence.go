// Package presence tells the consoles on one host who is on which thread:
// they share a directory, and each keeps one small file there saying which
// agent runs it, the thread it is reading, the threads it has edits queued
// on, and a heartbeat. The API has no presence of its own; across hosts
// there is none.
//
// The directory is hostile ground: any user of the host may write there.
// It is created sticky, like /tmp, so nobody but a file's owner (and the
// directory's) can remove or replace it, and one others may write without
// the sticky bit is refused. A file is believed only when it is a regular
// file, small, owned by the uid its name carries, fresh, and written by a
// process that still runs; every string in it is sanitised, and the Unix
// account that wrote it is shown beside the name it claims, so nobody can
// speak for another account.
package presence

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"triage/sanitize"
)

// Beat is how often a console writes its file when nothing changed; a
// file whose heartbeat is older than three beats is stale.
const Beat = 5 * time.Second

// staleAfter is the age at which a heartbeat no longer counts.
const staleAfter = 3 * Beat

// Limits on what a file may hold: larger files are ignored whole, longer
// lists and strings are cut.
const (
	MaxFile   = 64 << 10
	MaxQueued = 2000
	maxNames  = 1 << 16 // names read per scan: a flood of files cannot stall it
	maxPerUID = 64      // consoles believed of one account: its flood cannot hide the others
	maxID     = 128
)

// Entry is what a console says of itself, the JSON of its file.
type Entry struct {
	// Scope names the chatbot (and deployment) the console triages: a
	// directory shared by several chatbots' consoles shows each only its
	// own.
	Scope   string   `json:"scope"`
	Agent   string   `json:"agent"`
	Reading string   `json:"reading,omitempty"`
	Queued  []string `json:"queued,omitempty"`
	// Fields are how many fields are queued on each thread of Queued.
	Fields []int `json:"fields,omitempty"`
	// QueuedCount is how many threads have edits queued, when Queued was
	// cut to MaxQueued.
	QueuedCount int       `json:"queuedCount,omitempty"`
	PID         int       `json:"pid"`
	Heartbeat   time.Time `json:"heartbeat"`
}

// Queues is how many threads the console has edits queued on.
func (e Entry) Queues() int { return max(e.QueuedCount, len(e.Queued)) }

// Peer is another console of the host, as its file tells it.
type Peer struct {
	Entry
	// UID and User are the account that wrote the file, from the file
	// system, not from what it says.
	UID  int
	User string
	// SameAccount is a console of this very account (perhaps another
	// agent sharing it, perhaps this agent elsewhere).
	SameAccount bool
}

// Name is the agent as the file names it, with the account that wrote it
// when that is another name: "ana", "ana (mallory)".
func (p Peer) Name() string {
	if p.Agent == "" || strings.EqualFold(p.Agent, p.User) {
		return p.User
	}
	return p.Agent + " (" + p.User + ")"
}

// Dir is the shared directory and this console's file in it.
type Dir struct {
	path  string
	scope string
	uid   int
	file  string // this console's file name
	// users caches the accounts' names by uid.
	mu    sync.Mutex
	users map[int]string
}

// Scope is the name of a chatbot of a deployment in presence files.
func Scope(baseURL, chatbotID string) string {
	sum := sha256.Sum256([]byte(strings.TrimRight(baseURL, "/") + "\x00" + chatbotID))
	return hex.EncodeToString(sum[:6])
}

// DefaultPath is the directory of a chatbot under the system's temporary
// directory: the consoles of one chatbot meet there.
func DefaultPath(baseURL, chatbotID string) string {
	return filepath.Join(os.TempDir(), "triage-presence-"+Scope(baseURL, chatbotID))
}

// Open opens (or creates, sticky and writable by everyone, as /tmp is)
// the directory at path for the consoles of scope, and refuses one that
// is not a directory, or that others may write without the sticky bit:
// there anyone could replace another's file.
func Open(path, scope string) (*Dir, error) {
	if err := os.Mkdir(path, 0o700); err == nil {
		// Made here: open it to the host's other agents, sticky.
		if err := os.Chmod(path, 0o777|fs.ModeSticky); err != nil {
			return nil, fmt.Errorf("presence: %w", err)
		}
	} else if !errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("presence: %w", err)
	}
	st, err := os.Lstat(path)
	if err != nil {
		return nil, fmt.Errorf("presence: %w", err)
	}
	mode := st.Mode()
	switch {
	case mode&fs.ModeSymlink != 0:
		return nil, fmt.Errorf("presence: %s is a symbolic link; presence_dir must be a directory", path)
	case !mode.IsDir():
		return nil, fmt.Errorf("presence: %s is not a directory", path)
	case mode.Perm()&0o022 != 0 && mode&fs.ModeSticky == 0:
		return nil, fmt.Errorf("presence: %s (mode %04o, owned by %s) may be written by others without the sticky bit, "+
			"so anyone could replace another agent's file; presence is off (chmod +t %s, or set presence_dir)",
			path, mode.Perm(), ownerOf(st), path)
	}
	var suffix [4]byte
	if _, err := rand.Read(suffix[:]); err != nil {
		return nil, fmt.Errorf("presence: %w", err)
	}
	uid := os.Getuid()
	d := &Dir{path: path, scope: scope, uid: uid, users: map[int]string{},
		file: fmt.Sprintf("%d-%d-%s.json", uid, os.Getpid(), hex.EncodeToString(suffix[:]))}
	return d, nil
}

// Path is the directory.
func (d *Dir) Path() string { return d.path }

// File is this console's file.
func (d *Dir) File() string { return filepath.Join(d.path, d.file) }

// Write replaces this console's file with e, atomically: a new file under
// a name nobody else can have chosen, renamed over the old one. Readable
// by the host's other agents, writable by this account alone.
func (d *Dir) Write(e Entry) error {
	e.Scope = d.scope
	if len(e.Queued) > MaxQueued {
		e.QueuedCount, e.Queued = len(e.Queued), e.Queued[:MaxQueued]
		e.Fields = e.Fields[:min(len(e.Fields), MaxQueued)]
	}
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(d.path, ".tmp-"+strings.TrimSuffix(d.file, ".json")+"-*")
	if err != nil {
		return fmt.Errorf("presence: %w", err)
	}
	tmp := f.Name()
	_, werr := f.Write(b)
	if err := errors.Join(werr, f.Chmod(0o644), f.Close()); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("presence: %w", err)
	}
	if err := os.Rename(tmp, d.File()); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("presence: %w", err)
	}
	return nil
}

// Remove removes this console's file: it leaves at once, not after its
// heartbeat goes stale.
func (d *Dir) Remove() error {
	if err := os.Remove(d.File()); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// fileName is a console's file: uid, pid and a random part.
var fileName = regexp.MustCompile(`^([0-9]{1,10})-([0-9]{1,10})-[0-9a-f]{8}\.json$`)

// Scan reads the other consoles' files: the fresh ones of running
// processes, owned by the uid their name carries. Anything else is
// skipped (this account's own stale files are removed).
func (d *Dir) Scan(now time.Time) ([]Peer, error) {
	dir, err := os.Open(d.path)
	if err != nil {
		return nil, fmt.Errorf("presence: %w", err)
	}
	defer dir.Close()
	names, err := dir.Readdirnames(maxNames) // names only: files that are not consoles' cost nothing more
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("presence: %w", err)
	}
	var peers []Peer
	perUID := map[int]int{}
	for _, name := range names {
		m := fileName.FindStringSubmatch(name)
		if m == nil || name == d.file {
			continue
		}
		uid, _ := strconv.Atoi(m[1])
		if perUID[uid] >= maxPerUID {
			continue
		}
		if p, ok := d.read(filepath.Join(d.path, name), uid, now); ok {
			perUID[uid]++
			peers = append(peers, p)
		}
	}
	return peers, nil
}

// read reads one file as a peer, when it can be believed.
func (d *Dir) read(path string, uid int, now time.Time) (Peer, bool) {
	st, err := os.Lstat(path)
	if err != nil || !st.Mode().IsRegular() || st.Size() > MaxFile || fileUID(st) != uid {
		return Peer{}, false
	}
	// O_NOFOLLOW and O_NONBLOCK: a file swapped for a link or a FIFO since
	// the Lstat neither leads elsewhere nor blocks the read.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
	if err != nil {
		return Peer{}, false
	}
	defer f.Close()
	fst, err := f.Stat()
	if err != nil || !fst.Mode().IsRegular() || !os.SameFile(st, fst) || fileUID(fst) != uid {
		return Peer{}, false
	}
	b, err := io.ReadAll(io.LimitReader(f, MaxFile+1))
	if err != nil || len(b) > MaxFile {
		return Peer{}, false
	}
	var e Entry
	if json.Unmarshal(b, &e) != nil || e.Scope != d.scope {
		return Peer{}, false
	}
	if age := now.Sub(e.Heartbeat); age > staleAfter || age < -time.Minute || !running(e.PID) {
		if uid == d.uid && (age > staleAfter || !running(e.PID)) {
			os.Remove(path) // a console of ours that died: tidy up
		}
		return Peer{}, false
	}
	return Peer{Entry: clean(e), UID: uid, User: d.userName(uid), SameAccount: uid == d.uid}, true
}

// agentName is what an agent's name may be, as agent_name is: letters,
// digits and a few marks, no spaces (a name like "ana (root) is reading"
// could pass for another account).
var agentName = regexp.MustCompile(`^[\p{L}\p{N}._@+-]{1,64}$`)

// clean cuts and sanitises what a file says; a name that is not an
// agent's is dropped (the account's shows instead).
func clean(e Entry) Entry {
	if e.Agent = sanitize.Line(e.Agent); !agentName.MatchString(e.Agent) {
		e.Agent = ""
	}
	e.Reading = id(e.Reading)
	if len(e.Queued) > MaxQueued {
		e.Queued = e.Queued[:MaxQueued]
	}
	ids, fields := e.Queued[:0], make([]int, 0, len(e.Queued))
	for i, q := range e.Queued {
		if q = id(q); q != "" {
			n := 1
			if i < len(e.Fields) && e.Fields[i] > 0 && e.Fields[i] < 100 {
				n = e.Fields[i]
			}
			ids, fields = append(ids, q), append(fields, n)
		}
	}
	e.Queued, e.Fields = ids, fields
	e.QueuedCount = max(0, min(e.QueuedCount, 10_000_000))
	return e
}

// id is a thread id as a file gives it, "" when it cannot be one.
func id(s string) string {
	if s == "" || len(s) > maxID || sanitize.Line(s) != s || strings.ContainsAny(s, " \t/") {
		return ""
	}
	return s
}

// running reports whether a process exists (it may be another user's).
func running(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// fileUID is the owner of a file, -1 when the system does not say.
func fileUID(st fs.FileInfo) int {
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		return int(s.Uid)
	}
	return -1
}

// ownerOf names a file's owner for messages.
func ownerOf(st fs.FileInfo) string {
	uid := fileUID(st)
	if u, err := user.LookupId(strconv.Itoa(uid)); err == nil {
		return u.Username
	}
	return "uid " + strconv.Itoa(uid)
}

// userName is the account of a uid, looked up once.
func (d *Dir) userName(uid int) string {
	d.mu.Lock()
	defer d.mu.Unlock()
	if name, ok := d.users[uid]; ok {
		return name
	}
	name := "uid " + strconv.Itoa(uid)
	if u, err := user.LookupId(strconv.Itoa(uid)); err == nil {
		name = sanitize.Line(u.Username)
	}
	d.users[uid] = name
	return name
}
