package plot

import (
	"fmt"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/experiment"
	"github.com/auctionsim/auctionsim/sim/stats"
)

// SaveFor writes the chart c (drawn with err) to path, atomically, for
// --plot: errors name the flag and the file.
func SaveFor(c *Chart, err error, path string) error {
	if err == nil {
		err = c.Save(path)
	}
	if err != nil {
		return fmt.Errorf("--plot %s: %w", path, err)
	}
	return nil
}

// SaveRun draws a single run (run --plot without --reps), its tmax curve
// and its time series with the changes marked, to path.
func SaveRun(path string, full *report.Full) error {
	c, err := RunChart(FromReport(full))
	return SaveFor(c, err, path)
}

// SaveReps draws run --reps' main metrics, each of bidders' spend with
// its interval, to path.
func SaveReps(path string, res *experiment.Result, bidders []string) error {
	var ss []stats.Stat
	for _, b := range bidders {
		s, _ := res.Agg.Stat(0, "bidders."+b+".spend")
		ss = append(ss, s)
	}
	title := fmt.Sprintf("%s: spend per bidder, %d replications, 95%% intervals", res.Spec.Scenario, res.Agg.Reps())
	c, err := Intervals(title, "spend (currency)", bidders, ss, false)
	return SaveFor(c, err, path)
}

// SaveRepsMetrics draws run --reps --metrics: each of metrics with its
// 95% interval, to path.
func SaveRepsMetrics(path string, res *experiment.Result, metrics []string) error {
	var ss []stats.Stat
	for _, m := range metrics {
		s, _ := res.Agg.Stat(0, m)
		ss = append(ss, s)
	}
	title := fmt.Sprintf("%s: %d replications, 95%% intervals", res.Spec.Scenario, res.Agg.Reps())
	c, err := Intervals(title, "value", metrics, ss, false)
	return SaveFor(c, err, path)
}

// CheckRunPlot refuses, before a single run of cfg to stop, a --plot
// (path; "" passes) that could not be written beside --out (CheckPath)
// or would draw nothing (CheckRun); the output guard checks the rest.
func CheckRunPlot(path, out string, cfg sim.Config, stop sim.Stop) error {
	if path == "" {
		return nil
	}
	if err := CheckPath(path, out); err != nil {
		return err
	}
	return CheckRun(cfg, stop)
}

// CheckRun refuses, before the run, a plot of a run of cfg to stop that
// would draw nothing: its tmax curve is off and the stop leaves fewer
// than two intervals of time series.
func CheckRun(cfg sim.Config, stop sim.Stop) error {
	interval := cfg.Interval
	if interval == 0 {
		interval = sim.Second // sim's default series interval
	}
	if cfg.Exchange.TmaxCurve.Off() && stop.Duration > 0 && stop.Duration < 2*interval {
		return fmt.Errorf("--plot: nothing to draw: the tmax curve is off (exchange.tmax_curve: false) and a run of %v has fewer than 2 intervals of %v in its time series", stop.Duration, interval)
	}
	return nil
}
