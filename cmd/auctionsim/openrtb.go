package main

import (
	"context"
	"fmt"
	"io"
	"math"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/report/openrtb"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// openrtbOptions are run's --openrtb N and --openrtb-out FILE: the first N
// auctions as OpenRTB 2.6 JSON lines as Prebid Server speaks it (request,
// responses, outcome, response), to FILE or, without --openrtb-out, to
// stdout instead of the summary.
type openrtbOptions struct {
	n   uint64
	out string
}

func (o *openrtbOptions) define(c *command) {
	countVar(c.fs, &o.n, "openrtb", 0, "`N` write the first N auctions as OpenRTB 2.6 JSON lines as Prebid Server speaks it (request, responses, outcome, response) as they close: to stdout in place of the summary, or to --openrtb-out")
	c.fs.StringVar(&o.out, "openrtb-out", "", "`FILE` write --openrtb's lines to FILE (atomically); the summary goes where it would")
}

// toStdout reports whether the auctions take stdout, in place of the
// summary.
func (o *openrtbOptions) toStdout() bool { return o.n > 0 && o.out == "" }

// check refuses combinations that cannot work, before any time is spent.
func (o *openrtbOptions) check(given map[string]bool, json bool) error {
	switch {
	case given["openrtb"] && o.n == 0:
		return fmt.Errorf("--openrtb must be > 0")
	case given["openrtb-out"] && o.n == 0:
		return fmt.Errorf("--openrtb-out needs --openrtb N")
	case o.toStdout() && json:
		return fmt.Errorf("--openrtb without --openrtb-out writes the auctions to stdout; give --openrtb-out FILE to keep --json there, or --out FILE.json for the summary")
	}
	return nil
}

// pre is what execute does first, on the fresh engine: nothing without
// --openrtb.
func (o *openrtbOptions) pre(ctx context.Context, stop scenarios.Stop, stdout io.Writer) []func(*sim.Engine) error {
	if o.n == 0 {
		return nil
	}
	return []func(*sim.Engine) error{func(eng *sim.Engine) error {
		if o.out == "" {
			return writeOpenRTB(ctx, eng, stop, o.n, stdout)
		}
		return report.WriteFileAtomic(o.out, func(w io.Writer) error {
			return writeOpenRTB(ctx, eng, stop, o.n, w)
		})
	}}
}

// writeOpenRTB runs eng one auction at a time until n auctions have closed
// (or the stop, or Ctrl-C, comes first), writing each auction as it closes:
// however large n, no more than one auction is held. The run then carries
// on as usual from where this leaves it.
func writeOpenRTB(ctx context.Context, eng *sim.Engine, stop scenarios.Stop, n uint64, w io.Writer) error {
	seats := openrtb.Seats(eng.Snapshot())
	until := sim.Time(math.MaxInt64)
	if stop.Duration > 0 {
		until = stop.Duration
	}
	for eng.Auctions() < n {
		done := eng.Auctions()
		if stop.Auctions > 0 && done >= stop.Auctions || done%1024 == 0 && ctx.Err() != nil {
			return nil
		}
		eng.RunTo(until, done+1)
		if eng.Auctions() == done {
			return nil // the stop's duration came first
		}
		rec, ok := eng.LastAuction()
		if !ok {
			return fmt.Errorf("openrtb: auction %d was not kept", done+1)
		}
		if err := openrtb.WriteLines(w, []sim.AuctionRecord{rec}, seats); err != nil {
			return err
		}
	}
	return nil
}
