package runner

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/sim"
)

// world is a small second-price world with two budgeted, paced bidders.
func world(qps float64, pacingEvery sim.Time, horizon sim.Time) sim.Config {
	return sim.Config{
		Name:     "test",
		Seed:     7,
		Traffic:  sim.Traffic{QPS: qps},
		Exchange: sim.ExchangeConfig{Auction: sim.SecondPrice, Tmax: 100 * sim.Millisecond, Floor: sim.PriceOf(0.1)},
		Bidders: []sim.BidderConfig{
			{Name: "a", Value: sim.Uniform(0, 2), Latency: sim.Exponential(float64(40 * sim.Millisecond)),
				Budget: &sim.Budget{Total: sim.MoneyOf(5), Pacing: sim.PacingThrottle}},
			{Name: "b", Value: sim.Uniform(0, 2), Latency: sim.Exponential(float64(60 * sim.Millisecond)),
				Budget: &sim.Budget{Total: sim.MoneyOf(5), Pacing: sim.PacingMultiplier}},
		},
		Horizon: horizon,
		Pacing:  sim.PacingParams{Interval: pacingEvery},
	}
}

func newEngine(t testing.TB, cfg sim.Config) *sim.Engine {
	t.Helper()
	e, err := sim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestHeadlessCancelPrompt cancels a run whose auctions close 1,000 virtual
// seconds apart while pacing fires every millisecond: millions of events
// per auction. The run must return soon after the cancel, not at the next
// auction.
func TestHeadlessCancelPrompt(t *testing.T) {
	const long = 1_000_000 * sim.Second
	eng := newEngine(t, world(sim.MinQPS, sim.Millisecond, long))
	ctx, cancel := context.WithCancel(context.Background())
	type result struct {
		reached bool
		err     error
	}
	done := make(chan result, 1)
	go func() {
		r, err := Headless(ctx, eng, sim.Stop{Duration: long}, HeadlessOptions{})
		done <- result{r, err}
	}()
	time.Sleep(50 * time.Millisecond)
	cancelled := time.Now()
	cancel()
	// The bound is generous for a loaded machine; the loop aims at 10 ms.
	select {
	case r := <-done:
		if took := time.Since(cancelled); took > 2*time.Second {
			t.Errorf("returned %v after the cancel", took)
		}
		if r.reached || !errors.Is(r.err, context.Canceled) {
			t.Errorf("reached %v, err %v; want false, context.Canceled", r.reached, r.err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no return within 30s of the cancel")
	}
	// A loop that checked between chunks of auctions would still be
	// running: thousands of auctions take years of virtual time here.
	if eng.Auctions() > 100 {
		t.Errorf("%d auctions closed: the run was not slow-closing", eng.Auctions())
	}
}

// TestHeadlessCancelledBefore checks that a context done before the start
// runs nothing.
func TestHeadlessCancelledBefore(t *testing.T) {
	eng := newEngine(t, world(1000, 0, 10*sim.Second))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	reached, err := Headless(ctx, eng, sim.Stop{Auctions: 1000}, HeadlessOptions{})
	if reached || err == nil || eng.Events() != 0 {
		t.Errorf("reached %v err %v events %d", reached, err, eng.Events())
	}
}

// stepClock is a fake wall clock that advances by step at every reading.
type stepClock struct {
	now  time.Time
	step time.Duration
}

func (c *stepClock) read() time.Time {
	c.now = c.now.Add(c.step)
	return c.now
}

// TestHeadlessSlicingSameResult runs the same world three ways: one
// uninterrupted run, Headless with slices grown large, and Headless with
// slices shrunk to single events (a fake clock makes every slice look
// slow). The snapshots must be identical.
func TestHeadlessSlicingSameResult(t *testing.T) {
	cfg := world(2000, 0, 20*sim.Second)
	stops := []sim.Stop{
		{Auctions: 30_000},
		{Duration: 7 * sim.Second},
		{Auctions: 1_000_000, Duration: 3 * sim.Second},
	}
	for _, stop := range stops {
		ref := newEngine(t, cfg)
		if !ref.RunStop(stop, ^uint64(0)) {
			t.Fatalf("%v: the reference run did not reach its stop", stop)
		}
		want := ref.Snapshot()
		for _, step := range []time.Duration{time.Microsecond, time.Second} {
			eng := newEngine(t, cfg)
			clk := &stepClock{step: step}
			reached, err := Headless(context.Background(), eng, stop, HeadlessOptions{Clock: clk.read})
			if !reached || err != nil {
				t.Fatalf("%v, step %v: reached %v err %v", stop, step, reached, err)
			}
			if got := eng.Snapshot(); !reflect.DeepEqual(got, want) {
				t.Errorf("%v, step %v: the sliced run differs from the uninterrupted one (auctions %d vs %d, now %v vs %v, events %d vs %d)",
					stop, step, got.Exchange.Auctions, want.Exchange.Auctions, got.Now, want.Now, got.Events, want.Events)
			}
		}
	}
}

// TestHeadlessProgress checks that progress comes at most once per
// ProgressEvery of (fake) wall time, never goes backwards, and ends at 1.
func TestHeadlessProgress(t *testing.T) {
	eng := newEngine(t, world(2000, 0, 20*sim.Second))
	clk := &stepClock{step: 30 * time.Millisecond}
	var at []time.Time
	var fr []float64
	opts := HeadlessOptions{
		Clock: clk.read,
		Progress: func(f float64, auctions uint64) {
			at = append(at, clk.now)
			fr = append(fr, f)
		},
	}
	if reached, err := Headless(context.Background(), eng, sim.Stop{Duration: 5 * sim.Second}, opts); !reached || err != nil {
		t.Fatalf("reached %v err %v", reached, err)
	}
	if len(fr) < 3 {
		t.Fatalf("%d progress calls", len(fr))
	}
	for i := 1; i < len(fr); i++ {
		if fr[i] < fr[i-1] {
			t.Errorf("progress went back from %v to %v", fr[i-1], fr[i])
		}
		// The last call, at the stop, may come early.
		if i < len(fr)-1 && at[i].Sub(at[i-1]) < DefaultProgressEvery {
			t.Errorf("progress calls %v apart", at[i].Sub(at[i-1]))
		}
	}
	if fr[len(fr)-1] != 1 {
		t.Errorf("last fraction %v, want 1", fr[len(fr)-1])
	}
}

// TestResize checks that slices grow while quick, shrink when slow, and
// stay within bounds.
func TestResize(t *testing.T) {
	if got := resize(1000, time.Millisecond); got != 2000 {
		t.Errorf("quick slice: %d, want 2000", got)
	}
	if got := resize(1000, 100*time.Millisecond); got != 100 {
		t.Errorf("slow slice: %d, want 100", got)
	}
	if got := resize(1, time.Hour); got != 1 {
		t.Errorf("slowest slice: %d, want 1", got)
	}
	if got := resize(maxSlice, 0); got != maxSlice {
		t.Errorf("largest slice: %d", got)
	}
	if got := resize(1000, sliceTarget); got != 1000 {
		t.Errorf("on-target slice: %d, want 1000", got)
	}
}

// TestHeadlessToReplays records a run with live changes made at odd
// points (mid-slice, after a run to a virtual time, two at one instant),
// then replays its configuration and change log to its point in slices
// of every size: the snapshot must be identical.
func TestHeadlessToReplays(t *testing.T) {
	cfg := world(2000, 0, 20*sim.Second)
	rec := newEngine(t, cfg)
	apply := func(c sim.Change) {
		t.Helper()
		if err := rec.Apply(c); err != nil {
			t.Fatal(err)
		}
	}
	rec.RunStop(sim.Stop{Duration: 20 * sim.Second}, 12345) // stops mid-way, on an event
	apply(sim.SetTmax{Tmax: 50 * sim.Millisecond})
	apply(sim.ScaleLatency{Bidder: "a", Factor: 1.25})
	rec.RunUntil(2*sim.Second + 7) // the clock moves past the last event
	apply(sim.SetFloor{Floor: sim.PriceOf(0.3)})
	rec.RunAuctions(1000)
	apply(sim.SetEnabled{Bidder: "b", Enabled: false})
	rec.RunStop(sim.Stop{Duration: 20 * sim.Second}, 777)
	want := rec.Snapshot()
	point := rec.Point()

	for _, step := range []time.Duration{time.Microsecond, time.Second} {
		c := cfg
		c.Replay = rec.ChangeLog()
		eng := newEngine(t, c)
		clk := &stepClock{step: step}
		reached, err := HeadlessTo(context.Background(), eng, point, HeadlessOptions{Clock: clk.read})
		if !reached || err != nil {
			t.Fatalf("step %v: reached %v err %v", step, reached, err)
		}
		if got := eng.Snapshot(); !reflect.DeepEqual(got, want) {
			t.Errorf("step %v: the replay differs (now %v vs %v, events %d vs %d, changes %d vs %d)",
				step, got.Now, want.Now, got.Events, want.Events, len(got.Changes), len(want.Changes))
		}
	}

	// Another seed cannot reach the point: an error, not a hang.
	c := cfg
	c.Seed++
	c.Replay = rec.ChangeLog()
	eng := newEngine(t, c)
	if _, err := HeadlessTo(context.Background(), eng, sim.Point{At: point.At, Events: point.Events * 2}, HeadlessOptions{}); err == nil {
		t.Error("a point out of reach gave no error")
	}
}

// TestHeadlessToPast checks that a point the engine has already passed is
// an error at once.
func TestHeadlessToPast(t *testing.T) {
	eng := newEngine(t, world(2000, 0, 20*sim.Second))
	eng.RunUntil(sim.Second)
	for _, p := range []sim.Point{{At: sim.Second / 2, Events: eng.Events()}, {At: sim.Second, Events: eng.Events() - 1}} {
		if _, err := HeadlessTo(context.Background(), eng, p, HeadlessOptions{}); err == nil {
			t.Errorf("%+v: no error at %v after %d events", p, eng.Now(), eng.Events())
		}
	}
	// The point where it stands is reached at once.
	if ok, err := HeadlessTo(context.Background(), eng, eng.Point(), HeadlessOptions{}); !ok || err != nil {
		t.Errorf("its own point: %v %v", ok, err)
	}
}

// TestHeadlessToAuctionsBound checks that a point far beyond where its
// auctions closed (an export whose replay.events and virtual_ns were
// edited) is a divergence as soon as the run closes more auctions than the
// point had, not a run for as long as the edited point allows.
func TestHeadlessToAuctionsBound(t *testing.T) {
	eng := newEngine(t, world(2000, 0, 20*sim.Second))
	far := sim.Point{At: sim.Time(1) << 62, Events: 1 << 62}
	// Generous: the divergence is found within the first slices; without
	// the bound the run would go on until this ends it.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	_, err := HeadlessTo(ctx, eng, far, HeadlessOptions{Auctions: 500})
	if err == nil || ctx.Err() != nil || !strings.Contains(err.Error(), "replay diverged") {
		t.Fatalf("got %v (context: %v), want a divergence", err, ctx.Err())
	}
	if eng.Auctions() <= 500 {
		t.Errorf("diverged after %d auctions, not past the point's 500", eng.Auctions())
	}
}
