package sim

import (
	"math"
	"testing"
)

// cfWorld is world(n, U[0,1]) in the given auction with floor r, every
// bidder playing s but bidder 0, which plays own.
func cfWorld(seed uint64, n int, auction AuctionType, r float64, own, s Strategy) Config {
	cfg := world(n, Dist{Kind: DistUniform, A: 0, B: 1})
	cfg.Seed = seed
	cfg.Exchange.Auction = auction
	cfg.Exchange.Floor = PriceOf(r)
	for i := range cfg.Bidders {
		cfg.Bidders[i].Strategy = s
	}
	cfg.Bidders[0].Strategy = own
	return cfg
}

// TestCounterfactualOfTheStrategyPlayedIsActual: a bidder's counterfactual
// of the strategy it plays is its actual surplus exactly, every auction
// compared (no strategy change: since the start, so also the bidder's
// whole surplus): truthful in second and first price, equilibrium in first
// price with a floor.
func TestCounterfactualOfTheStrategyPlayedIsActual(t *testing.T) {
	truthful := Strategy{Kind: Truthful}
	eq := Strategy{Kind: Equilibrium}
	for _, tt := range []struct {
		name    string
		auction AuctionType
		floor   float64
		s       Strategy
		pick    func(CounterfactualStats) Money
	}{
		{"second price, truthful", SecondPrice, 0.2, truthful, func(c CounterfactualStats) Money { return c.Truthful }},
		{"second price, truthful = equilibrium", SecondPrice, 0, truthful, func(c CounterfactualStats) Money { return c.Equilibrium }},
		{"first price, truthful", FirstPrice, 0, truthful, func(c CounterfactualStats) Money { return c.Truthful }},
		{"first price, equilibrium with a floor", FirstPrice, 0.3, eq, func(c CounterfactualStats) Money { return c.Equilibrium }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := mustNew(t, cfWorld(3, 4, tt.auction, tt.floor, tt.s, tt.s))
			e.RunAuctions(50_000)
			s := e.Snapshot()
			for _, b := range s.Bidders {
				cf := b.Counterfactual
				if cf.Since != 0 || cf.Auctions != b.OnTime {
					t.Errorf("%s: since %v, %d auctions compared, want 0 and its %d on-time bids", b.Name, cf.Since, cf.Auctions, b.OnTime)
				}
				if cf.Surplus != b.Surplus() || tt.pick(cf) != cf.Surplus {
					t.Errorf("%s: surplus %v (counters %v), counterfactual of its own strategy %v", b.Name, cf.Surplus, b.Surplus(), tt.pick(cf))
				}
				if b.Wins == 0 {
					t.Errorf("%s never won: nothing compared", b.Name)
				}
			}
		})
	}
}

// TestCounterfactualIsTheRunItImagines prices the counterfactual against
// the run it stands for: with the same seed every draw is the same
// whatever bidder 0 bids (its rivals' bids do not depend on it), so its
// truthful (equilibrium) counterfactual while it shades must be exactly
// what it earns bidding truthfully (the equilibrium) in a second run.
// Exact ties at the top, which the counterfactual counts as lost, are
// too rare in these worlds to show.
func TestCounterfactualIsTheRunItImagines(t *testing.T) {
	shade := Strategy{Kind: Shade, Factor: 0.6}
	for _, tt := range []struct {
		name    string
		auction AuctionType
		floor   float64
		rivals  Strategy
		as      Strategy
		pick    func(CounterfactualStats) Money
	}{
		{"second price, truthful", SecondPrice, 0.1, Strategy{Kind: Truthful}, Strategy{Kind: Truthful}, func(c CounterfactualStats) Money { return c.Truthful }},
		{"first price, truthful", FirstPrice, 0, Strategy{Kind: Equilibrium}, Strategy{Kind: Truthful}, func(c CounterfactualStats) Money { return c.Truthful }},
		{"first price, equilibrium", FirstPrice, 0.3, Strategy{Kind: Equilibrium}, Strategy{Kind: Equilibrium}, func(c CounterfactualStats) Money { return c.Equilibrium }},
		{"first price, equilibrium against shading", FirstPrice, 0, Strategy{Kind: Shade, Factor: 0.5}, Strategy{Kind: Equilibrium}, func(c CounterfactualStats) Money { return c.Equilibrium }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			const auctions = 40_000
			a := mustNew(t, cfWorld(7, 3, tt.auction, tt.floor, shade, tt.rivals))
			a.RunAuctions(auctions)
			b := mustNew(t, cfWorld(7, 3, tt.auction, tt.floor, tt.as, tt.rivals))
			b.RunAuctions(auctions)
			got := tt.pick(a.Snapshot().Bidders[0].Counterfactual)
			want := b.Snapshot().Bidders[0].Surplus()
			// Truthful in first price earns 0 however it wins.
			zero := tt.auction == FirstPrice && tt.as.Kind == Truthful
			if got != want || (want == 0) != zero {
				t.Errorf("counterfactual %v, the run bidding %v earned %v", got.Float(), tt.as, want.Float())
			}
			if own := a.Snapshot().Bidders[0].Counterfactual.Surplus; own == got {
				t.Errorf("shading earned %v, the same as %v: the comparison tells nothing", own.Float(), tt.as)
			}
		})
	}
}

// TestTruthfulDominatesInSecondPrice is Vickrey's dominance on the same
// auctions: in second price (no increment) a bidder shading, or bidding a
// fixed amount, never earns more than bidding its value would have, for
// every seed; with enough auctions it earns strictly less.
func TestTruthfulDominatesInSecondPrice(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		for _, s := range []Strategy{{Kind: Shade, Factor: 0.8}, {Kind: Shade, Factor: 0.3}, {Kind: Fixed, Bid: PriceOf(0.7)}} {
			e := mustNew(t, cfWorld(seed, 5, SecondPrice, float64(seed%3)/10, s, Strategy{Kind: Truthful}))
			e.RunAuctions(5_000)
			cf := e.Snapshot().Bidders[0].Counterfactual
			if !(cf.Truthful > cf.Surplus) {
				t.Errorf("seed %d, %v: surplus %v, truthful would have earned %v", seed, s, cf.Surplus.Float(), cf.Truthful.Float())
			}
		}
	}
}

// TestCounterfactualRestartsAtAStrategyChange: the comparison counts from
// the bidder's last strategy change, and only its.
func TestCounterfactualRestartsAtAStrategyChange(t *testing.T) {
	e := mustNew(t, cfWorld(2, 3, SecondPrice, 0, Strategy{Kind: Truthful}, Strategy{Kind: Truthful}))
	e.RunAuctions(10_000)
	before := e.Snapshot()
	at := e.Now()
	if err := e.Apply(SetStrategy{Bidder: "b0", Strategy: Strategy{Kind: Shade, Factor: 0.5}}); err != nil {
		t.Fatal(err)
	}
	e.RunAuctions(10_000)
	after := e.Snapshot()
	cf := after.Bidders[0].Counterfactual
	if cf.Since != at || cf.Auctions == 0 || cf.Auctions >= after.Bidders[0].OnTime {
		t.Errorf("since %v (changed at %v), %d auctions of %d", cf.Since, at, cf.Auctions, after.Bidders[0].OnTime)
	}
	// Exactly the on-time bids settled since the change (those in flight
	// at it included): the close counts each as it settles it.
	if got, want := cf.Auctions, after.Bidders[0].OnTime-before.Bidders[0].OnTime; got != want {
		t.Errorf("%d auctions compared since the change, %d on-time bids settled since", got, want)
	}
	if other := after.Bidders[1].Counterfactual; other.Since != 0 || other.Auctions != after.Bidders[1].OnTime {
		t.Errorf("the other bidder: since %v, %d auctions of its %d on-time bids", other.Since, other.Auctions, after.Bidders[1].OnTime)
	}
	// Counted from the change: the surplus since is the counters' difference.
	if got, want := cf.Surplus, after.Bidders[0].Surplus()-before.Bidders[0].Surplus(); got != want {
		t.Errorf("surplus since the change %v, counters say %v", got, want)
	}
	if other := after.Bidders[1].Counterfactual; other.Since != 0 || other.Surplus != after.Bidders[1].Surplus() {
		t.Errorf("another bidder's comparison restarted: %+v", other)
	}
}

// TestCounterfactualEquilibriumWithoutClosedForm: for values with no
// closed-form β (exponential), a shading bidder's equilibrium
// counterfactual, priced on the coarser table, is within 0.5% of what the
// same bidder earns bidding the equilibrium in a second run on the same
// draws; an equilibrium bidder's own is its surplus exactly.
func TestCounterfactualEquilibriumWithoutClosedForm(t *testing.T) {
	mk := func(own Strategy) *Engine {
		cfg := world(4, Exponential(1))
		cfg.Seed = 11
		cfg.Exchange.Auction = FirstPrice
		cfg.Exchange.Floor = PriceOf(0.2)
		for i := range cfg.Bidders {
			cfg.Bidders[i].Strategy = Strategy{Kind: Equilibrium}
		}
		cfg.Bidders[0].Strategy = own
		e := mustNew(t, cfg)
		e.RunAuctions(40_000)
		return e
	}
	a := mk(Strategy{Kind: Shade, Factor: 0.9}).Snapshot()
	b := mk(Strategy{Kind: Equilibrium}).Snapshot()
	got, want := a.Bidders[0].Counterfactual.Equilibrium.Float(), b.Bidders[0].Surplus().Float()
	t.Logf("counterfactual %.6f, run %.6f, shading earned %.6f", got, want, a.Bidders[0].Surplus().Float())
	if want <= 0 || math.Abs(got-want) > 0.005*want {
		t.Errorf("equilibrium counterfactual %.4f, the run bidding it earned %.4f", got, want)
	}
	for _, s := range b.Bidders {
		if cf := s.Counterfactual; cf.Equilibrium != s.Surplus() {
			t.Errorf("%s bids the equilibrium: counterfactual %v, surplus %v", s.Name, cf.Equilibrium, s.Surplus())
		}
	}
}

// TestCounterfactualAllocatesNothing: in first price with values that
// need a table for β, the counterfactuals allocate nothing per auction
// once each bidder's table is built.
func TestCounterfactualAllocatesNothing(t *testing.T) {
	cfg := world(5, Exponential(1))
	cfg.Exchange.Auction = FirstPrice
	for i := range cfg.Bidders {
		cfg.Bidders[i].Strategy = Strategy{Kind: Shade, Factor: 0.7}
	}
	e := mustNew(t, cfg)
	e.RunAuctions(20_000)
	for _, b := range e.bidders {
		if len(b.cfEq.table) == 0 {
			t.Fatalf("%s has no table: the test proves nothing", b.name)
		}
	}
	if allocs := testing.AllocsPerRun(5, func() { e.RunAuctions(20_000) }); allocs > 0 {
		t.Errorf("%v allocations per 20,000 auctions", allocs)
	}
}
