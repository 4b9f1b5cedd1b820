package runner

import (
	"context"
	"fmt"
	"time"

	"github.com/auctionsim/auctionsim/sim"
)

// Headless run defaults.
const (
	// DefaultProgressEvery is how often Headless reports progress: smooth
	// enough to read, rare enough to cost nothing.
	DefaultProgressEvery = 100 * time.Millisecond
	// sliceTarget is the wall time one slice of events aims at. A slice is
	// the unit between two looks at the context, so it bounds how long
	// Ctrl-C waits; 10 ms keeps that far below 200 ms while the checks cost
	// nothing measurable.
	sliceTarget = 10 * time.Millisecond
	// firstSlice is the first slice's size in events, before any timing:
	// small enough to be quick whatever an event costs.
	firstSlice = 1024
	// maxSlice bounds a slice however cheap events are.
	maxSlice = 1 << 22
)

// HeadlessOptions tune Headless. The zero value runs with no progress
// reports.
type HeadlessOptions struct {
	// Progress, if set, is called with the fraction of the stop reached
	// (Stop.Fraction) and the auctions closed so far, at most once every
	// ProgressEvery of wall time.
	Progress func(fraction float64, auctions uint64)
	// ProgressEvery is the least wall time between two Progress calls;
	// zero means DefaultProgressEvery.
	ProgressEvery time.Duration
	// Clock returns the wall time; nil means time.Now. Tests substitute it.
	Clock func() time.Time
	// Auctions, for HeadlessTo, is the number of auctions closed at the
	// point when it is known (a replay's replay.auctions), else 0: a run
	// that closes more before it gets there has diverged, which is then
	// found within a slice, not after running on for as long as the
	// point's clock and events (edited, they can say centuries) allow.
	Auctions uint64
}

// Headless runs eng toward stop as fast as the engine goes and reports
// whether the stop was reached. It runs in slices of events, sized from
// their measured wall time, and between two slices looks at ctx: when ctx
// is done it returns at once (false, ctx.Err()), leaving eng where it
// stood, so Ctrl-C acts within a slice's wall time whatever the scenario
// (even when auctions close hours of events apart). Slicing never changes
// the results: the engine carries on exactly as one uninterrupted run.
//
// A stop with no limit is never reached: Headless then runs until ctx is
// done.
func Headless(ctx context.Context, eng *sim.Engine, stop sim.Stop, opts HeadlessOptions) (reached bool, err error) {
	return headless(ctx, opts, func(n uint64) (bool, error) { return eng.RunStop(stop, n), nil },
		func() (float64, uint64) { return stop.Fraction(eng.Now(), eng.Auctions()), eng.Auctions() })
}

// HeadlessTo is Headless toward a point rather than a stop: it replays a
// recorded run (its change log in the engine's configuration) to exactly
// where it stood, with sim's Engine.RunToPoint. Progress is the fraction
// of the point's events done. An error other than ctx's says the replay
// cannot reach the point.
func HeadlessTo(ctx context.Context, eng *sim.Engine, p sim.Point, opts HeadlessOptions) (reached bool, err error) {
	return headless(ctx, opts, func(n uint64) (bool, error) {
		reached, err := eng.RunToPoint(p, n)
		if err == nil && opts.Auctions > 0 && eng.Auctions() > opts.Auctions {
			return false, fmt.Errorf("replay diverged: %d auctions closed by %v after %d events, before the point (%v, %d events), where %d had closed",
				eng.Auctions(), eng.Now(), eng.Events(), p.At, p.Events, opts.Auctions)
		}
		return reached, err
	},
		func() (float64, uint64) {
			f := 1.0
			if p.Events > 0 {
				f = min(float64(eng.Events())/float64(p.Events), 1)
			}
			return f, eng.Auctions()
		})
}

// headless is the loop of Headless and HeadlessTo: run runs at most n
// events and reports whether the target is reached; where says how far
// the run is.
func headless(ctx context.Context, opts HeadlessOptions, run func(n uint64) (bool, error), where func() (float64, uint64)) (bool, error) {
	clock := opts.Clock
	if clock == nil {
		clock = time.Now
	}
	every := opts.ProgressEvery
	if every <= 0 {
		every = DefaultProgressEvery
	}
	report := func() {
		if opts.Progress != nil {
			opts.Progress(where())
		}
	}
	done := ctx.Done()
	slice := uint64(firstSlice)
	nextProgress := clock().Add(every)
	for {
		select {
		case <-done:
			return false, ctx.Err()
		default:
		}
		t0 := clock()
		reached, err := run(slice)
		t1 := clock()
		if err != nil {
			return false, err
		}
		if reached {
			report()
			return true, nil
		}
		slice = resize(slice, t1.Sub(t0))
		if !t1.Before(nextProgress) {
			report()
			nextProgress = t1.Add(every)
		}
	}
}

// resize steers the slice size toward sliceTarget of wall time: doubling
// while slices are quick, halving (at once, to the estimate) when one was
// slow.
func resize(slice uint64, took time.Duration) uint64 {
	switch {
	case took > 2*sliceTarget:
		// Events are dearer than thought: scale down to the target.
		slice = max(1, uint64(float64(slice)*float64(sliceTarget)/float64(took)))
	case took < sliceTarget/2:
		slice = min(2*slice, maxSlice)
	}
	return slice
}
