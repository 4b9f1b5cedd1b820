package sim

// Surplus is what the bidder gained over its wins: Σ (value − price), the
// value of the impressions it bought less what it paid for them, in
// currency. Truthful bidding in second price never makes it negative; a
// bidder that bids above its value can lose.
func (b BidderStats) Surplus() Money { return b.Value - b.Spend }
