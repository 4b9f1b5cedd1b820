package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/ssh"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/tui/classroom"
	"github.com/auctionsim/auctionsim/tui/classroom/room"
	"github.com/auctionsim/auctionsim/tui/theme"
)

const serveAbout = `Runs a classroom: students join one shared auction room with nothing but an
SSH client ('ssh -p PORT HOST'), each taking a free seat as a human bidder
under their SSH user name; the scenario's other bidders are simulated, and an
empty seat bids by its scenario strategy. A round closes when every seated
student has bid or its timer runs out: a student too slow is late, as a slow
S2S bidder is.

This terminal shows the room: seats, who has bid, each round's winner and
price, and a leaderboard of surplus; 'e' exports the session as JSON; 'q'
twice (or Ctrl-C) closes the room and exports it. When stdout is not a
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
	c.fs.StringVar(&o.addr, "ssh", "", "`ADDR` where to listen, like :2222 or 0.0.0.0:2222 (required)")
	countVar(c.fs, &o.seats, "seats", 0, "`N` how many bidders, from the first, students may take (default: every bidder)")
	durationVar(c.fs, &o.round, "round", room.DefaultRound, "`D` time to bid in each round, the classroom's tmax")
	c.fs.StringVar(&o.hostKey, "host-key", "auctionsim_host_key", "`FILE` the server's SSH host key, generated there on first start")
	c.fs.StringVar(&o.code, "room-code", "", "`CODE` students must give CODE as their SSH password (default: anyone who reaches the port may join)")
	c.fs.StringVar(&o.out, "export", "", "`FILE` where the session is exported (default auctionsim-session-TIME.json here)")
	c.fs.BoolVar(&o.plain, "no-color", false, "no colors on this terminal (also: NO_COLOR=1)")
	c.fs.IntVar(&o.maxConns, "max-conns", 0, "`N` connections open at once, at most (default 4 per seat + 8)")
	c.fs.DurationVar(&o.handshake, "handshake-timeout", classroom.DefaultHandshakeTimeout, "`D` time a connection has to log in and take a seat")
	c.examples = []string{
		"auctionsim serve --ssh :2222 -s classroom-vickrey",
		"auctionsim serve --ssh 0.0.0.0:2222 -s first-vs-second --seats 3 --round 20s --room-code tulip",
		"ssh -p 2222 alice@192.168.1.10     # a student joins",
	}
	c.exits = "Exit codes: 0 closed with q, 1 the server or the export failed, 2 bad usage or a bad\n" +
		"scenario, 130 closed by a signal (SIGINT, SIGTERM, SIGHUP, SIGQUIT...; the session exported first)."
	c.noArgs = true
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
	if err := (&outputs{}).input(fileInput(sc)...).input(o.hostKey).add("--export", out).check(); err != nil {
		return c.usageError(st, "%v", err)
	}
	if n := len(sc.Config.Bidders); seats < 0 || seats > n {
		return c.usageError(st, "--seats %d: the scenario %s has %d bidders (want 1 to %d)", seats, sc.Name, n, n)
	}
	rm, err := room.New(room.Config{Scenario: sc.Name, Sim: sc.Config, Seats: seats, Round: round})
	if err != nil {
		fmt.Fprintf(st.err, "auctionsim serve: %v\n", err)
		return exitUsage
	}
	so := classroom.ServerOptions{Room: rm, Addr: addr, HostKey: o.hostKey, RoomCode: code,
		MaxConns: o.maxConns, HandshakeTimeout: o.handshake}
	// Sessions, failed room codes and throttles are logged to stderr;
	// while the room shows on this terminal they are kept and written
	// after it closes (heldLog), not over the dashboard.
	held := &heldLog{}
	if !st.outTTY || !st.errTTY {
		so.Log = log.New(st.err, "auctionsim serve: ", log.LstdFlags)
	} else {
		so.Log = log.New(held, "auctionsim serve: ", log.LstdFlags)
		defer held.flush(st.err)
	}
	srv, err := classroom.NewServer(so)
	if errors.Is(err, classroom.ErrHostKeyExposed) {
		fmt.Fprintf(st.err, "auctionsim serve: --host-key: %v\n", err)
		return exitUsage
	}
	if err != nil {
		fmt.Fprintf(st.err, "auctionsim serve: %v\n", err)
		return exitFailed
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintf(st.err, "auctionsim serve: %v\n", err)
		return exitFailed
	}
	// A signal closes the room as Ctrl-C does: a service manager's
	// SIGTERM or a closed terminal's SIGHUP must not lose the session,
	// nor SIGQUIT leave the trainer's terminal raw.
	ctx, stop := signal.NotifyContext(context.Background(), endSignals()...)
	defer stop()
	// The room outlives the signal, so that Ctrl-C can still export it.
	roomCtx, closeRoom := context.WithCancel(context.Background())
	defer closeRoom()
	go rm.Run(roomCtx)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	defer func() {
		shut, done := context.WithTimeout(context.Background(), 2*time.Second)
		defer done()
		closeRoom()
		<-rm.Done()
		if err := srv.Shutdown(shut); err != nil {
			srv.Close()
		}
	}()

	where := ln.Addr().String()
	export := func(s room.Session) (string, error) {
		path := out
		if path == "" {
			path = fmt.Sprintf("auctionsim-session-%s.json", time.Now().Format("20060102-150405"))
		}
		if err := report.WriteFileAtomic(path, func(w io.Writer) error { return classroom.WriteSession(w, s) }); err != nil {
			return "", err
		}
		if abs, err := filepath.Abs(path); err == nil {
			path = abs
		}
		return path, nil
	}

	if !st.outTTY {
		// Log subscribes here, before the go statement runs it, so no join
		// is missed.
		go classroom.Log(ctx, rm, st.out)()
		fmt.Fprintf(st.out, "auctionsim serve: room %s open on %s (%d seats, %v to bid); students join: %s\n",
			sc.Name, where, rm.Table().Seats(), round, classroom.JoinHint(where))
		select {
		case <-ctx.Done():
		case err := <-served:
			if !errors.Is(err, ssh.ErrServerClosed) {
				fmt.Fprintf(st.err, "auctionsim serve: %v\n", err)
				return exitFailed
			}
		}
		exit := exitOK
		if ctx.Err() != nil {
			exit = exitInterrupted
		}
		return exportOnExit(rm, export, st, exit)
	}

	r := theme.NewRenderer(os.Stdout, noColor(o.plain, st))
	m := classroom.NewTrainer(classroom.TrainerOptions{Room: rm, Address: where, Renderer: r, Export: export})
	// Bubble Tea's own handler would end the program on SIGTERM as if q
	// were pressed (exit 0); ctx alone takes the signals.
	prog := tea.NewProgram(m, tea.WithAltScreen(), tea.WithContext(ctx), tea.WithoutSignalHandler())
	go func() {
		if err := <-served; err != nil && !errors.Is(err, ssh.ErrServerClosed) {
			prog.Send(tea.Quit())
		}
	}()
	if _, err := prog.Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) && !errors.Is(err, context.Canceled) {
		fmt.Fprintf(st.err, "auctionsim serve: %v\n", err)
		return exitFailed
	}
	exit := exitOK
	if ctx.Err() != nil {
		exit = exitInterrupted
	}
	return exportOnExit(rm, export, st, exit)
}

// exportOnExit keeps what the room played when it closes (q, Ctrl-C or a
// signal): the session is exported if any round was played. It returns
// code, or exitFailed if the export failed.
func exportOnExit(rm *room.Room, export func(room.Session) (string, error), st streams, code int) int {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	s, err := rm.Session(ctx)
	if err != nil || len(s.Rounds) == 0 {
		return code
	}
	path, err := export(s)
	if err != nil {
		fmt.Fprintf(st.err, "auctionsim serve: export: %v\n", err)
		return exitFailed
	}
	fmt.Fprintf(st.out, "session (%d rounds) exported to %s\n", len(s.Rounds), path)
	return code
}

// heldLog keeps the server's log lines while the dashboard holds the
// terminal; flush writes them out after.
type heldLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (h *heldLog) Write(p []byte) (int, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.buf.Write(p)
}

func (h *heldLog) flush(w io.Writer) {
	h.mu.Lock()
	defer h.mu.Unlock()
	_, _ = h.buf.WriteTo(w)
}
