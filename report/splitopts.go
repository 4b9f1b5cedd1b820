package report

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim/experiment"
	"github.com/auctionsim/auctionsim/sim/experiment/split"
)

// SplitOptions are split's own options, as its flags give them.
type SplitOptions struct {
	Group     string // the advertiser group whose budget is divided
	Objective string // one of split.Objectives
	Step      string // a move's size: a share of the total (5%) or an amount
	Metrics   string // the metrics compared; "": the group's default
	// Budget is the members' budget divided: split.Total, split.Daily, or
	// "" for the one they have (split.NewFor).
	Budget string
	// BothObjectives: a second search for the other objective's optimum;
	// OneObjective, the default, is still accepted.
	BothObjectives, OneObjective bool
	// Scale is the share of the scenario's horizon the runs keep
	// (--duration, --auctions), by which its totals were scaled; 0 or 1:
	// none. A --step amount is the scenario's, scaled as the totals are
	// (as --move and --change amounts are), and the printed --set flags
	// are unscaled (split.Search.SetScale).
	Scale float64
}

// Check refuses, before the scenario is read, a missing --group, an
// unknown --objective and an unknown --budget.
func (o *SplitOptions) Check() error {
	switch {
	case o.Group == "":
		return Optionf("--group", "--group G is required: the advertiser group whose budget is divided")
	case !slices.Contains(split.Objectives, o.Objective):
		return Optionf("--objective", "--objective %s: want one of %s", o.Objective, strings.Join(split.Objectives, ", "))
	case o.Budget != "" && !slices.Contains(split.Budgets, o.Budget):
		return Optionf("--budget", "--budget %s: want %s", o.Budget, strings.Join(split.Budgets, " or "))
	}
	return nil
}

// SplitSearch is split's search, set up.
type SplitSearch struct {
	*split.Search
	Start []split.Cents // the scenario's split, where the search starts
	Step  split.Cents   // the finest move
	// Capped, if not "", says that the workers were capped, and why.
	Capped string
}

// Search sets up the search of sc's group: exp's replications and
// workers (capped, as the group's splits run side by side), the metrics
// compared, the start and the step. A refusal is an OptionError; Capped
// is set even then, to be said.
func (o *SplitOptions) Search(sc *scenarios.Scenario, exp *ExpOptions) (SplitSearch, error) {
	s, err := split.NewFor(PointOf(sc), o.Group, o.Objective, o.Budget)
	if err != nil {
		return SplitSearch{}, Optionf("--group", "--%v", err) // --group G: …
	}
	view, err := MetricsView(PointOf(sc), o.Metrics)
	if err != nil {
		return SplitSearch{}, err
	}
	if o.BothObjectives && o.OneObjective {
		return SplitSearch{}, Optionf("--both-objectives", "--both-objectives and --one-objective: choose one")
	}
	s.Reps, s.Workers, s.Metrics, s.Optima = exp.Reps, exp.Workers, view.Metrics, o.BothObjectives
	ss := SplitSearch{Search: s, Start: s.Current()}
	// The search runs the group's splits side by side: the cap counts the
	// base world for each worker, as their engines are alike.
	if w, capped, why := (&experiment.Job{Points: []experiment.Point{s.Base}, Workers: exp.Workers}).Cap(); capped {
		ss.Capped = fmt.Sprintf("--workers %d capped at %d: %s", exp.Workers, w, why)
		s.Workers = w
	}
	s.SetScale = o.Scale
	total := split.Sum(ss.Start)
	scaled := o.Scale > 0 && o.Scale != 1 && s.Budget == split.Total
	if scaled {
		// The scenario's own total, which an amount is a step of.
		total = split.Cents(math.Round(float64(total) / o.Scale))
	}
	if ss.Step, err = split.ParseStep(o.Step, total, s.Budget); err != nil {
		return ss, Optionf("--step", "--step %v", err)
	}
	if scaled {
		ss.Step = max(1, split.Cents(math.Round(float64(ss.Step)*o.Scale)))
	}
	return ss, nil
}
