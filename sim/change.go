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

func (c SetTmax) apply(e *Engine) error {
	if c.Tmax <= 0 {
		return fmt.Errorf("tmax %v must be > 0", c.Tmax)
	}
	e.tmax = c.Tmax
	return nil
}

func (c SetFloor) apply(e *Engine) error {
	if err := finiteNonNeg(c.Floor); err != nil {
		return fmt.Errorf("floor: %w", err)
	}
	e.floor = PriceOf(c.Floor)
	return nil
}

func (c SetAuction) apply(e *Engine) error {
	if c.Auction != FirstPrice && c.Auction != SecondPrice {
		return fmt.Errorf("unknown auction type %d", c.Auction)
	}
	e.auction = c.Auction
	return nil
}

func (c SetIncrement) apply(e *Engine) error {
	if err := finiteNonNeg(c.Increment); err != nil {
		return fmt.Errorf("increment: %w", err)
	}
	e.increment = PriceOf(c.Increment)
	return nil
}

func (c SetQPS) apply(e *Engine) error {
	if !(c.QPS >= MinQPS) || math.IsInf(c.QPS, 1) {
		return fmt.Errorf("qps %g must be at least %g", c.QPS, MinQPS)
	}
	e.qps = c.QPS
	// Arrivals are memoryless, so redrawing the next one from now at the
	// new rate is exact.
	e.scheduleArrival()
	return nil
}

func (c ScaleLatency) apply(e *Engine) error {
	b, err := e.bidder(c.Bidder)
	if err != nil {
		return err
	}
	if !(c.Factor > 0) || math.IsInf(c.Factor, 1) {
		return fmt.Errorf("latency factor %g must be > 0", c.Factor)
	}
	b.net.set(b.net.dist.Scale(c.Factor))
	return nil
}

func (c SetLatency) apply(e *Engine) error {
	b, err := e.bidder(c.Bidder)
	if err != nil {
		return err
	}
	if err := c.Latency.Validate(); err != nil {
		return fmt.Errorf("latency: %w", err)
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
	if err := finiteNonNeg(c.Total); err != nil {
		return fmt.Errorf("budget: %w", err)
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
	switch s := c.Strategy; {
	case s.Kind == Shade && !(s.Factor > 0 && !math.IsInf(s.Factor, 1)):
		return fmt.Errorf("shade factor %g must be > 0", s.Factor)
	case s.Kind == Fixed && !(s.Bid >= 0 && !math.IsInf(s.Bid, 1)):
		return fmt.Errorf("fixed bid %g must be a finite number ≥ 0", s.Bid)
	case s.Kind > Fixed:
		return fmt.Errorf("unknown strategy %d", s.Kind)
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
	if c.Pacing > PacingMultiplier {
		return fmt.Errorf("unknown pacing %d", c.Pacing)
	}
	if c.Pacing != PacingNone && e.horizon <= 0 {
		return errors.New("pacing needs a horizon (the run's planned length)")
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

// finiteNonNeg checks an amount of CPM or currency.
func finiteNonNeg(x float64) error {
	if !(x >= 0) || math.IsInf(x, 1) {
		return fmt.Errorf("%g must be a finite number ≥ 0", x)
	}
	return nil
}
