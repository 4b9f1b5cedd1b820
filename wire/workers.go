package wire

import (
	"sync"
	"time"
)

// workers run the exchange's calls on goroutines that outlive them: a
// call's goroutine grows its stack through the HTTP client's frames, and
// a new one for every call (8,000 a second) copies that stack anew each
// time. An idle worker takes the next call; with none idle a new one
// starts (the exchange's semaphore bounds them), and one idle for
// workerIdle ends, or at once once the run has stopped (close).
type workers struct {
	jobs chan func()
	quit chan struct{}
	once sync.Once
	// wg counts the workers; Add on the driver's goroutine only (run),
	// never while close waits.
	wg sync.WaitGroup
}

const workerIdle = 2 * time.Second

func newWorkers() *workers {
	return &workers{jobs: make(chan func()), quit: make(chan struct{})}
}

// run runs f on an idle worker, or on a new one.
func (w *workers) run(f func()) {
	select {
	case w.jobs <- f:
		return
	default:
	}
	w.wg.Add(1)
	go w.loop(f)
}

func (w *workers) loop(f func()) {
	defer w.wg.Done()
	t := time.NewTimer(workerIdle)
	defer t.Stop()
	for {
		f()
		t.Reset(workerIdle) // no stale tick since Go 1.23's timers
		select {
		case f = <-w.jobs:
		case <-t.C:
			return
		case <-w.quit:
			return
		}
	}
}

// close ends the idle workers and waits for the busy ones to finish
// their calls (the exchange cuts them first) and end. A worker started
// later ends after its one call.
func (w *workers) close() {
	w.once.Do(func() { close(w.quit) })
	w.wg.Wait()
}
