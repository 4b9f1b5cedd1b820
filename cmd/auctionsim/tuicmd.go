package main

import (
	"flag"
	"fmt"
)

const tuiHelp = `Usage: auctionsim [tui] [-s NAME|FILE] [--seed N] [--no-color] [--no-script]

Opens the live dashboard: the simulation runs while you watch, and keys
change the world as it runs. It needs a terminal; for scripts, notebooks and
CI use 'auctionsim run'.

Flags:
  -s, --scenario NAME|FILE  a bundled scenario or a YAML file (default timeout-demo)
      --seed N              the random seed (default: the scenario's)
      --no-color            no colors (also: NO_COLOR=1)
      --no-script           ignore the scenario's script (its scheduled changes)

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
