package main

import (
	"errors"
	"fmt"
	"os"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/auctionsim/auctionsim/cmd/internal/cli"
	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/report/theme"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/tui/classroom"
	"github.com/auctionsim/auctionsim/tui/classroom/room"
	"github.com/auctionsim/auctionsim/tui/play"
)

func newPlayCmd() *command {
	var (
		pick      scenarioFlags
		as        string
		countdown time.Duration
		plain     bool
		export    string
	)
	c := newCommand(cli.Spec{
		Name:  "play",
		Usage: "[-s NAME|FILE] [--as BIDDER] [--countdown D] [--seed N] [--export FILE.json]",
		About: helpText("play"),
		Examples: []string{
			"auctionsim play -s classroom-vickrey",
			"auctionsim play -s first-vs-second --as dana --countdown 15s",
			"auctionsim play -s classroom-vickrey --export my-auctions.json",
		},
		Exits:  "Exit codes: 0 ok, 1 the screen failed, 2 bad usage, a bad scenario, or no terminal.",
		NoArgs: true,
	})
	pick.define(c)
	c.Flags.StringVar(&as, "as", "", "`BIDDER` the bidder whose seat you take (default: the first)")
	cli.DurationVar(c.Flags, &countdown, "countdown", 0, "`D` time to bid in each auction, like 10s (at least 1s); a bid too slow is late and lost, "+
		"as a late S2S bid is (default: none, turn by turn)")
	c.Flags.BoolVar(&plain, "no-color", false, "no colors (also: NO_COLOR=1)")
	c.Flags.StringVar(&export, "export", "", "`FILE.json` when play ends, write every auction played (every bidder's value and bid, the price and why) "+
		"in the classroom's session format")
	c.run = func(st streams) int {
		if countdown < 0 {
			return c.usageError(st, "--countdown %v must be ≥ 0", countdown)
		}
		if countdown > 0 && countdown < room.MinTimeToBid {
			return c.usageError(st, "--countdown %v is too short to read a value and type a bid: want at least %v, like 10s (or leave it out: turn by turn)",
				countdown, room.MinTimeToBid)
		}
		m, sc, code := newPlayModel(pick, as, countdown, cli.NoColor(plain, st.getenv), st)
		if m == nil {
			return code
		}
		if err := (&report.Outputs{}).Input(report.InputsOf(sc)...).Add("--export", export).Check(); err != nil {
			return c.usageError(st, "%v", err)
		}
		// The session format is JSON: a FILE.txt would be JSON under
		// another name, as --out refuses to write.
		if export != "" {
			if err := report.CheckExt("--export", export, ".json"); err != nil {
				return c.usageError(st, "%v", err)
			}
		}
		if !st.outTTY {
			fmt.Fprintln(st.err, "auctionsim play: needs a terminal, and stdout is not one.")
			return exitUsage
		}
		_, err := tea.NewProgram(m, tea.WithAltScreen()).Run()
		code = finishPlay(m, sc, export, st)
		if err != nil {
			fmt.Fprintf(st.err, "auctionsim: %v\n", err)
			return exitFailed
		}
		return code
	}
	return c
}

// finishPlay leaves the summary on stdout and writes the export, if asked
// (and if any auction was played).
func finishPlay(m *play.Model, sc *scenarios.Scenario, export string, st streams) int {
	fmt.Fprint(st.out, m.Summary())
	line, err := classroom.ExportPlayed(m, sc.Config.Seed, export)
	if err != nil {
		return cli.Fail(st.err, "play", fmt.Errorf("export: %w", err), exitFailed)
	}
	fmt.Fprint(st.out, line)
	return exitOK
}

// newPlayModel loads the scenario and seats the student; on failure it
// reports why and returns the exit code.
func newPlayModel(pick scenarioFlags, as string, countdown time.Duration, plain bool, st streams) (*play.Model, *scenarios.Scenario, int) {
	sc, code := pick.load(st)
	if sc == nil {
		return nil, nil, code
	}
	// Every bidder but the player's seat is simulated: one the scenario
	// puts on the wire would be its model, passed off as the real one.
	if err := sc.SimulatesEndpoints("play", ""); err != nil {
		return nil, nil, cli.BadInput(st.err, "play", err)
	}
	m, err := play.Open(sc.Name, sc.Config, as, countdown, theme.NewRenderer(os.Stdout, plain))
	var bad *report.OptionError
	switch {
	case errors.As(err, &bad):
		return nil, nil, usageError(st, "play", "%v", err)
	case err != nil:
		return nil, nil, cli.Fail(st.err, "play", err, exitUsage)
	}
	return m, sc, exitOK
}
