package presence

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

var now = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)

// shared is a fresh presence directory, as Open makes it.
func shared(t *testing.T) string {
	t.Helper()
	return filepath.Join(t.TempDir(), "presence")
}

// plant writes a file another console might have written, under name,
// with the JSON of e.
func plant(t *testing.T, dir, name string, e Entry) string {
	t.Helper()
	b, _ := json.Marshal(e)
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// peerName is a file name for a console of uid, with a live pid.
func peerName(uid int, tag string) string {
	return fmt.Sprintf("%d-%d-%s.json", uid, os.Getppid(), tag)
}

func TestWriteIsAtomicAndScanSeesTheOthers(t *testing.T) {
	path := shared(t)
	a, err := Open(path, "")
	if err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(path)
	if st.Mode()&fs.ModeSticky == 0 || st.Mode().Perm() != 0o777 {
		t.Fatalf("the directory was made %v, want sticky and open to the host's agents", st.Mode())
	}
	b, err := Open(path, "")
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 { // replaced in place, never half written
		if err := a.Write(Entry{Agent: "ana", Reading: fmt.Sprintf("th_%d", i), Queued: []string{"th_9"}, PID: os.Getpid(), Heartbeat: now}); err != nil {
			t.Fatal(err)
		}
	}
	files, _ := os.ReadDir(path)
	if len(files) != 1 || files[0].Name() != filepath.Base(a.File()) {
		t.Fatalf("the directory holds %v: a temporary file was left", files)
	}
	if st, _ := os.Stat(a.File()); st.Mode().Perm() != 0o644 {
		t.Errorf("the file is %v: others must read it, nobody else write it", st.Mode())
	}
	peers, err := b.Scan(now.Add(time.Second))
	if err != nil || len(peers) != 1 {
		t.Fatalf("scan: %v, %+v", err, peers)
	}
	if p := peers[0]; p.Reading != "th_2" || p.Queues() != 1 || !p.SameAccount || p.UID != os.Getuid() {
		t.Errorf("peer %+v", p)
	}
	if own, _ := a.Scan(now); len(own) != 0 {
		t.Errorf("a console sees itself: %+v", own)
	}
	a.Remove()
	if peers, _ := b.Scan(now); len(peers) != 0 {
		t.Errorf("a console that left is still seen: %+v", peers)
	}
}

func TestStaleAndDeadConsolesAreDropped(t *testing.T) {
	path := shared(t)
	d, _ := Open(path, "")
	uid := os.Getuid()
	plant(t, path, peerName(uid, "0000000a"), Entry{Agent: "old", PID: os.Getppid(), Heartbeat: now.Add(-staleAfter - time.Second)})
	fresh := plant(t, path, peerName(uid, "0000000b"), Entry{Agent: "fresh", PID: os.Getppid(), Heartbeat: now.Add(-staleAfter + time.Second)})
	// A process that has exited.
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	dead := plant(t, path, fmt.Sprintf("%d-%d-0000000c.json", uid, cmd.Process.Pid), Entry{Agent: "dead", PID: cmd.Process.Pid, Heartbeat: now})
	peers, _ := d.Scan(now)
	if len(peers) != 1 || peers[0].Agent != "fresh" {
		t.Fatalf("peers %+v, want only the fresh one", peers)
	}
	if _, err := os.Stat(dead); err == nil {
		t.Error("this account's dead console's file was left behind")
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Error("a live console's file was removed")
	}
}

func TestHostileFilesAreIgnored(t *testing.T) {
	path := shared(t)
	d, _ := Open(path, "")
	uid := os.Getuid()
	good := Entry{Agent: "ana", PID: os.Getppid(), Heartbeat: now}

	// A symbolic link to a file that would be believed.
	elsewhere := plant(t, t.TempDir(), "x.json", good)
	if err := os.Symlink(elsewhere, filepath.Join(path, peerName(uid, "00000001"))); err != nil {
		t.Fatal(err)
	}
	// A FIFO: reading it must not block the scan.
	if err := syscall.Mkfifo(filepath.Join(path, peerName(uid, "00000002")), 0o644); err != nil {
		t.Fatal(err)
	}
	// A 10 MB file.
	big := filepath.Join(path, peerName(uid, "00000003"))
	if err := os.WriteFile(big, []byte(`{"agent":"big","pid":1,"heartbeat":"`+now.Format(time.RFC3339)+`","queued":["`+strings.Repeat("x", 10<<20)+`"]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	// A file whose name says another uid than its owner's.
	plant(t, path, peerName(uid+1, "00000004"), good)
	// Not JSON, a directory, a name that is not a console's.
	os.WriteFile(filepath.Join(path, peerName(uid, "00000005")), []byte("\x1b]0;owned\a"), 0o644)
	os.Mkdir(filepath.Join(path, peerName(uid, "00000006")), 0o755)
	plant(t, path, "ana.json", good)
	// Escape sequences and a flood in what a file says.
	plant(t, path, peerName(uid, "00000007"), Entry{Agent: "\x1b[2J\x1b]0;pwned\aeve\u202e" + strings.Repeat("e", 100),
		Reading: "th_1\x1b[31m", Queued: []string{"th_2", "../../etc", "th 3"}, PID: os.Getppid(), Heartbeat: now})

	done := make(chan []Peer)
	go func() {
		peers, _ := d.Scan(now)
		done <- peers
	}()
	var peers []Peer
	select {
	case peers = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the scan hangs (a FIFO blocked it)")
	}
	if len(peers) != 1 {
		t.Fatalf("believed %d files, want only the one with escapes, cleaned: %+v", len(peers), peers)
	}
	p := peers[0]
	if p.Agent != "" || p.Name() != p.User {
		t.Errorf("agent %q (named %q) is not dropped for the account's name", p.Agent, p.Name())
	}
	if p.Reading != "" || len(p.Queued) != 1 || p.Queued[0] != "th_2" {
		t.Errorf("ids not checked: reading %q, queued %q", p.Reading, p.Queued)
	}
}

func TestAnotherAccountCannotSpeakForAThird(t *testing.T) {
	path := shared(t)
	d, _ := Open(path, "")
	const mallory = 4242
	name := peerName(mallory, "0000000d")
	p := plant(t, path, name, Entry{Agent: "ana", PID: os.Getppid(), Heartbeat: now})
	if err := os.Chown(p, mallory, mallory); err != nil {
		t.Skip("cannot give a file to another user here (not root):", err)
	}
	// And one under this account's uid, written by mallory: ignored.
	q := plant(t, path, peerName(os.Getuid(), "0000000e"), Entry{Agent: "me", PID: os.Getppid(), Heartbeat: now})
	os.Chown(q, mallory, mallory)
	peers, _ := d.Scan(now)
	if len(peers) != 1 {
		t.Fatalf("peers %+v", peers)
	}
	if got := peers[0].Name(); got != "ana (uid 4242)" && !strings.HasPrefix(got, "ana (") {
		t.Errorf("a file of uid 4242 claiming ana shows as %q: the account must show", got)
	}
	if peers[0].Name() == "ana" || peers[0].SameAccount {
		t.Errorf("%+v passes for ana", peers[0])
	}
}

func TestADirectoryOthersMayWriteWithoutStickyIsRefused(t *testing.T) {
	loose := filepath.Join(t.TempDir(), "loose")
	os.Mkdir(loose, 0o777)
	os.Chmod(loose, 0o777)
	if _, err := Open(loose, ""); err == nil || !strings.Contains(err.Error(), "sticky") {
		t.Errorf("a world-writable directory without the sticky bit: %v", err)
	}
	link := filepath.Join(t.TempDir(), "link")
	os.Symlink(t.TempDir(), link)
	if _, err := Open(link, ""); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("a symbolic link: %v", err)
	}
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o600)
	if _, err := Open(file, ""); err == nil {
		t.Error("a file taken for a directory")
	}
	sticky := filepath.Join(t.TempDir(), "sticky")
	os.Mkdir(sticky, 0o777)
	os.Chmod(sticky, 0o777|fs.ModeSticky)
	if _, err := Open(sticky, ""); err != nil {
		t.Errorf("a sticky directory like /tmp: %v", err)
	}
}

func TestDefaultPathIsPerChatbot(t *testing.T) {
	a, b := DefaultPath("https://x/api/v1", "bot1"), DefaultPath("https://x/api/v1/", "bot2")
	if a == b || filepath.Dir(a) != os.TempDir() || DefaultPath("https://x/api/v1/", "bot1") != a {
		t.Errorf("%s %s", a, b)
	}
}

func TestAConsoleSeesOnlyItsChatbotsPeers(t *testing.T) {
	path := shared(t)
	a, _ := Open(path, "bot-a")
	b, _ := Open(path, "bot-b")
	a2, _ := Open(path, "bot-a")
	a.Write(Entry{Agent: "ana", PID: os.Getpid(), Heartbeat: now})
	b.Write(Entry{Agent: "bo", PID: os.Getpid(), Heartbeat: now})
	if peers, _ := a2.Scan(now); len(peers) != 1 || peers[0].Agent != "ana" {
		t.Errorf("a console of bot-a sees %+v", peers)
	}
}

func TestANameThatCouldPassForAnotherIsDropped(t *testing.T) {
	path := shared(t)
	d, _ := Open(path, "")
	for i, name := range []string{"ana (root) is reading · mallory", "ana\tbo", strings.Repeat("a", 65), "ana"} {
		plant(t, path, peerName(os.Getuid(), fmt.Sprintf("%08x", i+1)), Entry{Agent: name, PID: os.Getppid(), Heartbeat: now})
	}
	peers, _ := d.Scan(now)
	kept := 0
	for _, p := range peers {
		if p.Agent != "" {
			kept++
			if p.Agent != "ana" {
				t.Errorf("a name kept: %q", p.Agent)
			}
		}
	}
	if len(peers) != 4 || kept != 1 {
		t.Errorf("%d peers, %d names kept: %+v", len(peers), kept, peers)
	}
}

func TestAFloodOfFilesHidesNoConsole(t *testing.T) {
	path := shared(t)
	d, _ := Open(path, "")
	for i := range 3000 {
		os.WriteFile(filepath.Join(path, fmt.Sprintf("junk-%d", i)), nil, 0o644)
	}
	for i := range 200 { // another account's fakes (its own, when root can give them): at most maxPerUID count
		f := plant(t, path, fmt.Sprintf("%d-%d-%08x.json", 4242, os.Getppid(), i), Entry{Agent: "fake", PID: os.Getppid(), Heartbeat: now})
		os.Chown(f, 4242, 4242)
	}
	plant(t, path, peerName(os.Getuid(), "aaaaaaaa"), Entry{Agent: "ana", PID: os.Getppid(), Heartbeat: now})
	peers, _ := d.Scan(now)
	found := false
	for _, p := range peers {
		found = found || p.Agent == "ana"
	}
	if !found || len(peers) > maxPerUID+1 {
		t.Errorf("%d peers, ana among them %v", len(peers), found)
	}
}
