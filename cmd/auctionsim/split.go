package main

import (
	"fmt"
	"strings"

	"github.com/auctionsim/auctionsim/cmd/internal/cli"
	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/report/plot"
	"github.com/auctionsim/auctionsim/sim/experiment/split"
)

const splitAbout = `Searches the division of an advertiser group's total budget among its
members (or, in a flight, of its daily budgets) that maximises an
objective of the group: incremental_value (what
the ads caused, the default), attributed_value (what last-touch attribution
credits them), conversions, incremental_conversions, or
measured_incremental_value: the group's incremental value as its members'
holdout tests would measure it, noise included (each member's lift per
impression × order value × its impressions, added up; every member of the
group needs outcome.holdout). The catalogue has no group-level measured
figure; this one is derived per run from the members' holdouts.

The search starts from the scenario's split and moves budget from one member
to another (every ordered pair is tried), the total kept exactly, coarse to
fine: moves of 4, 2 and 1 times --step. Each round races the current split
and every move over the same replications (common random numbers:
replication i of every split runs with the same seed), in batches of 3 up to
--reps (half of it for the coarser moves): a move drops out once its paired
difference from the current split, or from the leading move, lies below 0
(95% interval), and the leading move is kept as soon as its interval lies
above 0. When no move is kept the next finer size starts; after the finest
the search stops. Runs are reused across rounds. The coarser moves race on
runs of half the horizon, every budget halved (as --duration scales them),
when the world allows it: stopped by time at its horizon, no script or
daily traffic shape, no learning bidder, no daily budget or pacing
interval, conversion delays within a tenth of the half run. A world that
cannot halve (a flight of days: daily budgets, pacing intervals, hours-long
delays) races its coarse moves at twice its traffic.scale instead, half the
requests simulated, each standing for two (its days, budgets, caps and
delays kept), when it has no holdout, capacity or script and keeps at
least 100,000 auctions and 1,000 people. The finest moves, the verdict and
the curves run whole.
Runs leave out the tmax curve unless --metrics asks for it. When the last round could
not tell its leading move from staying, the output says so, and about how
many replications would.

It prints the current and the recommended split with the objective and the
difference recommended − current with its 95% interval (from fresh
replications, so the search's own choices do not bias it), and each
member's response curve at the group's fixed total: the group's objective
against that member's budget (0, half and all of the total,
and the recommended budget and a step either side), the rest spread over
the other members in their recommended proportions, so that every curve
passes through the recommended split (each point over a third of --reps,
at least 3: 3 at the default 10). Each curve gives the marginal return
(the objective added per unit of budget from the point before), the
marginal at the recommendation, and the flat region: the member's budgets
whose objective lies within the recommendation's 95% interval. At the best
split every member's marginal at the recommendation is about 0.

With --both-objectives it then sets the optima of both objectives side by side as named variants,
optimum_incremental_value and optimum_attributed_value (with a measured
objective, optimum_measured_incremental_value and the attributed one): a
second search, for the other objective, from the current split, reusing
the first's runs; each optimum paired against the current split on the
verdict's replications, with the group's spend, attributed value,
incremental value, iROAS and incremental profit (incremental value −
spend). JSON: "variants": [{"name", "objective", "budgets", "metrics"}].
It is opt-in: the second search adds about a fifth to the time.

Daily budgets: when a member has a daily budget alone (budget.daily, no
budget.total) and every member has a daily budget, split divides the
group's daily sum among their budget.daily, the same search, intervals and
output ("budget": "daily"); a member's total beside its daily budget is
kept, and caps it as it would in the flight. --budget daily divides the
daily budgets of a group whose members all have totals too (by default
their totals are divided), --budget total the totals. A group mixing
daily budgets alone with totals alone is refused: give every member the
budget to divide. The output gives the recommended split as --set flags
(bidders.NAME.budget.daily=AMOUNT) to paste into run, or into compare as
--change; JSON "set" beside each split's "budgets". A curve's marginal is
then per unit of daily budget, a unit every day of the flight, not per
unit spent. A member's total (or cap, or market) may hold the group's spend
below its daily sum on one split and not the other: the table then says
how much more or less the recommended split spends, as the difference is
not of one budget divided two ways.` + scaleAbout

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
		About: splitAbout,
		Examples: []string{
			"auctionsim split -s budget-split --group acme",
			"auctionsim split -s budget-split --group acme --objective attributed_value --step 10% --reps 20 --json",
			"auctionsim split -s budget-split --group acme --plot curves.png",
			"auctionsim split -s flight-week --group acme --step 10% --reps 6",
		},
		Exits: "Exit codes: 0 ok, 1 a run failed (or the plot could not be written), 2 bad usage or a bad scenario, 130 interrupted.",
	})
	o.sf.define(c)
	c.Flags.StringVar(&o.Group, "group", "", "`G` the advertiser group whose budget is divided (required)")
	c.Flags.StringVar(&o.Objective, "objective", "incremental_value", "`M` what to maximise: "+strings.Join(split.Objectives, ", "))
	c.Flags.StringVar(&o.Step, "step", "5%", "`S` the budget one move shifts: a share of the group's total or daily sum (5%) or an amount (30)")
	c.Flags.StringVar(&o.Budget, "budget", "", "`B` the members' budget to divide: total or daily (default: daily when a member has a daily budget alone, else total)")
	cli.CountVar(c.Flags, &o.exp.Reps, "reps", 10, "`N` paired replications per split, at least 2")
	cli.CountVar(c.Flags, &o.exp.Workers, "workers", 0, "`W` replications run at once (default: the number of CPUs); results do not depend on it")
	c.Flags.BoolVar(&o.exp.JSON, "json", false, "print JSON instead of the table")
	c.Flags.StringVar(&o.exp.Plot, "plot", "", "`FILE` the response curves for slides: .png or .svg")
	cli.CountVar(c.Flags, &o.exp.Auctions, "auctions", 0, "`N` stop each run after N auctions")
	cli.DurationVar(c.Flags, &o.exp.Duration, "duration", 0, "`D` stop each run after D of virtual time")
	c.Flags.BoolVar(&o.noScale, "no-scale", false, noScaleUsage)
	c.Flags.BoolVar(&o.BothObjectives, "both-objectives", false, "also search the other objective's optimum and set both beside the current split (a second search, reusing the first's runs: about a fifth more time)")
	c.Flags.BoolVar(&o.OneObjective, "one-objective", false, "search --objective only (the default; kept for scripts)")
	c.Flags.StringVar(&o.Metrics, "metrics", "", "`M1,M2` the metrics compared between the current and the recommended split (default: the group's spend, value and ROAS)")
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
	sets := x.BaseSets(o.sf.set.List, o.sf.pick().Seed)
	scale, ok := horizonFactor("split", o.sf.name, &o.sf, x, sets, o.noScale, st)
	if !ok {
		return exitUsage
	}
	_, sc, _, err := report.ResolveScaled(o.sf.name, sets, scale.Factor)
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
	if err == nil {
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
	bar := report.NewProgress(st.err, st.errTTY)
	s.Progress = bar.Runs
	res, err := s.Run(ctx, s.Start, s.Step)
	bar.Clear()
	if err != nil {
		if ctx.Err() != nil {
			// Keep what was done: the split the search had reached.
			fmt.Fprintln(st.err, "auctionsim split: "+report.SplitInterrupted(s.Search))
			return exitInterrupted
		}
		return cli.Fail(st.err, "split", err, exitFailed)
	}
	if n := report.SaturatedNote(res.Saturated); n != "" {
		// As reps, compare and sweep warn (runExp).
		fmt.Fprintf(st.err, "auctionsim split: warning: in some of its runs %s\n", n)
	}
	// split has no --out: x.Out stays empty.
	return emitExp("split", false, x, st, report.Emission{Tree: res,
		Draw:  func(path string) error { return plot.SaveSplit(path, res) },
		Table: func() string { return report.SplitTable(res, s.Reps, split.Amount(s.Step)) }})
}
