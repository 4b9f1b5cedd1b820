package main

import (
	"flag"
	"fmt"
	"os"

	"golang.org/x/term"
)

const tuiHelp = `Usage: auctionsim [tui] [-s NAME|FILE] [--seed N] [--no-color]

Opens the live dashboard: the simulation runs while you watch, and keys
change the world as it runs. It needs a terminal; for scripts, notebooks and
CI use 'auctionsim run'.

Flags:
  -s, --scenario NAME|FILE  a bundled scenario or a YAML file (default timeout-demo)
      --seed N              the random seed (default: the scenario's)
      --no-color            no colors (also: NO_COLOR=1)

Examples:
  auctionsim
  auctionsim -s overloaded-bidder
  auctionsim tui -s my-world.yaml --seed 7

Exit codes: 0 ok, 1 the dashboard failed, 2 bad usage, a bad scenario, or
no terminal.
`

func tuiCmd(args []string, st streams) int {
	fs := flag.NewFlagSet("tui", flag.ContinueOnError)
	var (
		pick  scenarioFlags
		plain bool
	)
	pick.register(fs)
	fs.BoolVar(&plain, "no-color", false, "")
	if code, done := parseFlags(fs, args, tuiHelp, st); done {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(st, "tui", "unexpected argument %q (give the scenario with -s)", fs.Arg(0))
	}
	sc := pick.load(st)
	if sc == nil {
		return exitUsage
	}
	if !st.outTTY {
		fmt.Fprintln(st.err, "auctionsim: the dashboard needs a terminal, and stdout is not one.\n"+
			"For a headless run use 'auctionsim run' (see 'auctionsim run --help').")
		return exitUsage
	}
	if err := runTUI(sc, noColor(plain, st)); err != nil {
		fmt.Fprintf(st.err, "auctionsim: %v\n", err)
		return exitFailed
	}
	return exitOK
}

// outWidth is the terminal's width for the run table, or 0 (no limit)
// when stdout is not a terminal.
func outWidth(st streams) int {
	if !st.outTTY {
		return 0
	}
	w, _, err := term.GetSize(int(os.Stdout.Fd()))
	if err != nil || w <= 0 {
		return 80
	}
	return w
}
