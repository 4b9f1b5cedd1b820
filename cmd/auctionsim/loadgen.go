package main

import (
	"context"
	"fmt"
	"time"

	"github.com/auctionsim/auctionsim/cmd/internal/cli"
	"github.com/auctionsim/auctionsim/wire"
)

// loadgenOptions are the loadgen command's flags.
type loadgenOptions struct {
	scenarioFlags
	wire.LoadFlags
}

func newLoadgenCmd() *command {
	var o loadgenOptions
	c := newCommand(cli.Spec{
		Name:  "loadgen",
		Usage: "--target URL [-s NAME] [--rate R] [--count N]",
		About: helpText("loadgen"),
		Examples: []string{
			"auctionsim bidders -s timeout-demo --listen 127.0.0.1:8080 &",
			"auctionsim loadgen -s timeout-demo --target http://127.0.0.1:8080 --rate 3000 --count 9000",
		},
		Exits:  "Exit codes: 0 ok, 1 the load did not finish in --timeout or not one request was answered (nothing measured), 2 bad usage, 130 interrupted (Ctrl-C; the figures so far are written).",
		NoArgs: true,
	})
	o.define(c)
	scriptNotRunHere(c)
	c.Flags.StringVar(&o.Target, "target", "", "`URL` the bidders server (auctionsim bidders --listen)")
	cli.NumberVar(c.Flags, &o.Rate, "rate", 3000, "`R` bid requests sent a second (open loop: the sending rate, whatever the answers)")
	cli.CountVar(c.Flags, &o.Count, "count", 9000, "`N` bid requests in all")
	cli.DurationVar(c.Flags, &o.Tmax, "tmax", time.Second, "`D` the tmax each request tells")
	cli.DurationVar(c.Flags, &o.Timeout, "timeout", time.Minute, "`D` give up after D")
	c.run = func(st streams) int { return loadgenMain(&o, st) }
	return c
}

func loadgenMain(o *loadgenOptions, st streams) int {
	if code, refused := cli.Check(st.err, "loadgen", o.Check); refused {
		return code
	}
	sc, code := o.load(st)
	if sc == nil {
		return code
	}
	interrupted, stop := cli.Interruptible()
	defer stop()
	ctx, cancel := context.WithTimeout(interrupted, o.Timeout)
	defer cancel()
	res, err := wire.Load(ctx, o.Options(sc))
	code = exitOK
	// Load ends without an error when the signal or --timeout comes after
	// the last send, while it awaits the answers: those it gave up on are
	// counted failed. Either way the load was cut short.
	switch {
	case interrupted.Err() != nil:
		// Ctrl-C: what was measured is still written, and the exit
		// says it was cut short, as every command's does.
		fmt.Fprintln(st.err, "auctionsim loadgen: interrupted: the figures cover the requests sent before it, and those still awaited count as failed")
		code = exitInterrupted
	case err != nil:
		code = cli.Fail(st.err, "loadgen", err, exitFailed)
	case ctx.Err() != nil && res.Failed > 0:
		code = cli.Fail(st.err, "loadgen", fmt.Errorf("--timeout %v came before every answer: those still awaited count as failed", o.Timeout), exitFailed)
	}
	if err := wire.WriteLoad(st.out, res); err != nil {
		code = cli.Fail(st.err, "loadgen", err, exitFailed)
	}
	switch {
	case res.Sent > 0 && res.Answered == 0 && code == exitOK:
		// Not one answer: loadgen measured nothing it promises (the
		// answers' added delay), so the run failed, and says why.
		fmt.Fprintf(st.err, "auctionsim loadgen: %s, so nothing was measured: is a bidders' server (auctionsim bidders --listen ADDR) running at --target %s?\n",
			noneAnswered(res.Sent, res.Failed), o.Target)
		code = exitFailed
	case res.Answered > 0 && res.AddedMS.N == 0:
		// Answers, timed, but none said its modelled time: added_ms is
		// null because --target is not an auctionsim bidders server.
		none := fmt.Sprintf("none of the %d answers", res.Answered)
		if res.Answered == 1 {
			none = "the one answer did not state"
		} else {
			none += " stated"
		}
		fmt.Fprintf(st.err, "auctionsim loadgen: note: %s its modelled time (%s), so added_ms is null: --target %s is not an auctionsim bidders server\n",
			none, wire.ModelledHeader, o.Target)
	}
	return code
}

// noneAnswered says that not one of the sent bid requests was answered,
// failed of them getting no HTTP answer: "none of the 1 bid requests"
// for one would read as a slip.
func noneAnswered(sent, failed int) string {
	if sent == 1 {
		if failed == 1 {
			return "the one bid request sent was not answered (it got no HTTP answer)"
		}
		return "the one bid request sent was not answered"
	}
	return fmt.Sprintf("none of the %d bid requests sent was answered (%d got no HTTP answer)", sent, failed)
}
