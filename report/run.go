package report

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"time"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/runner"
)

// Run is a finished (or interrupted) run of a scenario: what a run's
// summary, export and plot are made of.
type Run struct {
	Scenario *scenarios.Scenario
	Snap     *sim.Snapshot
	// Partial: stopped before the stop, by Ctrl-C or (a replay of an
	// export taken mid-run) by where the export stood.
	Partial bool
	// Interrupted: stopped by Ctrl-C (or SIGTERM), before its stop or
	// the replayed point.
	Interrupted bool
	Wall        time.Duration
}

// NewRun is the run of sc that ended in snap after wall, interrupted or
// not; it is partial when interrupted or short of sc's stop.
func NewRun(sc *scenarios.Scenario, snap *sim.Snapshot, interrupted bool, wall time.Duration) *Run {
	partial := interrupted || !sc.Stop.Reached(snap.Now, snap.Exchange.Auctions)
	return &Run{Scenario: sc, Snap: snap, Partial: partial, Interrupted: interrupted, Wall: wall}
}

// Meta is what the report needs to know about r besides its snapshot,
// including what replays it.
func (r *Run) Meta() Meta {
	sc := r.Scenario
	return Meta{
		Scenario:     sc.Name,
		Partial:      r.Partial,
		WallSeconds:  r.Wall.Seconds(),
		ScenarioYAML: sc.YAML,
		Stop:         sc.Stop,
		Horizon:      sc.Config.Horizon,
	}
}

// BadInput is an error that an input file causes (a scenario the engine
// refuses, an export that does not replay), as opposed to a run that
// failed: the command line's exit 2, not 1.
type BadInput struct{ Err error }

func (b BadInput) Error() string { return b.Err.Error() }
func (b BadInput) Unwrap() error { return b.Err }

// Execute builds the engine and runs sc to its stop (or, replaying rep,
// to rep's point) or until ctx is done, drawing p (nil: none). pre runs
// first, on the fresh engine (run --openrtb: the first auctions one at a
// time); a nil one is skipped. With two cores or more it runs with the
// engine's draw pipeline on.
func Execute(ctx context.Context, sc *scenarios.Scenario, rep *Replayable, p *Progress, pre ...func(*sim.Engine) error) (*Run, error) {
	if rep == nil && sc.Stop.IsZero() {
		return nil, fmt.Errorf("scenario %s: no stop", sc.Name)
	}
	eng, err := sim.New(sc.Config)
	if err != nil {
		return nil, BadInput{fmt.Errorf("scenario %s: %w", sc.Name, err)}
	}
	for _, f := range pre {
		if f == nil {
			continue
		}
		if err := f(eng); err != nil {
			return nil, err
		}
	}
	if runtime.GOMAXPROCS(0) >= 2 {
		// A run on its own: its draws go on the second core, with every
		// output as on one (sim's StartPipeline). Replications
		// (sim/experiment) use the cores already and do not.
		eng.StartPipeline()
		defer eng.StopPipeline()
	}
	var opts runner.HeadlessOptions
	if p != nil {
		opts.Progress = p.Update
	}
	start := time.Now()
	if rep != nil {
		opts.Auctions = rep.Auctions
		_, err = runner.HeadlessTo(ctx, eng, rep.Point, opts)
	} else {
		_, err = runner.Headless(ctx, eng, sc.Stop, opts)
	}
	wall := time.Since(start)
	p.Clear()
	interrupted := ctx.Err() != nil && errors.Is(err, ctx.Err())
	if err != nil && !interrupted {
		if rep == nil {
			return nil, fmt.Errorf("run of %s: %w", sc.Name, err)
		}
		err = fmt.Errorf("replay of %s: %w", sc.Name, err)
		var p *runner.PanicError
		if !errors.As(err, &p) {
			// The file does not replay: its point or its changes were
			// edited, or it was made by another engine.
			err = BadInput{err}
		}
		return nil, err
	}
	snap := eng.Snapshot()
	if rep != nil && !interrupted && snap.Exchange.Auctions != rep.Auctions {
		// The point's events and instant were reached, with another count
		// of auctions than the file's: it was edited, or made by another
		// engine.
		return nil, BadInput{fmt.Errorf("replay of %s: replay diverged: %d auctions closed by the point (%d events, %v), the file's replay.auctions says %d",
			sc.Name, snap.Exchange.Auctions, rep.Point.Events, rep.Point.At, rep.Auctions)}
	}
	if rep != nil && !interrupted && rep.Revenue != nil {
		// Events, instant and auctions agree, yet the auctions may
		// have closed at other prices: an edited scenario_yaml (a
		// floor, a value), seed or change keeps the events' count.
		// The export's own summary says what the run earned, and a
		// replay is that run again to the byte.
		if got := sim.MetricValues(snap)["exchange.revenue"]; got != *rep.Revenue {
			return nil, BadInput{fmt.Errorf("replay of %s: replay diverged: the replay earned %v by the point (%d events, %v), the file's exchange.revenue (line %d) says %v: its scenario_yaml, seed or changes were edited, or another engine made it",
				sc.Name, got, rep.Point.Events, rep.Point.At, rep.RevenueLine, *rep.Revenue)}
		}
	}
	return NewRun(sc, snap, interrupted, wall), nil
}
