package report

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/experiment"
	"github.com/auctionsim/auctionsim/sim/experiment/split"
)

// Horizon is the budget scale of src's runs when --auctions or
// --duration shortens them (HorizonScale; whole: the --set overrides,
// sets: the base's, the stop's among them): Factor 1 with --no-scale
// (noScale) or without them. Its error is the scenario's.
func (f *ExpOptions) Horizon(src scenarios.Text, whole, sets []scenarios.Set, noScale bool) (Scale, error) {
	if noScale || !(f.Given["auctions"] || f.Given["duration"]) {
		return Scale{Factor: 1}, nil
	}
	return HorizonScale(src, whole, sets)
}

// CompareOptions are compare's own options, as its flags give them.
type CompareOptions struct {
	Change    scenarios.SetFlag // --change PATH=VALUE, the variant's
	Variants  []string          // --variant NAME:PATH=VALUE,...
	Moves     []string          // --move FROM:TO=AMOUNT
	Precision string            // --precision P%
	Metric    string            // --precision's and the headline's
	// MetricGiven says --metric was given. Without it a --move leads with
	// the moved budget's group's eventual incremental value, the planner's
	// question, not the exchange's revenue (MoveMetric); so do changes
	// of one group's budgets alone, as split prints them (ChangeMetric),
	// and named variants that are each such changes (VariantsMetric).
	MetricGiven bool
	Metrics     string // the table's metrics
	MaxReps     int
}

// Check validates the options against the arguments (BASE [VARIANT])
// and the experiment's options (exp, checked already), each refusal an
// OptionError; target is --precision as a share (0: none).
func (o *CompareOptions) Check(args []string, exp *ExpOptions) (target float64, err error) {
	var paths []string
	for _, c := range o.Change.List {
		paths = append(paths, c.Path)
	}
	for _, v := range o.Variants {
		if _, sets, err := scenarios.ParseVariant(v); err == nil { // a bad one is refused as the spec is built
			for _, s := range sets {
				paths = append(paths, s.Path)
			}
		}
	}
	flag := "--change"
	if len(o.Variants) > 0 {
		flag = "--variant"
	}
	if err := exp.CheckStopVaried(flag, paths); err != nil {
		return 0, err
	}
	if len(o.Variants) > 0 {
		switch {
		case len(args) != 1:
			return 0, Optionf("--variant", "--variant compares named variants of one BASE: give BASE only")
		case len(o.Change.List) > 0 || len(o.Moves) > 0:
			return 0, Optionf("--variant", "--variant carries its own changes: give them in it, not with --change or --move")
		case o.Precision != "":
			return 0, Optionf("--precision", "--precision follows one variant: use --change, or give --reps with --variant")
		}
		return 0, nil
	}
	switch {
	case len(args) == 0 && len(o.Moves) > 0:
		return 0, Optionf("--move", "give the baseline scenario whose budgets --move moves")
	case len(args) == 0:
		return 0, Optionf("", "give the baseline scenario, and a variant scenario or --change PATH=VALUE")
	case len(args) > 2:
		return 0, Optionf("", "unexpected argument %q: give BASE and at most one VARIANT", args[2])
	case len(args) == 2 && len(o.Moves) > 0:
		return 0, Optionf("--move", "--move moves budget in BASE's variant: give BASE only, not a variant scenario")
	case len(args) == 1 && len(o.Change.List) == 0 && len(o.Moves) == 0:
		return 0, Optionf("--change", "give a variant: a second scenario, or --change PATH=VALUE")
	}
	for _, c := range o.Change.List {
		if c.Path == "seed" {
			return 0, Optionf("--change", "--change seed=...: both sides run with the same replication seeds by design; give --seed to change them")
		}
	}
	if err := repeatedPath(o.Change.List); err != nil {
		return 0, Optionf("--change", "--change %v", err)
	}
	if o.Precision == "" {
		return 0, nil
	}
	p, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(o.Precision), "%"), 64)
	switch {
	case err != nil || !(p > 0 && p < 1000):
		return 0, Optionf("--precision", "--precision %s: want a percentage > 0, such as 1%%", o.Precision)
	case exp.Shard != "":
		return 0, Optionf("--precision", "--precision decides from all results as they come and cannot run in shards; give --reps")
	case o.MaxReps < exp.Reps:
		return 0, Optionf("--max-reps", "--max-reps %d is below --reps %d", o.MaxReps, exp.Reps)
	}
	return p / 100, nil
}

// Experiment is compare's experiment of the arguments' scenarios (BASE
// [VARIANT], Check-ed, each read once) with the base's overrides sets and budget scale: BASE
// against a variant scenario, its changes and moves, or the named
// variants (CompareSpec, VariantsSpec), reps replications each; and the
// table's view of --metrics. A scenario that does not resolve is a
// LoadError; a metric unknown, an OptionError.
func (o *CompareOptions) Experiment(args []scenarios.Text, sets []scenarios.Set, scale float64, reps int) (*experiment.Spec, CompareView, error) {
	var (
		spec *experiment.Spec
		bsc  *scenarios.Scenario
		err  error
	)
	if len(o.Variants) > 0 {
		spec, bsc, err = VariantsSpec(args[0], sets, o.Variants, scale)
	} else {
		variant := args[len(args)-1]
		spec, bsc, err = CompareSpec(args[0], variant, sets, o.Change.List, o.Moves, scale)
	}
	if err != nil {
		return nil, CompareView{}, err
	}
	switch {
	case o.MetricGiven:
	case len(o.Moves) > 0:
		if m := MoveMetric(bsc.Config, o.Moves[0]); m != "" {
			o.Metric = m
		}
	case len(o.Change.List) > 0:
		// split's recommended split pasted as --change: the same
		// headline as the --move it stands for.
		if m := ChangeMetric(bsc.Config, o.Change.List); m != "" {
			o.Metric = m
		}
	case len(o.Variants) > 0:
		// Named splits of one group's budgets (--both-objectives' optima
		// pasted, or the planner's own): each variant's verdict is on the
		// group's incremental value, as one --change of them would be.
		if m := VariantsMetric(bsc.Config, o.Variants); m != "" {
			o.Metric = m
		}
	}
	p := PointOf(bsc)
	if err := experiment.CheckMetrics(p, o.Metric); err != nil {
		return nil, CompareView{}, &OptionError{Flag: "--metric", Err: fmt.Errorf("--metric: %w", err)}
	}
	view, err := MetricsView(p, o.Metrics)
	if err != nil {
		return nil, CompareView{}, err
	}
	spec.Reps, spec.Metrics = reps, []string{o.Metric}
	return spec, view, nil
}

// MoveMetric is the headline of a compare --move without --metric:
// groups.G.eventual.incremental_value for the group G of the move's
// FROM, else of its TO (the incremental value a move between a group's
// members changes, where the exchange's revenue is not the planner's
// question; eventual, the conversions pending at each run's stop
// counted, as split decides on it: groupMetric); "" when neither has a
// group or the move does not read (refused later, with its reason).
func MoveMetric(cfg sim.Config, move string) string {
	m, err := split.ParseMove(move)
	if err != nil {
		return ""
	}
	for _, name := range []string{m.From, m.To} {
		for _, b := range cfg.Bidders {
			if b.Name == name && b.Group != "" {
				return groupMetric(b.Group)
			}
		}
	}
	return ""
}

// ChangeMetric is the headline of a compare --change without --metric
// whose changes are all budgets (bidders.NAME.budget, or a field of it)
// of members of one group G: groups.G.eventual.incremental_value, as for the
// --move they amount to (split's recommended split, pasted). "" for any
// other change set, which keeps the default.
func ChangeMetric(cfg sim.Config, changes []scenarios.Set) string {
	group := ""
	for _, c := range changes {
		parts := strings.SplitN(c.Path, ".", 3)
		if len(parts) != 3 || parts[0] != "bidders" || (parts[2] != "budget" && !strings.HasPrefix(parts[2], "budget.")) {
			return ""
		}
		g := ""
		for _, b := range cfg.Bidders {
			if b.Name == parts[1] {
				g = b.Group
			}
		}
		if g == "" || (group != "" && g != group) {
			return ""
		}
		group = g
	}
	if group == "" {
		return ""
	}
	return groupMetric(group)
}

// groupMetric is the headline of a compare of group's budgets alone:
// the figure split maximises by default (split.ObjectiveMetric of
// incremental_value), the group's eventual incremental value, counting
// the conversions still pending at each run's stop. On the matured
// figure alone a move toward the member whose conversions come later
// would read low, and compare would disagree with the split it checks.
func groupMetric(group string) string { return split.ObjectiveMetric(group, "incremental_value") }

// VariantsMetric is the headline of a compare --variant without --metric
// whose every variant changes budgets of members of one group G alone
// (ChangeMetric of each, the same G): groups.G.eventual.incremental_value, so that
// splits compared by name are judged as one of them given by --change
// would be. "" otherwise (a variant that does not read is refused later,
// with its reason).
func VariantsMetric(cfg sim.Config, variants []string) string {
	metric := ""
	for _, text := range variants {
		_, changes, err := scenarios.ParseVariant(text)
		if err != nil {
			return ""
		}
		m := ChangeMetric(cfg, changes)
		if m == "" || (metric != "" && m != metric) {
			return ""
		}
		metric = m
	}
	return metric
}

// repeatedPath refuses a path given twice among one side's changes: the
// last would silently win (one variant, one value a path).
func repeatedPath(sets []scenarios.Set) error {
	given := map[string]string{}
	for _, c := range sets {
		if v, twice := given[c.Path]; twice {
			return fmt.Errorf("%s is given twice (%s and %s): give each path once", c.Path, v, c.Value)
		}
		given[c.Path] = c.Value
	}
	return nil
}
