package main

import (
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/signal"
	"syscall"
	"time"

	"triage/api/apitest"
)

// runDemoServer serves the in-memory API on a loopback port so several
// consoles can triage the same data at once.
func runDemoServer(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("triage demo-server", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8787", "address to listen on")
	threads := fs.Int("threads", 2000, "threads to generate")
	seed := fs.Uint64("seed", 1, "seed of the generated threads")
	maxLimit := fs.Int("max-limit", 100, "largest page size the server grants")
	latency := fs.Duration("latency", 0, "delay added to every answer")
	expose := fs.Bool("expose-mode-notes", false, "include mode and internalNotes in thread objects")
	refuse := fs.Int("refuse-messages", 0, "answer the messages endpoint with this `STATUS` (401, 403 or 404), as deployments that keep it from keys do")
	agent := fs.Duration("other-agent", 0, "every `INTERVAL` (e.g. 30s), another agent changes a thread and a visitor starts one")
	usage := func(w io.Writer) {
		fmt.Fprintln(w, "Usage: triage demo-server [flags]\n\nServes the demo API on a loopback port for several consoles.\n\nFlags:")
		printFlags(fs, w)
	}
	if code, ok := parseFlags(fs, args, usage, stdout, stderr); !ok {
		return code
	}
	if *threads < 0 || *maxLimit < 1 {
		fmt.Fprintln(stderr, "triage demo-server: --threads must be >= 0 and --max-limit >= 1")
		return exitUsage
	}
	// The handler goes in before anything is printed: a caller that reads
	// the connection line may signal at once.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sig)
	srv := apitest.New(apitest.Options{Threads: *threads, Seed: *seed, MaxLimit: *maxLimit, GeneratedAt: time.Now().Truncate(time.Hour),
		Latency: *latency, ExposeModeAndNotes: *expose, RefuseMessages: *refuse})
	base, stop, err := srv.Listen(*addr)
	if err != nil {
		fmt.Fprintln(stderr, "triage demo-server:", err)
		return exitRuntime
	}
	defer stop()
	fmt.Fprintf(stdout, "Serving %d threads of chatbot %q at %s\n\n", *threads, srv.ChatbotID(), base)
	fmt.Fprintf(stdout, "Point a console at it:\n  CONTEXTGPT_API_KEY=%s triage --base-url %s --chatbot %s\n\n",
		srv.APIKey(), base, srv.ChatbotID())
	fmt.Fprintf(stdout, "Start an escalated conversation (an alert):\n  curl -X POST -H 'Authorization: Bearer %s' '%s/chatting/%s/_demo/new-thread?escalated=true'\n",
		srv.APIKey(), base, srv.ChatbotID())
	fmt.Fprintf(stdout, "Play another agent (change a thread, add one):\n  curl -X POST -H 'Authorization: Bearer %s' %s/chatting/%s/_demo/other-agent\n\n",
		srv.APIKey(), base, srv.ChatbotID())
	fmt.Fprintln(stdout, "Press ctrl+c to stop.")
	if *agent > 0 {
		go playOtherAgent(srv, *agent, *seed, stdout)
	}
	<-sig
	done := make(chan struct{})
	go func() { stop(); close(done) }()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
	}
	return exitOK
}

// playOtherAgent makes the other agent move every interval until the
// process ends, saying what it did.
func playOtherAgent(srv *apitest.Server, every time.Duration, seed uint64, out io.Writer) {
	rng := rand.New(rand.NewPCG(seed, 17))
	for range time.Tick(every) {
		fmt.Fprintln(out, "other agent:", srv.OtherAgent(rng))
	}
}
