package openrtb

import (
	"context"
	"fmt"
	"io"
	"math"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/sim"
)

// WriteFirst runs eng one auction at a time until n auctions have closed
// (or stop, or ctx, comes first), writing each auction to w as it closes
// (WriteLines): however large n, no more than one auction is held. A run
// then carries on as usual from where this leaves eng (run --openrtb N).
func WriteFirst(ctx context.Context, eng *sim.Engine, stop sim.Stop, n uint64, w io.Writer) error {
	seats := Seats(eng.Snapshot())
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
		if err := WriteLines(w, []sim.AuctionRecord{rec}, seats); err != nil {
			return err
		}
	}
	return nil
}

// WriteFirstTo is WriteFirst to the file path, atomically, or to stdout
// when path is "" (run --openrtb N, --openrtb-out FILE), as the first
// thing done on a fresh engine; nil when n is 0.
func WriteFirstTo(ctx context.Context, stop sim.Stop, n uint64, path string, stdout io.Writer) func(*sim.Engine) error {
	if n == 0 {
		return nil
	}
	return func(eng *sim.Engine) error {
		if path == "" {
			return WriteFirst(ctx, eng, stop, n, stdout)
		}
		return report.WriteFileAtomic(path, func(w io.Writer) error {
			return WriteFirst(ctx, eng, stop, n, w)
		})
	}
}
