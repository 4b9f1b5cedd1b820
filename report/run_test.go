package report

import (
	"context"
	"errors"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// TestExecuteStops checks that each kind of stop is met exactly.
func TestExecuteStops(t *testing.T) {
	base, err := scenarios.Bundled("classroom-vickrey")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		stop     scenarios.Stop
		auctions uint64   // 0: any
		now      sim.Time // 0: any
	}{
		{scenarios.Stop{Auctions: 12345}, 12345, 0},
		{scenarios.Stop{Duration: 7 * sim.Second}, 0, 7 * sim.Second},
		// The auction limit comes first: 5000 auctions at 1000 qps take 5s.
		{scenarios.Stop{Auctions: 5000, Duration: sim.Minute}, 5000, 0},
		// The duration comes first.
		{scenarios.Stop{Auctions: 1_000_000, Duration: 3 * sim.Second}, 0, 3 * sim.Second},
	}
	for _, c := range cases {
		sc, err := base.WithStop(c.stop)
		if err != nil {
			t.Fatal(err)
		}
		res, err := Execute(context.Background(), sc, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.Partial || res.Interrupted {
			t.Errorf("%v: partial", c.stop)
		}
		snap := res.Snap
		if c.auctions > 0 && snap.Exchange.Auctions != c.auctions {
			t.Errorf("%v: %d auctions", c.stop, snap.Exchange.Auctions)
		}
		if c.now > 0 && snap.Now != c.now {
			t.Errorf("%v: stopped at %v", c.stop, snap.Now)
		}
		if c.stop.Duration > 0 && snap.Now > c.stop.Duration {
			t.Errorf("%v: ran past the duration to %v", c.stop, snap.Now)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	sc, _ := base.WithStop(scenarios.Stop{Auctions: 1000})
	res, err := Execute(ctx, sc, nil, nil)
	if err != nil || !res.Partial || !res.Interrupted || res.Snap.Exchange.Auctions != 0 {
		t.Errorf("a cancelled run: %v, %+v", err, res)
	}
}

// lostContext is done, and says so with a new error each time it is
// asked: the run cannot tell it from any other error.
type lostContext struct{ context.Context }

func (lostContext) Done() <-chan struct{} {
	c := make(chan struct{})
	close(c)
	return c
}

func (lostContext) Err() error { return errors.New("lost") }

// TestExecuteErrorNames checks that a plain run's error says it is a run
// of the scenario, not a replay.
func TestExecuteErrorNames(t *testing.T) {
	sc, err := scenarios.Bundled("classroom-vickrey")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Execute(lostContext{context.Background()}, sc, nil, nil)
	if err == nil || err.Error() != "run of classroom-vickrey: lost" {
		t.Errorf("a failed run: %v, want run of classroom-vickrey: lost", err)
	}
}
