package main

import (
	"errors"
	"io"
	"os"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"golang.org/x/term"

	"triage/config"
	"triage/ui"
)

// errNoTerminal is the start without a terminal (ssh -T, a pipe).
var errNoTerminal = errors.New("triage needs a terminal: run it with ssh -t (or from a terminal, not a pipe)")

// console is the terminal the console draws on, as found before it
// starts: where keys come from, where frames go, and what the terminal
// can show and answer.
type console struct {
	in    *os.File // the keyboard: standard input, or /dev/tty
	out   *os.File // the screen: standard output
	close func()   // closes /dev/tty when it was opened
	ui.Terminal
	// limited is a terminal that knows no queries, keyboard modes,
	// titles or colours (dumb, vt52, vt100…).
	limited bool
	pushed  bool // the title was saved
}

// openConsole finds the terminal: standard output must be one, and the
// keys come from standard input or, when that is a pipe, from /dev/tty.
func openConsole(stdin io.Reader, stdout io.Writer, env func(string) string, cfg *config.Config) (*console, error) {
	out, ok := stdout.(*os.File)
	if !ok || !term.IsTerminal(int(out.Fd())) {
		return nil, errNoTerminal
	}
	c := &console{out: out, close: func() {}}
	if in, ok := stdin.(*os.File); ok && term.IsTerminal(int(in.Fd())) {
		c.in = in
	} else {
		tty, err := os.Open("/dev/tty")
		if err != nil || !term.IsTerminal(int(tty.Fd())) {
			return nil, errNoTerminal
		}
		c.in, c.close = tty, func() { tty.Close() }
	}
	c.limited = limitedTerm(env("TERM"))
	c.ASCIIOnly = !localeIsUTF8(env) && cfg.Glyphs != "unicode"
	c.Theme = cfg.Theme
	c.NoQueries = c.limited
	c.Profile = colorprofile.Detect(out, os.Environ())
	if c.limited && c.Profile > colorprofile.ASCII {
		c.Profile = colorprofile.ASCII // bold and reverse, which a vt100 has
	}
	if cfg.WindowTitle == "restore" && !c.limited {
		c.Title = "triage"
	}
	switch {
	case env("TMUX") != "":
		c.Clipboard, c.Multiplexer = tmuxClipboard, "tmux"
	case env("STY") != "":
		c.Multiplexer = "screen"
	}
	return c, nil
}

// localeIsUTF8 reads the locale as the C library does: LC_ALL, else
// LC_CTYPE, else LANG; its character set is what follows the dot
// ("en_US.UTF-8"). No locale, C and POSIX are ASCII.
func localeIsUTF8(env func(string) string) bool {
	loc := ""
	for _, name := range []string{"LC_ALL", "LC_CTYPE", "LANG"} {
		if loc = env(name); loc != "" {
			break
		}
	}
	_, charset, _ := strings.Cut(loc, ".")
	charset, _, _ = strings.Cut(charset, "@")
	charset = strings.NewReplacer("-", "", "_", "").Replace(strings.ToLower(charset))
	return charset == "utf8"
}

// limitedTerm reports a terminal type without queries, keyboard modes,
// titles or colours: dumb, and the DEC VTs (vt52, vt100, vt220…).
func limitedTerm(t string) bool {
	return t == "" || t == "dumb" || strings.HasPrefix(t, "vt") && !strings.Contains(t, "color")
}

// options are the Bubble Tea options of this terminal.
func (c *console) options() []tea.ProgramOption {
	var out io.Writer = c.out
	if c.limited || c.ASCIIOnly {
		out = &filtered{f: c.out, dropQueries: c.limited, asciiOnly: c.ASCIIOnly}
	}
	// The console takes the signals itself (main): Bubble Tea's own would
	// quit at once, before the parting words reach the last frame.
	return []tea.ProgramOption{tea.WithInput(c.in), tea.WithOutput(out), tea.WithColorProfile(c.Profile), tea.WithoutSignalHandler()}
}

// Title stack (XTWINOPS): push before the console sets its title, pop
// after it ends, so the title the agent had comes back.
const (
	pushTitle = "\x1b[22;0t"
	popTitle  = "\x1b[23;0t"
)

// begin saves the terminal's title, when the console is to set its own.
func (c *console) begin() {
	if c.Title != "" {
		_, _ = io.WriteString(c.out, pushTitle)
		c.pushed = true
	}
}

// end gives the terminal its title back and closes what was opened.
func (c *console) end() {
	if c.pushed {
		_, _ = io.WriteString(c.out, popTitle)
	}
	c.close()
}
