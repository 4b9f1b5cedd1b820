package runner

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// groupWorld is paceWorld with two budgeted members of one group, so that
// budget moves and group metrics have something to act on.
func groupWorld() World {
	w := paceWorld()
	w.Name = "group"
	w.Config.Traffic.QPS = 1000
	w.Config.Bidders = append(w.Config.Bidders,
		sim.BidderConfig{Name: "g-one", Group: "g", Value: sim.Uniform(0.5, 3),
			Budget: &sim.Budget{Total: sim.MoneyOf(30), Pacing: sim.PacingMultiplier}},
		sim.BidderConfig{Name: "g-two", Group: "g", Value: sim.Uniform(1, 4),
			Budget: &sim.Budget{Total: sim.MoneyOf(30), Pacing: sim.PacingMultiplier}})
	return w
}

// forkedAt forks a paused runner after n auctions and returns the seq of
// the last command sent.
func forkedAt(t *testing.T, r *Runner, n int) uint64 {
	t.Helper()
	seq := uint64(0)
	for range n {
		seq++
		do(t, r, seq, Step{})
	}
	seq++
	f := do(t, r, seq, Fork{})
	if f.Fork == nil || f.Fork.At != f.Snap.Now {
		t.Fatalf("forked frame %+v at %v", f.Fork, f.Snap.Now)
	}
	return seq
}

// runTo resumes at max speed until virtual time at, then pauses, and
// returns the paused frame. How long the run takes is the machine's
// business: two worlds at 1000 auctions a second to 108 s
// (TestForkChangeInBOnly) took more than waitLimit under -race beside
// other packages' tests on 2 vCPUs. So waitLimit counts from the last
// frame whose virtual time moved on: it still turns a stalled run into a
// failure, not a slow one.
func runTo(t *testing.T, r *Runner, seq *uint64, at sim.Time) Frame {
	t.Helper()
	*seq++
	do(t, r, *seq, SetSpeed{Speed: Max})
	*seq++
	f := do(t, r, *seq, Pause{Paused: false})
	last, deadline := f.Snap.Now, time.After(waitLimit)
	for f.Snap.Now < at {
		select {
		case f = <-r.Frames():
			if f.Snap.Now > last {
				last, deadline = f.Snap.Now, time.After(waitLimit)
			}
		case <-deadline:
			t.Fatalf("no frame with time past %v: stalled at %v for %v", at, last, waitLimit)
		}
	}
	*seq++
	return do(t, r, *seq, Pause{Paused: true})
}

// TestForkUnchangedIdentical: a fork with no change runs A and B in
// lock-step to the same instant with the same counters, and every paired
// difference is exactly 0.
func TestForkUnchangedIdentical(t *testing.T) {
	r := start(t, groupWorld(), Options{Paused: true})
	next(t, r)
	seq := forkedAt(t, r, 50)
	f := runTo(t, r, &seq, 20*sim.Second)
	if f.Fork == nil {
		t.Fatal("no fork in the frame")
	}
	// The differences have intervals once two of the world's memories
	// (its batches' least length) have passed.
	if at := f.Fork.At + 2*f.Fork.Batch + sim.Second; at > f.Snap.Now {
		f = runTo(t, r, &seq, at)
	}
	a, b := f.Fork.A, f.Snap
	if a.Now != b.Now || a.Events != b.Events {
		t.Fatalf("A at %v (%d events), B at %v (%d events)", a.Now, a.Events, b.Now, b.Events)
	}
	if a.Exchange != b.Exchange || !reflect.DeepEqual(a.Groups, b.Groups) {
		t.Errorf("unchanged fork differs:\nA %+v\nB %+v", a.Exchange, b.Exchange)
	}
	if len(f.Fork.Differences) == 0 {
		t.Fatal("no differences")
	}
	for _, d := range f.Fork.Differences {
		if d.A != d.B || d.Mean != 0 || d.Distinguishable() {
			t.Errorf("%s: A %v B %v mean %v", d.Name, d.A, d.B, d.Mean)
		}
	}
	if n := f.Fork.Differences[0].N; n < 15 {
		t.Errorf("%d paired intervals after 20 s, want about 20", n)
	}
}

// TestForkChangeInBOnly: a change made while forked applies to B alone,
// and a large one shows as a difference whose interval excludes 0.
func TestForkChangeInBOnly(t *testing.T) {
	r := start(t, groupWorld(), Options{Paused: true})
	next(t, r)
	seq := forkedAt(t, r, 10)
	seq++
	f := do(t, r, seq, Apply{sim.SetEnabled{Bidder: "laggard", Enabled: false}})
	if len(f.Snap.Changes) != 1 || len(f.Fork.A.Changes) != 0 {
		t.Fatalf("B has %d changes, A %d", len(f.Snap.Changes), len(f.Fork.A.Changes))
	}
	seq++
	f = do(t, r, seq, Apply{sim.MoveBudget{From: "g-one", To: "g-two", Amount: sim.MoneyOf(10)}})
	b1, _ := f.Snap.FindBidder("g-one")
	a1, _ := f.Fork.A.FindBidder("g-one")
	gb, _ := f.Snap.FindGroup("g")
	ga, _ := f.Fork.A.FindGroup("g")
	if b1.Budget != sim.MoneyOf(20) || a1.Budget != sim.MoneyOf(30) || gb.Budget != ga.Budget {
		t.Errorf("after the move: B's g-one %v, A's %v; group budgets %v and %v", b1.Budget, a1.Budget, gb.Budget, ga.Budget)
	}
	// An interval comes once two batches (the world's memory) have
	// passed: run past three, however far a fast machine overshoots 60 s
	// (on a slow one, or under -race, 60 s held one batch, no interval).
	f = runTo(t, r, &seq, max(60*sim.Second, f.Fork.At+3*f.Fork.Batch))
	if f.Fork.A.Now != f.Snap.Now {
		t.Fatalf("A at %v, B at %v", f.Fork.A.Now, f.Snap.Now)
	}
	found := false
	for _, d := range f.Fork.Differences {
		if d.Name == "bidders.laggard.wins" {
			found = true
			if !(d.Hi < 0) || d.B > d.A/100 || d.A <= 0 { // auctions in flight at the change may still be won
				t.Errorf("laggard off in B: %+v", d)
			}
		}
	}
	if !found {
		t.Error("no difference for bidders.laggard.wins")
	}
}

// TestForkStep: one auction while forked closes one more auction in B and
// brings A to the same instant.
func TestForkStep(t *testing.T) {
	r := start(t, groupWorld(), Options{Paused: true})
	next(t, r)
	seq := forkedAt(t, r, 5)
	for range 30 {
		seq++
		f := do(t, r, seq, Step{})
		if f.Fork.A.Now != f.Snap.Now {
			t.Fatalf("A at %v, B at %v", f.Fork.A.Now, f.Snap.Now)
		}
	}
	f := do(t, r, seq+1, Step{})
	if got := f.Snap.Exchange.Auctions; got != 36 {
		t.Errorf("%d auctions after 36 steps", got)
	}
}

// TestForkStopsAtAuctionCount: forked, the world's stop by auctions is
// exact on B, with A at the same instant.
func TestForkStopsAtAuctionCount(t *testing.T) {
	w := groupWorld()
	w.Stop = sim.Stop{Auctions: 5000}
	r := start(t, w, Options{Paused: true})
	next(t, r)
	seq := forkedAt(t, r, 3)
	seq++
	do(t, r, seq, SetSpeed{Speed: Max})
	seq++
	f := doUntil(t, r, seq, Pause{Paused: false}, "the end", func(f Frame) bool { return f.Ended })
	if f.Snap.Exchange.Auctions != 5000 || f.Fork.A.Now != f.Snap.Now {
		t.Errorf("ended after %d auctions at %v, A at %v", f.Snap.Exchange.Auctions, f.Snap.Now, f.Fork.A.Now)
	}
}

// TestUnforkKeepsB: ending the fork keeps B with its changes; restart is
// refused while forked and a second fork is refused.
func TestUnforkKeepsB(t *testing.T) {
	r := start(t, groupWorld(), Options{Paused: true})
	next(t, r)
	seq := forkedAt(t, r, 5)
	seq++
	f := do(t, r, seq, Fork{})
	if len(f.Notes) == 0 || !f.Notes[0].Warn {
		t.Errorf("a second fork: notes %+v", f.Notes)
	}
	seq++
	f = do(t, r, seq, Restart{})
	if len(f.Notes) == 0 || !strings.Contains(f.Notes[0].Text, "end the fork") || f.Gen != 1 {
		t.Errorf("restart while forked: gen %d, notes %+v", f.Gen, f.Notes)
	}
	seq++
	do(t, r, seq, Apply{sim.SetFloor{Floor: sim.PriceOf(1)}})
	seq++
	f = do(t, r, seq, Unfork{})
	if f.Fork != nil || f.Snap.Settings.Floor != sim.PriceOf(1) || len(f.Snap.Changes) != 1 {
		t.Errorf("after unfork: fork %v, floor %v, %d changes", f.Fork, f.Snap.Settings.Floor, len(f.Snap.Changes))
	}
	seq++
	f = do(t, r, seq, Step{})
	if f.Snap.Exchange.Auctions != 6 {
		t.Errorf("%d auctions", f.Snap.Exchange.Auctions)
	}
}

// TestForkPrompt: forked at max speed on a world whose auctions close
// hours of events apart, a pause is still acknowledged at once.
func TestForkPrompt(t *testing.T) {
	r := start(t, slowWorld(), Options{Paused: true})
	next(t, r)
	do(t, r, 1, Fork{})
	do(t, r, 2, SetSpeed{Speed: Max})
	do(t, r, 3, Pause{Paused: false})
	time.Sleep(100 * time.Millisecond) // let the slices grow
	t0 := time.Now()
	f := do(t, r, 4, Pause{Paused: true})
	if took := time.Since(t0); took > promptLimit {
		t.Errorf("pause took %v", took)
	}
	if !f.Paused || f.Snap.Events == 0 || f.Fork == nil {
		t.Errorf("paused %v after %d events", f.Paused, f.Snap.Events)
	}
}

// BenchmarkRunnerMax measures the run control at max speed, alone and
// forked: auctions per second of wall time for each engine (B's count;
// A runs as many), on a small world with a group and on the bundled
// budget-split. The fork keeps at least 40% of the single engine's rate
// per engine (BENCHMARKS.md).
func BenchmarkRunnerMax(b *testing.B) {
	split, err := scenarios.Bundled("budget-split")
	if err != nil {
		b.Fatal(err)
	}
	worlds := []World{groupWorld(), {Name: split.Name, Config: split.Config}}
	for _, w := range worlds {
		for _, forked := range []bool{false, true} {
			name := w.Name + "/" + map[bool]string{false: "single", true: "forked"}[forked]
			b.Run(name, func(b *testing.B) {
				w.Stop = sim.Stop{} // run on
				r, err := New(w, Options{Speed: Max})
				if err != nil {
					b.Fatal(err)
				}
				if forked {
					r.startFork()
				}
				const perOp = 10_000
				b.ResetTimer()
				start := time.Now()
				for want := uint64(b.N) * perOp; r.eng.Auctions() < want; {
					r.work()
				}
				b.ReportMetric(float64(r.eng.Auctions())/time.Since(start).Seconds(), "auctions/s")
			})
		}
	}
}
