package sim

import "math"

// IncrementalProfit is what the ads earned the advertiser beyond what they
// cost: the value they added (IncrementalValue) less the spend, in
// currency. NaN without an outcome model, as no value is known.
func (b BidderStats) IncrementalProfit() float64 {
	if !b.HasOutcome {
		return math.NaN()
	}
	return addMoney(b.IncrementalValue(), -b.Spend).Float()
}

// people reports whether b's world has people (its Frequency is kept
// then, and only then).
func (b BidderStats) people() bool { return b.Frequency != nil }

// IncrementalConversions is the model's truth of the conversions the ads
// added. Without people it is the caused ones (Conversions): nobody's
// organic conversion depends on another's. With people it is the
// conversions of the people reached, caused and organic as kept, less
// those the same people would have made without the ads (WithoutAd):
// a person converts once per conversion_period, so a caused conversion
// may only take the place of an organic one the person would have made
// later in the period. It may be below Conversions, and in a small
// world below 0.
func (b BidderStats) IncrementalConversions() int64 {
	if !b.people() {
		return int64(b.Conversions)
	}
	return int64(b.Conversions+b.Organic) - int64(b.WithoutAd)
}

// IncrementalValue is the order value of IncrementalConversions: without
// people ValueCaused, with people ValueCaused + ValueOrgan −
// ValueWithoutAd. The sum saturates as every total; the difference of
// two non-negative amounts cannot overflow.
func (b BidderStats) IncrementalValue() Money {
	if !b.people() {
		return b.ValueCaused
	}
	return addMoney(b.ValueCaused, b.ValueOrgan) - b.ValueWithoutAd
}

// WithoutAdConversions is the conversions the people reached would have
// made without the ads: WithoutAd with people, the organic ones without
// (nothing displaces them), so that IncrementalConversions is always
// Conversions + Organic − WithoutAdConversions.
func (b BidderStats) WithoutAdConversions() uint64 {
	if !b.people() {
		return b.Organic
	}
	return b.WithoutAd
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
func (g GroupStats) IncrementalProfit() float64 {
	return addMoney(g.IncrementalValue, -g.Spend).Float()
}

// AttributedProfit is the group's attributed value less its spend, in
// currency.
func (g GroupStats) AttributedProfit() float64 { return (g.AttributedValue - g.Spend).Float() }

// Eventual is b as it will stand once every conversion now pending has
// matured (and, with people, every conversion without the ads drawn so
// far has happened), were it to buy no impression more: the conversions
// its impressions so far lead to, whenever they mature. A conversion is
// drawn in full at the click — caused or organic, inside the attribution
// window or not, kept once per conversion_period or not — so these are
// known exactly now; a run continued with no more auctions until the
// last of them matures reaches them. Every figure of b (Conversions,
// Organic, Unattributed, WithoutAd and their values, and the methods
// made from them: IncrementalValue, AttributedValue, IncrementalROAS …)
// reads the eventual amount on the result, whose Pending counts are 0,
// so that incremental = caused + organic − without the ads holds for
// the eventual figures too. It is the figure a planner decides on: a
// split that buys more of the conversions still pending at the stop
// reads low on the matured figures alone.
func (b BidderStats) Eventual() BidderStats {
	e := b
	organic := b.Pending - b.PendingCaused
	e.Conversions += b.PendingCaused
	e.Organic += organic
	e.Unattributed += b.PendingUnattributed
	e.ValueCaused = addMoney(e.ValueCaused, moneyTimes(b.OrderValue, b.PendingCaused))
	e.ValueOrgan = addMoney(e.ValueOrgan, moneyTimes(b.OrderValue, organic))
	e.ValueUnattributed = addMoney(e.ValueUnattributed, moneyTimes(b.OrderValue, b.PendingUnattributed))
	e.WithoutAd += b.WithoutAdPending
	e.ValueWithoutAd = addMoney(e.ValueWithoutAd, moneyTimes(b.OrderValue, b.WithoutAdPending))
	e.Pending, e.PendingCaused, e.PendingUnattributed, e.WithoutAdPending = 0, 0, 0, 0
	return e
}

// EventualIncrementalROAS is the group's eventual incremental value /
// its spend; NaN when it spent nothing.
func (g GroupStats) EventualIncrementalROAS() float64 {
	return roas(g.Eventual.IncrementalValue, g.Spend)
}

// EventualAttributedROAS is the group's eventual attributed value / its
// spend; NaN when it spent nothing.
func (g GroupStats) EventualAttributedROAS() float64 {
	return roas(g.Eventual.AttributedValue, g.Spend)
}

// EventualIncrementalProfit is the group's eventual incremental value
// less its spend, in currency.
func (g GroupStats) EventualIncrementalProfit() float64 {
	return addMoney(g.Eventual.IncrementalValue, -g.Spend).Float()
}

// EventualAttributedProfit is the group's eventual attributed value less
// its spend, in currency.
func (g GroupStats) EventualAttributedProfit() float64 {
	return (g.Eventual.AttributedValue - g.Spend).Float()
}
