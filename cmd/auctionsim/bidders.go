package main

import (
	"fmt"
	"github.com/auctionsim/auctionsim/report/format"
	"net"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/auctionsim/auctionsim/cmd/internal/cli"
	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/report/plot"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/wire"
)

// biddersOptions are the bidders command's flags.
type biddersOptions struct {
	scenarioFlags
	wire.BiddersFlags
}

func newBiddersCmd() *command {
	var o biddersOptions
	c := newCommand(cli.Spec{
		Name:  "bidders",
		Usage: "-s NAME|FILE [--listen ADDR] [flags]",
		About: helpText("bidders"),
		Examples: []string{
			"auctionsim bidders -s timeout-demo --listen 127.0.0.1:8080",
			`curl -s -X POST -d '{"id":"1","imp":[{"id":"1","bidfloor":0.1}],"tmax":120}' http://127.0.0.1:8080/openrtb2/swift`,
			"curl -s http://127.0.0.1:8080/stats | jq '.bidders[] | {name, bids, latency_ms}'",
			"auctionsim run -s timeout-demo --endpoints http://127.0.0.1:8080 --auctions 2000 --json",
		},
		Exits:  "Exit codes: 0 stopped cleanly (by a signal or --for), 1 cannot listen or write --out, 2 bad usage or a bad scenario.",
		NoArgs: true,
	})
	o.define(c)
	scriptNotRunHere(c)
	c.Flags.StringVar(&o.Listen, "listen", "127.0.0.1:8080", "`ADDR` the address to serve on (host:port; port 0 picks a free one)")
	c.Flags.StringVar(&o.Out, "out", "", "`FILE.json` write the final /stats to FILE when stopped (atomically)")
	cli.DurationVar(c.Flags, &o.NoticeWait, "notice-wait", wire.DefaultNoticeWait, "`D` how long a bid waits for its notice before it counts as spend at risk")
	cli.DurationVar(c.Flags, &o.Drain, "drain", 5*time.Second, "`D` on SIGINT/SIGTERM, how long in-flight requests have to be answered before they are cut")
	cli.DurationVar(c.Flags, &o.For, "for", 0, "`D` stop by itself after D (default: until SIGINT/SIGTERM)")
	c.run = func(st streams) int { return biddersMain(&o, st) }
	return c
}

func biddersMain(o *biddersOptions, st streams) int {
	sc, code := o.load(st)
	if sc == nil {
		return code
	}
	if code, refused := cli.Check(st.err, "bidders", func() error { return o.Check(sc) }); refused {
		return code
	}
	// A malformed address is bad usage (2); one that cannot be listened
	// on, in use or not this machine's, a failure (1).
	if _, port, err := net.SplitHostPort(o.Listen); err != nil {
		return cli.Fail(st.err, "bidders", fmt.Errorf("--listen %q: %w (want HOST:PORT, like 127.0.0.1:8080)", o.Listen, err), exitUsage)
	} else if _, err := net.LookupPort("tcp", port); err != nil {
		return cli.Fail(st.err, "bidders", fmt.Errorf("--listen %q: %w (want a port from 0 to 65535)", o.Listen, err), exitUsage)
	}
	srv, err := wire.NewServer(sc.Config, wire.ServerOptions{NoticeWait: o.NoticeWait})
	if err != nil {
		return cli.Fail(st.err, "bidders", fmt.Errorf("scenario %s: %w", sc.Name, err), exitUsage)
	}
	ln, err := net.Listen("tcp", o.Listen)
	if err != nil {
		return cli.Fail(st.err, "bidders", fmt.Errorf("--listen %s: %w", o.Listen, err), exitFailed)
	}
	// The handler before the line that says Ctrl-C stops it: a Ctrl-C
	// that follows the line at once (a script that waits for it) is the
	// clean stop it promises, not the default death by signal.
	ctx, stop := cli.Interruptible()
	defer stop()
	head := fmt.Sprintf("auctionsim bidders: %d bidders of %s at", len(srv.Names()), sc.Name)
	url := fmt.Sprintf("http://%s/openrtb2/{%s}", ln.Addr(), strings.Join(urlNames(srv.Names()), ","))
	const tail = "stats at /stats; Ctrl-C stops"
	if w := cli.ErrWidth(); w > 0 && format.Width(head+" "+url+"; "+tail) > w {
		// A line a part, in a narrow terminal (80 columns beside the
		// dashboard): it broke the URL in two, mid-word.
		fmt.Fprintf(st.err, "%s\n  %s\n  %s\n", head, url, tail)
	} else {
		fmt.Fprintf(st.err, "%s %s; %s\n", head, url, tail)
	}
	stats, err := wire.ServeFor(ctx, ln, srv, o.Drain, o.For)
	code = exitOK
	if err != nil {
		code = cli.Fail(st.err, "bidders", err, exitFailed)
	}
	// --out first: written whatever becomes of stderr (a pipe that is
	// gone, or full and no longer read).
	var outErr error
	if o.Out != "" {
		outErr = wire.WriteStats(o.Out, stats)
	}
	fmt.Fprint(st.err, stats.StoppedWithin("auctionsim bidders: ", cli.ErrWidth()))
	switch {
	case outErr != nil:
		code = cli.Fail(st.err, "bidders", outErr, exitFailed)
	case o.Out != "":
		fmt.Fprintf(st.err, "auctionsim bidders: stats written to %s\n", o.Out)
	}
	return code
}

// wireOptions are run's and the dashboard's flags for the exchange on
// the wire (wire.Flags).
type wireOptions struct{ wire.Flags }

func (w *wireOptions) define(c *command) {
	c.Flags.StringVar(&w.Endpoints, "endpoints", "", "`URL` run the exchange on the wire, every bidder at URL/openrtb2/NAME (auctionsim bidders), on the wall clock")
	c.Flags.Var((*cli.List)(&w.Endpoint), "endpoint", "`NAME=URL` bidder NAME on the wire at URL (repeatable; the others stay simulated)")
	cli.DurationVar(c.Flags, &w.LateGrace, "late-grace", wire.DefaultLateGrace, "`D` on the wire, keep each bid request open up to D past its auction's deadline (the auction still closes at it): an answer read then counts at its measured time in the latencies and the tmax curve, only a call never answered is censored (\"> T\", past when the wire stopped waiting), and its connection serves the next request (0: cut at the deadline, as Prebid Server does)")
	c.Flags.BoolVar(&w.NoNotices, "no-notices", false, "on the wire, send no win and loss notices (--notices none)")
	c.Flags.StringVar(&w.Notices, "notices", "budget", "`WHICH` on the wire, the notices sent: budget (the winners', and the losers' with a budget, whose bids hold it), all, win or none")
}

// runWire is run on the wire: the scenario's exchange on the wall clock,
// its bidders (some or all) reached over HTTP.
func runWire(o *runOptions, st streams) int {
	sc, code := runScenario(o, st)
	if sc == nil {
		return code
	}
	return runWireOn(o, sc, st)
}

// runWireOn runs sc on the wire: --endpoints, --endpoint, or the
// scenario's own bidders' endpoint.
func runWireOn(o *runOptions, sc *scenarios.Scenario, st streams) int {
	// --plot draws the time series and the tmax curve: on the wire the
	// curve is settled only up to the deadline the wire enforced, so the
	// plot's check is that of a world without one where that deadline
	// lies below the grid's first point.
	checkPlot := func() error { return plot.CheckRunPlot(o.exp.Plot, o.exp.Out, sc.Config, sc.Stop) }
	xc := sc.Config.Exchange
	if enforced, g := xc.TmaxAdjustments.RequestProcessing+xc.TmaxAdjustments.BidderTmax(xc.Tmax), xc.TmaxCurve.For(xc.Tmax); o.exp.Plot != "" && !g.Off() && enforced < g.From {
		noCurve := sc.Config
		noCurve.Exchange.TmaxCurve = sim.TmaxGrid{}
		base := checkPlot
		checkPlot = func() error {
			if err := base(); err != nil {
				return err
			}
			if plot.CheckRun(noCurve, sc.Stop) != nil {
				return fmt.Errorf("--plot: nothing to draw: on the wire the tmax curve is settled only up to the deadline the wire enforces, %v, below its grid's first point, %v, and a run of %v has fewer than 2 intervals of its time series", enforced, g.From, sc.Stop.Duration)
			}
			return nil
		}
	}
	plotGuard := (&report.Outputs{}).Input(report.InputsOf(sc)...).Add("--out", o.exp.Out).Add("--plot", o.exp.Plot)
	if code, refused := cli.Check(st.err, "run", func() error { return o.wire.CheckRun(o.given, sc, o.exp.Out) },
		checkPlot, plotGuard.Check); refused {
		return code
	}
	x, err := o.wire.Exchange(sc)
	if err != nil {
		return usageError(st, "run", "%v", err)
	}
	sayScale(st, "run", o.scale)
	ctx, stop := cli.Interruptible()
	defer stop()
	res, ws, err := wire.RunScenario(ctx, x, sc)
	if err != nil {
		return cli.Fail(st.err, "run", err, exitFailed)
	}
	if busy := ws.Busy(res.Wall); busy != "" {
		fmt.Fprintf(st.err, "auctionsim run: note: %s\n", busy)
	}
	if late := ws.MachineLateNote(res.Wall); late != "" {
		fmt.Fprintf(st.err, "auctionsim run: note: %s\n", late)
	}
	for _, s := range x.Silent(res.Snap) {
		fmt.Fprintf(st.err, "auctionsim run: note: %s\n", s)
	}
	code := emit(res, o, st, &ws)
	// Not one answer from the wire: the figures describe no bidder on it,
	// so the run failed, as loadgen's does; its outputs are still
	// written, for the causes they count. Said last, where it is read.
	// With --late-grace 0 no answer past its deadline is read: timeouts
	// alone are then a tmax too short for bidders that may be there (as
	// Prebid Server would see them), not a run that measured nothing.
	cutAtDeadline := o.wire.LateGrace == 0 && ws.HTTPErrors == 0
	switch none := ws.Unanswered(); {
	case none == "":
	case cutAtDeadline:
		fmt.Fprintf(st.err, "auctionsim run: note: %s; or the bidders answer after tmax: with --late-grace 0 no answer past its deadline is read\n", none)
	case code == exitOK:
		fmt.Fprintf(st.err, "auctionsim run: the run on the wire failed: %s\n", none)
		code = exitFailed
	default: // interrupted, or an output not written: its own exit says so
		fmt.Fprintf(st.err, "auctionsim run: note: %s\n", none)
	}
	return code
}

// urlNames are bidder names as their endpoints' paths take them, to
// paste into curl: a space, #, ?, % or / escaped as the server reads
// it ("a b" at a%20b), letters of any script kept as they are.
func urlNames(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		var b strings.Builder
		for _, r := range n {
			if r < utf8.RuneSelf {
				b.WriteString(url.PathEscape(string(r)))
			} else {
				b.WriteRune(r)
			}
		}
		out[i] = b.String()
	}
	return out
}
