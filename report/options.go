package report

// The options of the commands, checked where what they set up lives:
// every experiment command's (ExpOptions). A refused option is an
// OptionError, naming the flag.

import (
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim/experiment"
)

// OptionError is an option refused before anything runs: bad usage.
// Flag is the option as the user typed it (--reps), "" for the command's
// arguments; the message names it too.
type OptionError struct {
	Flag string
	Err  error
}

func (e *OptionError) Error() string { return e.Err.Error() }
func (e *OptionError) Unwrap() error { return e.Err }

// Option is the refused option's name (--reps): what the command line
// must change.
func (e *OptionError) Option() string { return e.Flag }

// Optionf is an OptionError of flag, its message (which names the flag)
// formatted as by fmt.Errorf.
func Optionf(flag, format string, args ...any) error {
	return &OptionError{Flag: flag, Err: fmt.Errorf(format, args...)}
}

// ExpOptions are the options the experiment commands (run --reps,
// compare, sweep, split, merge) share, as their flags give them.
type ExpOptions struct {
	Reps     int
	Workers  int
	JSON     bool
	Out      string
	Plot     string
	Shard    string
	NoColor  bool
	Auctions uint64
	Duration time.Duration
	Metrics  string          // run --reps --metrics: the metrics the table, JSON and plot keep to
	Given    map[string]bool // the flags given on the command line
}

// Check validates the options after parsing (given: the flags set);
// outExts are the --out formats; checkPlot checks --plot against --out
// (plot.CheckPath).
func (f *ExpOptions) Check(given map[string]bool, checkPlot func(path, out string) error, outExts ...string) error {
	if err := f.CheckRuns(given); err != nil {
		return err
	}
	if f.Shard != "" {
		if _, err := experiment.ParseShard(f.Shard); err != nil {
			return Optionf("--shard", "--shard: %v", err)
		}
		if f.Out == "" {
			return Optionf("--shard", "--shard needs --out FILE: the shard's results go to a file for merge")
		}
		if f.Plot != "" {
			return Optionf("--plot", "--plot goes with merge, not with --shard: a shard holds part of the results")
		}
		return (&Outputs{}).Add("--out", f.Out).Check()
	}
	if f.Out != "" {
		if err := CheckExt("--out", f.Out, outExts...); err != nil {
			return err
		}
		if err := (&Outputs{}).Add("--out", f.Out).Check(); err != nil {
			return err
		}
	}
	if f.Plot != "" {
		return checkPlot(f.Plot, f.Out)
	}
	return nil
}

// CheckRuns validates the options that say how the replications run
// (--reps, --workers, --auctions, --duration; given: the flags set) and
// gives --workers its default, the number of CPUs.
func (f *ExpOptions) CheckRuns(given map[string]bool) error {
	f.Given = given
	if !given["workers"] {
		f.Workers = runtime.NumCPU()
	}
	switch {
	case f.Reps < 2:
		return Optionf("--reps", "--reps %d: want at least 2 replications (an interval needs two)", f.Reps)
	case given["workers"] && f.Workers < 1:
		return Optionf("--workers", "--workers %d: want at least 1", f.Workers)
	}
	return CheckStop(given, f.Auctions, f.Duration)
}

// CheckStop refuses --auctions 0 and a --duration ≤ 0 when given: 0
// would mean no limit, which a flag that sets one cannot mean.
func CheckStop(given map[string]bool, auctions uint64, duration time.Duration) error {
	switch {
	case given["auctions"] && auctions == 0:
		return Optionf("--auctions", "--auctions must be > 0")
	case given["duration"] && duration <= 0:
		return Optionf("--duration", "--duration must be > 0")
	}
	return nil
}

// CheckStopVaried refuses a varied or changed stop, paths those flag
// gives each point, beside --auctions or --duration: those set every
// point's stop and scale its budgets by the share of the horizon that
// stop keeps, which a point run to another stop does not keep (its
// budgets would bind unlike the whole run's, under a note saying they
// do). f nil has neither.
func (f *ExpOptions) CheckStopVaried(flag string, paths []string) error {
	if f == nil || !(f.Given["auctions"] || f.Given["duration"]) {
		return nil
	}
	by := "--auctions"
	if !f.Given["auctions"] {
		by = "--duration"
	}
	for _, p := range paths {
		if p == "stop" || strings.HasPrefix(p, "stop.") {
			return Optionf(flag, "%s %s: %s sets every run's stop, and scales the budgets to the share of the horizon it keeps; give %s or the stop's %s, not both",
				flag, p, by, by, flag)
		}
	}
	return nil
}

// BaseSets are the overrides that --seed (seed, if not nil), --auctions
// and --duration stand for, after the --set flags (sets): the effective
// YAML then says everything about the run.
func (f *ExpOptions) BaseSets(sets []scenarios.Set, seed *uint64) []scenarios.Set {
	sets = append([]scenarios.Set(nil), sets...)
	if seed != nil {
		sets = append(sets, scenarios.Set{Path: "seed", Value: fmt.Sprint(*seed), Flag: "--seed"})
	}
	if f.Given["auctions"] || f.Given["duration"] {
		sets = append(sets, scenarios.StopSet(f.Auctions, f.Duration))
	}
	return sets
}

// CheckOut refuses, before any time is spent running, a single run's
// --out (path; "" passes) whose format is unknown; the output guard
// (Outputs) checks the rest.
func CheckOut(path string) error {
	if path == "" {
		return nil
	}
	if err := CheckNotDir("--out", path, "run.json"); err != nil {
		return err
	}
	if _, err := FormatOf(path); err != nil {
		return &OptionError{Flag: "--out", Err: fmt.Errorf("--out: %w", err)}
	}
	return nil
}

// CheckExt refuses a path given to flag whose name does not end in one
// of exts (".json", ".csv"), whatever the case.
// A directory is said to be one (CheckNotDir).
func CheckExt(flag, path string, exts ...string) error {
	example := "results"
	if len(exts) > 0 {
		example += exts[0]
	}
	if err := CheckNotDir(flag, path, example); err != nil {
		return err
	}
	ext := strings.ToLower(filepath.Ext(path))
	if slices.Contains(exts, ext) {
		return nil
	}
	return Optionf(flag, "%s %s: the file name must end in %s", flag, path, strings.Join(exts, " or "))
}

// CheckRunFlags refuses the flags of run that cannot go together
// (given: the flags set): --metrics without --reps, --openrtb or a
// replay with --reps, and, replaying, what the file says itself.
func CheckRunFlags(given map[string]bool) error {
	switch {
	case given["metrics"] && !given["reps"]:
		return Optionf("--metrics", "--metrics chooses among the statistics of --reps N; without --reps, use --json and jq")
	case given["reps"] && (given["openrtb"] || given["openrtb-out"]):
		return Optionf("--openrtb", "--openrtb writes one run's auctions; it cannot be combined with --reps")
	case given["reps"] && given["replay"]:
		return Optionf("--reps", "--reps runs a scenario (-s), not a replay")
	case given["shard"] && !given["reps"]:
		// Else one run, whole, not the shard file merge wants.
		return Optionf("--shard", "--shard runs a share of the replications of --reps N; a single run has none to share")
	case given["workers"] && !given["reps"]:
		return Optionf("--workers", "--workers runs the replications of --reps N at once; a single run is one")
	case !given["replay"]:
		return nil
	}
	// The replay is the file's run: a flag that would change it would be
	// ignored unseen.
	// --no-scale too: the export's budgets are those it ran with,
	// scaled or not.
	for _, f := range []string{"scenario", "seed", "auctions", "duration", "set", "no-script", "no-scale"} {
		if given[f] {
			return Optionf("--"+f, "--replay takes the scenario, seed and stop from the file: drop --%s", f)
		}
	}
	return nil
}

// CheckMergedOut is merge's check of its --out (out; "" passes) against
// the merged experiment's command (spec): the formats that command
// writes.
func CheckMergedOut(out string) func(spec *experiment.Spec) error {
	return func(spec *experiment.Spec) error {
		if out == "" {
			return nil
		}
		exts := []string{".json", ".csv"} // run --reps and sweep
		if spec.Command == "compare" {
			exts = []string{".json"}
		}
		return CheckExt("--out", out, exts...)
	}
}
