package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"triage/api"
	"triage/session"
	"triage/threads"
)

// runWatch is `triage watch`: one JSON line per new or changed thread of
// a view, as the live poll finds them, until interrupted. It polls as the
// console does: the first page of the view (or of All, which it is drawn
// from) every interval, within a tenth of the rate limit.
func runWatch(ctx context.Context, args []string, env Env) error {
	var c Common
	query := ""
	fs := flags("watch", &c, env, "[--view NAME] [--query Q] [--interval D]")
	fs.StringVar(&c.View, "view", "", "the `view` to watch (default the first)")
	fs.StringVar(&query, "query", "", "only threads the search `query` matches")
	fs.DurationVar(&c.PollInterval, "interval", 0, "how often to look (default poll_interval; 5s at least)")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return &UsageError{Msg: fmt.Sprintf("watch takes no arguments: %q", rest[0])}
	}
	if c.PollInterval != 0 && c.PollInterval < 5*time.Second {
		return &UsageError{Msg: "--interval must be 5s or more"}
	}
	q, err := threads.Parse(query)
	if err != nil {
		return &UsageError{Msg: "--query: " + err.Error()}
	}
	p := &printer{env: env}
	s, err := open(ctx, c, env, p)
	if err != nil {
		return err
	}
	defer saveCache(s, env)
	q = q.With(s.Owners())
	every := s.PollEvery()
	if every <= 0 {
		return &UsageError{Msg: "watch needs a poll interval: poll_interval is 0s in the config; give --interval"}
	}
	enc := json.NewEncoder(env.Stdout)
	report := func(kind string, t *api.Thread) {
		if s.Current().List().Has(t.ID) && q.Match(t, s.Queue()) {
			_ = enc.Encode(map[string]any{"event": kind, "thread": object(t, threadFields())})
		}
	}
	fmt.Fprintf(env.Stderr, "Watching %s every %s (ctrl+c stops)\n", s.Current().Def().Name, every)
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(every):
		}
		err := p.drive(ctx, s, s.Poll(), func(e session.Event) {
			switch e := e.(type) {
			case session.Merged:
				if e.Arrived && e.View == s.Current() {
					for _, t := range e.Fresh {
						report("new", t)
					}
				}
			case session.Updated:
				for _, t := range e.Threads {
					report("changed", t)
				}
			}
		})
		switch {
		case errors.Is(err, context.Canceled):
			return nil
		case err != nil:
			return err
		}
	}
}
