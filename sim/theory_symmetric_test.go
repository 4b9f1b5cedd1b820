package sim

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// TestSymmetricBiddersExact: where the bidders are symmetric, each one's
// figures are the exchange's over n, in the textbook cases: four bidders
// U[0, 1] in the first-price equilibrium win 1/4, pay 0.6/4 and keep
// (E[v_(1)] − 0.6)/4 = (0.8 − 0.6)/4 (with a floor r, E[v_(1)·1{v_(1) ≥
// r}] = 0.8·(1 − r⁵)); with slots [1, 0.6, 0.3] the winners' value is
// Σ α_j·(5 − j)/5 = 1.28 and each bidder holds a slot 3/4 of the time,
// against GSP's revenue 0.9 and VCG's 0.66 (the sponsored-search
// scenario's 0.095 and 0.155).
func TestSymmetricBiddersExact(t *testing.T) {
	type want struct{ win, pay, surplus float64 }
	eqFloor := func(r float64) Config { return firstPrice(4, Uniform(0, 1), r, Strategy{Kind: Equilibrium}) }
	slots := func(a AuctionType, s Strategy) Config {
		cfg := world(4, Uniform(0, 1))
		cfg.Exchange.Auction, cfg.Exchange.Slots = a, []float64{1, 0.6, 0.3}
		for i := range cfg.Bidders {
			cfg.Bidders[i].Strategy = s
		}
		return cfg
	}
	cases := []struct {
		name string
		cfg  Config
		want want
	}{
		{"first-price equilibrium", eqFloor(0), want{0.25, 0.15, 0.05}},
		{"first-price equilibrium, floor 0.3", eqFloor(0.3), want{(1 - math.Pow(0.3, 4)) / 4, math.NaN(), math.NaN()}},
		{"gsp truthful", slots(GSP, Strategy{}), want{0.75, 0.9 / 4, (1.28 - 0.9) / 4}},
		{"vcg truthful", slots(VCG, Strategy{}), want{0.75, 0.66 / 4, (1.28 - 0.66) / 4}},
		{"gsp equilibrium", slots(GSP, Strategy{Kind: Equilibrium}), want{0.75, 0.66 / 4, (1.28 - 0.66) / 4}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			bt, why := BidderTheoryOf(c.cfg)
			if why != "" || len(bt) != 4 {
				t.Fatalf("%d bidders' figures, why %q", len(bt), why)
			}
			th := mustApply(t, TheoryOf(c.cfg))
			w := c.want
			if math.IsNaN(w.pay) { // the floor's case: from the exchange's revenue
				w.pay = th.RevenuePerAuction / 4
				w.surplus = (0.8*(1-math.Pow(0.3, 5)) - th.RevenuePerAuction) / 4
			}
			for _, b := range bt {
				for _, f := range []struct {
					what      string
					got, want float64
				}{{"win rate", b.WinRate, w.win}, {"payment", b.Payment, w.pay}, {"surplus", b.Surplus, w.surplus}} {
					if math.Abs(f.got-f.want) > 1e-6 {
						t.Errorf("%s %s: %.9f, want %.9f", b.Name, f.what, f.got, f.want)
					}
				}
			}
		})
	}
}

// TestSymmetricBiddersSimulated: each bidder's figures from the exchange's
// closed form agree with a long simulation where the integrals of one item
// do not reach: the first-price equilibrium with a floor and every bidder
// sometimes late (the n-bidder bids with fewer taking part, no revenue
// equivalence), and GSP's several slots with a floor, truthful, in the
// envy-free equilibrium and everyone shading alike. 24 figures a world,
// 96 in all, each a mean of 200 batches of a second (200,000 auctions):
// the band is 4 standard errors, a chance of about 6·10⁻⁵ for each figure
// to fall outside by luck, 0.6% for any of them (the batch means' SE, from
// 199 degrees of freedom, is itself within about 10%). A wrong share shows
// far outside: dividing by n − 1, say, moves each win rate by a quarter
// of itself, hundreds of SEs.
func TestSymmetricBiddersSimulated(t *testing.T) {
	late := func(cfg Config) Config {
		for i := range cfg.Bidders {
			cfg.Bidders[i].Latency = Exponential(ms(60)) // late past 100 ms: 19% of the time
		}
		return cfg
	}
	slots := func(s Strategy) Config {
		cfg := world(4, Uniform(0, 1))
		cfg.Exchange.Auction, cfg.Exchange.Slots = GSP, []float64{1, 0.6, 0.3}
		cfg.Exchange.Floor = PriceOf(0.2)
		for i := range cfg.Bidders {
			cfg.Bidders[i].Strategy = s
		}
		return cfg
	}
	cases := map[string]Config{
		"first-price equilibrium, floor, late": late(firstPrice(4, Uniform(0, 1), 0.3, Strategy{Kind: Equilibrium})),
		"gsp truthful, floor, late":            late(slots(Strategy{})),
		"gsp equilibrium, floor":               slots(Strategy{Kind: Equilibrium}),
		"gsp shading 0.8, floor":               slots(Strategy{Kind: Shade, Factor: 0.8}),
	}
	for name, cfg := range cases {
		t.Run(name, func(t *testing.T) {
			bt, why := BidderTheoryOf(cfg)
			if why != "" {
				t.Fatal(why)
			}
			e := mustNew(t, cfg)
			wins, pays, surplus := perBidderBatches(t, e, len(bt), 200)
			for i, b := range bt {
				withinSE(t, 4, b.Name+" win rate", wins[i], b.WinRate)
				withinSE(t, 4, b.Name+" payment per auction", pays[i], b.Payment)
				withinSE(t, 4, b.Name+" surplus per auction", surplus[i], b.Surplus)
			}
		})
	}
}

// withinSE fails the test unless xs's mean is within k standard errors of
// want.
func withinSE(t *testing.T, k float64, what string, xs []float64, want float64) {
	t.Helper()
	got, se := meanSE(xs)
	if math.Abs(got-want) > k*se+1e-9 {
		t.Errorf("%s: got %.6f ± %.6f (SE), want %.6f: off by %.1f SE", what, got, se, want, math.Abs(got-want)/se)
	}
}

// TestSymmetricBiddersAsymmetric: worlds whose bidders differ keep the
// independent form (one item, shares of atomless values: each bidder its
// own figures, not the exchange's over n) or say why there is none
// (several slots or the first-price equilibrium with one bidder unlike
// the others).
func TestSymmetricBiddersAsymmetric(t *testing.T) {
	shares := world(3, Exponential(1))
	shares.Exchange.Auction = FirstPrice
	for i, f := range []float64{0.6, 0.75, 0.9} {
		shares.Bidders[i].Strategy = Strategy{Kind: Shade, Factor: f}
	}
	bt, why := BidderTheoryOf(shares)
	if why != "" || len(bt) != 3 {
		t.Fatalf("first price, three shares: %+v, why %q", bt, why)
	}
	in := NewTheoryInput(shares)
	var on []*TheoryBidder
	present := make([]float64, 3)
	for i := range in.Bidders {
		on = append(on, &in.Bidders[i])
		present[i] = 1
	}
	figs := bidderTable(bidLaws(on, present), FirstPrice, 0, 0)
	for i, b := range bt {
		if math.Abs(b.WinRate-figs[i].win) > 1e-12 || math.Abs(b.Payment-figs[i].pay) > 1e-12 {
			t.Errorf("%s: %+v, the independent form's %+v", b.Name, b, figs[i])
		}
	}
	if bt[0].WinRate >= bt[2].WinRate {
		t.Errorf("the bidder shading most wins %.4f, the one shading least %.4f", bt[0].WinRate, bt[2].WinRate)
	}

	unlike := map[string]func() (Config, string){
		"first-price equilibrium, one bidder late": func() (Config, string) {
			cfg := firstPrice(4, Uniform(0, 1), 0, Strategy{Kind: Equilibrium})
			cfg.Bidders[1].Latency = Exponential(ms(60))
			return cfg, "equilibrium"
		},
		"gsp slots, one bidder late": func() (Config, string) {
			cfg := world(4, Uniform(0, 1))
			cfg.Exchange.Auction, cfg.Exchange.Slots = GSP, []float64{1, 0.5}
			cfg.Bidders[3].Errors = 0.2
			return cfg, "slots"
		},
		"vcg slots, one bidder shading": func() (Config, string) {
			cfg := world(4, Uniform(0, 1))
			cfg.Exchange.Auction, cfg.Exchange.Slots = VCG, []float64{1, 0.5}
			cfg.Bidders[0].Strategy = Strategy{Kind: Shade, Factor: 0.7}
			return cfg, "slots"
		},
		"constant values, one bidder late": func() (Config, string) {
			cfg := world(3, Constant(0.5))
			cfg.Bidders[2].NoBid = 0.3
			return cfg, "atoms"
		},
	}
	for name, mk := range unlike {
		cfg, word := mk()
		if bt, why := BidderTheoryOf(cfg); bt != nil || !strings.Contains(why, word) {
			t.Errorf("%s: %+v, why %q, want none and a why naming %s", name, bt, why, word)
		}
	}
}

// TestSymmetricBiddersMemo: a snapshot's symmetric figures come from the
// memo after the first read, and agree with a fresh computation.
func TestSymmetricBiddersMemo(t *testing.T) {
	cfg := world(4, Uniform(0, 1))
	cfg.Exchange.Auction, cfg.Exchange.Slots = GSP, []float64{1, 0.6, 0.3}
	s := snapshotAt(t, cfg, Second)
	a, why := s.BidderTheory()
	b, _ := s.BidderTheory()
	c, _ := BidderTheoryOf(cfg)
	if why != "" || fmt.Sprint(a) != fmt.Sprint(b) || fmt.Sprint(a) != fmt.Sprint(c) {
		t.Errorf("first %v, again %v, fresh %v (why %q)", a, b, c, why)
	}
}
