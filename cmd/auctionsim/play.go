package main

import (
	"errors"
	"fmt"
	"os"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/auctionsim/auctionsim/tui/play"
	"github.com/auctionsim/auctionsim/tui/theme"
)

const playAbout = `Take one bidder's seat and bid yourself. Auctions come one at a time under
the scenario's rules (auction type, floor, increment); the other bidders bid
by their strategies and are late when their latency passes tmax. You see your
private value, type a bid, and see the outcome: your rank, the price and what
set it, your surplus (value − price), and beside it what bidding your value
would have earned on the very same auctions.`

func newPlayCmd() *command {
	var (
		pick      scenarioFlags
		as        string
		countdown time.Duration
		plain     bool
	)
	c := newCommand("play", "[-s NAME|FILE] [--as BIDDER] [--countdown D] [--seed N]", playAbout)
	pick.define(c)
	c.fs.StringVar(&as, "as", "", "`BIDDER` the bidder whose seat you take (default: the first)")
	durationVar(c.fs, &countdown, "countdown", 0, "`D` time to bid in each auction, like 10s; a bid too slow is late and lost, "+
		"as a late S2S bid is (default: none, turn by turn)")
	c.fs.BoolVar(&plain, "no-color", false, "no colors (also: NO_COLOR=1)")
	c.examples = []string{
		"auctionsim play -s classroom-vickrey",
		"auctionsim play -s first-vs-second --as dana --countdown 15s",
	}
	c.exits = "Exit codes: 0 ok, 1 the screen failed, 2 bad usage, a bad scenario, or no terminal."
	c.noArgs = true
	c.run = func(st streams) int {
		if countdown < 0 {
			return c.usageError(st, "--countdown %v must be ≥ 0", countdown)
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
	return c
}

// newPlayModel loads the scenario and seats the student; on failure it
// reports why and returns the exit code.
func newPlayModel(pick scenarioFlags, as string, countdown time.Duration, plain bool, st streams) (*play.Model, int) {
	sc := pick.load(st)
	if sc == nil {
		return nil, exitUsage
	}
	tab, err := play.Seat(sc.Config, as)
	var unknown play.UnknownBidder
	if errors.As(err, &unknown) {
		return nil, usageError(st, "play", "--as: %v", unknown.Err)
	}
	if err != nil {
		fmt.Fprintf(st.err, "auctionsim play: %v\n", err)
		return nil, exitUsage
	}
	r := theme.NewRenderer(os.Stdout, plain)
	return play.New(play.Options{Scenario: sc.Name, Table: tab, Countdown: countdown, Renderer: r}), exitOK
}
