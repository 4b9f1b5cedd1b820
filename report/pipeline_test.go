package report

import (
	"context"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/scenarios"
)

// producers counts the draw pipeline's producer goroutines running.
func producers() int {
	buf := make([]byte, 1<<20)
	return strings.Count(string(buf[:runtime.Stack(buf, true)]), "(*pipeline).produce")
}

// producersAfter is the number of producers still running once none is
// or limit has passed.
func producersAfter(limit time.Duration) int {
	n := producers()
	for end := time.Now().Add(limit); n > 0 && time.Now().Before(end); n = producers() {
		time.Sleep(time.Millisecond)
	}
	return n
}

// TestExecutePipeline: with two cores, a single run has its draws on a
// producer goroutine while it runs, and none is left when it ends,
// interrupted or not (the outputs are the one-core engine's: sim's
// TestPipelineBundledScenarios); with one core there is none.
func TestExecutePipeline(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	base, err := scenarios.Bundled("timeout-demo")
	if err != nil {
		t.Fatal(err)
	}
	long, err := base.WithStop(scenarios.Stop{Auctions: 1_000_000_000})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		res, err := Execute(ctx, long, nil, nil)
		if err == nil && !res.Interrupted {
			t.Error("the run was not interrupted")
		}
		done <- err
	}()
	seen := false
	for deadline := time.Now().Add(30 * time.Second); !seen && time.Now().Before(deadline); {
		seen = producers() > 0
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !seen {
		t.Error("no producer while the run ran on two cores")
	}
	// StopPipeline waits for the producer's done, which it closes as it
	// returns: its frame can outlast Execute by a moment on a busy machine.
	if n := producersAfter(30 * time.Second); n > 0 {
		t.Fatalf("%d producers left after the run", n)
	}

	// One core: the same run, looked at for a while, never has one.
	runtime.GOMAXPROCS(1)
	ctx, cancel = context.WithCancel(context.Background())
	go func() {
		_, err := Execute(ctx, long, nil, nil)
		done <- err
	}()
	for end := time.Now().Add(300 * time.Millisecond); time.Now().Before(end); time.Sleep(time.Millisecond) {
		if producers() > 0 {
			t.Error("a producer on one core")
			break
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
