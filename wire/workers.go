package wire

import "time"

// workers run the exchange's calls on goroutines that outlive them: a
// call's goroutine grows its stack through the HTTP client's frames, and
// a new one for every call (8,000 a second) copies that stack anew each
// time. An idle worker takes the next call; with none idle a new one
// starts (the exchange's semaphore bounds them), and one idle for
// workerIdle ends.
type workers struct {
	jobs chan func()
}

const workerIdle = 2 * time.Second

func newWorkers() *workers { return &workers{jobs: make(chan func())} }

// run runs f on an idle worker, or on a new one.
func (w *workers) run(f func()) {
	select {
	case w.jobs <- f:
		return
	default:
	}
	go w.loop(f)
}

func (w *workers) loop(f func()) {
	t := time.NewTimer(workerIdle)
	defer t.Stop()
	for {
		f()
		t.Reset(workerIdle) // no stale tick since Go 1.23's timers
		select {
		case f = <-w.jobs:
		case <-t.C:
			return
		}
	}
}
