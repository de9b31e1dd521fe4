package commands

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"triage/api"
)

// hostile is a title that would run code if a shell read it as code.
const hostile = "$(touch PWNED) `touch PWNED2`; 'quoted' \"double\" \\ * ~\nsecond line"

func TestHostileValuesAreOneArgument(t *testing.T) {
	dir := t.TempDir()
	tmpl, err := Parse(`cd ` + Quote(dir) + ` && printf '[%s]\n' {{.Title}} {{range .Threads}}{{.ID}} {{end}}`)
	if err != nil {
		t.Fatal(err)
	}
	threads := []*api.Thread{{ID: "th_1", Title: hostile}, {ID: "th_2;reboot"}}
	line, err := Write(tmpl, NewData(threads, "bot", "https://x"))
	if err != nil {
		t.Fatal(err)
	}
	r := Background(context.Background(), line, 10*time.Second, nil)
	if r.Err != nil {
		t.Fatal(r.Err)
	}
	// printf prints one [..] per argument: the title (two lines), then each id.
	want := []string{"[$(touch PWNED) `touch PWNED2`; 'quoted' \"double\" \\ * ~", "second line]", "[th_1]", "[th_2;reboot]"}
	if !reflect.DeepEqual(r.Output, want) {
		t.Errorf("the shell saw %q, want %q", r.Output, want)
	}
	for _, f := range []string{"PWNED", "PWNED2"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			t.Errorf("the title ran code: %s exists", f)
		}
	}
}

func TestTheKeyIsNotThere(t *testing.T) {
	for _, f := range reflect.VisibleFields(reflect.TypeFor[Data]()) {
		if strings.Contains(strings.ToLower(f.Name), "key") {
			t.Errorf("the template data has %s", f.Name)
		}
	}
	tmpl, _ := Parse("{{.APIKey}}")
	if _, err := Write(tmpl, NewData([]*api.Thread{{ID: "th_1"}}, "b", "u")); err == nil || !strings.Contains(err.Error(), "{{.ID}}") {
		t.Errorf("{{.APIKey}}: %v", err)
	}
	t.Setenv("TRIAGE_TEST_KEY", "sekret")
	r := Background(context.Background(), `echo "${TRIAGE_TEST_KEY:-hidden}"`, 10*time.Second, []string{"TRIAGE_TEST_KEY"})
	if r.Err != nil || len(r.Output) != 1 || r.Output[0] != "hidden" {
		t.Errorf("the command saw the key's variable: %+v", r)
	}
}

func TestFailureSaysStatusAndStderr(t *testing.T) {
	r := Background(context.Background(), `echo started; printf 'one\ntwo\n\033]0;evil\007three\nfour\n' >&2; exit 3`, 10*time.Second, nil)
	if r.Err == nil || r.Err.Error() != "failed with exit status 3: two / three / four" || r.Output[0] != "started" {
		t.Errorf("%+v", r)
	}
	r = Background(context.Background(), `exit 1`, 10*time.Second, nil)
	if r.Err == nil || !strings.Contains(r.Err.Error(), "exit status 1: no error output") {
		t.Errorf("%v", r.Err)
	}
}

func TestHangingCommandIsStoppedWhole(t *testing.T) {
	start := time.Now()
	r := Background(context.Background(), `sleep 30 & sleep 30; wait`, 200*time.Millisecond, nil)
	if r.Err == nil || !strings.Contains(r.Err.Error(), "did not finish within 200ms") || time.Since(start) > 5*time.Second {
		t.Errorf("%v after %s", r.Err, time.Since(start))
	}
}

func TestForegroundKeepsStderrForTheReport(t *testing.T) {
	cmd, stderr := Foreground(`echo 'no such mailbox' >&2; exit 2`, nil)
	w := cmd.Stderr.(multi) // the terminal and the tail
	var term strings.Builder
	w.term = &term // not the test's terminal
	cmd.Stderr = w
	err := Failure(cmd.Run(), stderr)
	if err == nil || err.Error() != "failed with exit status 2: no such mailbox" {
		t.Errorf("%v", err)
	}
	if term.String() != "no such mailbox\n" {
		t.Errorf("the terminal got %q", term.String())
	}
}

func TestTailKeepsTheLastBytes(t *testing.T) {
	tail := Tail{max: 10}
	for i := range 100 {
		fmt.Fprintf(&tail, "%02d,", i)
	}
	if got := tail.String(); got != ",97,98,99," {
		t.Errorf("%q", got)
	}
	r := Background(context.Background(), `yes line | head -c 3000000; echo; echo last`, 10*time.Second, nil)
	if r.Err != nil || len(r.Output) == 0 || r.Output[len(r.Output)-1] != "last" {
		t.Errorf("%v, %d lines", r.Err, len(r.Output))
	}
}
