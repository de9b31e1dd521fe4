package commands

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"triage/api"
)

func TestTheKeyIsNotThere(t *testing.T) {
	for _, f := range reflect.VisibleFields(reflect.TypeFor[Data]()) {
		if strings.Contains(strings.ToLower(f.Name), "key") {
			t.Errorf("the template data has %s", f.Name)
		}
	}
	tmpl, _ := Parse("{{.APIKey}}")
	if _, err := Write(tmpl, []*api.Thread{{ID: "th_1"}}, "b", "u"); err == nil || !strings.Contains(err.Error(), "{{.ID}}") {
		t.Errorf("{{.APIKey}}: %v", err)
	}
	t.Setenv("CONTEXTGPT_TEST_KEY", "sekret")
	r := Background(context.Background(), Line{Script: `echo "${CONTEXTGPT_TEST_KEY:-hidden}"`}, 10*time.Second, []string{"CONTEXTGPT_TEST_KEY"})
	if r.Err != nil || len(r.Output) != 1 || r.Output[0] != "hidden" {
		t.Errorf("the command saw the key's variable: %+v", r)
	}
}

func TestFailureSaysStatusAndStderr(t *testing.T) {
	r := Background(context.Background(), Line{Script: `echo started; printf 'one\ntwo\n\033]0;evil\007three\nfour\n' >&2; exit 3`}, 10*time.Second, nil)
	if r.Err == nil || r.Err.Error() != "failed with exit status 3: two / three / four" || r.Output[0] != "started" {
		t.Errorf("%+v", r)
	}
	r = Background(context.Background(), Line{Script: `exit 1`}, 10*time.Second, nil)
	if r.Err == nil || !strings.Contains(r.Err.Error(), "exit status 1: no error output") {
		t.Errorf("%v", r.Err)
	}
}

func TestHangingCommandIsStoppedWhole(t *testing.T) {
	start := time.Now()
	r := Background(context.Background(), Line{Script: `sleep 30 & sleep 30; wait`}, 200*time.Millisecond, nil)
	if r.Err == nil || !strings.Contains(r.Err.Error(), "did not finish within 200ms") || time.Since(start) > 5*time.Second {
		t.Errorf("%v after %s", r.Err, time.Since(start))
	}
}

func TestForegroundKeepsStderrForTheReport(t *testing.T) {
	cmd, stderr := Foreground(Line{Script: `echo 'no such mailbox' >&2; exit 2`}, nil)
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
	r := Background(context.Background(), Line{Script: `yes line | head -c 3000000; echo; echo last`}, 10*time.Second, nil)
	if r.Err != nil || len(r.Output) == 0 || r.Output[len(r.Output)-1] != "last" {
		t.Errorf("%v, %d lines", r.Err, len(r.Output))
	}
}
