package sim

import "fmt"

// BidderModel is one bidder of a world answering bid requests one at a
// time, at instants a caller gives (the wire server's wall clock, in ns
// since it started), instead of inside an engine: the engine's own bidder,
// with its latency, capacity queue, errors, no-bids, values, strategy,
// budget and pacing, so that a bidder served over HTTP answers as the
// simulated one does. The caller tells it how each bid ended (Won, Lost):
// the engine learns that at the auction's close, a remote bidder only by
// notices. It is not safe for concurrent use; instants must not decrease.
type BidderModel struct {
	b     bidder
	p     modelPacer
	tmax  Time // the world's exchange deadline, which pacing's timing follows
	index int  // the bidder's position in the world
}

// Answer is a BidderModel's answer to one bid request.
type Answer struct {
	// Status is Error (an answer with an error: an HTTP 5xx, after
	// Delay), Refused (the queue is full: refused at once), Hang (no
	// answer at all), NoBid (Reason says why) or OnTime: a bid.
	Status Status
	Reason NoBidReason
	// Delay is the modelled time from the request's arrival to the
	// answer: the network round trip, the wait for a worker and the
	// service (an error's own latency). Zero for refusals and hangs.
	Delay          Time
	Queue, Service Time
	Value, Bid     Price
}

// NewBidderModel builds the model of cfg's bidder named name, at instant
// 0, with the streams a run of cfg gives it, and starts its pacing as the
// engine does (over cfg.Horizon, at cfg.Traffic.QPS).
func NewBidderModel(cfg Config, name string) (*BidderModel, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("bidder model of %s: %w", name, err)
	}
	for i := range cfg.Bidders {
		if cfg.Bidders[i].Name != name {
			continue
		}
		m := &BidderModel{b: newBidder(cfg.Seed, &cfg.Bidders[i]), tmax: cfg.Exchange.Tmax, index: i}
		m.p = newModelPacer(cfg, m)
		return m, nil
	}
	return nil, fmt.Errorf("bidder model: the world has no bidder %q", name)
}

// Name is the bidder's name.
func (m *BidderModel) Name() string { return m.b.name }

// Index is the bidder's position in the world's bidders.
func (m *BidderModel) Index() int { return m.index }

// RespectsTmax reports whether the bidder declines requests it would
// answer after the deadline it is told.
func (m *BidderModel) RespectsTmax() bool { return m.b.respects }

// Answer draws the answer to a bid request arriving at now, told deadline
// told after its arrival (≤ 0: none). The bid is made whatever the floor:
// refusing bids under it is the exchange's rule. Pacing catches up to now
// first. A bid reserves its cost against the budget until Won or Lost
// settles it.
func (m *BidderModel) Answer(now, told Time) Answer {
	m.Advance(now)
	if told <= 0 {
		told = EndOfTime
	}
	// The exchange decides late and below-floor; the model only answers,
	// so its deadline and floor never mark the bid itself.
	a := auctionState{start: now, tmax: EndOfTime, told: told}
	var r Response
	m.b.respond(&a, &r)
	out := Answer{Status: r.Status, Reason: r.Reason, Queue: r.Queue, Service: r.Service, Value: r.Value, Bid: r.Bid}
	switch r.Status {
	case Error:
		out.Delay = r.Time
		m.b.count[Error]++
	case Refused, Hang:
		m.b.count[r.Status]++
	case NoBid:
		out.Delay = r.Time
		m.b.count[NoBid]++
		m.b.noBids[r.Reason]++
	default:
		out.Status, out.Delay = OnTime, r.Time
	}
	return out
}

// Won settles a bid of bid that won at price, at now: its reservation
// becomes spend, as at the engine's close.
func (m *BidderModel) Won(now Time, bid, price Price, value Price) {
	m.Advance(now)
	b := &m.b
	b.reserved -= bid.Cost()
	b.count[OnTime]++
	cost := min(price, bid).Cost()
	b.stats.Wins++
	b.stats.Spend = addMoney(b.stats.Spend, cost)
	b.stats.Value = addMoney(b.stats.Value, value.Cost())
}

// Lost settles a bid of bid that did not win (a loss notice, or a bid the
// caller gives up waiting on): its reservation is released.
func (m *BidderModel) Lost(now Time, bid Price) {
	m.Advance(now)
	m.b.reserved -= bid.Cost()
	m.b.count[OnTime]++
}

// ModelBudget is a BidderModel's money.
type ModelBudget struct {
	Limited  bool
	Budget   Money // 0 when not Limited
	Spend    Money // won, by notices
	Reserved Money // bids not yet settled
	Wins     uint64
	Pacing   PacingKind
	Throttle float64
	Mu       float64
}

// Money is the model's budget, spend and reservations.
func (m *BidderModel) Money() ModelBudget {
	b := &m.b
	return ModelBudget{Limited: b.budgeted && !b.noTotal, Budget: b.budget, Spend: b.stats.Spend, Reserved: b.reserved,
		Wins: b.stats.Wins, Pacing: b.pacing, Throttle: b.throttle, Mu: b.mu}
}

// Advance runs the pacing updates due up to now, each at its own instant,
// as the engine would have run them.
func (m *BidderModel) Advance(now Time) { m.p.advance(now) }

// modelPacer schedules one bidder's pacing as the engine schedules every
// bidder's (engine.go: startPacing, nextPace, scheduleProbe): the same
// controllers (bidder.pace, startMultiplier, stepSearch) at the same
// instants, for a bidder answering on a clock of its own.
type modelPacer struct {
	m                      *BidderModel
	on                     bool
	now, horizon, interval Time
	lastPace, nextPace     Time
	ticks                  int
	epsilon, maxMu, rate   float64 // rate: ad requests per ns
	markAt, probeAt        Time    // multiplier search's next window and probe; never: none
}

func newModelPacer(cfg Config, m *BidderModel) modelPacer {
	p := modelPacer{m: m, horizon: cfg.Horizon, markAt: never, probeAt: never, nextPace: never,
		epsilon: cmp0(cfg.Pacing.Epsilon, defaultEpsilon), maxMu: cmp0(cfg.Pacing.MaxMu, defaultMaxMu),
		rate: cfg.Traffic.QPS / float64(Second)}
	if p.horizon <= 0 || !m.b.budgeted {
		return p
	}
	p.on = true
	p.interval = cmp0(cfg.Pacing.Interval, max(p.horizon/pacingSteps, Millisecond))
	b := &m.b
	even := float64(b.budget) / float64(p.horizon)
	switch b.pacing {
	case PacingThrottle:
		b.throttleFromCost(0, even, p.rate)
	case PacingMultiplier:
		b.startMultiplier(0, even, p.rate, p.maxMu)
		if b.search.active {
			p.scheduleProbe()
		}
	}
	p.nextPace = p.next()
	return p
}

func (p *modelPacer) evenRate() float64 {
	b := &p.m.b
	return float64(max(b.budget-b.stats.Spend, 0)) / float64(max(p.horizon-p.now, 1))
}

func (p *modelPacer) searchStep() Time {
	return addTime(p.m.tmax, max(p.m.tmax, p.interval/startupTicks, 1))
}

func (p *modelPacer) scheduleProbe() {
	p.markAt = addTime(p.now, p.m.tmax)
	p.probeAt = addTime(p.now, p.searchStep())
}

// next is engine.nextPace for this bidder.
func (p *modelPacer) next() Time {
	if k := Time(p.ticks + 1); k < startupTicks {
		step := max(p.interval/startupTicks, addTime(p.m.tmax, p.m.tmax), 1)
		if step < p.interval/k && step*k > p.now {
			return step * k
		}
	}
	if p.now < p.interval {
		return p.interval
	}
	return addTime(p.now, p.interval)
}

func (p *modelPacer) advance(now Time) {
	if !p.on {
		p.now = max(p.now, now)
		return
	}
	b := &p.m.b
	for {
		t := min(p.nextPace, p.markAt, p.probeAt)
		if t > now || t >= EndOfTime {
			break
		}
		p.now = t
		switch t {
		case p.markAt:
			p.markAt = never
			b.markSearch(t, p.m.tmax)
		case p.probeAt:
			p.probeAt = never
			if b.search.active {
				b.stepSearch(t, p.evenRate(), p.maxMu, 4*(p.searchStep()-p.m.tmax))
			}
			if b.search.active {
				p.scheduleProbe()
			}
		default:
			b.pace(t, t-p.lastPace, p.horizon, p.epsilon, p.maxMu, p.rate, t <= p.interval)
			p.lastPace = t
			p.ticks++
			p.nextPace = p.next()
		}
	}
	p.now = max(p.now, now)
}
