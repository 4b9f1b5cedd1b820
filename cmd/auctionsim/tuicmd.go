package main

import (
	"context"
	"errors"
	"fmt"
	"os/signal"

	"github.com/auctionsim/auctionsim/cmd/internal/cli"
	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/sim/runner"
	"github.com/auctionsim/auctionsim/tui"
	"github.com/auctionsim/auctionsim/tui/record"
)

const tuiHelp = `Usage: auctionsim [tui] [-s NAME|FILE] [--seed N] [--set PATH=VALUE]...
                       [--paused] [--speed X] [--no-color] [--no-script]
                       [--theme light|dark|auto] [--record FILE.cast]
                       [--endpoints URL] [--endpoint NAME=URL]...
                       [--late-grace D] [--notices WHICH | --no-notices]

Opens the live dashboard: the simulation runs while you watch, and keys
change the world as it runs. It needs a terminal; for scripts, notebooks and
CI use 'auctionsim run'.

Flags:
  -s, --scenario NAME|FILE  a bundled scenario or a YAML file (default timeout-demo)
      --seed N              the random seed (default: the scenario's); kept when
                            's' loads another scenario
      --set PATH=VALUE      override a scenario field, as in the YAML (repeatable):
                            exchange.tmax=80ms, bidders.metro.latency.median=90ms
      --paused              open paused at t = 0, so changes apply from the start
      --speed X             pacing against the wall clock: 0.01 to 1024, or max
                            (default 1: real time)
      --no-color            no colors (also: NO_COLOR=1)
      --record FILE.cast    record the session as an asciicast v2 file, for
                            'asciinema play FILE.cast': written as it goes to
                            FILE.cast.part, renamed to FILE.cast at the end
      --theme THEME         light (a white background: a projector), dark, or
                            auto (light when COLORFGBG says the background is
                            light, else dark; the default)
      --no-script           ignore the scenario's script (its scheduled changes)
` + tuiWireHelp + `
Examples:
  auctionsim
  auctionsim -s overloaded-bidder --speed 4
  auctionsim tui -s my-world.yaml --seed 7 --paused
  auctionsim -s timeout-demo --endpoints http://127.0.0.1:8080

Exit codes: 0 ok, 1 the dashboard failed, 2 bad usage, a bad scenario, or
no terminal, 130 ended by a signal (SIGINT, SIGTERM, SIGHUP, SIGQUIT and the
others that would end it), the terminal restored.
`

// parseTUI reads the dashboard's flags into its options; on failure it
// has reported the error and returns the exit code and false.
func parseTUI(args []string, st streams) (tui.Options, int, bool) {
	// The dashboard's help is written by hand (tuiHelp); the command
	// only holds its flags.
	c := newCommand(cli.Spec{Name: "tui"})
	fs := c.Flags
	var (
		pick   scenarioFlags
		plain  bool
		paused bool
		speed  cli.Speed
		th     cli.Theme
		rec    string
		wo     wireOptions
	)
	pick.define(c)
	wo.define(c)
	fs.BoolVar(&plain, "no-color", false, "")
	fs.BoolVar(&paused, "paused", false, "")
	fs.Var(&speed, "speed", "")
	fs.Var(&th, "theme", "")
	fs.StringVar(&rec, "record", "", "")
	if code, done := cli.ParseFlags(fs, args, tuiHelp, st.out, st.err); done {
		return tui.Options{}, code, false
	}
	if code, refused := cli.RefuseArgs(fs, st.err); refused {
		return tui.Options{}, code, false
	}
	sc, code := pick.load(st)
	if sc == nil {
		return tui.Options{}, code, false
	}
	if rec != "" {
		if err := record.CheckPath(rec, report.InputsOf(sc)); err != nil {
			return tui.Options{}, usageError(st, "tui", "%v", err), false
		}
	}
	opts := tui.Options{Record: rec, Scenario: sc, Paused: paused, Speed: speed.Speed, NoColor: cli.NoColor(plain, st.getenv), Theme: th.Mode}
	if pick.seed.Given {
		// For every scenario loaded with 's' too, not only this one.
		seed := pick.seed.Value
		opts.Seed = &seed
	}
	// On the wire (--endpoints, --endpoint) the exchange's source is the
	// wire's, sc's own endpoints joining.
	live, err := wo.Dashboard(c.Given(), sc, opts.Seed)
	if err != nil {
		return tui.Options{}, usageError(st, "tui", "%v", err), false
	}
	if live != nil {
		opts.Source = live
	}
	return opts, exitOK, true
}

func tuiCmd(args []string, st streams) int {
	opts, code, ok := parseTUI(args, st)
	if !ok {
		return code
	}
	if !st.outTTY {
		fmt.Fprintln(st.err, "auctionsim: the dashboard needs a terminal, and stdout is not one.\n"+
			"For a headless run use 'auctionsim run' (see 'auctionsim run --help').")
		return exitUsage
	}
	// Every signal that would end the process ends the dashboard instead,
	// so that the terminal is restored (SIGQUIT left it raw).
	ctx, stop := signal.NotifyContext(context.Background(), cli.EndSignals()...)
	defer stop()
	opts.Context = ctx
	if err := tui.Run(opts); err != nil {
		if errors.Is(err, tui.ErrInterrupted) {
			fmt.Fprintf(st.err, "auctionsim: %v\n", err) // "interrupted", and while what when before the dashboard opened
			return exitInterrupted
		}
		var p *runner.PanicError
		if errors.As(err, &p) {
			// The terminal is restored by now: the stack reads cleanly.
			fmt.Fprintf(st.err, "auctionsim: the engine failed; please report this with the scenario.\n%v\n", p)
			return exitFailed
		}
		fmt.Fprintf(st.err, "auctionsim: %v\n", err)
		return exitFailed
	}
	return exitOK
}
