package sim

import "math"

// IncrementalProfit is what the ads earned the advertiser beyond what they
// cost: the order value of the conversions they caused less the spend, in
// currency. NaN without an outcome model, as no value is known.
func (b BidderStats) IncrementalProfit() float64 {
	if !b.HasOutcome {
		return math.NaN()
	}
	return (b.ValueCaused - b.Spend).Float()
}

// AttributedProfit is what last-touch attribution says the ads earned:
// the attributed order value less the spend, in currency. NaN without an
// outcome model.
func (b BidderStats) AttributedProfit() float64 {
	if !b.HasOutcome {
		return math.NaN()
	}
	return (b.AttributedValue() - b.Spend).Float()
}

// AttributedValue is the order value last-touch attribution credits to
// the ad: caused and organic conversions alike, within the attribution
// window when there is one. The sums are exact; the difference of two
// non-negative amounts cannot overflow.
func (b BidderStats) AttributedValue() Money {
	return addMoney(b.ValueCaused, b.ValueOrgan) - b.ValueUnattributed
}

// AttributedConversions counts the matured conversions last touch credits
// to the ad: caused and organic alike, within the attribution window.
func (b BidderStats) AttributedConversions() uint64 {
	return b.Conversions + b.Organic - b.Unattributed
}

// IncrementalProfit is the group's incremental value less its spend, in
// currency.
func (g GroupStats) IncrementalProfit() float64 { return (g.IncrementalValue - g.Spend).Float() }

// AttributedProfit is the group's attributed value less its spend, in
// currency.
func (g GroupStats) AttributedProfit() float64 { return (g.AttributedValue - g.Spend).Float() }
