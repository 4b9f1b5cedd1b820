package main

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/auctionsim/auctionsim/report/plot"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/experiment"
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
of the baseline mean, or --max-reps.`

// compareOptions are compare's flags.
type compareOptions struct {
	exp       expFlags
	seed      seedFlag
	set       setFlags
	change    setFlags
	precision string
	metric    string
	maxReps   int
}

func newCompareCmd() *command {
	o := compareOptions{set: setFlags{flag: "--set"}, change: setFlags{flag: "--change"}}
	c := newCommand("compare", "BASE VARIANT | BASE --change PATH=VALUE... [flags]", compareAbout)
	o.exp.defineExp(c, 20)
	o.exp.defineOutput(c, ".json")
	c.fs.Var(&o.seed, "seed", "`N` the experiment's seed (default: BASE's)")
	c.fs.Var(&o.set, "set", setUsage+"; on both sides")
	c.fs.Var(&o.change, "change", "`PATH=VALUE` the variant is BASE with this change (repeatable)")
	c.fs.StringVar(&o.precision, "precision", "", "`P%` add replications until the --metric difference is known within P% of the baseline mean")
	c.fs.StringVar(&o.metric, "metric", "exchange.revenue", "`NAME` the metric of --precision and of the headline")
	c.fs.IntVar(&o.maxReps, "max-reps", 1000, "`N` the most replications --precision may run")
	c.examples = []string{
		"auctionsim compare timeout-demo --change exchange.tmax=80ms",
		"auctionsim compare budget-split --change bidders.acme-retarget.budget.total=100 \\\n" +
			"      --change bidders.acme-prospect.budget.total=300 --metric bidders.acme-prospect.incremental_value",
		"auctionsim compare reserve-price --change exchange.floor=0.3 --precision 1% --json",
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
	switch {
	case len(args) == 0:
		return usageError(st, "compare", "give the baseline scenario, and a variant scenario or --change PATH=VALUE")
	case len(args) > 2:
		return usageError(st, "compare", "unexpected argument %q: give BASE and at most one VARIANT", args[2])
	case len(args) == 1 && len(change.list) == 0:
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

	sf := scenarioFlags{seed: o.seed, set: o.set}
	sets := f.baseSets(&sf)
	base, bsc, ok := resolvePoint(args[0], sets, st)
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
	if err := checkMetrics(bsc, o.metric); err != nil {
		return usageError(st, "compare", "--metric: %v", err)
	}
	spec := &expSpec{
		Command: "compare", Scenario: bsc.Name, Seed: bsc.Config.Seed, Reps: f.reps,
		Sets: setStrings(sets), Changes: setStrings(change.list), Points: []pointSpec{base, variant},
		Metrics: []string{o.metric},
		inputs:  append(fileInput(bsc), fileInput(vsc)...),
	}
	var enough func(*experiment.Agg) bool
	if target > 0 {
		enough = func(a *experiment.Agg) bool {
			p := a.Pair(1, o.metric)
			if p == nil {
				return false
			}
			return p.Diff.Stat().HalfWidth() <= target*math.Abs(p.A.Mean())
		}
	}
	res, code := runExperiment("compare", spec, f, true, o.maxReps, enough, st)
	if res == nil {
		return code
	}
	return emitCompare(res, f, target, st)
}

// checkMetrics refuses the first metric name that sc's runs do not
// report.
func checkMetrics(sc *scenarios.Scenario, want ...string) error {
	names, err := metricNames(sc)
	if err != nil {
		return err
	}
	for _, name := range want {
		if !slices.Contains(names, name) {
			best := sim.Closest(name, names, math.MaxInt)
			return fmt.Errorf("%q is not a metric of %s; did you mean %s? (metrics are the run's JSON summary paths, bidders by name: exchange.revenue, bidders.NAME.spend)", name, sc.Name, best)
		}
	}
	return nil
}

// metricNames lists the metrics a scenario's runs report.
func metricNames(sc *scenarios.Scenario) ([]string, error) {
	eng, err := sim.New(sc.Config)
	if err != nil {
		return nil, err
	}
	vals, err := metricsOf(sc, eng.Snapshot())
	if err != nil {
		return nil, err
	}
	return slices.Sorted(maps.Keys(vals)), nil
}

// compareMetric is one metric of compare's JSON.
type compareMetric struct {
	Baseline          stats.Stat `json:"baseline"`
	Variant           stats.Stat `json:"variant"`
	Diff              stats.Stat `json:"diff"`
	Relative          *float64   `json:"relative"`
	UnpairedHalfWidth *float64   `json:"unpaired_halfwidth"`
}

type compareSide struct {
	Scenario string   `json:"scenario"`
	Set      []string `json:"set,omitempty"`
	Changes  []string `json:"changes,omitempty"`
}

// compareJSON is compare's JSON output.
type compareJSON struct {
	Baseline     compareSide              `json:"baseline"`
	Variant      compareSide              `json:"variant"`
	Replications int                      `json:"replications"`
	Seed         uint64                   `json:"seed"`
	Partial      bool                     `json:"partial"`
	Metric       string                   `json:"metric"`
	Precision    *float64                 `json:"precision,omitempty"` // the target, a fraction
	WallSeconds  float64                  `json:"wall_seconds"`
	Metrics      map[string]compareMetric `json:"metrics"`
}

func numPtr(x float64) *float64 {
	if !ok(x) {
		return nil
	}
	return &x
}

func compareOutput(res *expResult, target float64) compareJSON {
	sp := res.spec
	out := compareJSON{
		Baseline:     compareSide{Scenario: sp.Points[0].Name, Set: sp.Sets},
		Variant:      compareSide{Scenario: sp.Points[1].Name, Set: sp.Sets, Changes: sp.Changes},
		Replications: res.agg.Reps(),
		Seed:         sp.Seed,
		Partial:      res.partial,
		Metric:       sp.Metrics[0],
		WallSeconds:  res.wall.Seconds(),
		Metrics:      map[string]compareMetric{},
	}
	if target > 0 {
		out.Precision = &target
	}
	for _, name := range res.agg.Metrics(1) {
		p := res.agg.Pair(1, name)
		if p == nil {
			continue
		}
		d := p.Diff.Stat()
		out.Metrics[name] = compareMetric{
			Baseline:          p.A.Stat(),
			Variant:           p.B.Stat(),
			Diff:              d,
			Relative:          numPtr(stats.Relative(d.Mean, p.A.Mean())),
			UnpairedHalfWidth: numPtr(p.UnpairedHalfWidth()),
		}
	}
	return out
}

func emitCompare(res *expResult, f *expFlags, target float64, st streams) int {
	out := compareOutput(res, target)
	// compare writes JSON to --out whatever the name: there is no CSV form.
	return emitExp("compare", res.partial, f, st, out, nil,
		func(path string) error { return plotCompare(path, out) },
		func() string { return compareTable(out) })
}

// compareRows sorts compare's metrics into those that differ (interval
// excludes 0, the largest relative difference first), those not
// distinguishable, and those that did not vary at all.
func compareRows(out compareJSON) (differ, same, constant []string) {
	for name, m := range out.Metrics {
		switch {
		case m.Baseline.SD == 0 && m.Variant.SD == 0 && m.Diff.SD == 0 && m.Diff.Mean == 0:
			constant = append(constant, name)
		case m.Diff.N >= 2 && m.Diff.Excludes(0):
			differ = append(differ, name)
		default:
			same = append(same, name)
		}
	}
	rel := func(n string) float64 {
		if r := out.Metrics[n].Relative; r != nil {
			return math.Abs(*r)
		}
		return 0
	}
	slices.SortFunc(differ, func(a, b string) int {
		if ra, rb := rel(a), rel(b); ra != rb {
			if ra > rb {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	slices.Sort(same)
	slices.Sort(constant)
	return differ, same, constant
}

// verdict says in words what the difference of one metric shows.
func verdict(m compareMetric, n int) string {
	d := m.Diff
	switch {
	case d.N < 2 || !ok(d.Lo):
		return "no interval (fewer than 2 replications with a value)"
	case d.Lo > 0:
		return "higher in the variant"
	case d.Hi < 0:
		return "lower in the variant"
	case d.SD == 0 && d.Mean == 0:
		return "the same in every replication"
	}
	return fmt.Sprintf("not distinguishable at %d replications", n)
}

func fmtRel(r *float64) string {
	switch {
	case r == nil:
		return "–"
	case math.Abs(*r) < 0.01:
		return fmt.Sprintf("%+.2f%%", 100**r)
	}
	return fmt.Sprintf("%+.1f%%", 100**r)
}

// compareTable is compare's table, within 80 columns.
func compareTable(out compareJSON) string {
	var b strings.Builder
	variant := out.Variant.Scenario
	if len(out.Variant.Changes) > 0 {
		variant += " with " + strings.Join(out.Variant.Changes, ", ")
	}
	fmt.Fprintf(&b, "baseline: %s\nvariant:  %s\n", out.Baseline.Scenario, variant)
	fmt.Fprintf(&b, "%d paired replications (seed %d); difference = variant − baseline, 95%% intervals",
		out.Replications, out.Seed)
	if out.Partial {
		b.WriteString(" (partial)")
	}
	b.WriteString("\n\n")
	if m, okm := out.Metrics[out.Metric]; okm {
		fmt.Fprintf(&b, "%s: %s (%s): %s\n", out.Metric, fmtPM(m.Diff), fmtRel(m.Relative), verdict(m, out.Replications))
		if m.UnpairedHalfWidth != nil && m.Diff.HalfWidth() > 0 {
			fmt.Fprintf(&b, "  pairing: ± %s paired; unpaired it would be ± %s (%.1f× wider)\n",
				fmtNum(m.Diff.HalfWidth()), fmtNum(*m.UnpairedHalfWidth), *m.UnpairedHalfWidth/m.Diff.HalfWidth())
		}
		if out.Precision != nil {
			met := m.Diff.HalfWidth() <= *out.Precision*math.Abs(m.Baseline.Mean)
			fmt.Fprintf(&b, "  precision target ± %.3g%% of the baseline: %s at %d replications\n",
				100**out.Precision, map[bool]string{true: "met", false: "not met"}[met], out.Replications)
		}
		b.WriteString("\n")
	}
	differ, same, constant := compareRows(out)
	if len(differ) > 0 {
		b.WriteString("differences whose interval excludes 0:\n")
		fmt.Fprintf(&b, "  %-24s %10s %10s %21s %8s\n", "metric", "baseline", "variant", "difference", "rel.")
		for _, name := range differ {
			m := out.Metrics[name]
			label := name
			if len(label) > 24 {
				fmt.Fprintf(&b, "  %s\n", label)
				label = ""
			}
			fmt.Fprintf(&b, "  %-24s %10s %10s %21s %8s\n", label, fmtNum(m.Baseline.Mean), fmtNum(m.Variant.Mean), fmtPM(m.Diff), fmtRel(m.Relative))
		}
		b.WriteString("\n")
	} else {
		b.WriteString("no difference whose interval excludes 0\n\n")
	}
	if len(same) > 0 {
		fmt.Fprintf(&b, "not distinguishable at %d replications (%d metrics):\n", out.Replications, len(same))
		wrapList(&b, same)
	}
	if len(constant) > 0 {
		fmt.Fprintf(&b, "the same in every replication of both (%d metrics, such as settings)\n", len(constant))
	}
	return b.String()
}

// wrapList prints names separated by commas, wrapped at 78 columns.
func wrapList(b *strings.Builder, names []string) {
	line := " "
	for i, n := range names {
		item := " " + n
		if i < len(names)-1 {
			item += ","
		}
		if len(line)+len(item) > 78 {
			b.WriteString(line + "\n")
			line = " "
		}
		line += item
	}
	b.WriteString(line + "\n")
}

// plotCompare draws the relative differences that exclude 0 (at most
// 12, the largest first) and the headline metric, with their intervals.
func plotCompare(path string, out compareJSON) error {
	differ, _, _ := compareRows(out)
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
