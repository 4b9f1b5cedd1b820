package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"time"

	"github.com/auctionsim/auctionsim/cmd/internal/cli"
	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/report/theme"
	"github.com/auctionsim/auctionsim/tui/classroom"
	"github.com/auctionsim/auctionsim/tui/classroom/room"
)

const serveAbout = `Runs a classroom: students join one shared auction room with nothing but an
SSH client ('ssh -p PORT HOST'), each taking a free seat as a human bidder
under their SSH user name; the scenario's other bidders are simulated, and an
empty seat bids by its scenario strategy. A round closes when every seated
student has bid or its timer runs out: a student too slow is late, as a slow
S2S bidder is.

This terminal shows the room: its room code, seats, who has bid, after each
round every bidder's value, bid, price and surplus and why the price is what
it is (the reveal), and a leaderboard of surplus. The lecturer's keys: 'p'
pause/resume, 'c' close the round now, 'n' next round, 'k' kick a seat (by
name or number), 'r' the reveal on the students' screens on/off, 'e' export
the session as JSON (every bidder's value and bid, robots too); 'q' twice (or
Ctrl-C) closes the room and exports it. When stdout is not a
terminal the room is logged as plain lines instead (Ctrl-C closes and
exports). SIGINT, SIGTERM, SIGHUP, SIGQUIT (every signal that would end it)
close the room as Ctrl-C does: the session is exported, the students are
told, and serve exits 130.

Only the game is served: no shell, no commands, no files (sftp/scp), no port
forwarding, no environment or agent forwarding. At most --max-conns
connections are open at once (default 4 per seat + 8; more are closed as they
arrive); a connection must finish its handshake, give the room code and take
a seat within --handshake-timeout (default 10s). An address (IP) that
gives 5 wrong room codes within a minute is throttled for a minute: its
attempts are refused and its connections closed. Each failed code and each
throttle is logged with the address, the user and the time: to stderr, or,
while the room shows on this terminal, after it closes. A host key file other
users may read is refused (chmod 600 it).`

func newServeCmd() *command {
	var o serveOptions
	c := newCommand("serve", "--ssh ADDR [-s NAME|FILE] [--seats N] [--round D] [--room-code CODE] [flags]", serveAbout)
	o.pick.define(c)
	c.Flags.StringVar(&o.addr, "ssh", "", "`ADDR` where to listen, like :2222 or 0.0.0.0:2222 (required)")
	cli.CountVar(c.Flags, &o.seats, "seats", 0, "`N` how many bidders, from the first, students may take (default: every bidder)")
	cli.DurationVar(c.Flags, &o.round, "round", room.DefaultRound, "`D` time to bid in each round, the classroom's tmax")
	c.Flags.StringVar(&o.hostKey, "host-key", "auctionsim_host_key", "`FILE` the server's SSH host key, generated there on first start")
	c.Flags.StringVar(&o.code, "room-code", "", "`CODE` students must give CODE as their SSH password (default: anyone who reaches the port may join)")
	c.Flags.StringVar(&o.out, "export", "", "`FILE` where the session is exported (default auctionsim-session-TIME.json here)")
	c.Flags.BoolVar(&o.plain, "no-color", false, "no colors on this terminal (also: NO_COLOR=1)")
	c.Flags.IntVar(&o.maxConns, "max-conns", 0, "`N` connections open at once, at most (default 4 per seat + 8)")
	c.Flags.DurationVar(&o.handshake, "handshake-timeout", classroom.DefaultHandshakeTimeout, "`D` time a connection has to log in and take a seat")
	c.Examples = []string{
		"auctionsim serve --ssh :2222 -s classroom-vickrey",
		"auctionsim serve --ssh 0.0.0.0:2222 -s first-vs-second --seats 3 --round 20s --room-code tulip",
		"ssh -p 2222 alice@192.168.1.10     # a student joins",
	}
	c.Exits = "Exit codes: 0 closed with q, 1 the server or the export failed, 2 bad usage or a bad\n" +
		"scenario, 130 closed by a signal (SIGINT, SIGTERM, SIGHUP, SIGQUIT...; the session exported first)."
	c.NoArgs = true
	c.run = func(st streams) int {
		return serve(c, &o, st)
	}
	return c
}

// serveOptions are serve's flags.
type serveOptions struct {
	pick                     scenarioFlags
	addr, hostKey, code, out string
	seats, maxConns          int
	round, handshake         time.Duration
	plain                    bool
}

func serve(c *command, o *serveOptions, st streams) int {
	addr, round, seats, code, out := o.addr, o.round, o.seats, o.code, o.out
	switch {
	case addr == "":
		return c.usageError(st, "--ssh ADDR is required, like --ssh :2222")
	case round <= 0:
		return c.usageError(st, "--round %v must be > 0", round)
	case o.hostKey == "":
		return c.usageError(st, "--host-key must name a file")
	case o.maxConns < 0:
		return c.usageError(st, "--max-conns %d: want 1 or more (or 0, the default: 4 per seat + 8)", o.maxConns)
	case o.handshake <= 0:
		return c.usageError(st, "--handshake-timeout %v must be > 0, like 10s", o.handshake)
	}
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return c.usageError(st, "--ssh %q: %v (want HOST:PORT or :PORT)", addr, err)
	}
	sc := o.pick.load(st)
	if sc == nil {
		return exitUsage
	}
	if err := (&report.Outputs{}).Input(report.InputsOf(sc)...).Input(o.hostKey).Add("--export", out).Check(); err != nil {
		return c.usageError(st, "%v", err)
	}
	if n := len(sc.Config.Bidders); seats < 0 || seats > n {
		return c.usageError(st, "--seats %d: the scenario %s has %d bidders (want 1 to %d)", seats, sc.Name, n, n)
	}
	so := classroom.ServerOptions{Addr: addr, HostKey: o.hostKey, RoomCode: code,
		MaxConns: o.maxConns, HandshakeTimeout: o.handshake}
	// Sessions, failed room codes and throttles are logged to stderr;
	// while the room shows on this terminal they are kept and written
	// after it closes (HeldLog), not over the dashboard.
	held := &classroom.HeldLog{}
	if !st.outTTY || !st.errTTY {
		so.Log = log.New(st.err, "auctionsim serve: ", log.LstdFlags)
	} else {
		so.Log = log.New(held, "auctionsim serve: ", log.LstdFlags)
		defer held.Flush(st.err)
	}
	// A signal closes the room as Ctrl-C does: a service manager's
	// SIGTERM or a closed terminal's SIGHUP must not lose the session,
	// nor SIGQUIT leave the trainer's terminal raw.
	ctx, stop := signal.NotifyContext(context.Background(), cli.EndSignals()...)
	defer stop()
	co := classroom.ServeOptions{Room: room.Config{Scenario: sc.Name, Sim: sc.Config, Seats: seats, Round: round},
		Server: so, Stdout: st.out, Export: out,
		Open: func(where string, seats int) string {
			return fmt.Sprintf("auctionsim serve: room %s open on %s (%d seats, %v to bid); students join: %s\n",
				sc.Name, where, seats, round, classroom.JoinHint(where))
		}}
	if st.outTTY {
		co.Renderer = theme.NewRenderer(os.Stdout, cli.NoColor(o.plain, st.getenv))
	}
	n, path, err := classroom.Serve(ctx, co)
	var bad classroom.RoomError
	switch {
	case errors.As(err, &bad):
		fmt.Fprintf(st.err, "auctionsim serve: %v\n", err)
		return exitUsage
	case errors.Is(err, classroom.ErrHostKeyExposed):
		fmt.Fprintf(st.err, "auctionsim serve: --host-key: %v\n", err)
		return exitUsage
	case err != nil:
		fmt.Fprintf(st.err, "auctionsim serve: %v\n", err)
		return exitFailed
	}
	exit := exitOK
	if ctx.Err() != nil {
		exit = exitInterrupted
	}
	if n > 0 {
		fmt.Fprintf(st.out, "session (%d rounds) exported to %s\n", n, path)
	} else {
		// Say so: a lecturer who closes an empty room should not look
		// for a file that was never written.
		fmt.Fprintln(st.err, "auctionsim serve: no round was played: nothing exported")
	}
	return exit
}
