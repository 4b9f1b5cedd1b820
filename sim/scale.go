package sim

import "math"

// Traffic scale (Traffic.Scale): the engine simulates one ad request for
// every n, with budgets divided by n, and its snapshots count and add up
// at full scale: every count and amount of money × n, but a daily budget,
// reported as it was set (not the divided amount × n). Rates, shares,
// prices and latencies need nothing. Live changes give full-scale rates
// and amounts, which the engine divides.

// scaleBudgets divides b's budgets by s, for a world at traffic scale s.
func (b *bidder) scaleBudgets(s float64) {
	if b.budgeted && !b.noTotal {
		b.total = b.budget
		b.budget = MoneyOf(b.budget.Float() / s)
	}
	if d := b.day; d != nil {
		d.set(d.budget, s)
		d.days[0].Budget = d.budget
	}
}

// full is m at full scale, saturating.
func (e *Engine) full(m Money) Money { return scaleMoney(m, e.scale) }

// scaleMoney is m × s for a whole s ≥ 1, saturating at the extremes of
// Money rather than wrapping.
func scaleMoney(m Money, s float64) Money {
	if s <= 1 || m == 0 {
		return m
	}
	n := Money(s)
	switch {
	case m > MaxMoney/n:
		return MaxMoney
	case m < minMoney/n:
		return minMoney
	}
	return m * n
}

// scaleCount is x × s for a whole s ≥ 1, saturating.
func scaleCount(x uint64, s float64) uint64 {
	n := uint64(s)
	if x > math.MaxUint64/n {
		return math.MaxUint64
	}
	return x * n
}

// scaleUp brings a snapshot's counts and money to full scale: the
// exchange's, the bidders' (their days too), the time series', the
// window since the last change and the tmax curves'. Groups are added up
// from the bidders afterwards.
func (e *Engine) scaleUp(s *Snapshot) {
	n := e.scale
	if n <= 1 {
		return
	}
	c := func(x *uint64) { *x = scaleCount(*x, n) }
	m := func(x *Money) { *x = scaleMoney(*x, n) }
	x := &s.Exchange
	for _, p := range []*uint64{&x.Requests, &x.InFlight, &x.Auctions, &x.Filled, &x.Unfilled, &x.BidRequests, &x.Bids,
		&x.OnTime, &x.Late, &x.BelowFloor, &x.NoBids, &x.Errors, &x.Refused, &x.Hangs, &x.SkippedDeadline, &x.Unsent, &x.Abandoned} {
		c(p)
	}
	for _, p := range []*Money{&x.Revenue, &x.RevenueLost, &x.Value, &x.AbandonedRevenue} {
		m(p)
	}
	for i := range s.Bidders {
		e.scaleBidder(&s.Bidders[i], &e.bidders[i])
	}
	for i := range s.Series.Points {
		e.scalePoint(&s.Series.Points[i])
	}
	e.scalePoint(&s.SinceChange)
	for _, curve := range [][]TmaxPoint{s.TmaxCurve, s.TmaxCurveRecent} {
		for i := range curve {
			p := &curve[i]
			c(&p.Auctions)
			c(&p.Filled)
			c(&p.Bids)
			c(&p.Late)
			m(&p.Revenue)
			m(&p.NetRevenue)
		}
	}
}

// scaleBidder brings one bidder's counts and money to full scale; its
// total and daily budgets are reported as set (bd.total, bd.day).
func (e *Engine) scaleBidder(b *BidderStats, bd *bidder) {
	n, d := e.scale, bd.day
	if n <= 1 {
		return
	}
	for _, p := range []*uint64{&b.BidRequests, &b.Bids, &b.OnTime, &b.Late, &b.BelowFloor, &b.NoBids, &b.NoBudget, &b.Throttled,
		&b.SkippedDeadline, &b.Errors, &b.Refused, &b.Hangs, &b.Wins, &b.RecentBids, &b.RecentLate,
		&b.Clicks, &b.Conversions, &b.Organic, &b.Pending, &b.Unattributed, &b.WithoutAd,
		&b.PendingCaused, &b.PendingUnattributed, &b.WithoutAdPending} {
		*p = scaleCount(*p, n)
	}
	for _, p := range []*Money{&b.Spend, &b.Value, &b.ValueCaused, &b.ValueOrgan, &b.ValueUnattributed, &b.ValueWithoutAd} {
		*p = scaleMoney(*p, n)
	}
	if !b.Unlimited {
		b.Budget = bd.total
	}
	b.Daily = d.full(b.Daily, n)
	for i := range b.Days {
		b.Days[i].Spend = scaleMoney(b.Days[i].Spend, n)
		b.Days[i].Budget = d.full(b.Days[i].Budget, n)
	}
	// The strategy studied compares the same auctions' surplus: money and
	// a count, at full scale as the surplus beside it.
	cf := &b.Counterfactual
	cf.Auctions = scaleCount(cf.Auctions, n)
	for _, p := range []*Money{&cf.Surplus, &cf.Truthful, &cf.Equilibrium} {
		*p = scaleMoney(*p, n)
	}
	if f := b.Frequency; f != nil {
		// Each simulated person stands for its block of people
		// (personWeights), count / m on average: the people counts are
		// scaled by that, not by the scale, which is off by up to 1/(2m)
		// where count is not m × scale. The no-bids and conversions are
		// events, 1 in scale of them simulated. Impressions per person
		// and within a window are as simulated.
		per := n
		if e.people != nil {
			per = e.people.stands
		}
		f.PeopleReached = scalePeople(f.PeopleReached, per)
		f.Capped = scaleCount(f.Capped, n)
		f.RepeatConversions = scaleCount(f.RepeatConversions, n)
		scaleDistribution(&f.Distribution, per)
	}
}

// scalePeople is x simulated people at full scale, each standing for per
// people: x × per, rounded, saturating.
func scalePeople(x uint64, per float64) uint64 {
	y := math.Round(float64(x) * per)
	if y >= math.MaxUint64 {
		return math.MaxUint64
	}
	return uint64(y)
}

// scaleDistribution scales the people of each bucket of d by per, its
// running sums rounded rather than each bucket, so that the buckets
// still add up to the people reached (scalePeople of their sum).
func scaleDistribution(d *[len(FrequencyBuckets)]uint64, per float64) {
	var sum, done uint64
	for i, x := range d {
		sum += x
		upTo := scalePeople(sum, per)
		d[i] = upTo - done
		done = upTo
	}
}

// scalePoint brings a series point's counts and money to full scale.
func (e *Engine) scalePoint(p *SeriesPoint) {
	n := e.scale
	p.Auctions = scaleCount(p.Auctions, n)
	p.Filled = scaleCount(p.Filled, n)
	p.Timeouts = scaleCount(p.Timeouts, n)
	p.Revenue = scaleMoney(p.Revenue, n)
	p.RevenueLost = scaleMoney(p.RevenueLost, n)
	for i := range p.Bidders {
		b := &p.Bidders[i]
		b.BidRequests = scaleCount(b.BidRequests, n)
		b.Bids = scaleCount(b.Bids, n)
		b.Late = scaleCount(b.Late, n)
		b.Wins = scaleCount(b.Wins, n)
		b.Spend = scaleMoney(b.Spend, n)
		b.Value = scaleMoney(b.Value, n)
		b.DaySpend = scaleMoney(b.DaySpend, n)
		var d *daily
		if i < len(e.bidders) {
			d = e.bidders[i].day
		}
		b.DailyBudget = d.full(b.DailyBudget, n)
	}
}
