package main

import (
	"flag"
	"fmt"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/auctionsim/auctionsim/sim/seat"
	"github.com/auctionsim/auctionsim/tui/play"
)

const playHelp = `Usage: auctionsim play [-s NAME|FILE] [--as BIDDER] [--countdown D] [--seed N]

Take one bidder's seat and bid yourself. Auctions come one at a time under
the scenario's rules (auction type, floor, increment); the other bidders bid
by their strategies and are late when their latency passes tmax. You see
your private value, type a bid, and see the outcome: your rank, the price
and what set it, your surplus (value − price), and beside it what bidding
your value would have earned on the very same auctions.

Flags:
  -s, --scenario NAME|FILE  a bundled scenario or a YAML file (default timeout-demo)
      --as BIDDER           the bidder whose seat you take (default: the first)
      --countdown D         time to bid in each auction, like 10s; a bid too
                            slow is late and lost, as a late S2S bid is
                            (default: none, turn by turn)
      --seed N              the random seed (default: the scenario's)
      --no-color            no colors (also: NO_COLOR=1)

Examples:
  auctionsim play -s classroom-vickrey
  auctionsim play -s first-vs-second --as dana --countdown 15s

Exit codes: 0 ok, 1 the screen failed, 2 bad usage, a bad scenario, or no
terminal.
`

func playCmd(args []string, st streams) int {
	fs := flag.NewFlagSet("play", flag.ContinueOnError)
	var (
		pick      scenarioFlags
		as        string
		countdown time.Duration
		plain     bool
	)
	pick.register(fs)
	fs.StringVar(&as, "as", "", "")
	fs.DurationVar(&countdown, "countdown", 0, "")
	fs.BoolVar(&plain, "no-color", false, "")
	if code, done := parseFlags(fs, args, playHelp, st); done {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(st, "play", "unexpected argument %q (give the scenario with -s)", fs.Arg(0))
	}
	if countdown < 0 {
		return usageError(st, "play", "--countdown %v must be ≥ 0", countdown)
	}
	m, code := newPlayModel(pick, as, countdown, noColor(plain, st), st)
	if m == nil {
		return code
	}
	if !st.outTTY {
		fmt.Fprintln(st.err, "auctionsim play: needs a terminal, and stdout is not one.")
		return exitUsage
	}
	if _, err := tea.NewProgram(m, tea.WithAltScreen()).Run(); err != nil {
		fmt.Fprintf(st.err, "auctionsim: %v\n", err)
		return exitFailed
	}
	return exitOK
}

// newPlayModel loads the scenario and seats the student; on failure it
// reports why and returns the exit code.
func newPlayModel(pick scenarioFlags, as string, countdown time.Duration, plain bool, st streams) (*play.Model, int) {
	sc := pick.load(st)
	if sc == nil {
		return nil, exitUsage
	}
	who := 0
	if as != "" {
		i, err := seat.Find(sc.Config, as)
		if err != nil {
			return nil, usageError(st, "play", "--as: %v", err)
		}
		who = i
	}
	tab, err := seat.New(sc.Config, []int{who})
	if err != nil {
		fmt.Fprintf(st.err, "auctionsim play: %v\n", err)
		return nil, exitUsage
	}
	var r *lipgloss.Renderer
	if plain {
		r = lipgloss.NewRenderer(st.out)
		r.SetColorProfile(termenv.Ascii)
	}
	return play.New(play.Options{Scenario: sc.Name, Table: tab, Countdown: countdown, Renderer: r}), exitOK
}
