package sim

import (
	"cmp"
	"math/rand/v2"
	"slices"
)

// ClearPrice is the engine's clearing rule for an auction of the given type,
// floor and increment whose top eligible (on-time, at or above the floor)
// bids are best and second, n of them: the price the winner pays and what
// set it. Second price: max(second, floor) + increment, never more than the
// winner's bid; first price: the bid. Programs that run auctions of their
// own (a table where people bid) call it so that their prices are the
// engine's.
func ClearPrice(auction AuctionType, floor, increment, best, second Price, n int) (Price, PriceReason) {
	a := auctionState{auction: auction, floor: floor, increment: increment}
	return clear(&a, best, second, n)
}

// RankBids ranks the eligible bids in rs, the ones on time, by the
// engine's rule: a higher bid ranks ahead, and among equal bids tie(i, j)
// reports whether bidder i ranks ahead of bidder j (the engine takes its
// winner among them uniformly at random; its records rank the winner
// first, then configuration order). It sets every response's Rank (1: the
// winner; 0: not ranked) and returns the ranked bidders, best first.
// Programs that run auctions of their own call it so that their ranks are
// the engine's; with ClearPrice, on the top two bids, they price them.
func RankBids(rs []Response, tie func(i, j int) bool) []int {
	return rankBids(rs, tie, make([]int, 0, len(rs)))
}

// rankBids is RankBids ranking into order's array, which a caller ranking
// many auctions reuses.
func rankBids(rs []Response, tie func(i, j int) bool, order []int) []int {
	order = order[:0]
	for i := range rs {
		rs[i].Rank = 0
		if rs[i].Status == OnTime {
			order = append(order, i)
		}
	}
	slices.SortStableFunc(order, func(i, j int) int {
		switch {
		case rs[i].Bid != rs[j].Bid:
			return cmp.Compare(rs[j].Bid, rs[i].Bid)
		case tie(i, j):
			return -1
		case tie(j, i):
			return 1
		}
		return 0
	})
	for k, i := range order {
		rs[i].Rank = int32(k + 1)
	}
	return order
}

// NewStream returns the random stream named key under seed, drawn the way
// the engine draws its own streams, so that programs built on sim (a table
// where people bid) are deterministic per seed in the same way.
func NewStream(seed uint64, key string) *rand.Rand { return newStream(seed, key) }

// StrategyBid is what a bidder with strategy s bids for value, by the
// engine's rule (a shaded bid rounds to the nearest micro-CPM), before
// pacing and budget. Programs that run auctions of their own call it so
// that their strategies bid as the engine's do. An equilibrium bid
// depends on the auction, which s does not know: StrategyBid returns the
// value for it (the second-price equilibrium); AuctionBid knows better.
func StrategyBid(s Strategy, value Price) Price {
	switch s.Kind {
	case Shade:
		return microPrice(float64(value) * s.Factor)
	case Fixed:
		return s.Bid
	}
	return value
}

// AuctionBid is StrategyBid in an auction of the given type with n
// enabled bidders whose values follow values, and the floor: for strategy
// Equilibrium the symmetric equilibrium bid as the engine computes it
// (EquilibriumBid), never above the value. It tabulates the bid function
// on each call for laws without a closed form: callers bidding often keep
// the engine's way (one table per change).
func AuctionBid(s Strategy, value Price, values Dist, n int, floor Price, auction AuctionType) Price {
	if s.Kind != Equilibrium {
		return StrategyBid(s, value)
	}
	return min(value, PriceOf(EquilibriumBid(values, n, floor.CPM(), auction == FirstPrice, value.CPM())))
}

// SampledTime converts a duration in nanoseconds sampled from a Dist to
// Time as the engine does, saturating far beyond any deadline rather
// than overflowing.
func SampledTime(ns float64) Time { return timeOf(ns) }
