package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/auctionsim/auctionsim/cmd/internal/cli"
	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/report/openrtb"
	"github.com/auctionsim/auctionsim/report/plot"
	"github.com/auctionsim/auctionsim/report/summary"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/wire"
)

// runOptions are the run command's flags.
type runOptions struct {
	scenarioFlags
	// exp holds --auctions, --duration, --json, --out and --no-color, and
	// for --reps the experiment's own flags (reps.go).
	exp    expFlags
	replay string
	// noScale: --no-scale keeps every budget whole when --auctions or
	// --duration shortens the run.
	noScale bool
	ortb    openrtbOptions
	theme   cli.Theme       // --theme: the table's colours
	wire    wireOptions     // --endpoints: the exchange on the wire (bidders.go)
	given   map[string]bool // flags given on the command line
	// scale is how a shortened run scaled the budgets, said on stderr
	// once the run goes ahead (sayScale), not before a refusal.
	scale report.Scale
}

func newRunCmd() *command {
	var o runOptions
	c := newCommand(cli.Spec{
		Name:  "run",
		Usage: "[-s NAME|FILE | --replay FILE.json] [flags]",
		About: helpText("run"),
		Examples: []string{
			"auctionsim run",
			"auctionsim run -s reserve-price --auctions 2000000",
			"auctionsim run -s my-world.yaml --seed 7 --json > summary.json",
			"auctionsim run -s timeout-demo --duration 1m --out series.csv",
			"auctionsim run -s timeout-demo --out run.json && auctionsim run --replay run.json --json",
			"auctionsim run -s timeout-story --openrtb 5 | jq .outcome",
			"auctionsim run -s reserve-price --set exchange.floor=0.3 --reps 20",
		},
		Exits: "Exit codes: 0 ok, 1 the run failed (on the wire: not one bid request answered) or an output could not be written, " +
			"2 bad usage, a bad scenario or a bad replay file, 130 interrupted.",
		NoArgs: true,
	})
	o.define(c)
	cli.PositiveCountVar(c.Flags, &o.exp.Auctions, "auctions", 0, "`N` stop after N auctions")
	cli.DurationVar(c.Flags, &o.exp.Duration, "duration", 0, "`D` stop after D of virtual time (a Go duration: 90s, 10m, 2h)")
	c.Flags.BoolVar(&o.exp.JSON, "json", false, "print the summary as JSON instead of a table")
	c.Flags.StringVar(&o.exp.Out, "out", "", "`FILE` also write FILE: .json (summary, time series, replay) or .csv (time series)")
	c.Flags.BoolVar(&o.noScale, "no-scale", false, noScaleUsage)
	c.Flags.StringVar(&o.replay, "replay", "", "`FILE.json` re-run a JSON export to where it stood (instead of -s)")
	c.Flags.BoolVar(&o.exp.NoColor, "no-color", false, "plain table (also: NO_COLOR=1, or stdout not a terminal)")
	c.Flags.Var(&o.theme, "theme", cli.ThemeHelp)
	defineOpenRTB(c, &o.ortb)
	o.wire.define(c)
	defineReps(c, &o.exp) // --reps and its flags: reps.go
	c.run = func(st streams) int {
		o.given = c.Given()
		o.exp.Given = o.given
		if o.wire.On() {
			return runWire(&o, st) // the exchange on the wire: bidders.go
		}
		if code, refused := cli.Check(st.err, "run", func() error { return report.CheckRunFlags(o.given) }); refused {
			return code
		}
		// Replications refuse a scenario's endpoints (report), and a
		// replay re-runs what its export ran: neither is on the wire, so
		// the wire's flags are refused now; a single run's scenario is
		// read first (runMain).
		if o.given["reps"] || o.given["replay"] {
			if code, refused := cli.Check(st.err, "run", func() error { return wire.CheckOff(o.given, wire.RunWire) }); refused {
				return code
			}
		}
		if o.given["reps"] {
			return repsMain(&o, st) // replications: reps.go
		}
		return runMain(&o, st)
	}
	return c
}

func runMain(o *runOptions, st streams) int {
	var (
		sc     *scenarios.Scenario
		rep    *report.Replayable
		inputs []string // files the run reads, which --out must not name
		code   int
	)
	// Signals are caught from the start: reading and checking a long
	// replay is a phase Ctrl-C must be able to end too.
	ctx, stop := cli.Interruptible()
	defer stop()
	if o.given["replay"] {
		sc, rep, code = replayScenario(ctx, o, st)
		inputs = append(inputs, o.replay)
	} else {
		sc, code = runScenario(o, st)
		if sc != nil {
			inputs = report.InputsOf(sc)
		}
	}
	if sc == nil {
		return code
	}
	if ctx.Err() != nil {
		return interruptedBefore(st)
	}
	if rep == nil && len(sc.Endpoints) > 0 {
		return runWireOn(o, sc, st) // bidders with an endpoint: on the wire (bidders.go)
	}
	guard := (&report.Outputs{}).Input(inputs...).Add("--out", o.exp.Out).Add("--openrtb-out", o.ortb.Out).Add("--plot", o.exp.Plot)
	if code, refused := cli.Check(st.err, "run", func() error { return wire.CheckOff(o.given, wire.RunWire) },
		func() error { return report.CheckOut(o.exp.Out) },
		func() error { return o.ortb.Check(o.given, o.exp.JSON) },
		func() error { return plot.CheckRunPlot(o.exp.Plot, o.exp.Out, sc.Config, sc.Stop) }, guard.Check); refused {
		return code
	}
	if rep == nil {
		warnSets(o, st)
	}
	sayScale(st, "run", o.scale)
	res, err := report.Execute(ctx, sc, rep, report.NewRunProgress(st.err, st.errTTY, "auctionsim run", nil), openrtb.WriteFirstTo(ctx, sc.Stop, o.ortb.N, o.ortb.Out, st.out))
	if bad := (report.BadInput{}); errors.As(err, &bad) {
		if o.given["replay"] {
			err = fmt.Errorf("--replay %s: %w", o.replay, err)
		}
		return cli.Fail(st.err, "run", err, exitUsage)
	} else if err != nil {
		return cli.Fail(st.err, "run", err, exitFailed)
	}
	return emit(res, o, st, nil)
}

// runScenario resolves the scenario and applies the flags' overrides; on
// failure it reports and returns the exit code.
func runScenario(o *runOptions, st streams) (*scenarios.Scenario, int) {
	if err := report.CheckStop(o.given, o.exp.Auctions, o.exp.Duration); err != nil {
		return nil, usageError(st, "run", "%v", err)
	}
	// The flags' stop replaces the file's before any stop is checked,
	// as the experiments' stop override does (report.ExpOptions.BaseSets).
	o.stopApart = o.given["auctions"] || o.given["duration"]
	if o.given["duration"] {
		o.apartDuration = sim.FromDuration(o.exp.Duration)
	}
	sc, code := o.load(st)
	if sc == nil {
		return nil, code
	}
	// As compare, sweep and split do: a shortened run gets the share of
	// every budget its horizon keeps, so that budgets bind as in the
	// whole run.
	sc, scale, err := o.exp.ShortenRun(o.pick(), sc, o.noScale)
	if err != nil {
		return nil, refuse(st, "run", err)
	}
	o.scale = scale
	return sc, exitOK
}

// warnSets warns of the --set flags the scenario's script sets again
// during the run (setOverrides), as the run goes ahead.
func warnSets(o *runOptions, st streams) {
	text, ok := o.pick().Text()
	if !ok || len(o.set.List) == 0 {
		return
	}
	sets := o.expSets()
	if o.stopApart {
		sets = append(sets, scenarios.StopSet(o.exp.Auctions, o.exp.Duration))
	}
	setOverrides(st, "run", "the run", text, sets, o.set.List)
}

// sayScale says on stderr that a shortened run scales the budgets (when
// it does), once the command's checks have passed and the run goes
// ahead: a refused command says only what is wrong.
func sayScale(st streams, command string, s report.Scale) {
	if s.Said() {
		msg := "auctionsim " + command + ": " + s.Note()
		if st.errWidth > 0 {
			// On a terminal, wrapped at spaces (its continuation
			// indented) rather than mid-word by the terminal: the note
			// runs to 180–430 columns.
			msg = strings.Join(format.Wrap(msg, st.errWidth-2), "\n  ")
		}
		fmt.Fprintln(st.err, msg)
	}
}

// replayScenario rebuilds the scenario a JSON export embeds
// (report.LoadReplay); on failure it reports and returns the exit code
// (2: the file cannot be replayed).
func replayScenario(ctx context.Context, o *runOptions, st streams) (*scenarios.Scenario, *report.Replayable, int) {
	sc, rep, err := report.LoadReplay(ctx, o.replay)
	var bad *report.ReplayError
	switch {
	case errors.Is(err, report.ErrInterrupted):
		return nil, nil, interruptedBefore(st)
	case errors.As(err, &bad):
		if bad.Scenario != nil {
			cli.BadInput(st.err, "run", bad.Scenario)
		}
		return nil, nil, cli.Fail(st.err, "run", fmt.Errorf("--replay %s: %w", o.replay, err), exitUsage)
	}
	return sc, rep, exitOK
}

// interruptedBefore reports a signal that came before the run began (a
// long replay is read and checked first): nothing ran, so there is
// nothing to write; exit 130.
func interruptedBefore(st streams) int {
	fmt.Fprintln(st.err, "auctionsim run: interrupted before the run began; nothing was run or written")
	return exitInterrupted
}

// emit writes the --out file, the plot and the summary, and returns the
// exit code; ws is what crossed the wire for a run on it (nil: none).
func emit(res *report.Run, o *runOptions, st streams, ws *wire.WireStats) int {
	meta := res.Meta()
	meta.Wire = ws != nil
	code := exitOK
	if res.Interrupted {
		code = exitInterrupted
		if ws != nil {
			fmt.Fprintf(st.err, "auctionsim run: interrupted after %s auctions (%.1fs on the wire); results are partial\n", format.Count(res.Snap.Exchange.Auctions), res.Wall.Seconds())
		} else {
			// The count for people, as the table prints it (24,396,325,
			// not 24396325).
			fmt.Fprintf(st.err, "auctionsim run: interrupted after %s auctions (%s virtual); results are partial\n",
				format.Count(res.Snap.Exchange.Auctions), format.Duration(res.Snap.Now))
		}
	}
	if n := report.SaturatedNote(res.Snap.Saturated()); n != "" {
		fmt.Fprintf(st.err, "auctionsim run: warning: %s\n", n)
	}
	fail := func(err error) {
		code = cli.Fail(st.err, "run", err, exitFailed)
	}
	if o.exp.Out != "" {
		// On the wire the export has what crossed it, as --json's summary.
		var more []report.Section
		if ws != nil {
			more = append(more, ws.Section())
		}
		if err := report.WriteWith(o.exp.Out, res.Snap, meta, more...); err != nil {
			fail(err)
		}
	}
	if o.exp.Plot != "" {
		full := report.NewFull(res.Snap, meta)
		if err := plot.SaveRun(o.exp.Plot, &full); err != nil {
			fail(err)
		}
	}
	var err error
	switch {
	case o.ortb.ToStdout():
		// The auctions went to stdout; the summary only to --out.
	case o.exp.JSON && ws != nil:
		err = wire.WriteSummary(st.out, res.Snap, meta, *ws)
	case o.exp.JSON:
		err = report.WriteSummary(st.out, res.Snap, meta)
	default:
		opts := summary.Options{Color: st.outTTY && !cli.NoColor(o.exp.NoColor, st.getenv), Width: cli.OutWidth(st.outTTY, st.getenv),
			// Piped: fitted to $COLUMNS (or 100) as compare's tables are,
			// with every column kept (split tables, not fewer columns).
			Whole: !st.outTTY}
		var line string
		if ws == nil {
			opts.Palette = o.theme.Mode.Palette(st.getenv)
		} else {
			line = ws.Line()
			opts.Measured = true
		}
		why := ""
		if meta.Partial && !res.Interrupted && o.given["replay"] {
			why = "replayed to where its export stood, before the stop"
		}
		_, err = io.WriteString(st.out, summary.Render(res.Snap,
			summary.Run{Scenario: meta.Scenario, Partial: meta.Partial, PartialWhy: why, WallSeconds: meta.WallSeconds}, opts)+line)
	}
	if err != nil {
		fail(err)
	}
	return code
}
