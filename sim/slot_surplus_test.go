package sim

import (
	"math"
	"testing"
)

// TestSlotSurplusAddsUp: SlotWin.Surplus is what the engine credits. Over
// every auction kept in full, the surplus of each slot won (nothing when
// the person left) adds up to the bidder's Surplus exactly; each is
// α_j × (value − price per click) to rounding, and negative for a bidder
// that bids above its value and pays more per click than it is worth.
func TestSlotSurplusAddsUp(t *testing.T) {
	const n = 3000
	for _, a := range []AuctionType{GSP, VCG} {
		cfg := slotWorld(4, Uniform(0, 1), a, 1, 0.6, 0.3)
		cfg.Exchange.Abandonment = Abandonment{Per100ms: 0.5}
		for i := range cfg.Bidders {
			cfg.Bidders[i].Latency = Constant(ms(60))
		}
		cfg.Bidders[0].Strategy = Strategy{Kind: Fixed, Bid: PriceOf(0.9)}
		cfg.Recent = 2 * n
		e := mustNew(t, cfg)
		e.RunAuctions(n)
		s := e.Snapshot()
		if uint64(len(s.Recent)) != s.Exchange.Auctions {
			t.Fatalf("%s: %d records of %d auctions", a, len(s.Recent), s.Exchange.Auctions)
		}
		sums := make([]Money, len(s.Bidders))
		negative := 0
		for _, rec := range s.Recent {
			for _, sl := range rec.Slots {
				v := rec.Responses[sl.Bidder].Value
				sur := sl.Surplus(v)
				if sur != sl.Value(v)-sl.Impression {
					t.Fatalf("%s: surplus %d is not value %d less price %d", a, sur, sl.Value(v), sl.Impression)
				}
				if d := math.Abs(sur.CPM() - sl.Weight*(v-sl.Click).CPM()); d > 2e-6 {
					t.Fatalf("%s: surplus %g, α(v − c) %g", a, sur.CPM(), sl.Weight*(v-sl.Click).CPM())
				}
				if sur < 0 {
					negative++
				}
				if !rec.Abandoned {
					sums[sl.Bidder] += sur.Cost()
				}
			}
		}
		for i, b := range s.Bidders {
			if sums[i] != b.Surplus() {
				t.Errorf("%s: %s's slots add to %v, its Surplus is %v", a, b.Name, sums[i].Float(), b.Surplus().Float())
			}
		}
		if negative == 0 || s.Exchange.Abandoned == 0 {
			t.Errorf("%s: %d negative surpluses, %d abandoned: the test tries neither", a, negative, s.Exchange.Abandoned)
		}
	}
}
