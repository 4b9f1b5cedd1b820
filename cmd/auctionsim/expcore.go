package main

// What the experiment commands (run --reps, compare, sweep, split,
// merge) share: their flags and checks, running an experiment of the
// library (sim/experiment) with progress, Ctrl-C and shards, and writing
// its result.

import (
	"errors"
	"fmt"
	"runtime"
	"time"

	"github.com/auctionsim/auctionsim/cmd/internal/cli"
	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/report/plot"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim/experiment"
)

// expFlags are the flags every experiment command takes.
type expFlags struct {
	reps     int
	workers  int
	json     bool
	out      string
	plot     string
	shard    string
	noColor  bool
	auctions uint64
	duration time.Duration
	metrics  string // run --reps --metrics: the metrics the table, JSON and plot keep to
	given    map[string]bool
}

// defineExp adds the flags of replications to c; defReps is --reps'
// default (0: no default).
func (f *expFlags) defineExp(c *command, defReps int) {
	cli.CountVar(c.Flags, &f.reps, "reps", defReps, "`N` replications, at least 2")
	cli.CountVar(c.Flags, &f.workers, "workers", 0, "`W` replications run at once (default: the number of CPUs); results do not depend on it")
	c.Flags.StringVar(&f.plot, "plot", "", "`FILE` a plot for slides: .png or .svg")
	c.Flags.StringVar(&f.shard, "shard", "", "`K/N` run only the K-th of N shares (K from 0) into --out, for auctionsim merge (docs/cluster.md)")
}

// defineOutput adds the output and stop flags that run has of its own.
func (f *expFlags) defineOutput(c *command, outHelp string) {
	c.Flags.BoolVar(&f.json, "json", false, "print JSON instead of the table")
	c.Flags.StringVar(&f.out, "out", "", "`FILE` also write FILE, atomically: "+outHelp)
	c.Flags.BoolVar(&f.noColor, "no-color", false, "plain output (also: NO_COLOR=1)")
	cli.CountVar(c.Flags, &f.auctions, "auctions", 0, "`N` stop each run after N auctions")
	cli.DurationVar(c.Flags, &f.duration, "duration", 0, "`D` stop each run after D of virtual time; with --auctions, at whichever comes first")
}

// check validates the flags after parsing (given: the flags set);
// outExts are the --out formats.
func (f *expFlags) check(given map[string]bool, outExts ...string) error {
	if err := f.checkRuns(given); err != nil {
		return err
	}
	if f.shard != "" {
		if _, err := experiment.ParseShard(f.shard); err != nil {
			return fmt.Errorf("--shard: %v", err)
		}
		if f.out == "" {
			return errors.New("--shard needs --out FILE: the shard's results go to a file for merge")
		}
		if f.plot != "" {
			return errors.New("--plot goes with merge, not with --shard: a shard holds part of the results")
		}
		return (&report.Outputs{}).Add("--out", f.out).Check()
	}
	if f.out != "" {
		if err := cli.CheckExt("--out", f.out, outExts...); err != nil {
			return err
		}
		if err := (&report.Outputs{}).Add("--out", f.out).Check(); err != nil {
			return err
		}
	}
	if f.plot != "" {
		return plot.CheckPath(f.plot, f.out)
	}
	return nil
}

// checkRuns validates the flags that say how the replications run
// (--reps, --workers, --auctions, --duration; given: the flags set) and
// gives --workers its default, the number of CPUs.
func (f *expFlags) checkRuns(given map[string]bool) error {
	f.given = given
	if !given["workers"] {
		f.workers = runtime.NumCPU()
	}
	switch {
	case f.reps < 2:
		return fmt.Errorf("--reps %d: want at least 2 replications (an interval needs two)", f.reps)
	case given["workers"] && f.workers < 1:
		return fmt.Errorf("--workers %d: want at least 1", f.workers)
	}
	return checkStop(given, f.auctions, f.duration)
}

// checkStop refuses --auctions 0 and a --duration ≤ 0 when given: 0
// would mean no limit, which a flag that sets one cannot mean.
func checkStop(given map[string]bool, auctions uint64, duration time.Duration) error {
	switch {
	case given["auctions"] && auctions == 0:
		return errors.New("--auctions must be > 0")
	case given["duration"] && duration <= 0:
		return errors.New("--duration must be > 0")
	}
	return nil
}

// baseSets are the overrides that --seed, --auctions and --duration
// stand for, after the --set flags: the effective YAML then says
// everything about the run.
func (f *expFlags) baseSets(sf *scenarioFlags) []scenarios.Set {
	sets := append([]scenarios.Set(nil), sf.set.List...)
	if sf.seed.Given {
		sets = append(sets, scenarios.Set{Path: "seed", Value: fmt.Sprint(sf.seed.Value), Flag: "--seed"})
	}
	if f.given["auctions"] || f.given["duration"] {
		sets = append(sets, scenarios.StopSet(f.auctions, f.duration))
	}
	return sets
}

// runExperiment runs spec (report.RunExperiment): its replications into
// a result, or with --shard its share into the shard file. metric and
// target, if set, turn on sequential precision (compare --precision). It
// returns the exit code when it cannot go on.
func runExperiment(command string, spec *experiment.Spec, f *expFlags, metric string, target float64, maxReps int, st streams) (*experiment.Result, int) {
	guard := (&report.Outputs{}).Input(spec.Inputs...).Add("--out", f.out).Add("--plot", f.plot)
	if err := guard.Check(); err != nil {
		return nil, usageError(st, command, "%v", err)
	}
	ctx, stop := cli.Interruptible()
	defer stop()
	bar := report.NewProgress(st.err, st.errTTY)
	res, err := report.RunExperiment(ctx, report.ExperimentRun{Spec: spec, Workers: f.workers, WorkersGiven: f.given["workers"],
		Shard: f.shard, Out: f.out, Metric: metric, Target: target, MaxReps: maxReps, Progress: bar,
		Note: func(s string) { fmt.Fprintf(st.err, "auctionsim %s: %s\n", command, s) }})
	code := exitOK
	switch {
	case errors.Is(err, report.ErrInterrupted):
		code = exitInterrupted
	case err != nil:
		fmt.Fprintf(st.err, "auctionsim %s: %v\n", command, err)
		code = exitFailed
	}
	bar.Clear() // a shard's, after its messages
	if res != nil && res.Agg != nil {
		if n := report.SaturatedExpNote(res.Agg.Saturated(), res.Agg.Reps()); n != "" {
			fmt.Fprintf(st.err, "auctionsim %s: warning: %s\n", command, n)
		}
	}
	return res, code
}

// emitExp writes an experiment's result the one way reps, sweep, compare
// and split share (report.Emission: --out, --plot, then JSON or the table
// on stdout); the exit code says whether the run was cut short (partial)
// or anything failed.
func emitExp(command string, partial bool, f *expFlags, st streams, e report.Emission) int {
	code := exitOK
	if partial {
		code = exitInterrupted
	}
	e.Out, e.Plot, e.JSON, e.Stdout = f.out, f.plot, f.json, st.out
	e.Emit(func(err error) {
		fmt.Fprintf(st.err, "auctionsim %s: %v\n", command, err)
		code = exitFailed
	})
	return code
}
