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
	hangCut float64 // errCut ≤ u < hangCut: never answered
	noBid   float64 // hangCut ≤ u < noBid: no-bid
	value   Dist
	// respects: declines requests it would answer after the told deadline
	respects bool

	strategy Strategy
	fixedBid Price
	eq       eqBids     // Equilibrium: the bid function, kept up to date by changes
	cfEq     eqBids     // other strategies: β for the counterfactual, brought up to date when needed
	learn    learner    // Learn: the bandit, reset when the strategy changes
	goal     *goalState // TargetCPA, TargetROAS: the controller; nil otherwise
	// goalEpoch numbers the goals begun, to tell their conversions apart.
	goalEpoch int32
	rLearn    *rand.Rand

	budgeted bool
	budget   Money
	// total is the total budget as given, at full scale, at a traffic
	// scale > 1 (budget is it divided by the scale, rounded): what the
	// snapshot reports, so that a total reads back as set, as a daily
	// budget does (daily.full), and moves keep a group's sum exact.
	total Money
	// noTotal: only a daily budget caps it; budget is MaxAmount and the
	// snapshot reports no total (unlimited).
	noTotal     bool
	day         *daily // the daily budget; nil: none
	reserved    Money  // bids in flight: the most they can still cost
	pacing      PacingKind
	throttle    float64
	mu          float64
	muStep      float64  // multiplier pacing: the dual descent's step, adapted
	lastErr     float64  // multiplier pacing: the error at the last update
	farRun      int      // multiplier pacing: updates in a row far off the same way
	search      muSearch // multiplier pacing's start-up search for μ
	spentAtTick Money
	offered     uint64 // throttle pacing: bid requests that reached the throttle

	station *station
	outcome *Outcome

	// Streams, one per purpose, for common random numbers.
	rDecide, rService, rValue, rPace, rOutcome *rand.Rand
	net                                        sampler // network round trip, on its own stream
	// errLatency (and errNetwork) draw an error's response time on a
	// stream of its own, so that errors leave every other draw as it was.
	errLatency, errNetwork sampler
	// rtt is the network round trip, apart from the latency (hasRTT).
	rtt    sampler
	hasRTT bool
	// network records the round trips of answered requests (hasRTT).
	network latencies

	count  [OnTime + 1]uint64          // closed bid requests by how they ended
	noBids [FrequencyCapped + 1]uint64 // no-bids by reason
	stats  BidderStats                 // other counters; the snapshot fills in the rest
	// cfBase is count[OnTime] + count[BelowFloor] when the counterfactual
	// comparison last restarted (counterfactualAuctions).
	cfBase uint64
	times  latencies

	// pipes, when the draw pipeline is on, bring the decision, value,
	// service and pacing draws drawn ahead (sim/pipeline.go).
	pipes *bidderPipes

	group string   // advertiser group; empty: none
	hold  *holdout // incrementality test; nil: none
	// wo is the conversions its people would have made without its ads,
	// with people and an outcome; nil otherwise.
	wo *withoutAd
	// freq is the bidder's impressions per person and frequency cap
	// (sim/frequency.go); nil without people.
	freq *frequency
}

func newBidder(seed uint64, c *BidderConfig) bidder {
	key := "bidder/" + c.Name + "/"
	b := bidder{
		name:       c.Name,
		enabled:    !c.Disabled,
		errCut:     c.Errors,
		hangCut:    c.Errors + c.Hangs,
		noBid:      c.Errors + c.Hangs + c.NoBid,
		value:      c.Value,
		respects:   c.RespectsTmax,
		strategy:   c.Strategy,
		fixedBid:   c.Strategy.Bid,
		throttle:   1,
		rDecide:    newStream(seed, key+"decide"),
		net:        newSampler(c.Latency, newStream(seed, key+"network")),
		errLatency: newSampler(c.Latency, newStream(seed, key+"errors")),
		errNetwork: newSampler(c.Network, newStream(seed, key+"errors/network")),
		rtt:        newSampler(c.Network, newStream(seed, key+"round-trip")),
		hasRTT:     c.Network.Kind != DistNone,
		rService:   newStream(seed, key+"service"),
		rValue:     newStream(seed, key+"value"),
		rPace:      newStream(seed, key+"pacing"),
		rOutcome:   newStream(seed, key+"outcome"),
		rLearn:     newStream(seed, key+"learn"),
		times:      newLatencies(),
		group:      c.Group,
		hold:       newHoldout(seed, c),
	}
	if b.hasRTT {
		b.network = newLatencies()
	}
	if c.Strategy.Kind == Learn {
		b.learn.reset(c.Strategy)
	}
	if c.Budget != nil {
		b.budgeted = true
		b.budget = c.Budget.Total
		b.pacing = c.Budget.Pacing
		if c.Budget.Daily > 0 {
			b.day = newDaily(c.Budget)
			if c.Budget.Total == 0 {
				b.noTotal, b.budget = true, MaxAmount
			}
		}
	}
	if c.Capacity != nil {
		b.station = newStation(c.Capacity)
	}
	if c.Outcome != nil {
		o := *c.Outcome
		b.outcome = &o
	}
	b.startGoal()
	return b
}

// respond computes this bidder's answer to the bid request of auction a,
// fanned out at a.start: whether it answers, when the answer arrives, and
// what it bids. Bids reserve budget until the auction closes, so a bidder
// never bids more than it can still pay.
func (b *bidder) respond(a *auctionState, r *Response) {
	*r = Response{}
	if !b.enabled || a.unsent {
		r.Skipped = b.enabled // NotSent; skipped when only the deadline kept it back
		return
	}
	var u float64
	if b.pipes != nil {
		u = b.pipes.decide.next()
	} else {
		u = b.rDecide.Float64()
	}
	if u < b.hangCut {
		if u < b.errCut {
			r.Status = Error
			r.Time = a.lead + timeOf(b.errLatency.draw())
			if b.hasRTT {
				r.Network = timeOf(b.errNetwork.draw())
				r.Time += r.Network
			}
			return
		}
		r.Status = Hang
		return
	}
	if b.respects && b.missesTold(a, r) {
		return
	}
	var queued Time
	if b.station != nil {
		wait := b.station.waitAt(a.start)
		var p *reader
		if b.pipes != nil {
			p = b.pipes.service
		}
		d, ok := b.station.admit(a.start, b.rService, p)
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
	if b.hasRTT {
		r.Network = timeOf(b.rtt.draw())
		r.Time += r.Network
	}
	if u < b.noBid {
		r.Status = NoBid
		return
	}
	if b.freq != nil && b.freq.blocks(a.person, a.start) {
		r.Status, r.Reason = NoBid, FrequencyCapped
		return
	}
	paced := b.budgeted && b.pacing != PacingNone
	if paced && b.pacing == PacingThrottle {
		b.offered++
		if b.paceDraw() >= b.throttle {
			r.Status, r.Reason = NoBid, Throttled
			return
		}
	}
	value := priceOf(b.valueDraw())
	var bid Price
	switch b.strategy.Kind {
	case Truthful:
		bid = value
	case Shade:
		bid = microPrice(float64(value) * b.strategy.Factor)
	case Fixed:
		bid = b.fixedBid
	case Equilibrium:
		bid = min(value, PriceOf(b.eq.bid(value.CPM())))
	case Learn:
		arm := b.learn.choose(b.rLearn)
		bid = microPrice(float64(value) * b.learn.factor(arm))
		r.arm = int32(arm) + 1
	case TargetCPA, TargetROAS:
		bid = b.goal.bid()
	}
	if paced && b.pacing == PacingMultiplier {
		bid = min(bid, Price(float64(bid)/(1+b.mu))) // never rounds past bid
	}
	if b.budgeted {
		avail := b.budget - b.stats.Spend - b.reserved
		if b.day != nil {
			// What the bids in flight reserve counts against the day
			// they close in, whichever: the day's spend never passes
			// its budget.
			avail = min(avail, b.day.left(a.start)-b.reserved)
		}
		if avail <= 0 {
			r.Status, r.Reason = NoBid, NoBudget
			return
		}
		bid = min(bid, Price(avail))
	}
	if b.hold != nil && b.hold.hold(a.person) {
		// Not submitted, so nothing reserved; the bid is kept for the
		// close to tell whether it would have won.
		r.Status, r.Reason, r.Value, r.Bid = NoBid, HeldOut, value, bid
		if b.hold.person && b.freq.k > 0 {
			// By person the ghost holds its place under the cap as the
			// bid would: the control's exposures mirror the treated's.
			b.freq.hold(a.person)
			r.held = true
		}
		return
	}
	b.reserved += bid.Cost()
	r.Value, r.Bid = value, bid
	if b.freq != nil && b.freq.k > 0 {
		b.freq.hold(a.person)
		r.held = true
	}
	switch {
	case r.Time > a.tmax:
		r.Status = Late
	case bid < a.floor:
		r.Status = BelowFloor
	default:
		r.Status = OnTime
	}
}

// paceDraw is the throttle's draw on the pacing stream.
func (b *bidder) paceDraw() float64 {
	if b.pipes != nil {
		return b.pipes.pace.next()
	}
	return b.rPace.Float64()
}

// valueDraw is the bidder's value for a bid request, on the value stream.
func (b *bidder) valueDraw() float64 {
	if b.pipes != nil {
		return b.pipes.value.next()
	}
	return b.value.Sample(b.rValue)
}

// learnFrom teaches a learning bidder the outcome of its bid r: the
// surplus value − price if it won (and paid), else 0. Only bids the
// exchange received teach it; held-out and withdrawn bids were never
// placed. r.arm is not 0: close calls it only for bids a learner placed.
func (b *bidder) learnFrom(r *Response, won bool, price Price) {
	if b.strategy.Kind != Learn {
		return
	}
	switch r.Status {
	case OnTime, Late, BelowFloor:
	default:
		return
	}
	surplus := 0.0
	if won {
		surplus = r.Value.CPM() - price.CPM()
	}
	b.learn.update(int(r.arm)-1, surplus)
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
// hot path nearly free of branches; the snapshot adds the counts up. cut:
// a call on the wire whose time the close does not know, which the wire's
// side records instead: censored when it went unanswered (collectRemote),
// or once the call still open is told (LateAnswer).
func (b *bidder) settle(r *Response, lead Time, cut bool) {
	b.count[r.Status]++
	switch {
	case r.Status >= Late:
		b.reserved -= r.Bid.Cost()
	case r.Status == NoBid:
		b.noBids[r.Reason]++
	default:
		return // no answer: no response time
	}
	// The bidder's response time, without the exchange's own time
	// before the fan-out.
	if cut {
		return // recorded apart; nor is its network part known
	}
	b.times.record(r.Time - lead)
	if b.hasRTT {
		b.network.record(r.Network)
	}
}

// pace runs one step of the bidder's pacing controller at now, dt after
// the last: rho is the spend that would use the remaining budget evenly
// over the remaining horizon, for an interval of dt, and z what the last
// interval actually spent. startup: the first pacing interval, when
// throttle pacing sets its probability from cost rather than by steps.
func (b *bidder) pace(now, dt, horizon Time, epsilon, maxMu, requests float64, startup bool) {
	z := float64(b.stats.Spend - b.spentAtTick)
	b.spentAtTick = b.stats.Spend
	if !b.budgeted || b.pacing == PacingNone || dt <= 0 {
		return
	}
	left := float64(max(b.budget-b.stats.Spend, 0))
	rho := left * float64(dt) / float64(max(horizon-now, dt))
	if b.day != nil {
		rho = min(rho, b.day.rho(now, dt)) // the tighter plan of the two
	}
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
		if b.search.active {
			return // the search sets μ until it ends
		}
		// Balseiro & Gur 2019: μ ← clamp(μ − ε(ρ − z), 0, μ̄), with the
		// error relative to ρ so that ε needs no currency unit.
		if rho <= 0 {
			b.mu = maxMu
			return
		}
		b.mu = min(maxMu, max(0, b.mu-b.descentStep(epsilon, (rho-z)/rho)))
	}
}

// descentStep is the dual descent's move for error g (relative to ρ,
// positive when underspending). The error counts at most 100% either way,
// so that one interval's overspend cannot throw μ far past its level.
// The step adapts as in Rprop: halved when the error changes sign, as μ
// has stepped over its level, and grown back toward ε while the sign
// holds. Where spend falls steeply with μ (values in a narrow range, a
// floor among them) a fixed step swings μ from one side of its level to
// the other every interval; the halving settles it, and the growth keeps
// it following a budget or traffic that changes.
func (b *bidder) descentStep(epsilon, g float64) float64 {
	g = min(1, max(-1, g))
	switch {
	case b.muStep == 0:
		b.muStep = epsilon
	case g*b.lastErr < 0:
		b.muStep = max(b.muStep*0.5, epsilon*minStepShare)
	case g*b.lastErr > 0:
		b.muStep = min(b.muStep*stepGrowth, epsilon)
	}
	if math.Abs(g) >= farErr && g*b.lastErr > 0 {
		b.farRun++
		if b.farRun >= farRuns {
			// Far off the same way again and again: the level has
			// moved (a rival's budget ran dry), not μ stepped over it.
			b.muStep = epsilon
		}
	} else {
		b.farRun = 0
	}
	b.lastErr = g
	return b.muStep * g
}

// The dual descent's step stays within [ε·minStepShare, ε] and grows by
// stepGrowth per update while the error keeps its sign; it is reset to ε
// after farRuns updates in a row off by farErr or more the same way.
const (
	minStepShare = 1.0 / 16
	stepGrowth   = 1.25
	farErr       = 0.5
	farRuns      = 2
)

// muSearch is multiplier pacing's start-up. μ = 0 bids unpaced, and dual
// descent climbs from there by at most ε an update, overspending all the
// while; so μ starts instead where even winning every auction at the bid
// would spend no more than the even rate (the throttle's prior), and a
// search in x = ln(1+μ), the log of the bids' scale, finds the level
// before dual descent takes over: 1+μ halves while spend stays below the
// even rate, then the bracket is bisected. Each probe is judged by the
// auctions it bid in alone: the window opens tmax after the probe is set,
// when the auctions bid before it have all closed.
type muSearch struct {
	active bool
	lo, hi float64 // x: lo spent at least the even rate (or is 0), hi less
	over   bool    // a probe has overspent: bisect rather than halve
	since  Time    // when the probe was set
	marked bool    // the window is open
	mark   Money   // spend when the window opened
	wins   uint64  // wins when the window opened
	markAt Time
	probes int
}

// Bounds of the search: it ends when the bracket is within searchWidth in
// x (2% of the bids' scale), or after maxProbes probes.
const (
	searchWidth = 0.02
	maxProbes   = 24
	searchWins  = 10 // wins a window needs to call a probe an underspend
)

// startMultiplier begins the search for μ; rate is the even spend rate
// (money per ns) and requests the ad requests per ns.
func (b *bidder) startMultiplier(now Time, rate, requests, maxMu float64) {
	b.muStep, b.lastErr = 0, 0
	b.search = muSearch{}
	b.mu = 0
	if !(rate > 0) {
		b.mu = maxMu
		return
	}
	prior := requests * (1 - b.noBid) * b.meanBid() / rate // 1+μ at the prior
	if !(prior > 1) {
		return // the budget cannot bind: bid unpaced
	}
	hi := math.Log(min(prior, 1+maxMu))
	b.search = muSearch{active: true, hi: hi}
	b.probe(now, hi-math.Ln2)
}

// probe bids at x = ln(1+μ) from now on.
func (b *bidder) probe(now Time, x float64) {
	b.mu = math.Expm1(max(x, 0))
	b.search.since, b.search.marked = now, false
	b.search.probes++
}

// markSearch opens the probe's window once every auction bid before the
// probe has closed.
func (b *bidder) markSearch(now, tmax Time) {
	s := &b.search
	if s.active && !s.marked && now-s.since >= tmax {
		s.marked, s.mark, s.wins, s.markAt = true, b.stats.Spend, b.stats.Wins, now
	}
}

// stepSearch judges the probe by its window's spend rate against rate,
// the even rate now, and sets the next probe or ends the search.
func (b *bidder) stepSearch(now Time, rate, maxMu float64, longest Time) {
	s := &b.search
	if !s.active || !s.marked || now <= s.markAt {
		return
	}
	over := float64(b.stats.Spend-s.mark)/float64(now-s.markAt) > rate
	if !over && b.stats.Wins-s.wins < searchWins && now-s.markAt < longest {
		// Too few wins to call it an underspend, the mistake that costs:
		// the window stays open. An overspend is called at once.
		return
	}
	if !(rate > 0) {
		s.active = false
		b.mu = maxMu
		return
	}
	x := math.Log1p(b.mu)
	if over {
		s.lo, s.over = x, true
	} else {
		s.hi = x
	}
	next := (s.lo + s.hi) / 2
	if !s.over {
		next = max(x-math.Ln2, x/2) // halve 1+μ, or x near μ = 0
	}
	if s.hi-s.lo < searchWidth || s.probes >= maxProbes {
		s.active = false
		if !s.over {
			next = s.hi // no overspend seen: keep the lowest μ known to underspend
		}
		b.mu = math.Expm1(max(next, 0))
		return
	}
	b.probe(now, next)
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
	case TargetCPA, TargetROAS:
		return float64(b.goal.bid())
	}
	return b.value.Mean() * float64(PriceUnit)
}

// outcomesAt draws what a won impression leads to and schedules its
// conversion, if any: at most one per impression. The person would have
// converted anyway with probability baseline_cvr (organic); otherwise the
// ad causes a conversion if they click (ctr) and then convert (cvr). So
// organic conversions are baseline_cvr of impressions, caused ones (1 −
// baseline_cvr)·ctr·cvr, exactly the lift over not showing the ad, and
// clicks are ctr whichever way the person converts. The impression is in
// a slot of click-through weight w (1 with one slot): it is clicked with
// probability w × CTR.
func (b *bidder) outcomesAt(e *Engine, idx int32, w float64, person uint32) {
	o := b.outcome
	if o == nil {
		return
	}
	r := b.rOutcome
	clicked := o.CTR > 0 && r.Float64() < w*o.CTR
	if clicked {
		b.stats.Clicks++
	}
	switch {
	case o.BaselineCVR > 0 && r.Float64() < o.BaselineCVR:
		b.schedule(e, idx, 0, person)
	case clicked && o.CVR > 0 && r.Float64() < o.CVR:
		b.schedule(e, idx, convCaused, person)
	}
}

// A conversion event's arg: whether the ad caused it (else it is
// organic), and whether it matures outside the attribution window.
const (
	convCaused  = 1
	convOutside = 2
	// A goal bidder's conversions carry its goal's epoch above these
	// bits (goal.go).
	convEpochShift = 2
)

func (b *bidder) schedule(e *Engine, idx, kind int32, person uint32) {
	delay := timeOf(b.outcome.Delay.Sample(b.rOutcome))
	at := addTime(e.now, delay)
	if person != 0 {
		f := b.freq
		if kind == 0 {
			// Organic: the person would have converted without the ad
			// all the same, once per period (the truth).
			b.wo.would(f, person, e.now, at)
		}
		if !f.converts(person, at) {
			return // the person converts once per period
		}
	}
	b.stats.Pending++
	if kind&convCaused != 0 {
		b.stats.PendingCaused++
	}
	if w := b.outcome.AttributionWindow; w > 0 && delay > w {
		// Its only touch is this impression (there are no people to
		// see another), older than the window when it converts.
		kind |= convOutside
		b.stats.PendingUnattributed++
	}
	if b.goal != nil {
		kind = b.goal.scheduled(kind, b.outcome.OrderValue)
	}
	e.push(event{at: at, kind: evConversion, ref: idx, arg: kind, person: person})
}

// convert counts a matured conversion, of person (0: none).
func (b *bidder) convert(kind int32, person uint32) {
	b.stats.Pending--
	if kind&convCaused != 0 {
		b.stats.PendingCaused--
	}
	if kind&convOutside != 0 {
		b.stats.PendingUnattributed--
	}
	if person != 0 && b.freq.hw >= 0 {
		// A holdout by person counts the treated person's conversion
		// once it has happened, as a real test sees it.
		b.hold.converted(b.freq, person)
	}
	if kind&convCaused != 0 {
		b.stats.Conversions++
		b.stats.ValueCaused = addMoney(b.stats.ValueCaused, b.outcome.OrderValue)
	} else {
		b.stats.Organic++
		b.stats.ValueOrgan = addMoney(b.stats.ValueOrgan, b.outcome.OrderValue)
	}
	if b.goal != nil {
		b.goal.matured(kind, b.outcome.OrderValue)
	}
	if kind&convOutside != 0 {
		b.stats.Unattributed++
		b.stats.ValueUnattributed = addMoney(b.stats.ValueUnattributed, b.outcome.OrderValue)
	}
}
