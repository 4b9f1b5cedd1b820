package sim

import "math/bits"

// Studying a strategy: what a bidder earned since its strategy last
// changed, beside what bidding its value (truthful) and bidding the
// symmetric equilibrium would have earned over the same auctions, against
// the same other bids. The engine prices each counterfactual bid with its
// own clearing rule as the auction closes; it draws nothing, so every
// output stays as it was, and it allocates nothing.
//
// The counterfactual changes one bid and keeps the others: it does not
// ask how the others would have answered a different bidder (their bids
// do not depend on it here) nor how pacing or a budget would have
// reacted. The auctions compared are those where the bidder's bid reached
// the exchange in time (on time, or on time but below the floor); in the
// others (late, no-bid, error) both earn 0. A tie the counterfactual bid
// would have made loses, as no draw breaks it, unless the counterfactual
// bid is the bid placed, which keeps the auction's own outcome: a
// truthful bidder's truthful counterfactual is its actual surplus
// exactly. In second price a tie at the value earns 0 either way.

// CounterfactualStats are a bidder's surplus since its last strategy
// change and the surplus truthful and equilibrium bids would have earned
// over the same auctions, in currency.
type CounterfactualStats struct {
	// Since is the virtual time of the bidder's last strategy change (0:
	// none since the start).
	Since Time
	// Auctions counts the auctions compared: those the bidder bid in on
	// time since then.
	Auctions uint64
	// Surplus is Σ (value − price) over the wins among them: what it
	// earned.
	Surplus Money
	// Truthful is what bidding its value would have earned.
	Truthful Money
	// Equilibrium is what the symmetric equilibrium bid would have
	// earned: in first price β(v) for the bidder's value law, the enabled
	// bidders and the floor; in second price the value (= Truthful).
	Equilibrium Money
}

// restartCounterfactual starts b's comparison afresh at now: its strategy
// changed.
func (b *bidder) restartCounterfactual(now Time) {
	b.stats.Counterfactual = CounterfactualStats{Since: now}
	b.cfBase = b.count[OnTime] + b.count[BelowFloor]
}

// counterfactualAuctions is CounterfactualStats.Auctions: the bids settled
// on time (or below the floor) since the restart, which settle counts
// anyway, so the close need not count them again.
func (b *bidder) counterfactualAuctions() uint64 {
	return b.count[OnTime] + b.count[BelowFloor] - b.cfBase
}

// counterfactuals adds auction a's outcome and its counterfactuals to the
// bidders' comparisons. win is the winner (−1: none) at price; best and
// second the top two of the eligible bids, eligible of them; left: the
// winner's impression was abandoned (nobody pays, nobody gains).
func (e *Engine) counterfactuals(a *auctionState, rs []Response, win int, price, best, second Price, eligible int, left bool) {
	first := a.auction == FirstPrice
	if first || len(rs) > 64 {
		for i := range rs {
			e.counterfactualOf(a, &rs[i], i, win, price, best, second, eligible, left)
		}
		return
	}
	// In second price a losing bid of its value earned 0, as would the
	// truthful bid (the same) and the equilibrium one: nothing to add.
	// Most bidders, and every response that is not a bid (both 0), need
	// nothing then; a mask made without branches finds the rest (the
	// winner, and bids not of their value), so that the processor meets
	// no branch it cannot predict for the bids that need nothing.
	var need uint64
	for i := range rs {
		need |= b2u(rs[i].Bid != rs[i].Value) << i
	}
	if win >= 0 {
		need |= 1 << win
	}
	for need != 0 {
		i := bits.TrailingZeros64(need)
		need &= need - 1
		e.counterfactualOf(a, &rs[i], i, win, price, best, second, eligible, left)
	}
}

// b2u is 1 for true, 0 for false, without a branch.
func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// counterfactualOf adds bidder i's response r to its comparison.
func (e *Engine) counterfactualOf(a *auctionState, r *Response, i, win int, price, best, second Price, eligible int, left bool) {
	if r.Status != OnTime && r.Status != BelowFloor {
		return
	}
	first := a.auction == FirstPrice
	cf := &e.bidders[i].stats.Counterfactual
	var actual Money
	if i == win && !left {
		actual = r.Value.Cost() - price.Cost()
		cf.Surplus = addMoney(cf.Surplus, actual)
	}
	// The others' best bid and how many of them were eligible.
	top, others := best, eligible
	if r.Status == OnTime {
		others--
		if i == win {
			top = second // with a tie, second = best: still the others' best
		}
	}
	if others == 0 {
		top = 0
	}
	truthful := e.counterfactual(a, r, r.Value, top, others, actual, left)
	cf.Truthful = addMoney(cf.Truthful, truthful)
	eq := truthful
	if first && r.Value >= top {
		// Below the others' best the equilibrium bid (≤ value) loses
		// too: β is worth computing only for a value that could win.
		bid := min(r.Value, PriceOf(e.bidders[i].equilibrium(e).bid(r.Value.CPM())))
		eq = e.counterfactual(a, r, bid, top, others, actual, left)
	} else if first {
		eq = 0
	}
	cf.Equilibrium = addMoney(cf.Equilibrium, eq)
}

// counterfactual is the surplus response r would have earned bidding bid
// instead of r.Bid against the others' best bid top (others of them
// eligible); actual is what r.Bid earned.
func (e *Engine) counterfactual(a *auctionState, r *Response, bid, top Price, others int, actual Money, left bool) Money {
	switch {
	case bid == r.Bid:
		return actual
	case left, bid < a.floor, others > 0 && bid <= top:
		return 0
	}
	price, _ := clear(a, bid, top, others+1)
	return r.Value.Cost() - price.Cost()
}

// equilibrium is b's first-price equilibrium bid function: an
// equilibrium bidder's own, else one tabulated for the counterfactual on
// a coarser grid when first needed after a change (uniform values need
// none), so that a large world pays for β only for the bidders whose
// values could win, and never per auction.
func (b *bidder) equilibrium(e *Engine) *eqBids {
	if b.strategy.Kind == Equilibrium {
		return &b.eq
	}
	b.cfEq.coarse = true
	b.cfEq.update(b.value, e.enabledN, e.floor.CPM(), true)
	return &b.cfEq
}
