package report

import (
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/experiment"
)

// RepsSpec is run --reps's experiment: the scenario src with the base's
// overrides sets (whole: --set's alone), f.Reps replications, its
// budgets scaled with the horizon a shortened run keeps (Horizon; a
// world without budgets is not scaled); and the metrics --metrics picks
// (nil: every one). scale is the budget scale applied, Factor 1 for
// none; it is set, to be said, even when a later step fails. A scenario
// that does not resolve is a LoadError; --metrics refused, an
// OptionError.
func (f *ExpOptions) RepsSpec(src scenarios.Text, whole, sets []scenarios.Set, noScale bool) (spec *experiment.Spec, picked []string, scale Scale, err error) {
	scale = Scale{Factor: 1}
	pt, sc, _, err := ResolveScaled(src, sets, 1)
	if err != nil {
		return nil, nil, scale, LoadError{err}
	}
	if experiment.HasBudget(sc.Config) {
		// Budgets scaled with the horizon kept, as the single run does.
		if scale, err = f.Horizon(src, whole, sets, noScale); err != nil {
			return nil, nil, Scale{Factor: 1}, LoadError{err}
		}
		if pt, sc, sets, err = ResolveScaled(src, sets, scale.Factor); err != nil {
			return nil, nil, scale, LoadError{err}
		}
	}
	if f.Metrics != "" {
		view, err := MetricsView(PointOf(sc), f.Metrics)
		if err != nil {
			return nil, nil, scale, err
		}
		if picked = view.Metrics; len(picked) == 0 {
			return nil, nil, scale, Optionf("--metrics", "--metrics %q names no metric", f.Metrics)
		}
	}
	spec = &experiment.Spec{Command: "run", Scenario: sc.Name, Seed: sc.Config.Seed, Reps: f.Reps, Sets: scenarios.SetStrings(sets),
		Points: []experiment.PointSpec{pt}, Inputs: InputsOf(sc)}
	return spec, picked, scale, nil
}

// ShortenRun is a single run's scenario (sc, as pick resolved it) with
// the stop of --auctions and --duration when given (Shorten, budgets
// scaled unless noScale); sc itself, Factor 1, when neither is.
func (f *ExpOptions) ShortenRun(pick scenarios.Pick, sc *scenarios.Scenario, noScale bool) (*scenarios.Scenario, Scale, error) {
	if !(f.Given["auctions"] || f.Given["duration"]) {
		return sc, Scale{Factor: 1}, nil
	}
	stop := scenarios.Stop{Auctions: f.Auctions, Duration: sim.FromDuration(f.Duration)}
	return Shorten(pick, sc, stop, !noScale)
}
