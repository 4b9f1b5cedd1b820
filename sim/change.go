package sim

import (
	"errors"
	"fmt"
	"math"
)

// Change is a live change to a running world, applied at the engine's
// current virtual instant by Engine.Apply. The concrete types below are the
// only changes; each is a plain value that can be logged and replayed.
type Change interface {
	// String describes the change for the change log ("tmax 120ms → 100ms"
	// is the caller's to render; this says "tmax 100ms").
	String() string
	// Kind names what the change sets, one word per change type ("tmax",
	// "latency_scale"): the change log's kind, as data.
	Kind() string
	apply(e *Engine) error
}

// AppliedChange is one entry of a run's change log: the change and the
// exact point it was applied, so a run with the same seed can replay it.
type AppliedChange struct {
	At     Time   // virtual time
	Event  uint64 // events processed before it
	Change Change
	// Scripted: applied by the config's script, not by hand. A replay
	// with the same script leaves these to the script's own schedule.
	Scripted bool
}

// SetTmax sets the deadline for auctions fanned out from now on.
type SetTmax struct{ Tmax Time }

// SetFloor sets the floor for auctions fanned out from now on.
type SetFloor struct{ Floor Price }

// SetAuction switches the auction type for auctions fanned out from now on.
type SetAuction struct{ Auction AuctionType }

// SetIncrement sets the second-price increment.
type SetIncrement struct{ Increment Price }

// SetQPS sets the mean ad-request rate.
type SetQPS struct{ QPS float64 }

// ScaleLatency multiplies a bidder's latency by Factor (its network round
// trip too when it has none apart).
type ScaleLatency struct {
	Bidder string
	Factor float64
}

// SetLatency replaces a bidder's latency distribution (the network round
// trip drawn apart, BidderConfig.Network, stays).
type SetLatency struct {
	Bidder  string
	Latency Dist
}

// SetBudget sets a bidder's total budget; what it spent so far counts
// against the new total. Unlimited removes the cap: the whole budget
// (budget=null), or with KeepDaily only the total cap of a bidder with a
// daily budget, which stays (budget.total=null; a scenario's daily budget
// without a total). A total of 0 is a cap of 0: a scenario refuses it
// beside a daily budget, where it would spend nothing.
type SetBudget struct {
	Bidder    string
	Total     Money
	Unlimited bool
	KeepDaily bool
}

// SetStrategy replaces a bidder's bidding strategy.
type SetStrategy struct {
	Bidder   string
	Strategy Strategy
}

// SetPacing switches a budgeted bidder's pacing algorithm.
type SetPacing struct {
	Bidder string
	Pacing PacingKind
}

// SetEnabled turns a bidder on or off; a disabled bidder gets no bid requests.
type SetEnabled struct {
	Bidder  string
	Enabled bool
}

// String describes the change for the change log.
func (c SetTmax) String() string      { return "tmax " + c.Tmax.String() }
func (c SetFloor) String() string     { return fmt.Sprintf("floor %.2f", c.Floor.CPM()) }
func (c SetAuction) String() string   { return "auction " + c.Auction.String() }
func (c SetIncrement) String() string { return fmt.Sprintf("increment %.2f", c.Increment.CPM()) }
func (c SetQPS) String() string       { return fmt.Sprintf("qps %g", c.QPS) }
func (c ScaleLatency) String() string {
	return fmt.Sprintf("%s latency ×%g", c.Bidder, c.Factor)
}
func (c SetLatency) String() string {
	return c.Bidder + " latency " + durations(c.Latency)
}
func (c SetBudget) String() string {
	if c.Unlimited && c.KeepDaily {
		return c.Bidder + " total budget unlimited (daily budget stays)"
	}
	if c.Unlimited {
		return c.Bidder + " budget unlimited"
	}
	return fmt.Sprintf("%s budget %.2f", c.Bidder, c.Total.Float())
}
func (c SetStrategy) String() string { return c.Bidder + " strategy " + c.Strategy.String() }
func (c SetPacing) String() string   { return c.Bidder + " pacing " + c.Pacing.String() }
func (c SetEnabled) String() string {
	if c.Enabled {
		return c.Bidder + " enabled"
	}
	return c.Bidder + " disabled"
}

// SetAbandonment sets what waiting costs (exchange.abandonment) for the
// auctions that close from now on. The tmax curve then starts afresh: its
// net revenue so far was settled under the old assumption.
type SetAbandonment struct{ Abandonment Abandonment }

// String describes the change for the change log.
func (c SetAbandonment) String() string {
	if !c.Abandonment.On() {
		return "abandonment off"
	}
	return fmt.Sprintf("abandonment %g per 100ms past %v", c.Abandonment.Per100ms, c.Abandonment.Grace)
}

// Kind names what the change sets.
func (SetAbandonment) Kind() string { return KindAbandonment }

func (c SetAbandonment) apply(e *Engine) error {
	if err := errors.Join(c.Abandonment.validate("exchange.abandonment")...); err != nil {
		return err
	}
	if e.abandon == c.Abandonment {
		return nil
	}
	e.abandon = c.Abandonment
	if e.curve != nil {
		e.curve = e.freshCurve(e.curve.grid)
	}
	return nil
}

// The kinds of change, as Kind returns them.
const (
	KindAbandonment  = "abandonment"
	KindTmax         = "tmax"
	KindFloor        = "floor"
	KindAuction      = "auction"
	KindIncrement    = "increment"
	KindQPS          = "qps"
	KindLatencyScale = "latency_scale"
	KindLatency      = "latency"
	KindBudget       = "budget"
	KindStrategy     = "strategy"
	KindPacing       = "pacing"
	KindEnabled      = "enabled"
)

// Kind names what the change sets.
func (SetTmax) Kind() string      { return KindTmax }
func (SetFloor) Kind() string     { return KindFloor }
func (SetAuction) Kind() string   { return KindAuction }
func (SetIncrement) Kind() string { return KindIncrement }
func (SetQPS) Kind() string       { return KindQPS }
func (ScaleLatency) Kind() string { return KindLatencyScale }
func (SetLatency) Kind() string   { return KindLatency }
func (SetBudget) Kind() string    { return KindBudget }
func (SetStrategy) Kind() string  { return KindStrategy }
func (SetPacing) Kind() string    { return KindPacing }
func (SetEnabled) Kind() string   { return KindEnabled }

// BidderOf is the name of the bidder c applies to, or "" for a change to
// the exchange or the traffic.
func BidderOf(c Change) string {
	switch c := c.(type) {
	case ScaleLatency:
		return c.Bidder
	case SetLatency:
		return c.Bidder
	case SetBudget:
		return c.Bidder
	case SetStrategy:
		return c.Bidder
	case SetPacing:
		return c.Bidder
	case SetEnabled:
		return c.Bidder
	case MoveBudget:
		return c.From
	case SetFrequencyCap:
		return c.Bidder
	case SetDaily:
		return c.Bidder
	}
	return ""
}

// Point is where a run stands: its virtual clock and the events processed
// so far. With the configuration, the seed and the change log it fixes the
// run's whole state, so a replay can stop exactly there.
type Point struct {
	At     Time
	Events uint64
}

// Point is where the engine stands now.
func (e *Engine) Point() Point { return Point{At: e.now, Events: e.events} }

// RunToPoint runs toward p, processing at most maxEvents events, and
// reports whether the engine now stands exactly at p: p.Events events
// processed, the clock at p.At, and every replayed change due by then
// applied. Call it in slices, as RunStop, to stay responsive. It is how a
// recorded run is replayed to where it was exported; an error says the
// engine cannot get there (it has passed p, or the replay diverged from
// the recorded run: another configuration or seed).
func (e *Engine) RunToPoint(p Point, maxEvents uint64) (bool, error) {
	if e.events > p.Events || e.now > p.At {
		return false, fmt.Errorf("the run is at %v after %d events, past %v after %d", e.now, e.events, p.At, p.Events)
	}
	if e.events < p.Events {
		e.runTo(p.At, math.MaxUint64, min(maxEvents, p.Events-e.events))
		if e.diverged != nil {
			return false, e.diverged
		}
		if e.events < p.Events {
			if e.nextTime() > p.At {
				return false, fmt.Errorf("replay diverged: no event left by %v after %d events, want %d", p.At, e.events, p.Events)
			}
			return false, nil // the slice ended
		}
	}
	// p.Events events done: what remains to reach p is the clock moving
	// on with no event, as a run to a virtual time does, and the changes
	// made at that instant.
	if e.now < p.At && e.nextTime() <= p.At {
		return false, fmt.Errorf("replay diverged: an event is due at %v, before %v, after %d events", e.nextTime(), p.At, e.events)
	}
	e.applyReplay(p.At)
	if e.diverged != nil {
		return false, e.diverged
	}
	e.now = max(e.now, p.At)
	return true, nil
}

// The apply functions check a change with the rules Validate applies to
// the same field, and name it by the same path (bidders by name: the
// paths of --set and --change), so that a change is refused exactly when
// a scenario file with its value would be.

func (c SetTmax) apply(e *Engine) error {
	if err := tmaxRange.check(float64(c.Tmax)); err != nil {
		return &FieldError{Field: "exchange.tmax", Err: err}
	}
	if err := e.checkInFlight(e.qps, c.Tmax); err != nil {
		return &FieldError{Field: "exchange.tmax", Err: err}
	}
	old := e.tmax
	e.tmax = c.Tmax
	e.followTmax(old)
	return nil
}

func (c SetFloor) apply(e *Engine) error {
	if err := priceRange.check(c.Floor.CPM()); err != nil {
		return &FieldError{Field: "exchange.floor", Err: err}
	}
	e.floor = c.Floor
	return nil
}

func (c SetAuction) apply(e *Engine) error {
	if err := checkAuctionType(c.Auction); err != nil {
		return &FieldError{Field: "exchange.auction", Err: err}
	}
	if e.slots != nil && !c.Auction.Slotted() {
		return &FieldError{Field: "exchange.auction", Err: fmt.Errorf("%s sells one item: with %d slots the auction is gsp or vcg (slots cannot change during a run)", c.Auction, len(e.slots.weights))}
	}
	e.auction = c.Auction
	return nil
}

func (c SetIncrement) apply(e *Engine) error {
	if err := priceRange.check(c.Increment.CPM()); err != nil {
		return &FieldError{Field: "exchange.increment", Err: err}
	}
	e.increment = c.Increment
	return nil
}

func (c SetQPS) apply(e *Engine) error {
	qps := c.QPS / e.scale // the simulated rate
	err := qpsRange.check(qps)
	if err == nil {
		err = checkPeak(qps, e.shape)
	}
	if err == nil {
		err = checkMeanRate(qps, e.shape)
	}
	if err == nil {
		err = e.checkInFlight(qps, e.tmax)
	}
	for i := range e.bidders {
		if o := e.bidders[i].outcome; err == nil && o != nil {
			err = checkPending((Traffic{QPS: qps, Shape: e.shape}).PeakQPS(), o)
		}
	}
	if err != nil {
		return &FieldError{Field: "traffic.qps", Err: err}
	}
	e.qps = qps
	// Arrivals are memoryless, so redrawing the next one from now at the
	// new rate is exact.
	e.scheduleArrival()
	return nil
}

// checkInFlight is Validate's bound on memory for auctions in flight at
// rate qps with deadline tmax.
func (e *Engine) checkInFlight(qps float64, tmax Time) error {
	slots := 0
	for i := range e.bidders {
		if st := e.bidders[i].station; st != nil {
			slots += st.limit
		}
	}
	return checkInFlight(Traffic{QPS: qps, Shape: e.shape}.PeakQPS(), tmax, len(e.bidders), slots)
}

// bidderPath is the path of a bidder's field in changes: bidders.NAME.field.
func bidderPath(name, field string) string { return "bidders." + name + "." + field }

func (c ScaleLatency) apply(e *Engine) error {
	b, err := e.bidder(c.Bidder)
	if err != nil {
		return err
	}
	path := bidderPath(c.Bidder, "latency")
	if err := positiveNumber.check(c.Factor); err != nil {
		return &FieldError{Field: path, Err: fmt.Errorf("the scale factor %w", err)}
	}
	d := b.net.dist.Scale(c.Factor)
	if err := errors.Join(d.check(path, latencyRange, nil)...); err != nil {
		return err
	}
	b.net.set(d)
	b.errLatency.set(d)
	return nil
}

func (c SetLatency) apply(e *Engine) error {
	b, err := e.bidder(c.Bidder)
	if err != nil {
		return err
	}
	if err := errors.Join(c.Latency.check(bidderPath(c.Bidder, "latency"), latencyRange, nil)...); err != nil {
		return err
	}
	b.net.set(c.Latency)
	b.errLatency.set(c.Latency)
	return nil
}

func (c SetBudget) apply(e *Engine) error {
	b, err := e.bidder(c.Bidder)
	if err != nil {
		return err
	}
	if c.KeepDaily && (!c.Unlimited || b.day == nil) {
		return &FieldError{Field: bidderPath(c.Bidder, "budget.total"), Err: errors.New("keeping a daily budget removes the total cap only, of a bidder with a daily budget")}
	}
	if c.Unlimited {
		b.budgeted = false
		b.budget = 0
		if b.day != nil {
			// The daily budget still caps it.
			b.budgeted, b.noTotal, b.budget = true, true, MaxAmount
		}
		return nil
	}
	if err := currencyRange.check(c.Total.Float()); err != nil {
		return &FieldError{Field: bidderPath(c.Bidder, "budget.total"), Err: err}
	}
	was, dry := b.budgeted, b.dry()
	b.budgeted, b.noTotal = true, false
	b.budget = c.Total
	if e.scale > 1 {
		b.total = c.Total
		b.budget = MoneyOf(c.Total.Float() / e.scale)
	}
	if !was {
		e.startController(b)
	} else {
		e.restartUnstarted(b)
		e.reopen(b, dry)
	}
	return nil
}

func (c SetStrategy) apply(e *Engine) error {
	b, err := e.bidder(c.Bidder)
	if err != nil {
		return err
	}
	if field, err := checkStrategy(c.Strategy); err != nil {
		return &FieldError{Field: bidderPath(c.Bidder, field), Err: err}
	}
	if field, err := checkGoal(c.Strategy, b.outcome, e.horizon, e.slotCount()); err != nil {
		return &FieldError{Field: bidderPath(c.Bidder, field), Err: err}
	}
	if c.Strategy.Kind == Learn && b.strategy != c.Strategy {
		b.learn.reset(c.Strategy) // a new learner starts afresh
		b.learn.since = e.now
	}
	b.strategy = c.Strategy
	b.fixedBid = c.Strategy.Bid
	b.startGoal()
	b.restartCounterfactual(e.now)
	return nil
}

func (c SetPacing) apply(e *Engine) error {
	b, err := e.bidder(c.Bidder)
	if err != nil {
		return err
	}
	if err := checkPacing(c.Pacing, e.horizon); err != nil {
		return &FieldError{Field: bidderPath(c.Bidder, "budget.pacing"), Err: err}
	}
	b.pacing = c.Pacing
	b.throttle, b.mu = 1, 0
	e.startController(b)
	return nil
}

func (c SetEnabled) apply(e *Engine) error {
	b, err := e.bidder(c.Bidder)
	if err != nil {
		return err
	}
	b.enabled = c.Enabled
	return nil
}

// MovesWait reports whether change c, made in the world of s, can change
// how long auctions wait for their answers, so that a recent wait
// reaching back before it mixes two worlds. The floor, the auction, the
// increment, a strategy and abandonment change what is bid, paid and
// kept, not when bidders answer; but where a bidder has a budget or a
// frequency cap, what it wins decides whether it is in an auction at all
// (pacing's throttle, a spent budget, a cap reached), so there any change
// can.
func (s *Snapshot) MovesWait(c Change) bool {
	if movesWaitAlone(c) {
		return true
	}
	for i := range s.Bidders {
		if b := &s.Bidders[i]; !b.Unlimited || b.Daily > 0 || b.Frequency != nil {
			return true
		}
	}
	return false
}

// movesWaitAlone reports whether c can move the wait in any world.
func movesWaitAlone(c Change) bool {
	switch c.(type) {
	case SetFloor, SetAuction, SetIncrement, SetStrategy, SetAbandonment:
		return false
	}
	return true
}

// movesWait is Snapshot.MovesWait from the engine's own state, as
// Snapshot would give the bidders' figures it reads.
func (e *Engine) movesWait(c Change) bool {
	if movesWaitAlone(c) {
		return true
	}
	for i := range e.bidders {
		b := &e.bidders[i]
		if b.budgeted && !b.noTotal || b.day != nil && b.day.budget > 0 || b.freq != nil {
			return true
		}
	}
	return false
}
