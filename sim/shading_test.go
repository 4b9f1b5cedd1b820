package sim_test

import (
	"math"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// TestShadingLosesSurplus is the dominant-strategy lesson of
// classroom-vickrey: when one bidder shades its bids in the second-price
// auction (a live change, as the dashboard's g makes it), its surplus
// falls below every truthful bidder's over the same auctions; bidding
// over its value (fixed) is worse still, and switching back to truthful
// puts it level again.
func TestShadingLosesSurplus(t *testing.T) {
	sc, err := scenarios.Bundled("classroom-vickrey")
	if err != nil {
		t.Fatal(err)
	}
	// One bidder's surplus in a window of auctions: its counters at the
	// window's end less those at its start.
	surplus := func(a, b *sim.Snapshot, i int) float64 {
		return (b.Bidders[i].Surplus() - a.Bidders[i].Surplus()).Float()
	}
	e, err := sim.New(sc.Config)
	if err != nil {
		t.Fatal(err)
	}
	const window = 100_000
	phase := func(ch sim.Change) (before, after *sim.Snapshot) {
		t.Helper()
		if err := e.Apply(ch); err != nil {
			t.Fatal(err)
		}
		before = e.Snapshot()
		e.RunAuctions(window)
		return before, e.Snapshot()
	}
	shader := 0 // ada
	for _, tt := range []struct {
		strategy sim.Strategy
		loses    bool
	}{
		{sim.Strategy{Kind: sim.Shade, Factor: 0.8}, true},
		{sim.Strategy{Kind: sim.Fixed, Bid: sim.PriceOf(0.9)}, true},
		{sim.Strategy{Kind: sim.Truthful}, false},
	} {
		a, b := phase(sim.SetStrategy{Bidder: sc.Config.Bidders[shader].Name, Strategy: tt.strategy})
		own := surplus(a, b, shader)
		lo, hi := math.Inf(1), math.Inf(-1)
		for i := range b.Bidders {
			if i != shader {
				lo, hi = min(lo, surplus(a, b, i)), max(hi, surplus(a, b, i))
			}
		}
		t.Logf("%v: surplus %.2f, truthful rivals %.2f to %.2f", tt.strategy, own, lo, hi)
		if tt.loses {
			// Well below the least lucky truthful bidder, not a coin toss.
			if own >= 0.9*lo {
				t.Errorf("%v: surplus %.2f, not below the truthful bidders' (least %.2f)", tt.strategy, own, lo)
			}
		} else if own < 0.9*lo || own > 1.1*hi {
			t.Errorf("truthful again: surplus %.2f, the others %.2f to %.2f", own, lo, hi)
		}
	}
}
