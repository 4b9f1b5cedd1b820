package sim

import (
	"math"
	"testing"
)

// TestSlotCounterfactuals: with several slots the study of a strategy
// counts (it counted nothing: the inspector said "0 auctions"). A
// truthful bidder's truthful counterfactual is its surplus exactly; a
// bidder shading by 0.7 against three truthful rivals (values U[0, 1],
// slots 1/0.6/0.3) earns per auction SlotDeviatorSurplus(0.7) and would
// have earned SlotDeviatorSurplus(1) bidding its value, within four
// standard errors (a surplus in [0, 1] with mean S has sd ≤ √S): in VCG
// shading loses, in GSP it pays.
func TestSlotCounterfactuals(t *testing.T) {
	const n, c, auctions = 4, 0.7, 200_000
	w := []float64{1, 0.6, 0.3}
	for _, a := range []AuctionType{VCG, GSP} {
		cfg := world(n, Uniform(0, 1))
		cfg.Exchange.Auction = a
		cfg.Exchange.Slots = w
		cfg.Bidders[n-1].Strategy = Strategy{Kind: Shade, Factor: c}
		e := mustNew(t, cfg)
		e.RunAuctions(auctions)
		s := e.Snapshot()
		truthful := s.Bidders[0].Counterfactual
		if truthful.Auctions != auctions || truthful.Truthful != truthful.Surplus || truthful.Surplus != s.Bidders[0].Surplus() {
			t.Errorf("%v: truthful bidder's study %+v, surplus %v", a, truthful, s.Bidders[0].Surplus().Float())
		}
		cf := s.Bidders[n-1].Counterfactual
		if cf.Auctions != auctions || cf.Surplus != s.Bidders[n-1].Surplus() {
			t.Fatalf("%v: shader's study %+v, surplus %v", a, cf, s.Bidders[n-1].Surplus().Float())
		}
		perAuction := func(m Money) float64 { return m.Float() * 1000 / auctions } // CPM per auction
		for _, x := range []struct {
			what   string
			got    float64
			factor float64
		}{{"shading", perAuction(cf.Surplus), c}, {"bidding its value", perAuction(cf.Truthful), 1}} {
			want, ok := SlotDeviatorSurplus(Uniform(0, 1), n, w, a, x.factor, 0)
			if !ok {
				t.Fatal("no closed form")
			}
			if tol := 4 * math.Sqrt(want/auctions); math.Abs(x.got-want) > tol {
				t.Errorf("%v: %s earned %.5f per auction, theory %.5f ± %.5f", a, x.what, x.got, want, tol)
			}
		}
		if shadingPays := cf.Surplus > cf.Truthful; shadingPays != (a == GSP) {
			t.Errorf("%v: shading earned %v, its value would have %v", a, cf.Surplus.Float(), cf.Truthful.Float())
		}
	}
}

// TestSlotCounterfactualsAllocateNothing: the slots' study allocates
// nothing per auction, GSP and VCG, shaders among truthful bidders.
func TestSlotCounterfactualsAllocateNothing(t *testing.T) {
	for _, a := range []AuctionType{VCG, GSP} {
		cfg := world(5, Uniform(0, 1))
		cfg.Exchange.Auction = a
		cfg.Exchange.Slots = []float64{1, 0.6, 0.3}
		cfg.Bidders[0].Strategy = Strategy{Kind: Shade, Factor: 0.7}
		e := mustNew(t, cfg)
		e.RunAuctions(20_000)
		if allocs := testing.AllocsPerRun(5, func() { e.RunAuctions(20_000) }); allocs > 0 {
			t.Errorf("%v: %v allocations per 20,000 auctions", a, allocs)
		}
		if e.Snapshot().Bidders[0].Counterfactual.Auctions == 0 {
			t.Errorf("%v: nothing studied", a)
		}
	}
}
