package wire

import (
	"context"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/sim"
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
