package main

import (
	"fmt"

	"github.com/auctionsim/auctionsim/cmd/internal/cli"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/report/plot"
	"github.com/auctionsim/auctionsim/sim/experiment"
)

// defineReps adds run's replication flags (--reps, --workers, --plot,
// --shard) into x and their help to run.
func defineReps(c *command, x *expFlags) {
	defineExp(c, x, 0)
	c.Flags.StringVar(&x.Metrics, "metrics", "", "`M1,M2` with --reps: the table, --json and --plot keep to these metrics ("+catalogueNames+")")
	c.About += "\n\n" + helpText("reps") + helpText("progress")
}

// repsMain is run --reps: o holds run's flags, the experiment's in o.exp.
func repsMain(o *runOptions, st streams) int {
	x := &o.exp
	if code, refused := cli.Check(st.err, "run", func() error { return x.Check(o.given, plot.CheckPath, ".json", ".csv") }); refused {
		return code
	}
	texts, code, ok := readScenarios(st, "run", o.name)
	if !ok {
		return code
	}
	sets := o.expSets()
	spec, picked, scale, err := x.RepsSpec(texts[0], sets, x.BaseSets(sets, o.pick().Seed), o.noScale)
	if err != nil {
		return refuse(st, "run", err)
	}
	setOverrides(st, "run", "each run", texts[0], x.BaseSets(sets, o.pick().Seed), o.set.List)
	res, code := runExperiment("run", spec, x, "", 0, 0, scale, st)
	if res == nil {
		return code
	}
	if res.Agg.Reps() == 0 {
		// Interrupted before any replication finished: stdout still
		// says so (a partial JSON of 0 replications, or a line), as it
		// gives the replications finished when there are some. --out and
		// --plot are left as they were: there is nothing to put in them,
		// and a file from an earlier run is worth more than an empty one.
		x = withoutFiles(res.Spec.Command, x, st)
	}
	if len(picked) > 0 {
		return emitRepsMetrics(res, x, picked, st)
	}
	return emitReps(res.Spec.Command, res, x, st)
}

// emitRepsMetrics is run --reps --metrics: the table, the JSON and the
// plot keep to picked.
func emitRepsMetrics(res *experiment.Result, f *expFlags, picked []string, st streams) int {
	e := report.PickedEmission(res, picked)
	e.Draw = func(path string) error { return plot.SaveRepsMetrics(path, res, picked) }
	return emitExp(res.Spec.Command, res.Partial, f, st, e)
}

// emitReps writes run --reps's result; command names the command in its
// messages (run, or merge for merged shards).
func emitReps(command string, res *experiment.Result, f *expFlags, st streams) int {
	e, bidders, err := report.RepsEmission(res)
	if err != nil {
		fmt.Fprintf(st.err, "auctionsim %s: %v\n", command, err)
		return exitFailed
	}
	e.Draw = func(path string) error { return plot.SaveReps(path, res, bidders) }
	return emitExp(command, res.Partial, f, st, e)
}

// withoutFiles is f without --out and --plot, each named on stderr as not
// written: no replication finished.
func withoutFiles(cmd string, f *expFlags, st streams) *expFlags {
	for _, o := range []struct{ flag, path string }{{"--out", f.Out}, {"--plot", f.Plot}} {
		if o.path != "" {
			fmt.Fprintf(st.err, "auctionsim %s: %s %s not written: no replication finished\n", cmd, o.flag, o.path)
		}
	}
	g := *f
	g.Out, g.Plot = "", ""
	return &g
}
