package main

import (
	"github.com/auctionsim/auctionsim/cmd/internal/cli"
	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/report/plot"
	"github.com/auctionsim/auctionsim/report/summary"
	"github.com/auctionsim/auctionsim/sim/experiment"
)

const defaultSweepMetrics = "exchange.revenue,exchange.fill_rate,exchange.mean_clearing_price"

// theoryMetricsHelp lists the theory.* metrics for sweep's and compare's
// help: the closed forms a simulated metric can be set beside.
const theoryMetricsHelp = `Theory metrics (--metrics) set the closed form beside the simulation, for the
bids as made: theory.revenue_per_auction, theory.fill_rate and
theory.mean_clearing_price (CPM, NaN where no closed form applies),
theory.applies (1 where one does), with several slots
theory.slots.vcg_revenue_per_auction and theory.slots.gsp_revenue_per_auction,
and each bidder's theory.bidders.NAME.win_rate,
theory.bidders.NAME.payment_per_auction and
theory.bidders.NAME.surplus_per_auction; tables label them apart from the
simulated metric of the same name, e.g.
--metrics exchange.revenue_per_auction,theory.revenue_per_auction. Where a
script changes the world after the start, theory is the world's after its
last change: set it beside since_change.revenue_per_auction and the other
since_change.* metrics, the figures since that change.`

// catalogueNames is how every flag that takes metric names (--metric,
// --metrics) says what it takes: one catalogue, and the command that
// lists it.
const catalogueNames = "the catalogue's names, as auctionsim metrics lists them"

// defineMetrics adds an experiment's --metrics flag into p (def its
// default, usage its help) and, to c's help, the theory metrics it may
// name.
func defineMetrics(c *command, p *string, def, usage string) {
	c.Flags.StringVar(p, "metrics", def, usage)
	c.About += "\n\n" + theoryMetricsHelp
}

func newSweepCmd() *command {
	var (
		sf      scenarioFlags
		f       expFlags
		so      report.SweepOptions // --vary, --metrics
		noScale bool
	)
	c := newCommand(cli.Spec{
		Name:  "sweep",
		Usage: "[-s NAME|FILE] --vary PATH=V1,V2,...|PATH=LO..HI:STEP [--vary ...] [flags]",
		About: helpText("sweep"),
		Examples: []string{
			"auctionsim sweep -s reserve-price --vary exchange.floor=0..0.9:0.1 --reps 20",
			"auctionsim sweep -s timeout-demo --vary exchange.tmax=60ms..200ms:20ms --plot tmax.png",
			"auctionsim sweep -s budget-split --vary bidders.acme-retarget.budget.total=100,200,300 --json",
		},
		Exits:  "Exit codes: 0 ok, 1 a run failed (or an output could not be written), 2 bad usage or a bad scenario, 130 interrupted.",
		NoArgs: true,
	})
	c.About += helpText("progress")
	sf.define(c)
	defineExp(c, &f, 20)
	defineOutput(c, &f, ".json or .csv (one row a point)")
	c.Flags.Var(&so.Vary, "vary", "`PATH=VALUES` a field and its values (repeatable): V1,V2,... or LO..HI:STEP")
	c.Flags.BoolVar(&noScale, "no-scale", false, noScaleUsage)
	defineMetrics(c, &so.Metrics, defaultSweepMetrics, "`M1,M2,...` the metrics ("+catalogueNames+")")
	c.run = func(st streams) int {
		return sweepMain(&sf, &f, &so, noScale, c.Given(), st)
	}
	return c
}

func sweepMain(sf *scenarioFlags, f *expFlags, so *report.SweepOptions, noScale bool, given map[string]bool, st streams) int {
	var names []string
	check := func() (err error) { names, err = so.Check(f); return err }
	plottable := func() error {
		// The plot's axis is the first --vary: values that are not
		// numbers were refused once every run had run (exit 1).
		if f.Plot != "" && len(so.Vary) > 0 && !experiment.Plottable(so.Vary[0]) {
			return report.Optionf("--plot", "--plot %s: the plot's axis is the first --vary, and %s's values are not numbers or durations: give a numeric --vary first, or leave --plot out", f.Plot, so.Vary[0].Path)
		}
		return nil
	}
	if code, refused := cli.Check(st.err, "sweep", func() error { return f.Check(given, plot.CheckPath, ".json", ".csv") }, check, plottable); refused {
		return code
	}
	texts, code, ok := readScenarios(st, "sweep", sf.name)
	if !ok {
		return code
	}
	sets := f.BaseSets(sf.expSets(), sf.pick().Seed)
	scale, ok := horizonFactor("sweep", texts[0], sf, f, sets, noScale, st)
	if !ok {
		return exitUsage
	}
	spec, err := so.Spec(texts[0], sets, names, scale.Factor, f.Reps)
	if err != nil {
		return refuse(st, "sweep", err)
	}
	var varied []string
	for _, v := range so.Vary {
		varied = append(varied, v.Path)
	}
	notes, code, ok := scriptOverrides(st, "sweep", texts[0], sets, "--vary", varied)
	if !ok {
		return code
	}
	res, code := runExperiment("sweep", spec, f, "", 0, 0, scale, st)
	if res == nil || res.Agg.Reps() == 0 {
		return code // nothing to write (interrupted before any replication)
	}
	return emitSweep("sweep", res, f, notes, st)
}

// emitSweep writes a sweep's result, notes (what a script changes late
// in the runs) above its table and in its JSON; command names the command
// in its messages (sweep, or merge for merged shards).
func emitSweep(command string, res *experiment.Result, f *expFlags, notes scriptNotes, st streams) int {
	var chart func() string
	if st.outTTY {
		chart = func() string {
			return summary.SweepChart(res, !cli.NoColor(f.NoColor, st.getenv), cli.Width(st.outTTY))
		}
	}
	// Within the terminal, or piped within $COLUMNS or 100 columns, as
	// compare's and split's tables.
	w := cli.OutWidth(st.outTTY, st.getenv)
	e := withNote(report.SweepEmission(res, w, chart), notes.table(w)).WithNotes(notes.json())
	e.Draw = func(path string) error { return plot.SaveSweep(path, res) }
	return emitExp(command, res.Partial, f, st, e)
}
