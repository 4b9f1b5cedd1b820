package main

import (
	"fmt"
	"math"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/report/plot"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/experiment"
	"github.com/auctionsim/auctionsim/sim/stats"
)

// Plots for slides (--plot FILE.png|FILE.svg) are drawn by report/plot;
// each command hands it its data here or beside its own code.

// intervalPoints are means with their 95% intervals, for the terminal's
// sweep chart.
type intervalPoints struct {
	xs    []float64
	stats []stats.Stat
}

func (p intervalPoints) Len() int { return len(p.xs) }

// defined keeps the points whose mean and interval are numbers.
func defined(xs []float64, ss []stats.Stat) intervalPoints {
	var out intervalPoints
	for i, s := range ss {
		if ok(s.Mean) && ok(s.Lo) && ok(s.Hi) && ok(xs[i]) {
			out.xs = append(out.xs, xs[i])
			out.stats = append(out.stats, s)
		}
	}
	return out
}

func ok(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// savePlot writes a chart report/plot drew to path, atomically; errors
// name the flag and the file.
func savePlot(c *plot.Chart, err error, path string) error {
	if err == nil {
		err = c.Save(path)
	}
	if err != nil {
		return fmt.Errorf("--plot %s: %w", path, err)
	}
	return nil
}

// plotReps draws run --reps' main metrics: each bidder's spend.
func plotReps(path string, res *experiment.Result) error {
	pts, err := points(res.Spec)
	if err != nil {
		return err
	}
	var labels []string
	var ss []stats.Stat
	for _, b := range pts[0].Config.Bidders {
		s, _ := res.Agg.Stat(0, "bidders."+b.Name+".spend")
		labels = append(labels, b.Name)
		ss = append(ss, s)
	}
	title := fmt.Sprintf("%s: spend per bidder, %d replications, 95%% intervals", res.Spec.Scenario, res.Agg.Reps())
	c, err := plot.Intervals(title, "spend (currency)", labels, ss, false)
	return savePlot(c, err, path)
}

// checkPlot refuses, before any run, a --plot path report/plot cannot
// write: another format than .png or .svg, a directory or a file in none,
// or the same file as --out (out; "" for none).
func checkPlot(path, out string) error {
	if _, err := plot.FormatOf(path); err != nil {
		return fmt.Errorf("--plot %w", err)
	}
	return (&outputs{}).add("--out", out).add("--plot", path).check()
}

// checkRunPlot refuses, before the run, a --plot for a single run that
// could not be written or would draw nothing: an unknown format, a
// directory or a missing one, one of the run's inputs or other outputs,
// or a run whose tmax curve is off and whose stop leaves fewer than two
// intervals of time series.
func checkRunPlot(o *runOptions, sc *scenarios.Scenario, inputs []string) error {
	path := o.exp.plot
	if err := checkPlot(path, o.exp.out); err != nil {
		return err
	}
	guard := (&outputs{}).input(inputs...).add("--out", o.exp.out).add("--openrtb-out", o.ortb.out).add("--plot", path)
	if err := guard.check(); err != nil {
		return err
	}
	interval := sc.Config.Interval
	if interval == 0 {
		interval = sim.Second // sim's default series interval
	}
	if sc.Config.Exchange.TmaxCurve.Off() && sc.Stop.Duration > 0 && sc.Stop.Duration < 2*interval {
		return fmt.Errorf("--plot: nothing to draw: the tmax curve is off (exchange.tmax_curve: false) and a run of %v has fewer than 2 intervals of %v in its time series", sc.Stop.Duration, interval)
	}
	return nil
}

// plotRun draws a single run (run --plot without --reps): its tmax curve
// and its time series with the changes marked.
func plotRun(path string, res *report.Run) error {
	full := report.NewFull(res.Snap, res.Meta())
	c, err := plot.RunChart(plot.FromReport(&full))
	return savePlot(c, err, path)
}
