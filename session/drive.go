package session

import "context"

// Drive runs tasks, hands their results to the session and runs what
// follows, until no task is left or ctx ends; after each step the queue is
// synced and each event handed to on, in order. It is how a front end
// without an event loop of its own (the command line, a test) drives a
// session. A task still running when ctx ends is left to finish; its
// result is dropped.
func Drive(ctx context.Context, s *Session, tasks []Task, on func(Event)) error {
	results := make(chan Result, len(tasks)+16)
	pending := 0
	run := func(ts []Task) {
		for _, t := range ts {
			pending++
			go func() {
				r := t()
				select {
				case results <- r:
				case <-ctx.Done():
				}
			}()
		}
	}
	step := func() {
		s.Sync()
		for _, e := range s.TakeEvents() {
			if on != nil {
				on(e)
			}
		}
	}
	step()
	run(tasks)
	for pending > 0 {
		select {
		case r := <-results:
			pending--
			run(s.Handle(r))
			step()
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}
