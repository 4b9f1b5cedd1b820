package sim

import (
	"errors"
	"fmt"
)

// Change is a live change to a running world, applied at the engine's
// current virtual instant by Engine.Apply. The concrete types below are the
// only changes; each is a plain value that can be logged and replayed.
type Change interface {
	// String describes the change for the change log ("tmax 120ms → 100ms"
	// is the caller's to render; this says "tmax 100ms").
	String() string
	apply(e *Engine) error
}

// AppliedChange is one entry of a run's change log: the change and the
// exact point it was applied, so a run with the same seed can replay it.
type AppliedChange struct {
	At     Time   // virtual time
	Event  uint64 // events processed before it
	Change Change
}

// SetTmax sets the deadline for auctions fanned out from now on.
type SetTmax struct{ Tmax Time }

// SetFloor sets the floor (CPM) for auctions fanned out from now on.
type SetFloor struct{ Floor float64 }

// SetAuction switches the auction type for auctions fanned out from now on.
type SetAuction struct{ Auction AuctionType }

// SetIncrement sets the second-price increment (CPM).
type SetIncrement struct{ Increment float64 }

// SetQPS sets the mean ad-request rate.
type SetQPS struct{ QPS float64 }

// ScaleLatency multiplies a bidder's network round trip by Factor.
type ScaleLatency struct {
	Bidder string
	Factor float64
}

// SetLatency replaces a bidder's network round-trip distribution.
type SetLatency struct {
	Bidder  string
	Latency Dist
}

// SetBudget sets a bidder's total budget; what it spent so far counts
// against the new total. Unlimited removes the cap.
type SetBudget struct {
	Bidder    string
	Total     float64
	Unlimited bool
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
func (c SetFloor) String() string     { return fmt.Sprintf("floor %.2f", c.Floor) }
func (c SetAuction) String() string   { return "auction " + c.Auction.String() }
func (c SetIncrement) String() string { return fmt.Sprintf("increment %.2f", c.Increment) }
func (c SetQPS) String() string       { return fmt.Sprintf("qps %g", c.QPS) }
func (c ScaleLatency) String() string {
	return fmt.Sprintf("%s latency ×%g", c.Bidder, c.Factor)
}
func (c SetLatency) String() string { return c.Bidder + " latency " + c.Latency.String() }
func (c SetBudget) String() string {
	if c.Unlimited {
		return c.Bidder + " budget unlimited"
	}
	return fmt.Sprintf("%s budget %.2f", c.Bidder, c.Total)
}
func (c SetStrategy) String() string { return c.Bidder + " strategy " + c.Strategy.String() }
func (c SetPacing) String() string   { return c.Bidder + " pacing " + c.Pacing.String() }
func (c SetEnabled) String() string {
	if c.Enabled {
		return c.Bidder + " enabled"
	}
	return c.Bidder + " disabled"
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
	e.tmax = c.Tmax
	return nil
}

func (c SetFloor) apply(e *Engine) error {
	if err := priceRange.check(c.Floor); err != nil {
		return &FieldError{Field: "exchange.floor", Err: err}
	}
	e.floor = PriceOf(c.Floor)
	return nil
}

func (c SetAuction) apply(e *Engine) error {
	if err := checkAuctionType(c.Auction); err != nil {
		return &FieldError{Field: "exchange.auction", Err: err}
	}
	e.auction = c.Auction
	return nil
}

func (c SetIncrement) apply(e *Engine) error {
	if err := priceRange.check(c.Increment); err != nil {
		return &FieldError{Field: "exchange.increment", Err: err}
	}
	e.increment = PriceOf(c.Increment)
	return nil
}

func (c SetQPS) apply(e *Engine) error {
	err := qpsRange.check(c.QPS)
	if err == nil {
		err = checkPeak(c.QPS, e.shape)
	}
	if err == nil {
		err = checkMeanRate(c.QPS, e.shape)
	}
	if err == nil {
		err = e.checkInFlight(c.QPS, e.tmax)
	}
	for i := range e.bidders {
		if o := e.bidders[i].outcome; err == nil && o != nil {
			err = checkPending((Traffic{QPS: c.QPS, Shape: e.shape}).PeakQPS(), o)
		}
	}
	if err != nil {
		return &FieldError{Field: "traffic.qps", Err: err}
	}
	e.qps = c.QPS
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
	if len(e.shape) > 0 {
		qps *= e.shapeMax
	}
	return checkInFlight(qps, tmax, len(e.bidders), slots)
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
	return nil
}

func (c SetBudget) apply(e *Engine) error {
	b, err := e.bidder(c.Bidder)
	if err != nil {
		return err
	}
	if c.Unlimited {
		b.budgeted = false
		b.budget = 0
		return nil
	}
	if err := currencyRange.check(c.Total); err != nil {
		return &FieldError{Field: bidderPath(c.Bidder, "budget.total"), Err: err}
	}
	b.budgeted = true
	b.budget = MoneyOf(c.Total)
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
	b.strategy = c.Strategy
	b.fixedBid = PriceOf(c.Strategy.Bid)
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
