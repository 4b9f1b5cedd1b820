package main

import (
	"errors"

	"github.com/auctionsim/auctionsim/cmd/internal/cli"
	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/report/plot"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim/experiment"
)

// compareOptions are compare's flags; report.CompareOptions checks its
// own.
type compareOptions struct {
	exp      expFlags
	seed     cli.Seed
	set      scenarios.SetFlag
	noScale  bool
	noScript bool // --no-script: both sides leave the script out
	report.CompareOptions
}

func newCompareCmd() *command {
	o := compareOptions{set: scenarios.SetFlag{Flag: "--set"}}
	o.Change.Flag = "--change"
	c := newCommand(cli.Spec{
		Name:  "compare",
		Usage: "BASE VARIANT | BASE --change PATH=VALUE... [flags]",
		About: helpText("compare"),
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
	c.About += helpText("scale") // how a shortened run scales the budgets
	c.About += helpText("progress")
	defineExp(c, &o.exp, 20)
	defineOutput(c, &o.exp, ".json")
	c.Flags.Var(&o.seed, "seed", "`N` the experiment's seed (default: BASE's)")
	c.Flags.Var(&o.set, "set", setUsage+"; on both sides")
	c.Flags.BoolVar(&o.noScript, "no-script", false, "ignore the scenarios' scripts (their scheduled changes), on both sides")
	c.Flags.Var(&o.Change, "change", "`PATH=VALUE` the variant is BASE with this change (repeatable)")
	c.Flags.Var((*cli.List)(&o.Variants), "variant", "`NAME:PATH=VALUE[,PATH=VALUE...]` a named variant of BASE, paired against it (repeatable)")
	c.Flags.Var((*cli.List)(&o.Moves), "move", "`FROM:TO=AMOUNT` move budget from FROM to TO in the variant, their sum kept: totals, or daily budgets between a daily budget alone and another daily budget (repeatable)")
	c.Flags.StringVar(&o.Precision, "precision", "", "`P%` add replications until the --metric difference is known within P% of the baseline mean")
	c.Flags.StringVar(&o.Metric, "metric", "exchange.revenue", "`NAME` the metric of --precision and of the headline ("+catalogueNames+"); with --move, or --change (or every --variant) of one group's budgets alone (split's flags), that group's eventual.incremental_value (the conversions pending at each run's stop counted, as split decides)")
	c.Flags.BoolVar(&o.noScale, "no-scale", false, noScaleUsage)
	defineMetrics(c, &o.Metrics, "", "`M1,M2` the table shows these metrics ("+catalogueNames+") instead of its default; the table only: --json and --out keep every metric, --plot its own choice")
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
	texts, code, ok := readScenarios(st, "compare", args...)
	if !ok {
		return code
	}
	sf := scenarioFlags{seed: o.seed, set: o.set, noScript: o.noScript}
	sets := f.BaseSets(sf.expSets(), sf.pick().Seed)
	scale, ok := horizonFactor("compare", texts[0], &sf, f, sets, o.noScale, st)
	if !ok {
		return exitUsage
	}
	o.MetricGiven = given["metric"]
	spec, view, err := o.Experiment(texts, sets, scale.Factor, f.Reps)
	if err != nil {
		return refuse(st, "compare", err)
	}
	var notes scriptNotes
	if len(args) == 1 {
		// The changes' paths by the flag that gives them: --change,
		// --move (the budgets it sets), or each --variant NAME: (read
		// already by Experiment).
		flags, paths := []string{"--change", "--move"}, [][]string{report.SetPaths(o.Change.List), report.MovePaths(texts[0], sets, o.Moves)}
		for _, v := range o.Variants {
			name, changes, _ := scenarios.ParseVariant(v)
			flags, paths = append(flags, "--variant "+name+":"), append(paths, nil)
			for _, c := range changes {
				paths[len(paths)-1] = append(paths[len(paths)-1], c.Path)
			}
		}
		for i, flag := range flags {
			n, code, ok := scriptOverrides(st, "compare", texts[0], sets, flag, paths[i])
			if !ok {
				return code
			}
			notes.found = append(notes.found, n.found...)
		}
	}
	res, code := runExperiment("compare", spec, f, o.Metric, target, o.MaxReps, scale, st)
	if res == nil || res.Agg.Reps() == 0 {
		return code // nothing to write (interrupted before any replication)
	}
	return emitCompare("compare", res, f, target, view, notes, st)
}

// emitCompare writes a comparison's result, notes (what a script changes
// late in the runs) above its table and in its JSON; command names the
// command in its messages (compare, or merge for merged shards).
func emitCompare(command string, res *experiment.Result, f *expFlags, target float64, view report.CompareView, notes scriptNotes, st streams) int {
	// The metric-name column widens to the longest name, within the
	// terminal, or piped within $COLUMNS or 100 columns (a longer name
	// takes a line of its own).
	view.Width = cli.OutWidth(st.outTTY, st.getenv)
	e, out := report.CompareEmission(res, target, view)
	e = withNote(e, notes.table(view.Width)).WithNotes(notes.json())
	e.Draw = func(path string) error { return plot.SaveCompare(path, out) }
	return emitExp(command, res.Partial, f, st, e)
}

// noScaleUsage is --no-scale's help.
const noScaleUsage = "keep every budget whole when --duration or --auctions shortens the run (default: scale them with the horizon kept)"

// horizonFactor is the share of src's horizon that --duration or
// --auctions keeps (sets: the base's overrides, the stop's among them),
// a Factor of 1 with --no-scale or without them; the command says it
// (sayScale) once the run goes ahead.
func horizonFactor(command string, src scenarios.Text, sf *scenarioFlags, x *expFlags, sets []scenarios.Set, noScale bool, st streams) (report.Scale, bool) {
	s, err := x.Horizon(src, sf.expSets(), sets, noScale)
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
