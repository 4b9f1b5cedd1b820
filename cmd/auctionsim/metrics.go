package main

import (
	"fmt"

	"github.com/auctionsim/auctionsim/cmd/internal/cli"
	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim/experiment"
)

// newMetricsCmd is metrics: the catalogue's names for a scenario's world,
// the one list that --metric and --metrics check against, so that the
// names a command takes can be looked up rather than guessed from a JSON
// summary.
func newMetricsCmd() *command {
	var (
		name string
		set  = scenarios.SetFlag{Flag: "--set"}
	)
	c := newCommand(cli.Spec{
		Name:  "metrics",
		Usage: "[-s NAME|FILE] [--set PATH=VALUE]...",
		About: `Lists the metrics of a scenario's world, one a line, sorted: sim's metric
catalogue, the flat paths of every number of run --json (bidders, groups
and tmax curve points by name: exchange.revenue, bidders.NAME.spend,
groups.NAME.incremental_value, bidders.NAME.latency_ms.p99). These are the
names run --reps --metrics, compare --metric and --metrics, sweep --metrics
and split --metrics take, and those of the experiments' JSON, of a
dashboard fork's export (its cumulative ones) and of run --reps --json.
The world's parts decide which there are: a bidder's holdout, goal or
frequency metrics, a group's, the tmax curve's points. --set changes the
world as it does on those commands.`,
		Examples: []string{
			"auctionsim metrics",
			"auctionsim metrics -s budget-split | grep groups.acme",
			"auctionsim metrics -s incrementality-test --set 'traffic.users={count: 20000}'",
		},
		Exits: "Exit codes: 0 ok, 1 the list could not be written, 2 bad usage or a bad scenario.",
	})
	c.Flags.StringVar(&name, "scenario", scenarios.Default, "`NAME|FILE` bundled scenario or YAML file")
	c.Alias("s", "scenario")
	c.Flags.Var(&set, "set", setUsage)
	c.run = func(st streams) int {
		if c.Flags.NArg() > 0 {
			return c.usageError(st, "unexpected argument %q (give the scenario with -s)", c.Flags.Arg(0))
		}
		// As the commands that run it read it: a named pipe's wait ends
		// at the first signal.
		sc, _, code := loadPick(st, c.Name, name, scenarios.Pick{Name: name, Sets: set.List})
		if sc == nil {
			return code
		}
		names, err := experiment.MetricNames(report.PointOf(sc))
		if err != nil {
			return cli.BadInput(st.err, c.Name, err)
		}
		for _, n := range names {
			fmt.Fprintln(st.out, n)
		}
		return exitOK
	}
	return c
}
