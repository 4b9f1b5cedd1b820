package main

import (
	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/report/plot"
	"github.com/auctionsim/auctionsim/scenarios"
)

// checkRunPlot refuses, before the run, a --plot for a single run that
// could not be written or would draw nothing (plot.CheckRun): an unknown
// format, a directory or a missing one, one of the run's inputs or other
// outputs.
func checkRunPlot(o *runOptions, sc *scenarios.Scenario, inputs []string) error {
	path := o.exp.Plot
	if err := plot.CheckPath(path, o.exp.Out); err != nil {
		return err
	}
	guard := (&report.Outputs{}).Input(inputs...).Add("--out", o.exp.Out).Add("--openrtb-out", o.ortb.Out).Add("--plot", path)
	if err := guard.Check(); err != nil {
		return err
	}
	return plot.CheckRun(sc.Config, sc.Stop)
}
