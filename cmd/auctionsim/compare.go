package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/auctionsim/auctionsim/cmd/internal/cli"
	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/report/plot"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim/experiment"
)

const compareAbout = `Compares two scenarios (bundled names or files), or a scenario and the same
scenario with some changes (one variable at a time), over paired
replications: replication i of both sides runs with the same seed, so the two
worlds share every random draw the change does not touch (common random
numbers), and the difference is measured on the N paired differences.

For every metric: the baseline, the variant, the difference variant −
baseline with its 95% interval, the relative difference, and the half-width
an unpaired comparison would have had. The table leads with --metric, then
the differences whose interval excludes 0; the rest are "not
distinguishable" at the replications run.

--precision P% adds replications in batches (first --reps, then max(--reps,
N/2) more at a time) until the --metric difference's half-width is within P%
of the baseline mean, or --max-reps; then the N replications reached are run
again with fresh seeds, and those give the reported intervals (the rule's own
would be too narrow: it stops when the spread happens to look small).

--variant NAME:PATH=VALUE[,PATH=VALUE...] (repeatable) compares several
named variants of BASE, each paired against it over the same replications;
the table has a section a variant, the JSON "variants": [{"name",
"changes", "metrics"}] ("metrics" is the first variant's again).

--move FROM:TO=AMOUNT (repeatable) moves AMOUNT of FROM's budget to TO, their
sum kept to the cent, in the --change variant: refused when FROM has less.
Any variant whose changes alter a group's total budget is said so in the
output ("group_totals" in the JSON).

--duration and --auctions shorten each run; every budget is then scaled with
the share of the scenario's horizon the run keeps (a 2-minute run of a
10-minute scenario gets a fifth of each budget, changed and moved ones
too), so that budgets bind as in the whole run; stderr says so. --no-scale
keeps the budgets whole.`

// compareOptions are compare's flags.
type compareOptions struct {
	exp       expFlags
	seed      cli.Seed
	set       scenarios.SetFlag
	change    scenarios.SetFlag
	variants  cli.List
	moves     cli.List
	precision string
	metric    string
	metrics   string
	maxReps   int
	noScale   bool
}

func newCompareCmd() *command {
	o := compareOptions{set: scenarios.SetFlag{Flag: "--set"}, change: scenarios.SetFlag{Flag: "--change"}}
	c := newCommand("compare", "BASE VARIANT | BASE --change PATH=VALUE... [flags]", compareAbout+"\n\n"+theoryMetricsHelp)
	o.exp.defineExp(c, 20)
	o.exp.defineOutput(c, ".json")
	c.Flags.Var(&o.seed, "seed", "`N` the experiment's seed (default: BASE's)")
	c.Flags.Var(&o.set, "set", setUsage+"; on both sides")
	c.Flags.Var(&o.change, "change", "`PATH=VALUE` the variant is BASE with this change (repeatable)")
	c.Flags.Var(&o.variants, "variant", "`NAME:PATH=VALUE[,PATH=VALUE...]` a named variant of BASE, paired against it (repeatable)")
	c.Flags.Var(&o.moves, "move", "`FROM:TO=AMOUNT` move budget from FROM to TO in the variant, their sum kept (repeatable)")
	c.Flags.StringVar(&o.precision, "precision", "", "`P%` add replications until the --metric difference is known within P% of the baseline mean")
	c.Flags.StringVar(&o.metric, "metric", "exchange.revenue", "`NAME` the metric of --precision and of the headline")
	c.Flags.BoolVar(&o.noScale, "no-scale", false, noScaleUsage)
	c.Flags.StringVar(&o.metrics, "metrics", "", "`M1,M2` the table shows these metrics (the catalogue's names) instead of its default")
	cli.CountVar(c.Flags, &o.maxReps, "max-reps", 1000, "`N` the most replications --precision may run")
	c.Examples = []string{
		"auctionsim compare timeout-demo --change exchange.tmax=80ms",
		"auctionsim compare budget-split --change bidders.acme-retarget.budget.total=100 \\\n" +
			"      --change bidders.acme-prospect.budget.total=300 --metric bidders.acme-prospect.incremental_value",
		"auctionsim compare reserve-price --change exchange.floor=0.3 --precision 1% --json",
		"auctionsim compare budget-split --move acme-retarget:acme-prospect=100",
		"auctionsim compare budget-split --variant a:bidders.acme-retarget.budget.total=100,bidders.acme-prospect.budget.total=300 \\\n" +
			"      --variant b:bidders.acme-retarget.budget.total=0,bidders.acme-prospect.budget.total=400",
		"auctionsim compare timeout-demo my-world.yaml --reps 50 --plot diff.svg",
	}
	c.Exits = "Exit codes: 0 ok, 1 a run failed (or an output could not be written), 2 bad usage or a bad scenario, 130 interrupted."
	c.run = func(st streams) int {
		// Flags may follow the scenarios: parse what is left.
		args, code, done := cli.ParseInterleaved(c.Flags, c.Flags.Args(), c.Help(), st.out, st.err)
		if done {
			return code
		}
		return compareMain(&o, c.Given(), args, st)
	}
	return c
}

func compareMain(o *compareOptions, given map[string]bool, args []string, st streams) int {
	f := &o.exp
	if err := f.check(given, ".json"); err != nil {
		return usageError(st, "compare", "%v", err)
	}
	change := o.change
	if len(o.variants) > 0 {
		return compareVariants(o, args, st)
	}
	switch {
	case len(args) == 0 && len(o.moves) > 0:
		return usageError(st, "compare", "give the baseline scenario whose budgets --move moves")
	case len(args) == 0:
		return usageError(st, "compare", "give the baseline scenario, and a variant scenario or --change PATH=VALUE")
	case len(args) > 2:
		return usageError(st, "compare", "unexpected argument %q: give BASE and at most one VARIANT", args[2])
	case len(args) == 2 && len(o.moves) > 0:
		return usageError(st, "compare", "--move moves budget in BASE's variant: give BASE only, not a variant scenario")
	case len(args) == 1 && len(change.List) == 0 && len(o.moves) == 0:
		return usageError(st, "compare", "give a variant: a second scenario, or --change PATH=VALUE")
	}
	for _, c := range change.List {
		if c.Path == "seed" {
			return usageError(st, "compare", "--change seed=...: both sides run with the same replication seeds by design; give --seed to change them")
		}
	}
	var target float64
	if o.precision != "" {
		p, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(o.precision), "%"), 64)
		if err != nil || !(p > 0 && p < 1000) {
			return usageError(st, "compare", "--precision %s: want a percentage > 0, such as 1%%", o.precision)
		}
		target = p / 100
		if f.shard != "" {
			return usageError(st, "compare", "--precision decides from all results as they come and cannot run in shards; give --reps")
		}
		if o.maxReps < f.reps {
			return usageError(st, "compare", "--max-reps %d is below --reps %d", o.maxReps, f.reps)
		}
	}

	sets, scale, ok := o.baseScale(args[0], st)
	if !ok {
		return exitUsage
	}
	variantName := args[0]
	if len(args) == 2 {
		variantName = args[1]
	}
	spec, bsc, err := report.CompareSpec(args[0], variantName, sets, change.List, o.moves, scale)
	if err != nil {
		return refuse(st, "compare", err)
	}
	view, err := compareView(report.PointOf(bsc), o.metric, o.metrics)
	if err != nil {
		return usageError(st, "compare", "%v", err)
	}
	spec.Reps, spec.Metrics = f.reps, []string{o.metric}
	res, code := runExperiment("compare", spec, f, o.metric, target, o.maxReps, st)
	if res == nil {
		return code
	}
	return emitCompare(res, f, target, view, st)
}

// compareView checks compare's --metric against p's metrics and is the
// table's view of --metrics (report.MetricsView).
func compareView(p experiment.Point, metric, metrics string) (report.CompareView, error) {
	if err := experiment.CheckMetrics(p, metric); err != nil {
		return report.CompareView{}, fmt.Errorf("--metric: %w", err)
	}
	return report.MetricsView(p, metrics)
}

func emitCompare(res *experiment.Result, f *expFlags, target float64, view report.CompareView, st streams) int {
	// The metric-name column widens to the longest name, within the
	// terminal when there is one (0 when piped: never cut).
	view.Width = cli.Width(st.outTTY)
	e, out := report.CompareEmission(res, target, view)
	e.Draw = func(path string) error { return plot.SaveCompare(path, out) }
	return emitExp("compare", res.Partial, f, st, e)
}

// baseScale is the overrides every point starts from (--seed, --set,
// the stop) and the horizon's budget scale of BASE; false after the
// message is printed.
func (o *compareOptions) baseScale(name string, st streams) ([]scenarios.Set, float64, bool) {
	sf := scenarioFlags{seed: o.seed, set: o.set}
	sets := o.exp.baseSets(&sf)
	scale, ok := horizonFactor("compare", name, &sf, &o.exp, sets, o.noScale, st)
	return sets, scale, ok
}

// compareVariants is compare BASE --variant ... : every variant paired
// against BASE over the same replications.
func compareVariants(o *compareOptions, args []string, st streams) int {
	f := &o.exp
	switch {
	case len(args) != 1:
		return usageError(st, "compare", "--variant compares named variants of one BASE: give BASE only")
	case len(o.change.List) > 0 || len(o.moves) > 0:
		return usageError(st, "compare", "--variant carries its own changes: give them in it, not with --change or --move")
	case o.precision != "":
		return usageError(st, "compare", "--precision follows one variant: use --change, or give --reps with --variant")
	}
	sets, scale, ok := o.baseScale(args[0], st)
	if !ok {
		return exitUsage
	}
	spec, bsc, err := report.VariantsSpec(args[0], sets, o.variants, scale)
	if err != nil {
		return refuse(st, "compare", err)
	}
	view, err := compareView(report.PointOf(bsc), o.metric, o.metrics)
	if err != nil {
		return usageError(st, "compare", "%v", err)
	}
	spec.Reps, spec.Metrics = f.reps, []string{o.metric}
	res, code := runExperiment("compare", spec, f, o.metric, 0, o.maxReps, st)
	if res == nil {
		return code
	}
	return emitCompare(res, f, 0, view, st)
}

// noScaleUsage is --no-scale's help.
const noScaleUsage = "keep every budget whole when --duration or --auctions shortens the run (default: scale them with the horizon kept)"

// horizonFactor is the share of name's horizon that --duration or
// --auctions keeps (sets: the base's overrides, the stop's among them),
// 1 with --no-scale or without them; it says on stderr that budgets are
// scaled by it.
func horizonFactor(command, name string, sf *scenarioFlags, x *expFlags, sets []scenarios.Set, noScale bool, st streams) (float64, bool) {
	if noScale || !(x.given["auctions"] || x.given["duration"]) {
		return 1, true
	}
	s, err := report.HorizonScale(name, sf.set.List, sets)
	if err != nil {
		reportLoadError(st, err)
		return 0, false
	}
	if s.Factor != 1 {
		fmt.Fprintf(st.err, "auctionsim %s: %s\n", command, s.Note())
	}
	return s.Factor, true
}

// refuse reports err, bad input: a scenario's errors as they are
// (report.LoadError), anything else as bad usage of command.
func refuse(st streams, command string, err error) int {
	var le report.LoadError
	if errors.As(err, &le) {
		reportLoadError(st, le.Err)
		return exitUsage
	}
	return usageError(st, command, "%v", err)
}

// resolveScaled is report.ResolveScaled; on failure it prints the
// scenario's errors.
func resolveScaled(name string, sets []scenarios.Set, f float64, st streams) (experiment.PointSpec, *scenarios.Scenario, []scenarios.Set, bool) {
	p, sc, all, err := report.ResolveScaled(name, sets, f)
	if err != nil {
		reportLoadError(st, err)
		return p, nil, nil, false
	}
	return p, sc, all, true
}
