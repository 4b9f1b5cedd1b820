package main

import (
	"errors"

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
It moves budget.total, or, as split divides them, between a bidder with a
daily budget alone (no total) and one with a daily budget (alone or beside a
total, which stays) their budget.daily, the daily sum kept; a move between a
daily budget alone and a total alone is refused (give the daily budget a
total, or the total a daily budget, with --change).
Any variant whose changes alter a group's total budget is said so in the
output ("group_totals" in the JSON).` + scaleAbout

// compareOptions are compare's flags; report.CompareOptions checks its
// own.
type compareOptions struct {
	exp     expFlags
	seed    cli.Seed
	set     scenarios.SetFlag
	noScale bool
	report.CompareOptions
}

func newCompareCmd() *command {
	o := compareOptions{set: scenarios.SetFlag{Flag: "--set"}}
	o.Change.Flag = "--change"
	c := newCommand(cli.Spec{
		Name:  "compare",
		Usage: "BASE VARIANT | BASE --change PATH=VALUE... [flags]",
		About: compareAbout,
		Examples: []string{
			"auctionsim compare timeout-demo --change exchange.tmax=80ms",
			"auctionsim compare budget-split --change bidders.acme-retarget.budget.total=100 \\\n" +
				"      --change bidders.acme-prospect.budget.total=300 --metric bidders.acme-prospect.incremental_value",
			"auctionsim compare reserve-price --change exchange.floor=0.3 --precision 1% --json",
			"auctionsim compare budget-split --move acme-retarget:acme-prospect=100",
			"auctionsim compare budget-split --variant a:bidders.acme-retarget.budget.total=100,bidders.acme-prospect.budget.total=300 \\\n" +
				"      --variant b:bidders.acme-retarget.budget.total=0,bidders.acme-prospect.budget.total=400",
			"auctionsim compare timeout-demo my-world.yaml --reps 50 --plot diff.svg",
		},
		Exits: "Exit codes: 0 ok, 1 a run failed (or an output could not be written), 2 bad usage or a bad scenario, 130 interrupted.",
	})
	defineExp(c, &o.exp, 20)
	defineOutput(c, &o.exp, ".json")
	c.Flags.Var(&o.seed, "seed", "`N` the experiment's seed (default: BASE's)")
	c.Flags.Var(&o.set, "set", setUsage+"; on both sides")
	c.Flags.Var(&o.Change, "change", "`PATH=VALUE` the variant is BASE with this change (repeatable)")
	c.Flags.Var((*cli.List)(&o.Variants), "variant", "`NAME:PATH=VALUE[,PATH=VALUE...]` a named variant of BASE, paired against it (repeatable)")
	c.Flags.Var((*cli.List)(&o.Moves), "move", "`FROM:TO=AMOUNT` move budget from FROM to TO in the variant, their sum kept: totals, or daily budgets between a daily budget alone and another daily budget (repeatable)")
	c.Flags.StringVar(&o.Precision, "precision", "", "`P%` add replications until the --metric difference is known within P% of the baseline mean")
	c.Flags.StringVar(&o.Metric, "metric", "exchange.revenue", "`NAME` the metric of --precision and of the headline")
	c.Flags.BoolVar(&o.noScale, "no-scale", false, noScaleUsage)
	defineMetrics(c, &o.Metrics, "", "`M1,M2` the table shows these metrics (the catalogue's names) instead of its default")
	cli.CountVar(c.Flags, &o.MaxReps, "max-reps", 1000, "`N` the most replications --precision may run")
	// Flags may follow the scenarios.
	c.runArgs = func(args []string, st streams) int { return compareMain(&o, c.Given(), args, st) }
	return c
}

func compareMain(o *compareOptions, given map[string]bool, args []string, st streams) int {
	f := &o.exp
	var target float64
	check := func() (err error) {
		if given["max-reps"] && o.Precision == "" {
			// Else ignored: the planner thinks the replications bounded.
			return report.Optionf("--max-reps", "--max-reps bounds the replications of --precision: give --precision P%%, or --reps N alone")
		}
		target, err = o.Check(args, f)
		return err
	}
	if code, refused := cli.Check(st.err, "compare", func() error { return f.Check(given, plot.CheckPath, ".json") }, check); refused {
		return code
	}
	sf := scenarioFlags{seed: o.seed, set: o.set}
	sets := f.BaseSets(sf.set.List, sf.pick().Seed)
	scale, ok := horizonFactor("compare", args[0], &sf, f, sets, o.noScale, st)
	if !ok {
		return exitUsage
	}
	o.MetricGiven = given["metric"]
	spec, view, err := o.Experiment(args, sets, scale.Factor, f.Reps)
	if err != nil {
		return refuse(st, "compare", err)
	}
	res, code := runExperiment("compare", spec, f, o.Metric, target, o.MaxReps, scale, st)
	if res == nil {
		return code
	}
	return emitCompare(res, f, target, view, st)
}

func emitCompare(res *experiment.Result, f *expFlags, target float64, view report.CompareView, st streams) int {
	// The metric-name column widens to the longest name, within the
	// terminal when there is one (0 when piped: never cut).
	view.Width = cli.Width(st.outTTY)
	e, out := report.CompareEmission(res, target, view)
	e.Draw = func(path string) error { return plot.SaveCompare(path, out) }
	return emitExp("compare", res.Partial, f, st, e)
}

// noScaleUsage is --no-scale's help.
const noScaleUsage = "keep every budget whole when --duration or --auctions shortens the run (default: scale them with the horizon kept)"

// horizonFactor is the share of name's horizon that --duration or
// --auctions keeps (sets: the base's overrides, the stop's among them),
// a Factor of 1 with --no-scale or without them; the command says it
// (sayScale) once the run goes ahead.
func horizonFactor(command, name string, sf *scenarioFlags, x *expFlags, sets []scenarios.Set, noScale bool, st streams) (report.Scale, bool) {
	s, err := x.Horizon(name, sf.set.List, sets, noScale)
	if err != nil {
		cli.BadInput(st.err, command, err)
		return s, false
	}
	return s, true
}

// refuse reports err, bad input: a scenario's errors (report.LoadError)
// as cli.BadInput does, anything else as bad usage of command.
func refuse(st streams, command string, err error) int {
	var le report.LoadError
	if errors.As(err, &le) {
		return cli.BadInput(st.err, command, le.Err)
	}
	return usageError(st, command, "%v", err)
}
