package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/auctionsim/auctionsim/cmd/internal/cli"
	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/report/plot"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim/experiment/split"
	"github.com/auctionsim/auctionsim/sim/runner"
)

// splitOptions are split's flags; report.SplitOptions checks its own.
type splitOptions struct {
	sf      scenarioFlags
	exp     expFlags // --reps, --workers, --json, --plot, --auctions, --duration
	noScale bool
	report.SplitOptions
}

func newSplitCmd() *command {
	var o splitOptions
	c := newCommand(cli.Spec{
		Name:  "split",
		Usage: "-s NAME --group G [flags]",
		About: helpText("split"),
		Examples: []string{
			"auctionsim split -s budget-split --group acme",
			"auctionsim split -s budget-split --group acme --objective attributed_value --step 10% --reps 20 --json",
			"auctionsim split -s budget-split --group acme --plot curves.png",
			"auctionsim split -s flight-week --group acme --step 10% --reps 6",
		},
		Exits: "Exit codes: 0 ok, 1 a run failed (or the plot could not be written), 2 bad usage or a bad scenario, 130 interrupted.",
	})
	c.About += helpText("scale") // how a shortened run scales the budgets
	c.About += helpText("progress")
	o.sf.define(c)
	c.Flags.StringVar(&o.Group, "group", "", "`G` the advertiser group whose budget is divided (required)")
	c.Flags.StringVar(&o.Objective, "objective", "incremental_value", "`M` what to maximise, on the group's eventual figures (groups.G.eventual.M: the conversions pending at the stop counted; measured_incremental_value as the holdouts measured it): "+strings.Join(split.Objectives, ", "))
	c.Flags.StringVar(&o.Step, "step", "5%", "`S` the budget one move shifts: a share of the group's total or daily sum (5%) or an amount (30)")
	c.Flags.StringVar(&o.Budget, "budget", "", "`B` the members' budget to divide: total or daily (default: daily when a member has a daily budget alone, else total)")
	cli.CountVar(c.Flags, &o.exp.Reps, "reps", 10, "`N` paired replications per split, at least 2")
	cli.CountVar(c.Flags, &o.exp.Workers, "workers", 0, "`W` replications run at once (default: the number of CPUs); results do not depend on it")
	defineView(c, &o.exp) // --json, and --no-color as every experiment takes it (its table is plain)
	c.Flags.StringVar(&o.exp.Plot, "plot", "", "`FILE` the response curves for slides: .png or .svg")
	cli.PositiveCountVar(c.Flags, &o.exp.Auctions, "auctions", 0, "`N` stop each run after N auctions")
	cli.DurationVar(c.Flags, &o.exp.Duration, "duration", 0, "`D` stop each run after D of virtual time")
	c.Flags.BoolVar(&o.noScale, "no-scale", false, noScaleUsage)
	c.Flags.BoolVar(&o.BothObjectives, "both-objectives", false, "also search the other objective's optimum and set both beside the current split (a second search, reusing the first's runs: about a fifth more time)")
	c.Flags.BoolVar(&o.OneObjective, "one-objective", false, "search --objective only (the default; kept for scripts)")
	c.Flags.StringVar(&o.Metrics, "metrics", "", "`M1,M2` the metrics compared between the current and the recommended split ("+catalogueNames+"; default: the group's spend, value and ROAS)")
	c.run = func(st streams) int {
		if len(c.Flags.Args()) > 0 {
			return usageError(st, "split", "unexpected argument %q", c.Flags.Args()[0])
		}
		return splitMain(&o, c.Given(), st)
	}
	return c
}

func splitMain(o *splitOptions, given map[string]bool, st streams) int {
	x := &o.exp
	if code, refused := cli.Check(st.err, "split", o.Check, func() error { return x.CheckRuns(given) },
		func() error { return plot.CheckAsked(x.Plot, x.Out) }); refused {
		return code
	}
	texts, code, ok := readScenarios(st, "split", o.sf.name)
	if !ok {
		return code
	}
	sets := x.BaseSets(o.sf.expSets(), o.sf.pick().Seed)
	scale, ok := horizonFactor("split", texts[0], &o.sf, x, sets, o.noScale, st)
	if !ok {
		return exitUsage
	}
	_, sc, _, err := report.ResolveScaled(texts[0], sets, scale.Factor)
	if err != nil {
		return cli.BadInput(st.err, "split", err)
	}
	guard := (&report.Outputs{}).Input(report.InputsOf(sc)...).Add("--plot", x.Plot)
	if code, refused := cli.Check(st.err, "split", guard.Check); refused {
		return code
	}
	// A --step amount is scaled as the totals are, and the --set flags
	// it prints unscaled (pasted under the same --duration they are
	// scaled again).
	o.Scale = scale.Factor
	s, err := o.Search(sc, x)
	var notes scriptNotes
	if err == nil {
		// The members' budgets are what the search varies: a script that
		// sets one again is refused as sweep's --vary of it is.
		var code int
		paths, why := splitScriptPaths(s)
		if notes, code, ok = scriptOverridesWhy(st, "split", texts[0], sets, "--group "+o.Group, paths, why); !ok {
			return code
		}
		sayScale(st, "split", scale)
	}
	if s.Capped != "" {
		fmt.Fprintf(st.err, "auctionsim split: %s\n", s.Capped)
	}
	if err != nil {
		return usageError(st, "split", "%v", err)
	}
	ctx, stop := cli.Interruptible()
	defer stop()
	// Read before the bar starts its own clock: a test's clock that moves
	// on at every reading then gives the bar its runs' times unchanged.
	clock := st.clock
	if clock == nil {
		clock = runner.SystemClock()
	}
	began := clock.Now()
	bar := report.NewExpProgress(st.err, st.errTTY, "auctionsim split", st.clock)
	bar.Plan(s.Workers, report.RunsPlanned)
	s.Progress, s.Work = bar.Runs, bar.Work
	res, err := s.Run(ctx, s.Start, s.Step)
	bar.Clear()
	// What the runs took, for the time of the compare a move the search
	// could not tell needs.
	advice := report.SplitAdvice{Scenario: o.sf.name, Elapsed: clock.Now().Sub(began), Workers: s.Workers, Horizon: splitHorizon(x, o.noScale),
		Sets: splitSets(o.sf.expSets())}
	if advice.Scenario == "-" {
		advice.Scenario = "" // stdin: NAME (a path is quoted for the shell)
	}
	if err != nil {
		if ctx.Err() != nil {
			// Keep what was done: the split the search had reached, and
			// with --json that split on stdout, partial, as the other
			// experiments write theirs.
			fmt.Fprintln(st.err, "auctionsim split: "+report.SplitInterrupted(s.Search))
			if x.JSON {
				json := *x
				json.Plot = "" // no curves to draw
				return emitExp("split", true, &json, st, report.Emission{Tree: report.NewSplitPartial(s.Search, o.Objective)})
			}
			return exitInterrupted
		}
		return cli.Fail(st.err, "split", err, exitFailed)
	}
	if n := report.SaturatedNote(res.Saturated); n != "" {
		// As reps, compare and sweep warn (runExp).
		fmt.Fprintf(st.err, "auctionsim split: warning: in some of its runs %s\n", n)
	}
	// split has no --out: x.Out stays empty.
	return emitExp("split", false, x, st, withNote(report.Emission{Tree: res,
		Draw: func(path string) error { return plot.SaveSplit(path, res) },
		// Within the terminal, or piped within $COLUMNS or 100 columns,
		// as compare's table.
		Table: func() string {
			return report.SplitTableAdvised(res, s.Reps, split.Amount(s.Step), cli.OutWidth(st.outTTY, st.getenv), advice)
		}}, notes.table(cli.OutWidth(st.outTTY, st.getenv))).WithNotes(notes.json()))
}

// splitScriptPaths are the budget paths a split's runs set, which the
// script may not set again (scriptOverrides), and why a change of one
// that is not the divided budget spoils the split. Dividing daily
// budgets, the search keeps each member's total but empties a member
// given nothing with budget={total: 0} (every curve's 0, and any split
// that leaves it nothing): a script's total from its instant on would
// give that member the script's total to spend, so those splits would
// not be the ones compared, nor would "nothing" be nothing.
func splitScriptPaths(s report.SplitSearch) ([]string, func(string) string) {
	paths := report.SetPaths(s.Sets(s.Start))
	if s.Budget != split.Daily {
		return paths, nil
	}
	totals := map[string]bool{}
	for _, m := range s.Members {
		p := "bidders." + m + ".budget.total"
		paths, totals[p] = append(paths, p), true
	}
	return paths, func(path string) string {
		if !totals[path] {
			return ""
		}
		return "from then on every run has the script's total, which a member the split gives no daily budget " +
			"(budget={total: 0}: every curve's 0) spends: those splits are not the search's"
	}
}

// splitSets is split's own --set flags (and --no-script) as compare
// takes them, each quoted for a shell where it must be, for the compares
// split prints: they change both sides alike, and without them a pasted
// compare asks of another world.
func splitSets(sets []scenarios.Set) string {
	var f []string
	for _, s := range sets {
		switch {
		case s.Flag == "--no-script":
			f = append(f, s.Flag)
		case plainWord(s.Path + "=" + s.Value):
			f = append(f, "--set "+s.Path+"="+s.Value)
		default:
			f = append(f, s.Shell())
		}
	}
	return strings.Join(f, " ")
}

// plainWord reports whether a shell reads w as one word, as written.
func plainWord(w string) bool {
	return w != "" && strings.Trim(w, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._=:/,@%+-") == ""
}

// splitHorizon is the flags that shortened split's runs, as compare takes
// them, for the compare split prints: "" when it ran whole runs.
func splitHorizon(x *expFlags, noScale bool) string {
	var f []string
	if x.Duration > 0 {
		f = append(f, "--duration "+x.Duration.String())
	}
	if x.Auctions > 0 {
		f = append(f, "--auctions "+strconv.FormatUint(x.Auctions, 10))
	}
	if noScale && len(f) > 0 {
		f = append(f, "--no-scale")
	}
	return strings.Join(f, " ")
}
