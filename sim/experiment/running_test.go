package experiment

import (
	"context"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
)

// TestRunningDone checks that the runs in progress tell their shares
// done, and that a run ended counts whole: 3 items on 2 workers, each
// run reporting half its work, then waiting to be let go.
func TestRunningDone(t *testing.T) {
	halfway := make(chan struct{})
	release := make(chan struct{})
	r := NewRunning(2)
	e := &Experiment{Points: 1, Workers: 2, Running: r, Run: func(ctx context.Context, point int, seed uint64) (Values, error) {
		reportShare(ctx, 0.5)
		halfway <- struct{}{}
		<-release
		return Values{"x": 1}, nil
	}}
	errc := make(chan error, 1)
	go func() {
		_, err := e.Replicate(context.Background(), 3)
		errc <- err
	}()
	<-halfway
	<-halfway
	if got := r.Done(); got != 1 {
		t.Errorf("two runs half done: Done() = %g, want 1", got)
	}
	release <- struct{}{}
	<-halfway // the third run, half done, beside the first ended
	if got := r.Done(); got != 2 {
		t.Errorf("a run ended, two half done: Done() = %g, want 2", got)
	}
	close(release)
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if got := r.Done(); got != 3 {
		t.Errorf("after the runs: Done() = %g, want 3", got)
	}
	var none *Running
	if none.Done() != 0 {
		t.Error("a nil Running has done something")
	}
}

// TestMeasureReportsShare checks that Measure tells its run's share as
// the run goes: a run of several slices of events reports, after each
// slice but the last, the share of its stop it has reached.
func TestMeasureReportsShare(t *testing.T) {
	sc, err := scenarios.Bundled("timeout-demo")
	if err != nil {
		t.Fatal(err)
	}
	if sc, err = sc.WithStop(scenarios.Stop{Auctions: 100_000}); err != nil {
		t.Fatal(err)
	}
	r := NewRunning(1)
	ctx := withShare(context.Background(), r.share(0))
	if _, err := Measure(ctx, Point{Name: sc.Name, Config: sc.Config, Stop: sc.Stop}, 1); err != nil {
		t.Fatal(err)
	}
	// About 30,000 auctions a slice: the last report is 2 or 3 slices in.
	if got := r.Done(); got < 0.3 || got >= 1 {
		t.Errorf("after a run of 100,000 auctions, %d events a slice, its share is %g", eventSlice, got)
	}
}
