package classroom

import (
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/tui/classroom/seat"
)

// TestPriceWhySlots: a round of several slots is explained slot by slot,
// per click and per impression, by its rule.
func TestPriceWhySlots(t *testing.T) {
	res := &seat.Result{Winner: 1, Price: sim.PriceOf(0.5), Reason: sim.SecondBid, Slots: []sim.SlotWin{
		{Bidder: 1, Weight: 1, Click: sim.PriceOf(0.5), Impression: sim.PriceOf(0.5)},
		{Bidder: 0, Weight: 0.6, Click: sim.PriceOf(0.3), Impression: sim.PriceOf(0.18)},
	}}
	got := PriceWhy(res)
	for _, want := range []string{"gsp, each slot pays the next bid per click", "slot 1 (α 1) 0.500 per click, 0.500 per impression", "slot 2 (α 0.6) 0.300 per click, 0.180 per impression"} {
		if !strings.Contains(got, want) {
			t.Errorf("%q lacks %q", got, want)
		}
	}
	res.VCG = true
	if got := PriceWhy(res); !strings.HasPrefix(got, "vcg, each slot pays the clicks it takes") {
		t.Errorf("vcg: %q", got)
	}
}
