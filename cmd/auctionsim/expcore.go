package main

// What the experiment commands (run --reps, compare, sweep, split,
// merge) share: their flags and checks, running an experiment of the
// library (sim/experiment) with progress, Ctrl-C and shards, and writing
// its result.

import (
	"errors"
	"fmt"
	"strings"

	"github.com/auctionsim/auctionsim/cmd/internal/cli"
	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim/experiment"
)

// expFlags are the flags every experiment command takes
// (report.ExpOptions checks them).
type expFlags = report.ExpOptions

// defineExp adds the flags of replications to c; defReps is --reps'
// default (0: no default).
func defineExp(c *command, f *expFlags, defReps int) {
	cli.CountVar(c.Flags, &f.Reps, "reps", defReps, "`N` replications, at least 2")
	cli.CountVar(c.Flags, &f.Workers, "workers", 0, "`W` replications run at once (default: the number of CPUs); results do not depend on it")
	c.Flags.StringVar(&f.Plot, "plot", "", "`FILE` a plot for slides: .png or .svg")
	c.Flags.StringVar(&f.Shard, "shard", "", "`K/N` run only the K-th of N shares (K from 0) into --out, for auctionsim merge (docs/cluster.md)")
}

// defineView adds how a result is printed: --json or the table, and
// --no-color.
func defineView(c *command, f *expFlags) {
	c.Flags.BoolVar(&f.JSON, "json", false, "print JSON instead of the table")
	c.Flags.BoolVar(&f.NoColor, "no-color", false, "plain output (also: NO_COLOR=1)")
}

// defineOutput adds the output and stop flags that run has of its own.
func defineOutput(c *command, f *expFlags, outHelp string) {
	defineView(c, f)
	c.Flags.StringVar(&f.Out, "out", "", "`FILE` also write FILE, atomically: "+outHelp)
	cli.PositiveCountVar(c.Flags, &f.Auctions, "auctions", 0, "`N` stop each run after N auctions")
	cli.DurationVar(c.Flags, &f.Duration, "duration", 0, "`D` stop each run after D of virtual time; with --auctions, at whichever comes first")
}

// runExperiment runs spec (report.RunExperiment): its replications into
// a result, or with --shard its share into the shard file. metric and
// target, if set, turn on sequential precision (compare --precision). It
// returns the exit code when it cannot go on.
func runExperiment(command string, spec *experiment.Spec, f *expFlags, metric string, target float64, maxReps int, scale report.Scale, st streams) (*experiment.Result, int) {
	guard := (&report.Outputs{}).Input(spec.Inputs...).Add("--out", f.Out).Add("--plot", f.Plot)
	if err := guard.Check(); err != nil {
		return nil, usageError(st, command, "%v", err)
	}
	sayScale(st, command, scale)
	ctx, stop := cli.Interruptible()
	defer stop()
	bar := report.NewExpProgress(st.err, st.errTTY, "auctionsim "+command, st.clock)
	res, err := report.RunExperiment(ctx, report.ExperimentRun{Spec: spec, Workers: f.Workers, WorkersGiven: f.Given["workers"],
		Shard: f.Shard, Out: f.Out, Metric: metric, Target: target, MaxReps: maxReps, Progress: bar,
		Note: func(s string) { fmt.Fprintf(st.err, "auctionsim %s: %s\n", command, s) }})
	code := exitOK
	switch {
	case errors.Is(err, report.ErrInterrupted):
		code = exitInterrupted
	case err != nil:
		code = cli.Fail(st.err, command, err, exitFailed)
	}
	bar.Clear() // a shard's, after its messages
	if res != nil && res.Agg != nil {
		if n := report.SaturatedExpNote(res.Agg.Saturated(), res.Agg.Reps()); n != "" {
			fmt.Fprintf(st.err, "auctionsim %s: warning: %s\n", command, n)
		}
	}
	return res, code
}

// scriptOverrides checks the paths an experiment varies (flag --vary or
// --change) against the steps of the scenario's script that set them
// again (report.FindScriptOverrides): one before the last tenth of the
// runs would leave the flag's field measured over part of them, so the
// experiment is refused (false, with the code), naming the flag, the
// field, the script's line and time, and --no-script or a --duration
// that stops the runs before it; one later is warned of on stderr, and
// notes are what the table says of it first and the JSON's "notes".
func scriptOverrides(st streams, command string, src scenarios.Text, sets []scenarios.Set, flag string, paths []string) (notes scriptNotes, code int, ok bool) {
	return scriptOverridesWhy(st, command, src, sets, flag, paths, nil)
}

// scriptOverridesWhy is scriptOverrides with why (nil: none) saying, for
// a path, what the script's change of it spoils where that is not the
// flag's field measured over part of the runs (report.ScriptOverride.Why).
func scriptOverridesWhy(st streams, command string, src scenarios.Text, sets []scenarios.Set, flag string, paths []string, why func(path string) string) (notes scriptNotes, code int, ok bool) {
	found := report.FindScriptOverrides(src, sets, flag, paths, "--no-script")
	if why != nil {
		for i := range found {
			found[i].Why = why(found[i].Path)
		}
	}
	refused := false
	for _, o := range found {
		if o.Refused() {
			cli.BadInput(st.err, command, o.Refusal())
			refused = true
		}
	}
	if refused {
		return scriptNotes{}, exitUsage, false
	}
	for _, o := range found {
		if o.Late() {
			fmt.Fprintf(st.err, "auctionsim %s: warning: %s\n", command, strings.TrimPrefix(o.Note(), "note: "))
		}
	}
	return scriptNotes{found}, exitOK, true
}

// scriptNotes are the script's overrides an experiment runs with (late
// in the runs, or past them): what it says of them.
type scriptNotes struct{ found []report.ScriptOverride }

// table is the notes above the table, wrapped at width (0: not).
func (n scriptNotes) table(width int) string { return report.ScriptOverrideNotes(n.found, width) }

// json is the JSON's "notes" (nil: none).
func (n scriptNotes) json() []string { return report.LateNotes(n.found) }

// setOverrides warns on stderr of each --set (flag, within sets, the
// overrides the run resolves with) that the scenario's script sets again
// during the runs (run: "the run" or "each run"). run and run --reps
// compare nothing that the script's change would spoil, and the
// scenario's story from another start is a fair question, so unlike
// sweep's --vary it is not refused, only said.
func setOverrides(st streams, command, run string, src scenarios.Text, sets, flag []scenarios.Set) {
	for _, o := range report.FindScriptOverrides(src, sets, "--set", report.SetPaths(flag), "--no-script") {
		if n := o.RunNote(run); n != "" {
			fmt.Fprintf(st.err, "auctionsim %s: warning: %s\n", command, n)
		}
	}
}

// withNote is e with note (scriptOverrides') above its table.
func withNote(e report.Emission, note string) report.Emission {
	if table := e.Table; note != "" && table != nil {
		e.Table = func() string { return note + table() }
	}
	return e
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
	e.Out, e.Plot, e.JSON, e.Stdout = f.Out, f.Plot, f.JSON, st.out
	e.Emit(func(err error) {
		code = cli.Fail(st.err, command, err, exitFailed)
	})
	return code
}
