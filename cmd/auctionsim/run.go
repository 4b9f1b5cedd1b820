package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

const runHelp = `Usage: auctionsim run [-s NAME|FILE] [--seed N] [--auctions N] [--duration D]
                      [--json] [--out FILE] [--no-color] [--no-script]
                      [--openrtb N [--openrtb-out FILE]]

Runs a scenario headless, as fast as the engine goes, and prints a summary
table on stdout (or with --json the summary as JSON). A progress bar goes to
stderr when stderr is a terminal. Ctrl-C stops the run early: what was
simulated is still printed and written, marked partial, and the exit code
is 130.

Flags:
  -s, --scenario NAME|FILE  a bundled scenario or a YAML file (default timeout-demo)
      --seed N              the random seed (default: the scenario's)
      --auctions N          stop after N auctions
      --duration D          stop after D of virtual time (Go duration: 90s, 10m, 2h)
                            --auctions and --duration replace the scenario's stop;
                            give both to stop at whichever comes first
      --json                print the summary as JSON instead of a table
      --out FILE            also write FILE: .json (summary and per-interval time
                            series) or .csv (time series); written atomically
      --no-color            plain table (also: NO_COLOR=1, or stdout not a terminal)
      --no-script           ignore the scenario's script (its scheduled changes)
      --openrtb N           write the first N auctions as OpenRTB 2.6 JSON lines
                            (request, responses, outcome), one per line, as they
                            close; to stdout in place of the summary, or with
      --openrtb-out FILE    to FILE (written atomically), the summary as usual

Examples:
  auctionsim run
  auctionsim run -s reserve-price --auctions 2000000
  auctionsim run -s my-world.yaml --seed 7 --json > summary.json
  auctionsim run -s timeout-demo --duration 1m --out series.csv
  auctionsim run -s timeout-story --openrtb 5 | jq .outcome

Exit codes: 0 ok, 1 the run failed (or an output could not be written),
2 bad usage or a bad scenario, 130 interrupted.
`

// runOptions are the run command's flags.
type runOptions struct {
	scenarioFlags
	auctions uint64
	duration time.Duration
	json     bool
	out      string
	noColor  bool
	ortb     openrtbOptions
	given    map[string]bool // flags given on the command line
}

func runCmd(args []string, st streams) int {
	var o runOptions
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	o.register(fs)
	fs.Uint64Var(&o.auctions, "auctions", 0, "")
	fs.DurationVar(&o.duration, "duration", 0, "")
	fs.BoolVar(&o.json, "json", false, "")
	fs.StringVar(&o.out, "out", "", "")
	fs.BoolVar(&o.noColor, "no-color", false, "")
	o.ortb.register(fs)
	if code, done := parseFlags(fs, args, runHelp, st); done {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(st, "run", "unexpected argument %q (give the scenario with -s)", fs.Arg(0))
	}
	o.given = map[string]bool{}
	fs.Visit(func(f *flag.Flag) { o.given[f.Name] = true })

	sc, code := runScenario(&o, st)
	if sc == nil {
		return code
	}
	if o.out != "" {
		if err := checkOut(o.out); err != nil {
			return usageError(st, "run", "--out: %v", err)
		}
	}
	if err := o.ortb.check(o.given, o.json); err != nil {
		return usageError(st, "run", "%v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// After the first Ctrl-C, restore the default handling, so that a
	// second one kills a process stuck writing its output.
	context.AfterFunc(ctx, stop)

	res, err := execute(ctx, sc, progressFor(st), o.ortb.pre(ctx, sc.Stop, st.out)...)
	if err != nil {
		fmt.Fprintf(st.err, "auctionsim run: %v\n", err)
		return exitFailed
	}
	return emit(res, &o, st)
}

// runScenario resolves the scenario and applies the flags' overrides; on
// failure it reports and returns the exit code.
func runScenario(o *runOptions, st streams) (*scenarios.Scenario, int) {
	if o.given["auctions"] && o.auctions == 0 {
		return nil, usageError(st, "run", "--auctions must be > 0")
	}
	if o.given["duration"] && o.duration <= 0 {
		return nil, usageError(st, "run", "--duration must be > 0")
	}
	sc := o.load(st)
	if sc == nil {
		return nil, exitUsage
	}
	if o.given["auctions"] || o.given["duration"] {
		var err error
		sc, err = sc.WithStop(scenarios.Stop{Auctions: o.auctions, Duration: sim.FromDuration(o.duration)})
		if err != nil {
			return nil, usageError(st, "run", "%v", err)
		}
	}
	return sc, exitOK
}

// reportLoadError prints a scenario's errors, one per line.
func reportLoadError(st streams, err error) {
	var list scenarios.Errors
	if errors.As(err, &list) {
		for _, e := range list {
			fmt.Fprintln(st.err, e)
		}
		return
	}
	fmt.Fprintf(st.err, "auctionsim: %v\n", err)
}

// checkOut refuses an output path whose format or directory is wrong
// before any time is spent running.
func checkOut(path string) error {
	if _, err := report.FormatOf(path); err != nil {
		return err
	}
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

// result is a finished (or interrupted) run.
type result struct {
	scenario *scenarios.Scenario
	snap     *sim.Snapshot
	partial  bool
	wall     time.Duration
}

// execute builds the engine, does pre on it, and runs sc to its stop or
// until ctx is done.
func execute(ctx context.Context, sc *scenarios.Scenario, p *progress, pre ...func(*sim.Engine) error) (*result, error) {
	eng, err := sim.New(sc.Config)
	if err != nil {
		return nil, fmt.Errorf("scenario %s: %w", sc.Name, err)
	}
	for _, f := range pre {
		if err := f(eng); err != nil {
			return nil, err
		}
	}
	start := time.Now()
	done := simulate(ctx, eng, sc.Stop, func() {
		p.update(fraction(eng, sc.Stop), eng.Auctions())
	})
	wall := time.Since(start)
	p.clear()
	return &result{scenario: sc, snap: eng.Snapshot(), partial: !done, wall: wall}, nil
}

// emit writes the --out file and the summary, and returns the exit code.
func emit(res *result, o *runOptions, st streams) int {
	meta := report.Meta{Scenario: res.scenario.Name, Partial: res.partial, WallSeconds: res.wall.Seconds()}
	code := exitOK
	if res.partial {
		code = exitInterrupted
		fmt.Fprintf(st.err, "auctionsim run: interrupted after %d auctions (%v virtual); results are partial\n",
			res.snap.Exchange.Auctions, res.snap.Now)
	}
	if o.out != "" {
		if err := report.Write(o.out, res.snap, meta); err != nil {
			fmt.Fprintf(st.err, "auctionsim run: %v\n", err)
			code = exitFailed
		}
	}
	var err error
	switch {
	case o.ortb.toStdout():
		// The auctions went to stdout; the summary only to --out.
	case o.json:
		err = report.WriteSummary(st.out, res.snap, meta)
	default:
		color := st.outTTY && !noColor(o.noColor, st)
		_, err = io.WriteString(st.out, report.Table(report.NewSummary(res.snap, meta), report.TableOptions{Color: color}))
	}
	if err != nil {
		fmt.Fprintf(st.err, "auctionsim run: %v\n", err)
		code = exitFailed
	}
	return code
}

// chunk is how many auctions the engine runs between checks for Ctrl-C and
// progress: milliseconds of wall time, so both respond at once while the
// checks cost nothing measurable.
const chunk = 1 << 14

// simulate runs eng until stop or until ctx is done, calling tick after
// every chunk, and reports whether the stop was reached.
func simulate(ctx context.Context, eng *sim.Engine, stop scenarios.Stop, tick func()) bool {
	until := sim.Time(math.MaxInt64)
	if stop.Duration > 0 {
		until = stop.Duration
	}
	for {
		a, now := eng.Auctions(), eng.Now()
		if stop.Auctions > 0 && a >= stop.Auctions || stop.Duration > 0 && now >= stop.Duration ||
			stop.Auctions == 0 && stop.Duration <= 0 {
			return true
		}
		if ctx.Err() != nil {
			return false
		}
		target := a + chunk
		if stop.Auctions > 0 {
			target = min(target, stop.Auctions)
		}
		eng.RunTo(until, target)
		tick()
	}
}

// fraction is how far the run is toward its stop, in [0, 1].
func fraction(eng *sim.Engine, stop scenarios.Stop) float64 {
	f := 0.0
	if stop.Auctions > 0 {
		f = float64(eng.Auctions()) / float64(stop.Auctions)
	}
	if stop.Duration > 0 {
		f = max(f, eng.Now().Seconds()/stop.Duration.Seconds())
	}
	return min(max(f, 0), 1)
}
