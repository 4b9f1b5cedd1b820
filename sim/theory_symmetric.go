package sim

import (
	"fmt"
	"math"
)

// symmetricBidders is each enabled bidder's win rate, payment and surplus
// per auction where the integrals of BidderTheory do not reach (several
// slots, the first-price equilibrium, values with atoms) but the bidders
// are symmetric and the exchange's closed form applies. Symmetric: values
// of one law (uniform, exponential or constant, the i.i.d. forms'), one
// way of bidding (every one the same share c of its value, or every one
// the equilibrium) and one probability p of taking part. Nothing then
// tells the bidders apart, and the engine breaks ties uniformly at
// random, so each has 1/n of the exchange's totals per auction:
//
//   - wins: one per slot sold (the engine credits each slot as a win, and
//     a bidder holds at most one), the fill rate for one item, Σ_j P(slot
//     j sold) for several;
//   - payment: the revenue per auction;
//   - value won: E[Σ_j α_j·v_(j)·1{c·v_(j) ≥ r}] (one item: α_1 = 1 and
//     j = 1), v_(j) the j-th highest value of the k taking part, k
//     binomial(n, p), and the slots' values α_j·v as the engine credits
//     them. In the first-price equilibrium c is 1: β(v) rises with v and
//     β(r) = r, so the top bid meets the floor exactly when the top value
//     does; the GSP equilibrium ranks by value and sells to values at or
//     above r, so c is 1 there too.
//
// Surplus is value won less payment. ok is false where the bidders are
// not symmetric or the exchange's closed form does not apply.
func (in TheoryInput) symmetricBidders(on []*TheoryBidder, present []float64) (out []BidderTheory, ok bool) {
	if valuesBreak(on) != "" {
		return nil, false
	}
	for _, p := range present {
		if p != present[0] {
			return nil, false
		}
	}
	c, eq, mixed, why := in.bidding(on)
	if why != "" || mixed || !(c > 0) {
		return nil, false
	}
	if eq {
		c = 1
	}
	v := on[0].Value
	key := fmt.Sprintf("symmetric %d %v %v %v %d %v %v %t %v %v", in.Auction, in.Floor, in.Increment, in.Slots, v.Kind, v.A, v.B, eq, c, present)
	fill := func(e *memoEntry) {
		th := in.Theory()
		if !th.Applies || math.IsNaN(th.RevenuePerAuction) {
			return
		}
		wins := th.FillRate
		if th.Slots != nil {
			wins = 0
			for _, f := range th.Slots.Fill {
				wins += f
			}
		}
		e.figs = []bidderFigures{{win: wins, pay: th.RevenuePerAuction, value: in.valueWon(v, c, present)}}
	}
	e := in.memo.get(key, fill)
	if len(e.figs) == 0 {
		return nil, false
	}
	n := float64(len(on))
	f := e.figs[0]
	for _, b := range on {
		out = append(out, BidderTheory{Name: b.Name, WinRate: f.win / n, Payment: f.pay / n, Surplus: (f.value - f.pay) / n})
	}
	return out, true
}

// valueWon is E[Σ_j α_j·v_(j)·1{c·v_(j) ≥ r}] per auction, the value the
// winners of the slots (one item: the winner) get, for values of law v
// (uniform, exponential or constant), bids c × value, the number taking
// part Poisson-binomial of present (see symmetricBidders).
func (in TheoryInput) valueWon(v Dist, c float64, present []float64) float64 {
	r := in.Floor
	pk := poissonBinomial(present)
	won := 0.0
	for k := 1; k < len(pk); k++ {
		if pk[k] == 0 {
			continue
		}
		switch {
		case len(in.Slots) > 1:
			o := newOrderStats(v, c, k, r)
			for j, w := range in.Slots {
				won += pk[k] * w * o.at(j+1) / c // at is the bids' c·v_(j)
			}
		case v.pointMass():
			if c*v.A >= r {
				won += pk[k] * v.A
			}
		default:
			// First price with bids c·v earns c·E[v_(1)·1{c·v_(1) ≥ r}]:
			// the top value's share, in closed form (revenueK).
			rev, _ := revenueK(v, FirstPrice, k, c, r, 0)
			won += pk[k] * rev / c
		}
	}
	return won
}
