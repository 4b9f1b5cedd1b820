package sim

import "math/rand/v2"

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
