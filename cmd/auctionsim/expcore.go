package main

// The machinery shared by the experiment commands (run --reps, compare,
// sweep, merge): the experiment's description, one replication, its
// metrics, running with progress, Ctrl-C and shards.

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/experiment"
)

// expSpec describes an experiment completely: the effective YAML of every
// point, the seed and the replications. Shards carry it, so that merge
// can build the output without the original files, and its fingerprint
// tells shards of different experiments apart.
type expSpec struct {
	Command  string      `json:"command"` // run, compare or sweep
	Scenario string      `json:"scenario"`
	Seed     uint64      `json:"seed"`
	Reps     int         `json:"replications"`
	Sets     []string    `json:"set,omitempty"`
	Changes  []string    `json:"changes,omitempty"` // compare --change
	Vary     []varySpec  `json:"vary,omitempty"`    // sweep
	Metrics  []string    `json:"metrics,omitempty"` // sweep: the metrics reported; compare: --metric
	Points   []pointSpec `json:"points"`
	// inputs are the files the experiment reads (scenario files), which
	// no output may overwrite; not part of the description.
	inputs []string
	// Build identifies the binary (its VCS revision), so that shards run
	// by different versions of the engine are not merged.
	Build string `json:"build,omitempty"`
}

// buildID is the binary's VCS revision, with "+modified" for a build from
// a changed tree; empty when unknown.
func buildID() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	var rev, mod string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				mod = "+modified"
			}
		}
	}
	if rev == "" {
		return info.Main.Version
	}
	return rev + mod
}

// pointSpec is one configuration of the grid.
type pointSpec struct {
	Name   string   `json:"name"`             // the scenario's name
	YAML   string   `json:"yaml"`             // effective YAML, overrides applied
	Values []string `json:"values,omitempty"` // sweep: the varied values, in Vary's order
}

// varySpec is one varied parameter of a sweep.
type varySpec struct {
	Path   string   `json:"path"`
	Values []string `json:"values"`
}

// scenarios parses the points' YAML.
func (s *expSpec) scenarios() ([]*scenarios.Scenario, error) {
	out := make([]*scenarios.Scenario, len(s.Points))
	for i, p := range s.Points {
		sc, err := scenarios.Parse(p.Name+".yaml", []byte(p.YAML))
		if err != nil {
			return nil, fmt.Errorf("point %d (%s): %w", i, p.Name, err)
		}
		out[i] = sc
	}
	return out, nil
}

// excludedMetrics are the summary's numbers that are not outcomes of a
// replication: its seed differs by design, wall time by machine, and
// partial describes the experiment, not a replication.
var excludedMetrics = map[string]bool{"seed": true, "wall_seconds": true, "partial": true}

// summaryJSON is the JSON summary of a replication of scenario name: the
// one source of both its metrics and the shape of run --reps' output.
func summaryJSON(snap *sim.Snapshot, name string) ([]byte, error) {
	return json.Marshal(report.NewSummary(snap, report.Meta{Scenario: name}))
}

// summaryTree is a run's JSON summary as an ordered tree.
func summaryTree(snap *sim.Snapshot, name string) (*jnode, error) {
	data, err := summaryJSON(snap, name)
	if err != nil {
		return nil, err
	}
	return parseTree(data)
}

// metricsOf is a replication's metrics: every number of its JSON summary,
// by flat name (exchange.revenue, bidders.NAME.spend), true/false as 1/0
// (so that the mean is the share of replications where it held). Text
// (a strategy's name, why a budget went unspent) is not a metric. A number
// added to the summary (report.Summary) becomes a metric of every
// experiment.
func metricsOf(sc *scenarios.Scenario, snap *sim.Snapshot) (experiment.Values, error) {
	data, err := summaryJSON(snap, sc.Name)
	if err != nil {
		return nil, err
	}
	// Decoding into any is several times faster than the ordered tree,
	// and a replication's metrics need no order.
	var tree any
	if err := json.Unmarshal(data, &tree); err != nil {
		return nil, fmt.Errorf("read the summary: %w", err)
	}
	vals := experiment.Values{}
	flatten("", tree, func(name string, x float64) {
		if !excludedMetrics[name] {
			vals[name] = x
		}
	})
	return vals, nil
}

// flatten calls fn with every number (null as NaN, true/false as 1/0) of
// a decoded JSON value under the names jnode.leaves gives them.
func flatten(prefix string, v any, fn func(string, float64)) {
	switch t := v.(type) {
	case float64:
		fn(prefix, t)
	case nil:
		fn(prefix, math.NaN())
	case bool:
		x := 0.0
		if t {
			x = 1
		}
		fn(prefix, x)
	case map[string]any:
		for k, x := range t {
			flatten(join(prefix, k), x, fn)
		}
	case []any:
		for _, item := range t {
			if m, ok := item.(map[string]any); ok {
				if name, ok := m["name"].(string); ok && name != "" {
					flatten(join(prefix, name), m, fn)
				}
			}
		}
	}
}

// eventSlice is how many events a replication runs between checks for
// Ctrl-C: well under a millisecond.
const eventSlice = 1 << 16

// replicate runs sc once with seed to its stop and returns its metrics.
func replicate(ctx context.Context, sc *scenarios.Scenario, seed uint64) (experiment.Values, error) {
	sc = sc.WithSeed(seed)
	eng, err := sim.New(sc.Config)
	if err != nil {
		return nil, fmt.Errorf("scenario %s: %w", sc.Name, err)
	}
	for !eng.RunStop(sc.Stop, eventSlice) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	return metricsOf(sc, eng.Snapshot())
}

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
	given    map[string]bool
}

// defineExp adds the flags of replications to c; defReps is --reps'
// default (0: no default).
func (f *expFlags) defineExp(c *command, defReps int) {
	c.fs.IntVar(&f.reps, "reps", defReps, "`N` replications, at least 2")
	c.fs.IntVar(&f.workers, "workers", 0, "`W` replications run at once (default: the number of CPUs); results do not depend on it")
	c.fs.StringVar(&f.plot, "plot", "", "`FILE` a plot for slides: .png or .svg")
	c.fs.StringVar(&f.shard, "shard", "", "`K/N` run only the K-th of N shares (K from 0) into --out, for auctionsim merge (docs/cluster.md)")
}

// defineOutput adds the output and stop flags that run has of its own.
func (f *expFlags) defineOutput(c *command, outHelp string) {
	c.fs.BoolVar(&f.json, "json", false, "print JSON instead of the table")
	c.fs.StringVar(&f.out, "out", "", "`FILE` also write FILE, atomically: "+outHelp)
	c.fs.BoolVar(&f.noColor, "no-color", false, "plain output (also: NO_COLOR=1)")
	c.fs.Uint64Var(&f.auctions, "auctions", 0, "`N` stop each run after N auctions")
	c.fs.DurationVar(&f.duration, "duration", 0, "`D` stop each run after D of virtual time; with --auctions, at whichever comes first")
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
		return checkDir(f.out)
	}
	if f.out != "" {
		if err := checkExt("--out", f.out, outExts...); err != nil {
			return err
		}
		if err := checkDir(f.out); err != nil {
			return err
		}
	}
	if f.plot != "" {
		return checkPlot(f.plot, f.out)
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

func checkExt(flag, path string, exts ...string) error {
	ext := strings.ToLower(filepath.Ext(path))
	for _, e := range exts {
		if ext == e {
			return nil
		}
	}
	return fmt.Errorf("%s %s: the file name must end in %s", flag, path, strings.Join(exts, " or "))
}

// checkDir refuses an output path that names a directory or sits in none.
func checkDir(path string) error {
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		return fmt.Errorf("%s is a directory", path)
	}
	return checkParent(path)
}

// checkParent refuses an output path whose directory does not exist.
func checkParent(path string) error {
	dir := filepath.Dir(path)
	info, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("directory %s: %w", dir, err)
	}
	if !info.IsDir() {
		return fmt.Errorf("%s is not a directory", dir)
	}
	return nil
}

// baseSets are the overrides that --seed, --auctions and --duration
// stand for, after the --set flags: the effective YAML then says
// everything about the run.
func (f *expFlags) baseSets(sf *scenarioFlags) []scenarios.Set {
	sets := append([]scenarios.Set(nil), sf.set.list...)
	if sf.seed.set {
		sets = append(sets, scenarios.Set{Path: "seed", Value: fmt.Sprint(sf.seed.seed), Flag: "--seed"})
	}
	if f.given["auctions"] || f.given["duration"] {
		var parts []string
		if f.auctions > 0 {
			parts = append(parts, fmt.Sprintf("auctions: %d", f.auctions))
		}
		if f.duration > 0 {
			parts = append(parts, "duration: "+f.duration.String())
		}
		sets = append(sets, scenarios.Set{Path: "stop", Value: "{" + strings.Join(parts, ", ") + "}", Flag: "--auctions/--duration"})
	}
	return sets
}

// setStrings writes overrides as PATH=VALUE.
func setStrings(sets []scenarios.Set) []string {
	out := make([]string, len(sets))
	for i, s := range sets {
		out[i] = s.Path + "=" + s.Value
	}
	return out
}

// notInput refuses an output path that names one of the inputs.
func notInput(out string, inputs []string) error {
	if out == "" {
		return nil
	}
	for _, in := range inputs {
		if samePath(out, in) {
			return fmt.Errorf("%s is an input of the experiment: writing it would overwrite it", out)
		}
	}
	return nil
}

// fileInput is sc's file, if it came from one, for notInput.
func fileInput(sc *scenarios.Scenario) []string {
	if strings.HasPrefix(sc.Source, "bundled:") || sc.Source == "" {
		return nil
	}
	return []string{sc.Source}
}

// resolvePoint resolves a scenario with overrides into a point; on
// failure it prints the errors.
func resolvePoint(name string, sets []scenarios.Set, st streams) (pointSpec, *scenarios.Scenario, bool) {
	sc, text, err := scenarios.ResolveWith(name, sets)
	if err != nil {
		reportLoadError(st, err)
		return pointSpec{}, nil, false
	}
	return pointSpec{Name: sc.Name, YAML: string(text)}, sc, true
}

// expResult is an experiment that has run (or been merged).
type expResult struct {
	spec    *expSpec
	agg     *experiment.Agg
	partial bool
	wall    time.Duration
}

// runExperiment runs spec: its replications into an aggregate, or with
// --shard its share into the shard file. enough, if set, turns on
// sequential precision (compare --precision). It returns the exit code
// when it cannot go on.
func runExperiment(command string, spec *expSpec, f *expFlags, paired bool, maxReps int, enough func(*experiment.Agg) bool, st streams) (*expResult, int) {
	for _, out := range []string{f.out, f.plot} {
		if err := notInput(out, spec.inputs); err != nil {
			return nil, usageError(st, command, "%v", err)
		}
	}
	scs, err := spec.scenarios()
	if err != nil {
		fmt.Fprintf(st.err, "auctionsim %s: %v\n", command, err)
		return nil, exitFailed
	}
	ctx, stop := interruptible()
	defer stop()

	// A sweep keeps only the metrics it reports: its grid may be large,
	// and the aggregate holds an accumulator per point and metric.
	var keep map[string]bool
	if spec.Command == "sweep" {
		keep = map[string]bool{}
		for _, m := range spec.Metrics {
			keep[m] = true
		}
	}
	bar := expProgressFor(st)
	e := &experiment.Experiment{
		Points:  len(scs),
		Seed:    spec.Seed,
		Workers: f.workers,
		Paired:  paired,
		Run: func(ctx context.Context, point int, seed uint64) (experiment.Values, error) {
			vals, err := replicate(ctx, scs[point], seed)
			if err != nil || keep == nil {
				return vals, err
			}
			out := make(experiment.Values, len(keep))
			for name := range keep {
				if x, ok := vals[name]; ok {
					out[name] = x
				}
			}
			return out, nil
		},
		Progress: bar.update,
	}
	start := time.Now()
	if f.shard != "" {
		shard, _ := experiment.ParseShard(f.shard)
		code := writeShard(ctx, command, e, spec, shard, f.out, st)
		bar.clear()
		return nil, code
	}
	var agg *experiment.Agg
	if enough != nil {
		agg, err = e.Until(ctx, spec.Reps, maxReps, enough)
	} else {
		agg, err = e.Replicate(ctx, spec.Reps)
	}
	bar.clear()
	res := &expResult{spec: spec, agg: agg, wall: time.Since(start)}
	switch {
	case err != nil && ctx.Err() != nil:
		res.partial = true
		fmt.Fprintf(st.err, "auctionsim %s: interrupted after %d whole replications; results are partial\n", command, agg.Reps())
		if agg.Reps() == 0 {
			return nil, exitInterrupted
		}
	case err != nil:
		fmt.Fprintf(st.err, "auctionsim %s: %v\n", command, err)
		return nil, exitFailed
	}
	res.spec.Reps = agg.Reps()
	return res, exitOK
}

// writeShard runs a shard and writes its file atomically.
func writeShard(ctx context.Context, command string, e *experiment.Experiment, spec *expSpec, shard experiment.Shard, out string, st streams) int {
	spec.Build = buildID()
	specJSON, err := json.Marshal(spec)
	if err != nil {
		fmt.Fprintf(st.err, "auctionsim %s: %v\n", command, err)
		return exitFailed
	}
	var runErr error
	err = report.WriteFileAtomic(out, func(w io.Writer) error {
		sw, err := experiment.NewShardWriter(w, experiment.ShardHeader{
			K: shard.K, N: shard.N, Points: e.Points, Reps: spec.Reps, Spec: specJSON,
		})
		if err != nil {
			return err
		}
		runErr = e.RunShard(ctx, spec.Reps, shard, sw.Write)
		if runErr != nil && ctx.Err() == nil {
			return runErr
		}
		return sw.Close(runErr != nil)
	})
	switch {
	case err != nil:
		fmt.Fprintf(st.err, "auctionsim %s: %v\n", command, err)
		return exitFailed
	case runErr != nil:
		fmt.Fprintf(st.err, "auctionsim %s: interrupted; shard %s in %s is partial and merge will refuse it\n", command, shard, out)
		return exitInterrupted
	}
	fmt.Fprintf(st.err, "auctionsim %s: shard %s written to %s; combine the shards with: auctionsim merge SHARD...\n", command, shard, out)
	return exitOK
}

// parseInterleaved parses flags and positional arguments in any order
// (compare BASE --change X=1 VARIANT): the standard flag package stops at
// the first argument that is not a flag. "--" ends the flags.
func parseInterleaved(fs *flag.FlagSet, args []string, help string, st streams) (positional []string, code int, done bool) {
	for {
		if code, done := parseFlags(fs, args, help, st); done {
			return nil, code, true
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, exitOK, false
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(positional, rest...), exitOK, false
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}
