package classroom

import (
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/tui/classroom/seat"
	"github.com/auctionsim/auctionsim/tui/play"
)

// The classroom's reveal and the game's standing explain a slot's price in
// sim's words (AuctionType.SlotRule, SlotPrice), as the inspector does:
// one wording for GSP and VCG.
func TestSlotPriceWords(t *testing.T) {
	for _, a := range []sim.AuctionType{sim.GSP, sim.VCG} {
		res := &seat.Result{VCG: a == sim.VCG, Slots: []sim.SlotWin{
			{Bidder: 0, Weight: 1, Click: sim.PriceOf(0.5), Impression: sim.PriceOf(0.5), Reason: sim.SecondBid},
		}}
		if why := PriceWhy(res); !strings.HasPrefix(why, a.String()+", "+a.SlotRule()+": ") {
			t.Errorf("%s: the reveal says %q, not sim's %q", a, why, a.SlotRule())
		}
		if why := play.Why(res, sim.SecondBid); !strings.Contains(why, a.SlotPrice()) {
			t.Errorf("%s: the standing says %q, not sim's %q", a, why, a.SlotPrice())
		}
	}
	if sim.GSP.SlotRule() != "each slot pays the next bid per click" || sim.SecondPrice.SlotRule() != "" {
		t.Errorf("GSP's rule %q, second price's %q", sim.GSP.SlotRule(), sim.SecondPrice.SlotRule())
	}
}
