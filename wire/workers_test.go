package wire

import (
	"sync"
	"testing"
	"time"
)

// TestWorkersRunEveryCallAndAreReused: every job runs, as many at once as
// are given; a worker that finished takes the next job rather than end.
func TestWorkersRunEveryCallAndAreReused(t *testing.T) {
	w := newWorkers()
	const n = 50
	release := make(chan struct{})
	var started, done sync.WaitGroup
	started.Add(n)
	done.Add(n)
	for range n {
		w.run(func() {
			started.Done()
			<-release // all n at once: n workers
			done.Done()
		})
	}
	started.Wait()
	close(release)
	done.Wait()
	// An idle worker takes a job handed straight to it.
	ran := make(chan struct{})
	select {
	case w.jobs <- func() { close(ran) }:
	case <-time.After(10 * time.Second):
		t.Fatal("no idle worker took a job within 10 s")
	}
	<-ran
}
