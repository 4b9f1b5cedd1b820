// Command auctionsim simulates server-to-server ad auctions: a live terminal
// dashboard, and headless runs for scripts, notebooks and CI.
//
//	auctionsim                          the dashboard on the default scenario
//	auctionsim run [-s NAME|FILE] ...   a headless run: summary table or JSON
//	auctionsim validate FILE...         check scenario files
//	auctionsim scenarios [show NAME]    the bundled scenarios
//
// Exit codes: 0 ok, 1 the run failed, 2 bad usage or a bad scenario, 130 a
// run interrupted by Ctrl-C (its results are still written, marked partial).
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"golang.org/x/term"

	"github.com/auctionsim/auctionsim/scenarios"
)

// Exit codes.
const (
	exitOK          = 0
	exitFailed      = 1   // the run failed
	exitUsage       = 2   // bad usage or a bad scenario
	exitInterrupted = 130 // 128 + SIGINT, as shells report it
)

// streams are the standard streams a command writes to, and what it needs
// to know about them. Tests substitute buffers.
type streams struct {
	out, err       io.Writer
	outTTY, errTTY bool
	getenv         func(string) string
}

func main() {
	st := streams{
		out:    os.Stdout,
		err:    os.Stderr,
		outTTY: isTerminal(os.Stdout),
		errTTY: isTerminal(os.Stderr),
		getenv: os.Getenv,
	}
	os.Exit(realMain(os.Args[1:], st))
}

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

const usageText = `auctionsim simulates server-to-server (S2S) ad auctions: an exchange fans out
bid requests to bidders over links with latency, drops late bids at tmax, runs
the auction and turns wins into clicks, conversions and ROAS.

Usage:
  auctionsim [tui flags]               open the live dashboard (default scenario: timeout-demo)
  auctionsim tui [-s NAME|FILE]        open the live dashboard on a scenario
  auctionsim run [-s NAME|FILE] ...    run headless, as fast as possible; print a summary
  auctionsim validate FILE...          check scenario files; print every error with its position
  auctionsim scenarios                 list the bundled scenarios
  auctionsim scenarios show NAME       print a bundled scenario as YAML, to copy and edit
  auctionsim help [COMMAND]            help on a command

Examples:
  auctionsim
  auctionsim run -s classroom-vickrey
  auctionsim run -s my-world.yaml --seed 7 --json --out results.json
  auctionsim scenarios show timeout-demo > my-world.yaml

Exit codes: 0 ok, 1 the run failed, 2 bad usage or a bad scenario,
130 interrupted (results so far are still written, marked partial).
Set NO_COLOR to turn colors off.
`

// realMain runs the command line in args and returns the exit code.
func realMain(args []string, st streams) int {
	if len(args) == 0 {
		return tuiCmd(nil, st)
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "run":
		return runCmd(rest, st)
	case "validate":
		return validateCmd(rest, st)
	case "scenarios":
		return scenariosCmd(rest, st)
	case "tui":
		return tuiCmd(rest, st)
	case "help":
		return helpCmd(rest, st)
	case "-h", "-help", "--help":
		fmt.Fprint(st.out, usageText)
		return exitOK
	}
	if strings.HasPrefix(cmd, "-") {
		// Flags without a command are the dashboard's: auctionsim -s FILE.
		return tuiCmd(args, st)
	}
	fmt.Fprintf(st.err, "auctionsim: unknown command %q\nRun 'auctionsim --help' for usage.\n", cmd)
	return exitUsage
}

func helpCmd(args []string, st streams) int {
	if len(args) == 0 {
		fmt.Fprint(st.out, usageText)
		return exitOK
	}
	if len(args) > 1 {
		fmt.Fprintln(st.err, "auctionsim help: give at most one command")
		return exitUsage
	}
	switch args[0] {
	case "run":
		fmt.Fprint(st.out, runHelp)
	case "validate":
		fmt.Fprint(st.out, validateHelp)
	case "scenarios":
		fmt.Fprint(st.out, scenariosHelp)
	case "tui":
		fmt.Fprint(st.out, tuiHelp)
	default:
		fmt.Fprintf(st.err, "auctionsim help: unknown command %q\nRun 'auctionsim --help' for usage.\n", args[0])
		return exitUsage
	}
	return exitOK
}

// parseFlags parses args into fs. On --help it prints help to stdout; on a
// bad flag it says so on stderr. done reports that the command should
// return code without going further.
func parseFlags(fs *flag.FlagSet, args []string, help string, st streams) (code int, done bool) {
	fs.SetOutput(io.Discard) // errors and help are printed below, our way
	fs.Usage = func() {}
	err := fs.Parse(args)
	switch {
	case err == nil:
		return exitOK, false
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(st.out, help)
		return exitOK, true
	}
	return usageError(st, fs.Name(), "%v", err), true
}

// usageError reports bad usage of command on stderr and returns exitUsage.
func usageError(st streams, command, format string, args ...any) int {
	fmt.Fprintf(st.err, "auctionsim %s: %s\nRun 'auctionsim %s --help' for usage.\n", command, fmt.Sprintf(format, args...), command)
	return exitUsage
}

// seedFlag is a --seed value that remembers whether it was given, since 0
// is a valid seed.
type seedFlag struct {
	set  bool
	seed uint64
}

func (f *seedFlag) String() string {
	if !f.set {
		return ""
	}
	return fmt.Sprint(f.seed)
}

func (f *seedFlag) Set(s string) error {
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return fmt.Errorf("%q is not a seed: want a whole number from 0 to %d", s, uint64(math.MaxUint64))
	}
	f.set, f.seed = true, n
	return nil
}

// scenarioFlags are the flags that pick a scenario and its seed, shared by
// run and tui.
type scenarioFlags struct {
	name     string
	seed     seedFlag
	noScript bool
}

func (f *scenarioFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.name, "s", scenarios.Default, "")
	fs.StringVar(&f.name, "scenario", scenarios.Default, "")
	fs.Var(&f.seed, "seed", "")
	fs.BoolVar(&f.noScript, "no-script", false, "")
}

// load resolves the scenario and applies --seed; on failure it reports the
// scenario's errors and returns nil.
func (f *scenarioFlags) load(st streams) *scenarios.Scenario {
	sc, err := scenarios.Resolve(f.name)
	if err != nil {
		reportLoadError(st, err)
		return nil
	}
	if f.seed.set {
		sc = sc.WithSeed(f.seed.seed)
	}
	if f.noScript {
		sc = sc.WithoutScript()
	}
	return sc
}

// noColor reports whether colors are turned off, by flag or by NO_COLOR
// (https://no-color.org: any non-empty value).
func noColor(flagged bool, st streams) bool {
	return flagged || st.getenv("NO_COLOR") != ""
}
