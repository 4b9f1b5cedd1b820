package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"

	"github.com/auctionsim/auctionsim/cmd/internal/cli"
	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/report/theme"
	"github.com/auctionsim/auctionsim/tui/classroom"
	"github.com/auctionsim/auctionsim/tui/classroom/room"
	charmlog "github.com/charmbracelet/log"
	"github.com/charmbracelet/wish/logging"
)

func newServeCmd() *command {
	var (
		pick  scenarioFlags
		co    classroom.ServeOptions // the flags fill the room's and the server's options
		plain bool
	)
	c := newCommand(cli.Spec{
		Name:  "serve",
		Usage: "--ssh ADDR [-s NAME|FILE] [--seats N] [--round D] [--room-code CODE] [flags]",
		About: helpText("serve"),
		Examples: []string{
			"auctionsim serve --ssh :2222 -s classroom-vickrey",
			"auctionsim serve --ssh 0.0.0.0:2222 -s first-vs-second --seats 3 --round 20s --room-code tulip",
			"ssh -p 2222 alice@192.168.1.10     # a student joins",
		},
		Exits: "Exit codes: 0 closed with q or Ctrl-C in the room's screen, 1 the server or the export failed, 2 bad usage or a bad\n" +
			"scenario, 130 closed by a signal (SIGINT, SIGTERM, SIGHUP, SIGQUIT...; the session exported first).",
		NoArgs: true,
	})
	pick.define(c)
	c.Flags.StringVar(&co.Server.Addr, "ssh", "", "`ADDR` where to listen, like :2222 or 0.0.0.0:2222 (required)")
	cli.CountVar(c.Flags, &co.Room.Seats, "seats", 0, "`N` how many bidders, from the first, students may take (default: every bidder)")
	cli.DurationVar(c.Flags, &co.Room.Round, "round", room.DefaultRound, "`D` time to bid in each round, the classroom's tmax (at least 1s)")
	c.Flags.StringVar(&co.Server.HostKey, "host-key", "auctionsim_host_key", "`FILE` the server's SSH host key, generated there on first start")
	c.Flags.StringVar(&co.Server.RoomCode, "room-code", "", "`CODE` students must give CODE as their SSH password (default: anyone who reaches the port may join)")
	c.Flags.StringVar(&co.Export, "export", "", "`FILE.json` where the session is exported (default auctionsim-session-TIME.json here)")
	c.Flags.BoolVar(&co.Room.Paused, "paused", false, "open the room paused: the first round is dealt when you press p or n, not when the first student logs in")
	c.Flags.BoolVar(&plain, "no-color", false, "no colors on this terminal (also: NO_COLOR=1)")
	cli.CountVar(c.Flags, &co.Server.MaxConns, "max-conns", 0, "`N` connections open at once, at most (default 4 per seat + 8)")
	cli.DurationVar(c.Flags, &co.Server.HandshakeTimeout, "handshake-timeout", classroom.DefaultHandshakeTimeout, "`D` time a connection has to log in and take a seat")
	c.run = func(st streams) int {
		// 0 (or "") is a flag's default only when left out: given, it
		// would serve something else than asked, silently (no limit on
		// connections, a room without a code).
		given := c.Given()
		switch {
		case given["seats"] && co.Room.Seats == 0:
			return c.usageError(st, "--seats 0: want at least 1 seat (leave --seats out for every bidder)")
		case given["max-conns"] && co.Server.MaxConns == 0:
			return c.usageError(st, "--max-conns 0: want at least 1 connection (leave --max-conns out for 4 per seat + 8)")
		case given["room-code"] && co.Server.RoomCode == "":
			return c.usageError(st, "--room-code is empty: give a code, or leave --room-code out for a room anyone who reaches the port may join")
		}
		return serve(&pick, co, plain, st)
	}
	return c
}

func serve(pick *scenarioFlags, co classroom.ServeOptions, plain bool, st streams) int {
	if code, refused := cli.Check(st.err, "serve", co.Check); refused {
		return code
	}
	sc, code := pick.load(st)
	if sc == nil {
		return code
	}
	// The classroom simulates every bidder it does not seat: one the
	// scenario puts on the wire would be its model, passed off as real.
	if err := sc.SimulatesEndpoints("the classroom", ""); err != nil {
		return cli.BadInput(st.err, "serve", err)
	}
	guard := (&report.Outputs{}).Input(report.InputsOf(sc)...).Input(co.Server.HostKey).Add("--export", co.Export)
	if code, refused := cli.Check(st.err, "serve", guard.Check, co.CheckExport, func() error { return co.CheckSeats(sc.Name, len(sc.Config.Bidders)) }); refused {
		return code
	}
	co.Room.Scenario, co.Room.Sim = sc.Name, sc.Config
	var flush func()
	co.Server.Log, flush = classroom.LogTo(st.err, "auctionsim serve: ", st.outTTY && st.errTTY)
	defer flush()
	defer libraryLogsTo(co.Server.Log)()
	// A signal closes the room as Ctrl-C does: a service manager's
	// SIGTERM or a closed terminal's SIGHUP must not lose the session,
	// nor SIGQUIT leave the trainer's terminal raw.
	ctx, stop := signal.NotifyContext(context.Background(), cli.EndSignals()...)
	defer stop()
	co.Stdout = st.out
	co.Open = co.OpenLine("auctionsim serve: ")
	if co.Room.Paused && !st.outTTY {
		// Without the room's screen nobody can press p to deal.
		return usageError(st, "serve", "--paused needs the room's screen to deal the first round, and standard output is not a terminal")
	}
	if st.outTTY {
		co.Renderer = theme.NewRenderer(os.Stdout, cli.NoColor(plain, st.getenv))
	}
	n, path, err := classroom.Serve(ctx, co)
	var bad classroom.RoomError
	switch {
	case errors.As(err, &bad):
		return cli.Fail(st.err, "serve", err, exitUsage)
	case errors.Is(err, classroom.ErrHostKeyExposed):
		return cli.Fail(st.err, "serve", fmt.Errorf("--host-key: %w", err), exitUsage)
	case err != nil:
		return cli.Fail(st.err, "serve", err, exitFailed)
	}
	exit := exitOK
	if ctx.Err() != nil {
		exit = exitInterrupted
	}
	if n > 0 {
		rounds := "rounds"
		if n == 1 {
			rounds = "round"
		}
		fmt.Fprintf(st.out, "session (%d %s) exported to %s\n", n, rounds, path)
	} else {
		// Say so: a lecturer who closes an empty room should not look
		// for a file that was never written.
		fmt.Fprintln(st.err, "auctionsim serve: no round was played: nothing exported")
	}
	return exit
}

// libraryLogsTo sends what the SSH libraries log through their package
// logger (wish's bubbletea middleware: "app exit with error" when a
// student's program ends badly) to l, the server's log, until the
// returned function restores the logger before. Left to itself it writes
// to descriptor 2: over the trainer's dashboard, which holds the server's
// lines until it ends, and past the broken-pipe guard (cli.Diagnostics).
func libraryLogsTo(l logging.Logger) (restore func()) {
	prev := charmlog.Default()
	charmlog.SetDefault(charmlog.New(printfWriter{l}))
	return func() { charmlog.SetDefault(prev) }
}

// printfWriter writes each line written to it as one Printf of l.
type printfWriter struct{ l logging.Logger }

func (w printfWriter) Write(p []byte) (int, error) {
	for _, line := range strings.Split(strings.TrimRight(string(p), "\n"), "\n") {
		w.l.Printf("%s", line)
	}
	return len(p), nil
}
