package wire

import (
	"context"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/runner"
)

// TestRunStepsWhileJobsKeepComing: the driver runs the run's events
// between its jobs though a job always waits, as one does when each takes
// longer than the interval they are sent at (a dashboard's frame on a
// loaded machine, Live.pump). Before, the driver ran every job waiting
// before the next event, and the engine stood still for as long as they
// came: under load the dashboard on the wire froze at one instant
// (TestLiveSaysTheWireStoppedAndCameBack saw the same time for 13 s, and
// never the wire stop). Here each job queues the next before it ends, up
// to a bound far above what the run's 10 auctions (some 200 ms) leave
// time for; the run stops by itself after them.
func TestRunStepsWhileJobsKeepComing(t *testing.T) {
	const bound = 5000
	cfg := closeWorld(false)
	_, url := loopback(t, cfg)
	x := newExchange(t, cfg, ExchangeOptions{Endpoints: Endpoints(cfg, url)})
	x.jobs = make(chan func(), 1)
	ran := 0 // the driver's
	var job func()
	job = func() {
		ran++
		time.Sleep(time.Millisecond)
		if ran < bound {
			x.jobs <- job // just taken: room for it
		}
	}
	x.jobs <- job
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := x.Run(ctx, sim.Stop{Auctions: 10}); err != nil || x.Engine().Auctions() < 10 {
		t.Fatalf("run: %v after %d auctions: want its 10", err, x.Engine().Auctions())
	}
	if ran == 0 || ran >= bound {
		t.Errorf("%d jobs ran before the run's 10 auctions ended: want some, and the auctions run while jobs still waited (under %d)", ran, bound)
	}
	t.Logf("%d jobs ran", ran)
}

// TestLivePumpWaitsForItsFrame: the dashboard's pump offers the driver
// no frame while the last is still being made, and the next one an
// interval after it was: a frame slower than the interval (some 110 ms
// under load) no longer has the next waiting as it ends, taking the
// driver from the engine's events (Live.pump).
func TestLivePumpWaitsForItsFrame(t *testing.T) {
	cfg := closeWorld(false)
	l, err := NewLive(runner.World{Name: "wire-test", Config: cfg, Stop: sim.Stop{Auctions: 10}},
		ExchangeOptions{Endpoints: map[string]string{"steady": "http://127.0.0.1:9" + BidPath + "steady"}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan struct{})
	pumped := make(chan struct{})
	go func() { defer close(pumped); l.pump(ctx, ran) }()
	defer func() { close(ran); cancel(); <-pumped }()
	take := func(what string) func() {
		t.Helper()
		select {
		case f := <-l.x.jobs:
			return f
		case <-time.After(20 * time.Second):
			t.Fatalf("no job offered for %s", what)
			return nil
		}
	}
	first := take("the first frame")
	// The frame is held, as a slow one is: the pump waits for it.
	select {
	case <-l.x.jobs:
		t.Fatal("a second frame offered while the first was not yet made")
	case <-time.After(3 * runner.FrameInterval):
	}
	first()
	<-l.Frames()
	take("the frame after the first was made")()
	if f := <-l.Frames(); f.Snap == nil {
		t.Error("the second frame has no snapshot")
	}
}
