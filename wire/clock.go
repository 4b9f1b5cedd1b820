// Package wire puts auctionsim's bidders and exchange on a real wire: a
// server that answers OpenRTB 2.6 bid requests as a scenario's bidders
// would (Server), and an exchange that sends real bid requests to such
// endpoints, or to real bidders, and clears the answers that come back in
// time with the engine's rules (Exchange). The models, the clearing rules
// and the statistics are sim's (sim.BidderModel, sim.Remote); this
// package only adds the HTTP, the wall clock and the wire's own counters.
package wire

import (
	"context"
	"time"
)

// Clock is the wall clock the wire runs on: a real one in use, a fake one
// in tests, so that no unit test depends on how fast the machine is.
type Clock interface {
	Now() time.Time
	// Sleep waits d, or until ctx is done (then it returns ctx.Err()).
	Sleep(ctx context.Context, d time.Duration) error
}

// WallClock is the real clock.
type WallClock struct{}

// Now is time.Now.
func (WallClock) Now() time.Time { return time.Now() }

// Sleep waits d on a timer, or until ctx is done.
func (WallClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
