// Command auctionsim simulates server-to-server ad auctions: a live terminal
// dashboard, and headless runs for scripts, notebooks and CI.
//
//	auctionsim                          the dashboard on the default scenario
//	auctionsim run [-s NAME|FILE] ...   a headless run: summary table or JSON
//	auctionsim run --replay FILE.json   re-run an export to where it stood
//	auctionsim validate FILE...         check scenario files
//	auctionsim scenarios [show NAME]    the bundled scenarios
//	auctionsim play [-s NAME]           bid yourself at a bidder's seat
//	auctionsim serve --ssh ADDR         a classroom: students bid over SSH
//	auctionsim bidders -s NAME          the bidders as OpenRTB endpoints (run --endpoints calls them)
//	auctionsim loadgen --target URL     load a bidders server at a fixed rate
//	auctionsim -s NAME --endpoints URL  the dashboard on the wire
//	auctionsim --version                the version and revision
//
// Exit codes: 0 ok, 1 the run failed or an output could not be written, 2
// bad usage, a bad scenario or a bad replay file, 130 a run interrupted by
// Ctrl-C (its results are still written, marked partial).
//
// Each command is a command (command.go, on cli.Command): its flags are
// defined once, on its FlagSet, and its help is generated from them;
// commands lists them for dispatch and the overall help (cli.Table).
// What the options mean is checked where what they set up lives
// (report.ExpOptions, classroom.ServeOptions, wire.LoadFlags, ...), each
// refusal a report.OptionError naming the flag, reported by cli.Check.
package main

import (
	"fmt"
	"io"
	"log"
	"os"
	"slices"

	"github.com/auctionsim/auctionsim/cmd/internal/cli"
	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
	charmlog "github.com/charmbracelet/log"
)

// Exit codes.
const (
	exitOK          = cli.ExitOK
	exitFailed      = cli.ExitFailed
	exitUsage       = cli.ExitUsage
	exitInterrupted = cli.ExitInterrupted
)

// streams are the standard streams a command writes to, and what it needs
// to know about them. Tests substitute buffers.
type streams struct {
	out, err       io.Writer
	outTTY, errTTY bool
	// errWidth is stderr's terminal width, 0 when it is none (a log
	// keeps a message on one line, to grep).
	errWidth int
	getenv   func(string) string
	clock    report.WallClock // the experiments' progress reads; nil: the real one
}

func main() {
	// Messages go where a broken pipe fails the write rather than end the
	// process: a run interrupted by the Ctrl-C that also ended its `2>&1 |
	// tee` still writes its outputs and exits 130. The standard logger
	// (net/http's errors) and the SSH libraries' (charmbracelet/log) too.
	diag := cli.Diagnostics(os.Stderr)
	log.SetOutput(diag)
	charmlog.SetDefault(charmlog.New(diag))
	st := streams{
		out:    os.Stdout,
		err:    diag,
		outTTY: cli.IsTerminal(os.Stdout),
		errTTY: cli.IsTerminal(os.Stderr),
		getenv: os.Getenv,
	}
	if st.errTTY {
		st.errWidth = cli.ErrWidth()
	}
	os.Exit(realMain(os.Args[1:], st))
}

const usageHead = `auctionsim simulates server-to-server (S2S) ad auctions: an exchange fans out
bid requests to bidders over links with latency, drops late bids at tmax, runs
the auction and turns wins into clicks, conversions and ROAS.

Usage:
  auctionsim [tui flags]               open the live dashboard (default scenario: timeout-demo)
`

const usageTail = `  auctionsim help [COMMAND]            help on a command

Examples:
  auctionsim
  auctionsim run -s classroom-vickrey
  auctionsim run -s my-world.yaml --seed 7 --json --out results.json
  auctionsim run --replay results.json --json
  auctionsim scenarios show timeout-demo > my-world.yaml
  auctionsim run -s reserve-price --set exchange.floor=0.3 --reps 20
  auctionsim compare timeout-demo --change exchange.tmax=80ms

Exit codes: 0 ok, 1 the run failed or an output could not be written,
2 bad usage or a bad scenario, 130 interrupted (results so far are still
written, marked partial).
Set NO_COLOR to turn colors off.
`

// commands is the command table, in the order the help lists them, each
// command writing to st.
func commands(st streams) cli.Table {
	// cmd makes a table entry for a command built by def.
	cmd := func(synopsis string, def func() *command) cli.Entry {
		return cli.Entry{Name: def().Name, Synopsis: synopsis,
			Main: func(args []string) int { return def().main(args, st) },
			Help: func() string { return def().Help() }}
	}
	tui := func(args []string) int { return tuiCmd(args, st) }
	return cli.Table{Head: usageHead, Tail: usageTail, Default: tui, Entries: []cli.Entry{
		{Name: "tui", Synopsis: "tui [-s NAME|FILE]        open the live dashboard on a scenario",
			Main: tui, Help: func() string { return tuiHelp }},
		cmd("run [-s NAME|FILE] ...    run headless, as fast as possible; print a summary", newRunCmd),
		cmd("run --replay FILE.json    re-run an export to where it stood", newRunCmd),
		cmd("run --reps N ...          N replications: every metric with its 95% interval", newRunCmd),
		cmd("compare BASE VARIANT      paired replications of two scenarios, or of one", newCompareCmd),
		cmd("compare BASE --change PATH=VALUE...   and the same scenario changed", newCompareCmd),
		cmd("sweep -s NAME --vary PATH=V1,V2,...   a grid of values, with intervals", newSweepCmd),
		cmd("merge SHARD...            combine the shards of an experiment (--shard K/N)", newMergeCmd),
		cmd("split -s NAME --group G   the division of a group's budget that maximises an objective", newSplitCmd),
		cmd("validate FILE...          check scenario files; print every error with its position", newValidateCmd),
		cmd("metrics [-s NAME|FILE]    list a scenario's metrics, as --metric and --metrics take them", newMetricsCmd),
		cmd("scenarios                 list the bundled scenarios", newScenariosCmd),
		cmd("scenarios show NAME       print a bundled scenario as YAML, to copy and edit", newScenariosCmd),
		cmd("play [-s NAME] [--as B]   take a bidder's seat and bid yourself", newPlayCmd),
		cmd("serve --ssh ADDR -s NAME  a classroom: students bid over SSH", newServeCmd),
		cmd("bidders -s NAME --listen ADDR   serve a scenario's bidders as OpenRTB 2.6 endpoints", newBiddersCmd),
		cmd("loadgen --target URL [-s NAME]  load a bidders server at a fixed rate; the added delay", newLoadgenCmd),
		cmd("version                   the version and revision it was built from (also --version)", newVersionCmd),
	}}
}

// realMain runs the command line in args and returns the exit code. Every
// command fails (exit 1, at least) when what it writes on stdout cannot
// be written: a full disk or a closed pipe must not pass for success.
func realMain(args []string, st streams) int {
	out := &cli.CheckedWriter{W: st.out}
	st.out = out
	code := commands(st).Dispatch(args, st.out, st.err)
	if out.Err != nil {
		fmt.Fprintf(st.err, "auctionsim: writing the output: %v\n", out.Err)
		if code == exitOK {
			code = exitFailed
		}
	}
	return code
}

// scenarioFlags are the flags that pick a scenario, its seed and its
// overrides, shared by the commands that run a scenario.
type scenarioFlags struct {
	command  string // the command's name, for its refusals
	name     string
	seed     cli.Seed
	set      scenarios.SetFlag // --set PATH=VALUE, repeatable
	noScript bool              // --no-script
	read     *scenarios.Pick   // the pick once load has read its text
	// stopApart: --auctions or --duration replace the file's stop, which
	// is then not checked against the traffic (scenarios.Pick.StopApart).
	stopApart bool
	// apartDuration: the --duration given, 0 for none
	// (scenarios.Pick.ApartDuration).
	apartDuration sim.Time
}

// setUsage is --set's help. Its examples work on the default scenario (a
// test checks): a strategy's factor alone would not, as it is refused on
// a bidder whose strategy does not shade.
const setUsage = "`PATH=VALUE` override a scenario field, as written in the YAML (repeatable): " +
	"exchange.floor=0.3, bidders.NAME.latency.median=90ms, 'bidders.*.strategy={kind: shade, factor: 0.9}'"

// define registers the flags on c, with their help.
func (f *scenarioFlags) define(c *command) {
	f.command = c.Name
	c.Flags.StringVar(&f.name, "scenario", scenarios.Default, "`NAME|FILE` bundled scenario or YAML file")
	c.Alias("s", "scenario")
	c.Flags.Var(&f.seed, "seed", "`N` the random seed (default: the scenario's)")
	f.set.Flag = "--set"
	c.Flags.Var(&f.set, "set", setUsage)
	c.Flags.BoolVar(&f.noScript, "no-script", false, "ignore the scenario's script (its scheduled changes)")
}

// scriptNotRun is --no-script's help on the commands that serve or load
// a scenario's bidders (bidders, loadgen): a script runs in the exchange
// (run, run --endpoints, the dashboard), never in them, so the flag is
// taken, as on every command that picks a scenario, and changes nothing.
const scriptNotRun = "no effect here: the scenario's script (its scheduled changes) runs in the exchange " +
	"(run --endpoints), never in the bidders' server"

// scriptNotRunHere gives --no-script scriptNotRun as its help on c.
func scriptNotRunHere(c *command) { c.Flags.Lookup("no-script").Usage = scriptNotRun }

// load resolves the scenario (scenarios.Pick); on failure it reports the
// scenario's errors and returns nil and the exit code. Reading the file
// may block (a named pipe with no writer yet): a signal then ends the
// wait, exit 130, the first as any other time. The file is read once:
// the command's later resolutions (pick) parse the text read.
func (f *scenarioFlags) load(st streams) (*scenarios.Scenario, int) {
	sc, read, code := loadPick(st, f.command, f.name, f.pick())
	if sc != nil {
		f.read = &read
	}
	return sc, code
}

// loadPick resolves pick for command, as scenarioFlags.load does, for a
// command that picks its scenario with flags of its own (metrics): name
// is the scenario as given, for the message when interrupted. It returns
// pick with its text read (scenarios.Pick.Read) with the scenario.
func loadPick(st streams, command, name string, pick scenarios.Pick) (*scenarios.Scenario, scenarios.Pick, int) {
	type loaded struct {
		pick scenarios.Pick
		sc   *scenarios.Scenario
		err  error
	}
	l, ok := interruptibly(st, command, "the scenario "+name, "run", func() (l loaded) {
		if l.pick, l.err = pick.Read(); l.err == nil {
			l.sc, l.err = l.pick.Resolve()
		}
		return l
	})
	switch {
	case !ok:
		return nil, pick, exitInterrupted
	case l.err != nil:
		cli.BadInput(st.err, command, l.err)
		return nil, pick, exitUsage
	}
	return l.sc, l.pick, exitOK
}

// interruptibly returns what read returns, read running where a signal
// can end the wait for it: reading a scenario may block (a named pipe
// with no writer yet), and every command that reads one waits through
// this one path, so that the first SIGINT or SIGTERM ends it, exit 130,
// saying what was being read (what) and that nothing was done (nothing:
// run, checked); ok is false then.
func interruptibly[T any](st streams, command, what, nothing string, read func() T) (v T, ok bool) {
	ctx, stop := cli.Interruptible()
	defer stop()
	done := make(chan T, 1) // the reader, if left blocked, ends with the process
	go func() { done <- read() }()
	select {
	case v = <-done:
		return v, true
	case <-ctx.Done():
		fmt.Fprintf(st.err, "auctionsim %s: interrupted while reading %s; nothing was %s\n", command, what, nothing)
		return v, false
	}
}

// readScenarios reads each of an experiment's scenarios (a bundled
// name, a file, a named pipe or /dev/stdin) once, where a signal can end
// the wait (interruptibly: a pipe with no writer yet blocks), a name
// given twice read once: the experiment resolves each of its points,
// with their overrides, from the text read, so that a pipe's text, which
// comes once, serves it as a file does (the experiments refused a pipe
// before, as reading it again for every point waited forever). ok false:
// the command ends with code, a scenario's errors said (exit 2), or
// interrupted (130).
func readScenarios(st streams, command string, names ...string) (texts []scenarios.Text, code int, ok bool) {
	for i, name := range names {
		if j := slices.Index(names[:i], name); j >= 0 {
			texts = append(texts, texts[j])
			continue
		}
		type read struct {
			text scenarios.Text
			err  error
		}
		r, done := interruptibly(st, command, "the scenario "+name, "run", func() (r read) {
			r.text, r.err = scenarios.ReadText(name)
			return r
		})
		switch {
		case !done:
			return nil, exitInterrupted, false
		case r.err != nil:
			cli.BadInput(st.err, command, r.err)
			return nil, exitUsage, false
		}
		texts = append(texts, r.text)
	}
	return texts, exitOK, true
}

// expSets are the overrides an experiment's scenario takes from these
// flags: the --set flags, then --no-script as the override it stands for
// (script: []), so that every replication, and the effective YAML a
// shard carries, leaves the script out. Without it run --reps, sweep and
// split took --no-script and ran the script all the same.
func (f *scenarioFlags) expSets() []scenarios.Set {
	sets := append([]scenarios.Set(nil), f.set.List...)
	if f.noScript {
		sets = append(sets, scenarios.Set{Path: "script", Value: "[]", Flag: "--no-script"})
	}
	return sets
}

// pick is the flags' scenario, as a command picks it: once load has read
// it, with its text read.
func (f *scenarioFlags) pick() scenarios.Pick {
	if f.read != nil {
		return *f.read
	}
	p := scenarios.Pick{Name: f.name, Sets: f.set.List, NoScript: f.noScript, StopApart: f.stopApart, ApartDuration: f.apartDuration}
	if f.seed.Given {
		p.Seed = &f.seed.Value
	}
	return p
}
