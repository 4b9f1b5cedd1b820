package plot

// The figures of compare, sweep and split (--plot), from their results,
// and the check of a --plot path before anything runs.

import (
	"fmt"
	"math"
	"slices"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/experiment"
	"github.com/auctionsim/auctionsim/sim/experiment/split"
	"github.com/auctionsim/auctionsim/sim/stats"
)

// CheckPath refuses, before any run, a --plot path that cannot be
// written: another format than .png or .svg, a directory or a file in
// none, or the same file as --out (out; "" for none).
func CheckPath(path, out string) error {
	if err := report.CheckNotDir("--plot", path, "plot.png"); err != nil {
		return err
	}
	if _, err := FormatOf(path); err != nil {
		return fmt.Errorf("--plot %w", err)
	}
	var g report.Outputs
	return g.Add("--out", out).Add("--plot", path).Check()
}

// CheckAsked is CheckPath when a plot is asked for (path not "").
func CheckAsked(path, out string) error {
	if path == "" {
		return nil
	}
	return CheckPath(path, out)
}

// SaveCompare draws compare's relative differences that exclude 0 (at
// most 12, the largest the replications vouch for first: Rows) and the
// headline metric, with their intervals, to path.
func SaveCompare(path string, out experiment.Comparison) error {
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
		// SD scaled too: a spread of 0 marks replications all alike.
		ss = append(ss, stats.Stat{Mean: 100 * d.Mean / base, SD: 100 * d.SD / base, N: d.N, Lo: 100 * d.Lo / base, Hi: 100 * d.Hi / base})
	}
	title := fmt.Sprintf("variant − baseline, %d paired replications, 95%% intervals", out.Replications)
	c, err := Intervals(title, "difference (% of baseline)", names, ss, true)
	return SaveFor(c, err, path)
}

// SaveSplit draws each member's response curve with its 95% error bars,
// the recommended budget marked on each, to path.
func SaveSplit(path string, r *split.Result) error {
	var curves []Curve
	for _, c := range r.Curves {
		cv := Curve{Name: c.Member, Mark: math.NaN()}
		for _, pt := range c.Points {
			cv.X, cv.Y = append(cv.X, pt.Budget), append(cv.Y, pt.Objective)
		}
		if b, okB := r.Recommended.Budgets[c.Member]; okB {
			cv.Mark = b
		}
		switch verdict, advice := r.Judge(); {
		case verdict == split.VerdictKept:
			cv.MarkName = "current (kept)"
		case advice != split.AdviceChange:
			// As the table says it: not a split to adopt.
			cv.MarkName = "search's best"
		}
		curves = append(curves, cv)
	}
	kind := "budget"
	if r.Budget == split.Daily {
		kind = "daily budget"
	}
	title := fmt.Sprintf("group %s: %s against each member's %s", r.Group, r.Objective, kind)
	ch, err := Curves(title, "member's "+kind+" (currency)", Label(r.Objective)+", group", curves)
	return SaveFor(ch, err, path)
}

// SaveSweep draws a sweep's first metric against its first varied field,
// with its band and, where there is one, the closed form, to path.
func SaveSweep(path string, res *experiment.Result) error {
	xs, ss, okx := experiment.FirstSeries(res)
	if !okx {
		return fmt.Errorf("--plot %s: %s's values are not numbers", path, res.Spec.Vary[0].Path)
	}
	title := fmt.Sprintf("%s: %s, %d %s a point", res.Spec.Scenario, res.Spec.Metrics[0], res.Agg.Reps(), format.Plural(res.Agg.Reps(), "replication", "replications"))
	c, err := BandChart(Band{Title: title, XLabel: Label(res.Spec.Vary[0].Path), YLabel: Label(res.Spec.Metrics[0]),
		X: xs, Y: ss, Theory: theorySeries(res, xs)})
	return SaveFor(c, err, path)
}

// theoryOf maps the metrics that have a closed form to it.
var theoryOf = map[string]func(sim.Theory) float64{
	"exchange.revenue_per_auction": func(t sim.Theory) float64 { return t.RevenuePerAuction },
	"exchange.mean_clearing_price": func(t sim.Theory) float64 { return t.MeanClearingPrice },
	"exchange.fill_rate":           func(t sim.Theory) float64 { return t.FillRate },
}

// theorySeries is the closed form of the first metric at the points of the
// first varied parameter (the other parameters at their first value), or
// nil where the metric or any point has none.
func theorySeries(res *experiment.Result, xs []float64) []XY {
	of := theoryOf[res.Spec.Metrics[0]]
	if of == nil {
		return nil
	}
	scs, err := report.Points(res.Spec)
	if err != nil {
		return nil
	}
	stride := len(scs) / max(len(xs), 1)
	out := make([]XY, len(xs))
	for i, x := range xs {
		t := sim.TheoryOf(scs[i*stride].Config)
		y := of(t)
		if !t.Applies || math.IsNaN(y) {
			return nil
		}
		out[i] = XY{X: x, Y: y}
	}
	return out
}
