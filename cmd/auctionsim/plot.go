package main

import (
	"fmt"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/report/plot"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim/experiment"
	"github.com/auctionsim/auctionsim/sim/stats"
)

// Plots for slides (--plot FILE.png|FILE.svg) are drawn by report/plot;
// each command hands it its data here or beside its own code.

// intervalPoints are means with their 95% intervals, for the terminal's
// sweep chart (plot.Defined).
type intervalPoints struct {
	xs    []float64
	stats []stats.Stat
}

func (p intervalPoints) Len() int { return len(p.xs) }

func defined(xs []float64, ss []stats.Stat) intervalPoints {
	xs, ss = plot.Defined(xs, ss)
	return intervalPoints{xs, ss}
}

// savePlot writes a chart to path (plot.SaveFor).
func savePlot(c *plot.Chart, err error, path string) error { return plot.SaveFor(c, err, path) }

// plotReps draws run --reps' main metrics: each bidder's spend.
func plotReps(path string, res *experiment.Result) error {
	pts, err := report.Points(res.Spec)
	if err != nil {
		return err
	}
	var names []string
	for _, b := range pts[0].Config.Bidders {
		names = append(names, b.Name)
	}
	return plot.SaveReps(path, res, names)
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
// could not be written or would draw nothing (plot.CheckRun): an unknown
// format, a directory or a missing one, one of the run's inputs or other
// outputs.
func checkRunPlot(o *runOptions, sc *scenarios.Scenario, inputs []string) error {
	path := o.exp.plot
	if err := checkPlot(path, o.exp.out); err != nil {
		return err
	}
	guard := (&outputs{}).input(inputs...).add("--out", o.exp.out).add("--openrtb-out", o.ortb.out).add("--plot", path)
	if err := guard.check(); err != nil {
		return err
	}
	return plot.CheckRun(sc.Config, sc.Stop)
}

// plotRun draws a single run (run --plot without --reps).
func plotRun(path string, res *report.Run) error {
	full := report.NewFull(res.Snap, res.Meta())
	return plot.SaveRun(path, &full)
}
