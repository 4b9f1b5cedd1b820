package sim

import (
	"math"
	"math/rand/v2"
)

// minThrottle keeps throttle pacing able to observe spend and recover.
const minThrottle = 1e-3

// priorParticipations is how many closed participations the throttle's
// prior cost counts for while start-up updates estimate the cost of
// taking part.
const priorParticipations = 8

// bidder is one bidder's live state.
type bidder struct {
	name    string
	enabled bool
	errCut  float64 // u < errCut: error
	noBid   float64 // errCut ≤ u < noBid: no-bid
	value   Dist
	// respects: declines requests it would answer after the told deadline
	respects bool

	strategy Strategy
	fixedBid Price

	budgeted    bool
	budget      Money
	reserved    Money // bids in flight: the most they can still cost
	pacing      PacingKind
	throttle    float64
	mu          float64
	spentAtTick Money
	offered     uint64 // throttle pacing: bid requests that reached the throttle

	station *station
	outcome *Outcome

	// Streams, one per purpose, for common random numbers.
	rDecide, rService, rValue, rPace, rOutcome *rand.Rand
	net                                        sampler // network round trip, on its own stream

	count  [OnTime + 1]uint64         // closed bid requests by how they ended
	noBids [MissesDeadline + 1]uint64 // no-bids by reason
	stats  BidderStats                // other counters; the snapshot fills in the rest
	times  latencies

	group string   // advertiser group; empty: none
	hold  *holdout // incrementality test; nil: none
}

func newBidder(seed uint64, c *BidderConfig) bidder {
	key := "bidder/" + c.Name + "/"
	b := bidder{
		name:     c.Name,
		enabled:  !c.Disabled,
		errCut:   c.Errors,
		noBid:    c.Errors + c.NoBid,
		value:    c.Value,
		respects: c.RespectsTmax,
		strategy: c.Strategy,
		fixedBid: PriceOf(c.Strategy.Bid),
		throttle: 1,
		rDecide:  newStream(seed, key+"decide"),
		net:      newSampler(c.Latency, newStream(seed, key+"network")),
		rService: newStream(seed, key+"service"),
		rValue:   newStream(seed, key+"value"),
		rPace:    newStream(seed, key+"pacing"),
		rOutcome: newStream(seed, key+"outcome"),
		times:    newLatencies(),
		group:    c.Group,
		hold:     newHoldout(seed, c),
	}
	if c.Budget != nil {
		b.budgeted = true
		b.budget = MoneyOf(c.Budget.Total)
		b.pacing = c.Budget.Pacing
	}
	if c.Capacity != nil {
		b.station = newStation(c.Capacity)
	}
	if c.Outcome != nil {
		o := *c.Outcome
		b.outcome = &o
	}
	return b
}

// respond computes this bidder's answer to the bid request of auction a,
// fanned out at a.start: whether it answers, when the answer arrives, and
// what it bids. Bids reserve budget until the auction closes, so a bidder
// never bids more than it can still pay.
func (b *bidder) respond(a *auctionState, r *Response) {
	*r = Response{}
	if !b.enabled || a.unsent {
		return // NotSent
	}
	u := b.rDecide.Float64()
	if u < b.errCut {
		r.Status = Error
		return
	}
	if b.respects && b.missesTold(a, r) {
		return
	}
	var queued Time
	if b.station != nil {
		wait := b.station.waitAt(a.start)
		d, ok := b.station.admit(a.start, b.rService)
		if !ok {
			r.Status = Refused
			return
		}
		queued = d
		r.Queue, r.Service = wait, d-wait
	}
	// No overflow: queued ≤ EndOfTime = 2⁶³/2, a draw ≤ maxSample = 2⁶⁰ and
	// the request processing < tmax ≤ 1h.
	r.Time = a.lead + queued + timeOf(b.net.draw())
	if u < b.noBid {
		r.Status = NoBid
		return
	}
	paced := b.budgeted && b.pacing != PacingNone
	if paced && b.pacing == PacingThrottle {
		b.offered++
		if b.rPace.Float64() >= b.throttle {
			r.Status, r.Reason = NoBid, Throttled
			return
		}
	}
	value := priceOf(b.value.Sample(b.rValue))
	var bid Price
	switch b.strategy.Kind {
	case Truthful:
		bid = value
	case Shade:
		bid = microPrice(float64(value) * b.strategy.Factor)
	case Fixed:
		bid = b.fixedBid
	}
	if paced && b.pacing == PacingMultiplier {
		bid = min(bid, Price(float64(bid)/(1+b.mu))) // never rounds past bid
	}
	if b.budgeted {
		avail := b.budget - b.stats.Spend - b.reserved
		if avail <= 0 {
			r.Status, r.Reason = NoBid, NoBudget
			return
		}
		bid = min(bid, Price(avail))
	}
	if b.hold != nil && b.hold.hold() {
		// Not submitted, so nothing reserved; the bid is kept for the
		// close to tell whether it would have won.
		r.Status, r.Reason, r.Value, r.Bid = NoBid, HeldOut, value, bid
		return
	}
	b.reserved += bid.Cost()
	r.Value, r.Bid = value, bid
	switch {
	case r.Time > a.tmax:
		r.Status = Late
	case bid < a.floor:
		r.Status = BelowFloor
	default:
		r.Status = OnTime
	}
}

// affordable withdraws a bid its bidder can no longer pay: reservations
// keep bids within budget, but a budget cut while bids are in flight can
// leave less than they reserved. The auction never charges past a budget.
func (b *bidder) affordable(r *Response) {
	if !b.budgeted || r.Bid.Cost() <= b.budget-b.stats.Spend {
		return
	}
	b.reserved -= r.Bid.Cost()
	r.Status, r.Reason, r.Bid = NoBid, NoBudget, 0
}

// settle counts a closed auction's response, records its response time
// and releases its reservation. Counting by status into an array keeps the
// hot path nearly free of branches; the snapshot adds the counts up.
func (b *bidder) settle(r *Response) {
	b.count[r.Status]++
	switch {
	case r.Status >= Late:
		b.reserved -= r.Bid.Cost()
	case r.Status == NoBid:
		b.noBids[r.Reason]++
	default:
		return // no answer: no response time
	}
	b.times.record(r.Time)
}

// pace runs one step of the bidder's pacing controller at now, dt after
// the last: rho is the spend that would use the remaining budget evenly
// over the remaining horizon, for an interval of dt, and z what the last
// interval actually spent.
func (b *bidder) pace(now, dt, horizon Time, epsilon, maxMu, requests float64, startup bool) {
	z := float64(b.stats.Spend - b.spentAtTick)
	b.spentAtTick = b.stats.Spend
	if !b.budgeted || b.pacing == PacingNone || dt <= 0 {
		return
	}
	left := float64(max(b.budget-b.stats.Spend, 0))
	rho := left * float64(dt) / float64(max(horizon-now, dt))
	switch b.pacing {
	case PacingThrottle:
		if startup {
			b.throttleFromCost(now, rho/float64(dt), requests)
			return
		}
		// Agarwal et al. 2014 raise the probability when behind an even
		// schedule and lower it when ahead; a damped proportional step
		// settles in a few intervals without oscillating.
		switch {
		case rho <= 0:
			b.throttle = minThrottle
		case z <= 0:
			b.throttle = min(1, 2*b.throttle)
		default:
			b.throttle = min(1, max(minThrottle, b.throttle*math.Sqrt(rho/z)))
		}
	case PacingMultiplier:
		// Balseiro & Gur 2019: μ ← clamp(μ − ε(ρ − z), 0, μ̄), with the
		// error relative to ρ so that ε needs no currency unit.
		if rho <= 0 {
			b.mu = maxMu
			return
		}
		g := (rho - z) / rho
		if startup {
			// μ starts at 0, unpaced, so the first updates see spend
			// many times the even rate, and a full step on that error
			// would leave μ far above its level, spending nothing for
			// many intervals and then catching up in a burst: at first
			// an overspend counts as at most 100%, like an underspend.
			g = max(g, -1)
		}
		b.mu = min(maxMu, max(0, b.mu-epsilon*g))
	}
}

// throttleFromCost sets the throttle probability that spends rate (money
// per ns) at what taking part has cost so far, with requests the ad
// requests per ns: spend is proportional to
// the probability, as the throttle samples auctions independently. The
// rate of bid requests is measured at fan-out, at once; the cost of one
// participation only once auctions close, tmax later. Until then it is
// taken to be the bidder's mean bid, as if it won every auction at its bid:
// a prior that can only underspend, and that weighs on the estimate until
// enough auctions have closed. The start-up updates use this rather
// than the damped step, as nothing earlier holds the probability back.
func (b *bidder) throttleFromCost(now Time, rate, requests float64) {
	if rate <= 0 {
		b.throttle = minThrottle
		return
	}
	offers := requests * (1 - b.noBid) // the rate the traffic promises
	if now > 0 && b.offered > 0 {
		offers = float64(b.offered) / float64(now) // the rate seen
	}
	// The cost of taking part is the spend per closed participation,
	// shrunk toward the prior by priorParticipations pseudo-observations:
	// the first few closed auctions hold a win or two at most, and a
	// run of losses would read as free participation and open the
	// throttle wide, an overspend that nothing later can undo. The prior
	// costs at least what taking part does, so the shrinkage errs on the
	// side of underspending, which the controller makes up later.
	c := &b.count
	closed := float64(c[Late] + c[BelowFloor] + c[OnTime] + b.noBids[NoBudget])
	cost := (float64(b.stats.Spend) + priorParticipations*b.meanBid()) / (closed + priorParticipations)
	if !(cost > 0 && offers > 0) {
		b.throttle = 1
		return
	}
	b.throttle = min(1, max(minThrottle, rate/(offers*cost)))
}

// meanBid is what one bid costs on average if it wins at its own price,
// in Money, before pacing.
func (b *bidder) meanBid() float64 {
	switch b.strategy.Kind {
	case Shade:
		return b.value.Mean() * b.strategy.Factor * float64(PriceUnit)
	case Fixed:
		return float64(b.fixedBid)
	}
	return b.value.Mean() * float64(PriceUnit)
}

// outcomes draws what a won impression leads to and schedules its
// conversion, if any: at most one per impression. The person would have
// converted anyway with probability baseline_cvr (organic); otherwise the
// ad causes a conversion if they click (ctr) and then convert (cvr). So
// organic conversions are baseline_cvr of impressions, caused ones (1 −
// baseline_cvr)·ctr·cvr, exactly the lift over not showing the ad, and
// clicks are ctr whichever way the person converts.
func (b *bidder) outcomes(e *Engine, idx int32) {
	o := b.outcome
	if o == nil {
		return
	}
	r := b.rOutcome
	clicked := o.CTR > 0 && r.Float64() < o.CTR
	if clicked {
		b.stats.Clicks++
	}
	switch {
	case o.BaselineCVR > 0 && r.Float64() < o.BaselineCVR:
		b.schedule(e, idx, 0)
	case clicked && o.CVR > 0 && r.Float64() < o.CVR:
		b.schedule(e, idx, 1)
	}
}

func (b *bidder) schedule(e *Engine, idx, caused int32) {
	b.stats.Pending++
	delay := timeOf(b.outcome.Delay.Sample(b.rOutcome))
	e.push(event{at: addTime(e.now, delay), kind: evConversion, ref: idx, arg: caused})
}

// convert counts a matured conversion.
func (b *bidder) convert(caused bool) {
	b.stats.Pending--
	if caused {
		b.stats.Conversions++
		b.stats.ValueCaused += b.outcome.OrderValue
	} else {
		b.stats.Organic++
		b.stats.ValueOrgan += b.outcome.OrderValue
	}
}
