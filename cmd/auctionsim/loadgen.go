package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/auctionsim/auctionsim/cmd/internal/cli"
	"github.com/auctionsim/auctionsim/wire"
)

const loadgenAbout = `Loads a bidders server (auctionsim bidders) with bid requests at a fixed rate,
open loop: --count requests at --rate a second, round robin over the
scenario's bidders at --target/openrtb2/NAME, each with --tmax, every answer
awaited. It prints what it sent and the added delay of the answers (their time
less the modelled time the server states), as JSON, and takes at most
--timeout.`

// loadgenOptions are the loadgen command's flags.
type loadgenOptions struct {
	scenarioFlags
	target  string
	rate    float64
	count   int
	tmax    time.Duration
	timeout time.Duration
}

func newLoadgenCmd() *command {
	var o loadgenOptions
	c := newCommand("loadgen", "--target URL [-s NAME] [--rate R] [--count N]", loadgenAbout)
	o.define(c)
	c.Flags.StringVar(&o.target, "target", "", "`URL` the bidders server (auctionsim bidders --listen)")
	c.Flags.Float64Var(&o.rate, "rate", 3000, "`R` bid requests a second")
	c.Flags.IntVar(&o.count, "count", 9000, "`N` bid requests in all")
	c.Flags.DurationVar(&o.tmax, "tmax", time.Second, "`D` the tmax each request tells")
	c.Flags.DurationVar(&o.timeout, "timeout", time.Minute, "`D` give up after D")
	c.Examples = []string{
		"auctionsim bidders -s timeout-demo --listen 127.0.0.1:8080 &",
		"auctionsim loadgen -s timeout-demo --target http://127.0.0.1:8080 --rate 3000 --count 9000",
	}
	c.Exits = "Exit codes: 0 ok, 1 the load did not finish (--timeout, or Ctrl-C), 2 bad usage."
	c.NoArgs = true
	c.run = func(st streams) int { return loadgenMain(&o, st) }
	return c
}

func loadgenMain(o *loadgenOptions, st streams) int {
	switch {
	case !strings.HasPrefix(o.target, "http://") && !strings.HasPrefix(o.target, "https://"):
		return usageError(st, "loadgen", "--target: want the bidders server's http:// URL")
	case !(o.rate > 0) || o.rate > 1e6:
		return usageError(st, "loadgen", "--rate must be > 0 and at most 1000000")
	case o.count <= 0:
		return usageError(st, "loadgen", "--count must be > 0")
	case o.tmax < time.Millisecond || o.timeout <= 0:
		return usageError(st, "loadgen", "--tmax must be ≥ 1ms and --timeout > 0")
	}
	sc := o.load(st)
	if sc == nil {
		return exitUsage
	}
	ctx, stop := cli.Interruptible()
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	res, err := wire.Load(ctx, wire.LoadOptions{URLs: wire.LoadURLs(sc.Config, o.target), Rate: o.rate, Count: o.count, TmaxMS: o.tmax.Milliseconds()})
	code := exitOK
	if err != nil {
		fmt.Fprintf(st.err, "auctionsim loadgen: %v\n", err)
		code = exitFailed
	}
	if err := wire.WriteLoad(st.out, res); err != nil {
		fmt.Fprintf(st.err, "auctionsim loadgen: %v\n", err)
		code = exitFailed
	}
	return code
}
