package main

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/report/plot"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim/experiment"
	"github.com/auctionsim/auctionsim/sim/experiment/split"
	"github.com/auctionsim/auctionsim/sim/stats"
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
	seed      seedFlag
	set       setFlags
	change    setFlags
	variants  listFlag
	moves     listFlag
	precision string
	metric    string
	metrics   string
	maxReps   int
	noScale   bool
}

func newCompareCmd() *command {
	o := compareOptions{set: setFlags{flag: "--set"}, change: setFlags{flag: "--change"}}
	c := newCommand("compare", "BASE VARIANT | BASE --change PATH=VALUE... [flags]", compareAbout)
	o.exp.defineExp(c, 20)
	o.exp.defineOutput(c, ".json")
	c.fs.Var(&o.seed, "seed", "`N` the experiment's seed (default: BASE's)")
	c.fs.Var(&o.set, "set", setUsage+"; on both sides")
	c.fs.Var(&o.change, "change", "`PATH=VALUE` the variant is BASE with this change (repeatable)")
	c.fs.Var(&o.variants, "variant", "`NAME:PATH=VALUE[,PATH=VALUE...]` a named variant of BASE, paired against it (repeatable)")
	c.fs.Var(&o.moves, "move", "`FROM:TO=AMOUNT` move budget from FROM to TO in the variant, their sum kept (repeatable)")
	c.fs.StringVar(&o.precision, "precision", "", "`P%` add replications until the --metric difference is known within P% of the baseline mean")
	c.fs.StringVar(&o.metric, "metric", "exchange.revenue", "`NAME` the metric of --precision and of the headline")
	c.fs.BoolVar(&o.noScale, "no-scale", false, noScaleUsage)
	c.fs.StringVar(&o.metrics, "metrics", "", "`M1,M2` the table shows these metrics (the catalogue's names) instead of its default")
	countVar(c.fs, &o.maxReps, "max-reps", 1000, "`N` the most replications --precision may run")
	c.examples = []string{
		"auctionsim compare timeout-demo --change exchange.tmax=80ms",
		"auctionsim compare budget-split --change bidders.acme-retarget.budget.total=100 \\\n" +
			"      --change bidders.acme-prospect.budget.total=300 --metric bidders.acme-prospect.incremental_value",
		"auctionsim compare reserve-price --change exchange.floor=0.3 --precision 1% --json",
		"auctionsim compare budget-split --move acme-retarget:acme-prospect=100",
		"auctionsim compare budget-split --variant a:bidders.acme-retarget.budget.total=100,bidders.acme-prospect.budget.total=300 \\\n" +
			"      --variant b:bidders.acme-retarget.budget.total=0,bidders.acme-prospect.budget.total=400",
		"auctionsim compare timeout-demo my-world.yaml --reps 50 --plot diff.svg",
	}
	c.exits = "Exit codes: 0 ok, 1 a run failed (or an output could not be written), 2 bad usage or a bad scenario, 130 interrupted."
	c.run = func(st streams) int {
		// Flags may follow the scenarios: parse what is left.
		args, code, done := parseInterleaved(c.fs, c.fs.Args(), c.help(), st)
		if done {
			return code
		}
		return compareMain(&o, c.given(), args, st)
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
	case len(args) == 1 && len(change.list) == 0 && len(o.moves) == 0:
		return usageError(st, "compare", "give a variant: a second scenario, or --change PATH=VALUE")
	}
	for _, c := range change.list {
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

	sets, scale, base, bsc, ok := o.resolveBase(args[0], st)
	if !ok {
		return exitUsage
	}
	variantName := args[0]
	if len(args) == 2 {
		variantName = args[1]
	}
	variant, vsc, ok := resolvePoint(variantName, append(slices.Clone(sets), change.list...), st)
	if !ok {
		return exitUsage
	}
	if len(o.moves) > 0 {
		moved, err := moveSets(vsc, o.moves)
		if err != nil {
			return usageError(st, "compare", "%v", err)
		}
		change.list = append(change.list, moved...)
	}
	// The variant's budgets, changed or moved, are scaled as the base's.
	if variant, vsc, _, ok = resolveScaled(variantName, append(slices.Clone(sets), change.list...), scale, st); !ok {
		return exitUsage
	}
	view, err := compareView(pointOf(bsc), o.metric, o.metrics)
	if err != nil {
		return usageError(st, "compare", "%v", err)
	}
	spec := &experiment.Spec{
		Command: "compare", Scenario: bsc.Name, Seed: bsc.Config.Seed, Reps: f.reps,
		Sets: setStrings(sets), Changes: setStrings(change.list), Points: []experiment.PointSpec{base, variant},
		Metrics: []string{o.metric},
		Inputs:  append(fileInput(bsc), fileInput(vsc)...),
	}
	res, code := runExperiment("compare", spec, f, o.metric, target, o.maxReps, st)
	if res == nil {
		return code
	}
	return emitCompare(res, f, target, view, st)
}

// compareView checks compare's --metric against p's metrics and is the
// table's view of --metrics (see metricsView).
func compareView(p experiment.Point, metric, metrics string) (report.CompareView, error) {
	if err := experiment.CheckMetrics(p, metric); err != nil {
		return report.CompareView{}, fmt.Errorf("--metric: %w", err)
	}
	return metricsView(p, metrics)
}

// metricsView is the table's view of --metrics: each name checked
// against p's metrics (with a did-you-mean).
func metricsView(p experiment.Point, text string) (report.CompareView, error) {
	if strings.TrimSpace(text) == "" {
		return report.CompareView{}, nil
	}
	var names []string
	for _, m := range strings.Split(text, ",") {
		if m = strings.TrimSpace(m); m != "" {
			names = append(names, m)
		}
	}
	if err := experiment.CheckMetrics(p, names...); err != nil {
		return report.CompareView{}, fmt.Errorf("--metrics: %w", err)
	}
	return report.CompareView{Metrics: names}, nil
}

func emitCompare(res *experiment.Result, f *expFlags, target float64, view report.CompareView, st streams) int {
	out := experiment.NewComparison(res, target)
	// The metric-name column widens to the longest name, within the
	// terminal when there is one (0 when piped: never cut).
	view.Width = outWidth(st)
	// compare writes JSON to --out whatever the name: there is no CSV form.
	return emitExp("compare", res.Partial, f, st, out, nil,
		func(path string) error { return plotCompare(path, out) },
		func() string { return view.Table(out) })
}

// plotCompare draws the relative differences that exclude 0 (at most
// 12, the largest first) and the headline metric, with their intervals.
func plotCompare(path string, out experiment.Comparison) error {
	differ, _, _ := out.Rows()
	names := differ[:min(len(differ), 12)]
	if !slices.Contains(names, out.Metric) {
		if _, okm := out.Metrics[out.Metric]; okm {
			names = append([]string{out.Metric}, names...)
		}
	}
	var ss []stats.Stat
	for _, n := range names {
		m := out.Metrics[n]
		base := math.Abs(m.Baseline.Mean)
		if base == 0 {
			base = math.NaN()
		}
		d := m.Diff
		ss = append(ss, stats.Stat{Mean: 100 * d.Mean / base, N: d.N, Lo: 100 * d.Lo / base, Hi: 100 * d.Hi / base})
	}
	title := fmt.Sprintf("variant − baseline, %d paired replications, 95%% intervals", out.Replications)
	c, err := plot.Intervals(title, "difference (% of baseline)", names, ss, true)
	return savePlot(c, err, path)
}

// listFlag collects a repeatable flag's values.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, " ") }

func (l *listFlag) Set(text string) error {
	*l = append(*l, text)
	return nil
}

// moveSets are the --move flags as budget changes of sc's bidders.
func moveSets(sc *scenarios.Scenario, texts []string) ([]scenarios.Set, error) {
	var moves []split.Move
	for _, t := range texts {
		m, err := split.ParseMove(t)
		if err != nil {
			return nil, fmt.Errorf("--move %v", err)
		}
		moves = append(moves, m)
	}
	changes, err := split.MoveChanges(sc.Config, moves)
	if err != nil {
		return nil, fmt.Errorf("--move %v", err)
	}
	out := make([]scenarios.Set, len(changes))
	for i, c := range changes {
		out[i] = scenarios.Set{Path: c[0], Value: c[1], Flag: "--move"}
	}
	return out, nil
}

// parseVariant reads NAME:PATH=VALUE[,PATH=VALUE...]: a piece without
// "=" belongs to the value before it (a flow list's commas).
func parseVariant(text string) (string, []scenarios.Set, error) {
	name, rest, ok := strings.Cut(text, ":")
	name = strings.TrimSpace(name)
	if !ok || name == "" || strings.Contains(name, "=") || strings.TrimSpace(rest) == "" {
		return "", nil, fmt.Errorf("--variant %s: want NAME:PATH=VALUE[,PATH=VALUE...], such as cut:exchange.tmax=80ms", text)
	}
	var pieces []string
	for _, p := range strings.Split(rest, ",") {
		if len(pieces) > 0 && !strings.Contains(p, "=") {
			pieces[len(pieces)-1] += "," + p
			continue
		}
		pieces = append(pieces, p)
	}
	var sets []scenarios.Set
	for _, p := range pieces {
		s, err := scenarios.ParseSet("--variant "+name+":", strings.TrimSpace(p))
		if err != nil {
			return "", nil, err
		}
		if s.Path == "seed" {
			return "", nil, fmt.Errorf("--variant %s: seed=...: every variant runs with the same replication seeds by design; give --seed to change them", name)
		}
		sets = append(sets, s)
	}
	return name, sets, nil
}

// resolveBase resolves BASE with --seed, --set and the horizon's budget
// scale: the sets every point starts from, the scale, BASE's point and
// its scenario; false after the message is printed.
func (o *compareOptions) resolveBase(name string, st streams) ([]scenarios.Set, float64, experiment.PointSpec, *scenarios.Scenario, bool) {
	sf := scenarioFlags{seed: o.seed, set: o.set}
	sets := o.exp.baseSets(&sf)
	scale, ok := horizonFactor("compare", name, &sf, &o.exp, sets, o.noScale, st)
	if !ok {
		return nil, 0, experiment.PointSpec{}, nil, false
	}
	base, bsc, _, ok := resolveScaled(name, sets, scale, st)
	return sets, scale, base, bsc, ok
}

// compareVariants is compare BASE --variant ... : every variant paired
// against BASE over the same replications.
func compareVariants(o *compareOptions, args []string, st streams) int {
	f := &o.exp
	switch {
	case len(args) != 1:
		return usageError(st, "compare", "--variant compares named variants of one BASE: give BASE only")
	case len(o.change.list) > 0 || len(o.moves) > 0:
		return usageError(st, "compare", "--variant carries its own changes: give them in it, not with --change or --move")
	case o.precision != "":
		return usageError(st, "compare", "--precision follows one variant: use --change, or give --reps with --variant")
	}
	sets, scale, base, bsc, ok := o.resolveBase(args[0], st)
	if !ok {
		return exitUsage
	}
	pts := []experiment.PointSpec{base}
	inputs := fileInput(bsc)
	seen := map[string]bool{}
	for _, text := range o.variants {
		name, changes, err := parseVariant(text)
		if err != nil {
			return usageError(st, "compare", "%v", err)
		}
		if seen[name] {
			return usageError(st, "compare", "--variant %s: a second variant of that name", name)
		}
		seen[name] = true
		p, _, _, ok := resolveScaled(args[0], append(slices.Clone(sets), changes...), scale, st)
		if !ok {
			return exitUsage
		}
		p.Variant, p.Changes = name, setStrings(changes)
		pts = append(pts, p)
	}
	view, err := compareView(pointOf(bsc), o.metric, o.metrics)
	if err != nil {
		return usageError(st, "compare", "%v", err)
	}
	spec := &experiment.Spec{
		Command: "compare", Scenario: bsc.Name, Seed: bsc.Config.Seed, Reps: f.reps,
		Sets: setStrings(sets), Points: pts, Metrics: []string{o.metric}, Inputs: inputs,
	}
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
// scaled by it, when name has a budget to scale.
func horizonFactor(command, name string, sf *scenarioFlags, x *expFlags, sets []scenarios.Set, noScale bool, st streams) (float64, bool) {
	if noScale || !(x.given["auctions"] || x.given["duration"]) {
		return 1, true
	}
	full, _, err := scenarios.ResolveWith(name, sf.set.list)
	if err != nil {
		reportLoadError(st, err)
		return 0, false
	}
	short, _, err := scenarios.ResolveWith(name, sets)
	if err != nil {
		reportLoadError(st, err)
		return 0, false
	}
	f := experiment.HorizonFactor(full.Config, short.Config)
	// Nothing to scale, nothing to say (a budget a change adds is still
	// scaled by f).
	if f != 1 && hasBudget(full.Config) {
		fmt.Fprintf(st.err, "auctionsim %s: the run keeps %.4g of %s's horizon (%v of %v): every budget is scaled by %.4g, so that budgets bind as in the whole run (--no-scale keeps them)\n",
			command, f, full.Name, short.Config.Horizon, full.Config.Horizon, f)
	}
	return f, true
}

// resolveScaled is resolvePoint with every budget of the result scaled by
// f (see horizonFactor); the sets it adds are returned with the point's.
func resolveScaled(name string, sets []scenarios.Set, f float64, st streams) (experiment.PointSpec, *scenarios.Scenario, []scenarios.Set, bool) {
	p, sc, ok := resolvePoint(name, sets, st)
	if !ok || f == 1 {
		return p, sc, sets, ok
	}
	all := slices.Clone(sets)
	for _, c := range experiment.ScaledBudgets(sc.Config, f) {
		all = append(all, scenarios.Set{Path: c[0], Value: c[1], Flag: "--duration/--auctions"})
	}
	p, sc, ok = resolvePoint(name, all, st)
	return p, sc, all, ok
}
