package sim

import (
	"errors"
	"fmt"
	"math"
	"strings"
)

// AuctionType is the auction's pricing rule. Its values are OpenRTB's `at`.
type AuctionType uint8

// Auction types, numbered as OpenRTB 2.6 `at`.
const (
	FirstPrice  AuctionType = 1 // the winner pays its bid
	SecondPrice AuctionType = 2 // the winner pays max(second bid, floor) + increment, at most its bid
)

// String returns "first-price" or "second-price".
func (a AuctionType) String() string {
	switch a {
	case FirstPrice:
		return "first-price"
	case SecondPrice:
		return "second-price"
	}
	return fmt.Sprintf("AuctionType(%d)", a)
}

// ParseAuctionType reads "first-price" or "second-price".
func ParseAuctionType(s string) (AuctionType, error) {
	switch s {
	case "first-price":
		return FirstPrice, nil
	case "second-price":
		return SecondPrice, nil
	}
	return 0, fmt.Errorf("unknown auction type %q (want second-price or first-price)", s)
}

// StrategyKind names how a bidder turns its value into a bid.
type StrategyKind uint8

// Bidding strategies.
const (
	Truthful StrategyKind = iota // bid = value
	Shade                        // bid = factor × value
	Fixed                        // bid = a constant
)

// String returns the strategy's name as the scenario format spells it.
func (k StrategyKind) String() string {
	switch k {
	case Truthful:
		return "truthful"
	case Shade:
		return "shade"
	case Fixed:
		return "fixed"
	}
	return fmt.Sprintf("StrategyKind(%d)", k)
}

// ParseStrategyKind reads truthful, shade or fixed.
func ParseStrategyKind(s string) (StrategyKind, error) {
	return parseEnum(s, "strategy", Truthful, Fixed)
}

// parseEnum finds the kind in [first, last] whose String is s.
func parseEnum[K interface {
	~uint8
	fmt.Stringer
}](s, what string, first, last K) (K, error) {
	names := make([]string, 0, last-first+1)
	for k := first; k <= last; k++ {
		if k.String() == s {
			return k, nil
		}
		names = append(names, k.String())
	}
	return 0, fmt.Errorf("unknown %s %q (want one of %s)", what, s, strings.Join(names, ", "))
}

// Strategy is a bidding strategy.
type Strategy struct {
	Kind   StrategyKind
	Factor float64 // Shade: bid = Factor × value, 0 < Factor ≤ 1 typically
	Bid    float64 // Fixed: the bid in CPM
}

// String describes the strategy ("shade 0.8").
func (s Strategy) String() string {
	switch s.Kind {
	case Shade:
		return fmt.Sprintf("shade %g", s.Factor)
	case Fixed:
		return fmt.Sprintf("fixed %g", s.Bid)
	}
	return s.Kind.String()
}

// PacingKind names a budget pacing algorithm.
type PacingKind uint8

// Pacing algorithms.
const (
	PacingNone       PacingKind = iota // bid until the budget is gone
	PacingThrottle                     // take part in each auction with a probability steered to an even spend
	PacingMultiplier                   // bid value/(1+μ), μ steered to an even spend (Balseiro & Gur 2019)
)

// String returns the pacing's name as the scenario format spells it.
func (k PacingKind) String() string {
	switch k {
	case PacingNone:
		return "none"
	case PacingThrottle:
		return "throttle"
	case PacingMultiplier:
		return "multiplier"
	}
	return fmt.Sprintf("PacingKind(%d)", k)
}

// ParsePacingKind reads none, throttle or multiplier.
func ParsePacingKind(s string) (PacingKind, error) {
	return parseEnum(s, "pacing", PacingNone, PacingMultiplier)
}

// Budget caps what a bidder may spend over the run.
type Budget struct {
	Total  float64 // currency
	Pacing PacingKind
}

// Capacity is a bidder's finite processing capacity: Workers servers and a
// FIFO queue. Under Poisson traffic and exponential service it is M/M/c.
type Capacity struct {
	Workers int
	Service Dist // service time, nanoseconds
	Queue   int  // most requests waiting; 0 means unbounded. Beyond it requests are refused at once.
}

// Outcome turns won impressions into clicks and conversions.
type Outcome struct {
	CTR         float64 // P(click | impression)
	CVR         float64 // P(conversion | click)
	OrderValue  float64 // currency per conversion
	BaselineCVR float64 // P(organic conversion | impression): would have happened anyway
	Delay       Dist    // from impression to conversion, nanoseconds
}

// BidderConfig describes one bidder (DSP) and the link to it.
type BidderConfig struct {
	Name     string
	Latency  Dist      // network round trip, nanoseconds; zero Dist: none
	Errors   float64   // share of bid requests that get no answer at all
	NoBid    float64   // share that are answered with a no-bid
	Capacity *Capacity // nil: unlimited
	Value    Dist      // value of one impression, CPM
	Strategy Strategy
	Budget   *Budget  // nil: unlimited
	Outcome  *Outcome // nil: no outcomes
	Disabled bool     // receives no bid requests
	// RespectsTmax: the bidder declines at once a request it would answer
	// after the deadline it is told (see TmaxAdjustments).
	RespectsTmax bool
}

// ExchangeConfig is the exchange's auction.
type ExchangeConfig struct {
	Auction   AuctionType
	Tmax      Time    // deadline after fan-out
	Floor     float64 // reserve price, CPM
	Increment float64 // second-price increment, CPM
	// TmaxCurve is the grid of candidate deadlines every auction is also
	// settled at; zero: no curve.
	TmaxCurve TmaxGrid
	// TmaxAdjustments shorten the deadline bidders are told; zero: they
	// are told tmax.
	TmaxAdjustments TmaxAdjustments
}

// Traffic is the ad-request arrival process.
type Traffic struct {
	QPS float64 // mean ad requests per virtual second
	// Shape, if set, multiplies QPS over the virtual day: the day is cut
	// into len(Shape) equal parts and part i has rate QPS × Shape[i].
	Shape []float64
}

// PacingParams tune the pacing controllers; zero fields take defaults.
type PacingParams struct {
	Interval Time    // how often controllers update; default Horizon/200, at least 1ms
	Epsilon  float64 // multiplier pacing step size; default 0.5
	MaxMu    float64 // multiplier pacing cap on μ; default 100
}

// Config is a complete, validated-on-New description of a simulated world.
type Config struct {
	Name     string
	Seed     uint64
	Traffic  Traffic
	Exchange ExchangeConfig
	Bidders  []BidderConfig
	// Horizon is the run's planned length; budget pacing aims to spend
	// evenly over it. Zero: paced budgets are an error.
	Horizon Time
	// Interval is the time-series bucket width; default 1s. Long runs
	// merge buckets pairwise so the series stays bounded in memory.
	Interval Time
	Pacing   PacingParams
	// Recent is how many closed auctions are kept in full detail; default 32.
	Recent int
	// Replay is a change log from an earlier run with the same seed; its
	// changes are applied at the same points, reproducing that run.
	Replay []AppliedChange
	// Script is changes scheduled in advance, applied at their virtual
	// instants and logged like live changes; in time order.
	Script []Scheduled
}

// MinQPS is the lowest traffic rate: one request every 1,000 virtual
// seconds keeps any run far from the end of virtual time (292 years).
const MinQPS = 0.001

// FieldError is one invalid field of a Config, named by a path such as
// "bidders[2].value".
type FieldError struct {
	Field string
	Err   error
}

// Error reads "field: problem".
func (e *FieldError) Error() string { return e.Field + ": " + e.Err.Error() }

// Unwrap returns the problem.
func (e *FieldError) Unwrap() error { return e.Err }

// Validate reports every invalid field, joined; nil when cfg can run.
func (cfg *Config) Validate() error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, &FieldError{Field: field, Err: fmt.Errorf(format, args...)})
	}
	dist := func(field string, d Dist) {
		if err := d.Validate(); err != nil {
			errs = append(errs, &FieldError{Field: field, Err: err})
		}
	}
	share := func(field string, x float64) {
		if !(x >= 0 && x <= 1) {
			bad(field, "%g is not a share in [0, 1]", x)
		}
	}
	nonNeg := func(field string, x float64) {
		if err := finiteNonNeg(x); err != nil {
			errs = append(errs, &FieldError{Field: field, Err: err})
		}
	}

	if !(cfg.Traffic.QPS >= MinQPS) || math.IsInf(cfg.Traffic.QPS, 1) {
		bad("traffic.qps", "%g must be at least %g", cfg.Traffic.QPS, MinQPS)
	}
	for i, m := range cfg.Traffic.Shape {
		nonNeg(fmt.Sprintf("traffic.shape[%d]", i), m)
	}
	if len(cfg.Traffic.Shape) > 0 && maxOf(cfg.Traffic.Shape) <= 0 {
		bad("traffic.shape", "needs at least one multiplier > 0")
	}
	ex := cfg.Exchange
	if ex.Auction != FirstPrice && ex.Auction != SecondPrice {
		bad("exchange.auction", "unknown auction type %d", ex.Auction)
	}
	if ex.Tmax <= 0 {
		bad("exchange.tmax", "%v must be > 0", ex.Tmax)
	}
	nonNeg("exchange.floor", ex.Floor)
	nonNeg("exchange.increment", ex.Increment)
	if len(cfg.Bidders) == 0 {
		bad("bidders", "need at least one bidder")
	}
	seen := make(map[string]int, len(cfg.Bidders))
	paced := false
	for i, b := range cfg.Bidders {
		p := fmt.Sprintf("bidders[%d]", i)
		if b.Name == "" {
			bad(p+".name", "must not be empty")
		} else if j, dup := seen[b.Name]; dup {
			bad(p+".name", "%q is already the name of bidders[%d]", b.Name, j)
		} else {
			seen[b.Name] = i
		}
		dist(p+".latency", b.Latency)
		share(p+".errors", b.Errors)
		share(p+".no_bid", b.NoBid)
		if b.Errors+b.NoBid > 1 {
			bad(p+".no_bid", "errors + no_bid = %g is more than 1", b.Errors+b.NoBid)
		}
		if c := b.Capacity; c != nil {
			if c.Workers < 1 {
				bad(p+".capacity.workers", "%d must be ≥ 1", c.Workers)
			}
			dist(p+".capacity.service", c.Service)
			if c.Queue < 0 {
				bad(p+".capacity.queue", "%d must be ≥ 0 (0: unbounded)", c.Queue)
			}
		}
		if b.Value.Kind == DistNone {
			bad(p+".value", "is required")
		}
		dist(p+".value", b.Value)
		switch b.Strategy.Kind {
		case Truthful:
		case Shade:
			if !(b.Strategy.Factor > 0) || math.IsInf(b.Strategy.Factor, 1) {
				bad(p+".strategy.factor", "%g must be > 0", b.Strategy.Factor)
			}
		case Fixed:
			nonNeg(p+".strategy.bid", b.Strategy.Bid)
		default:
			bad(p+".strategy.kind", "unknown strategy %d", b.Strategy.Kind)
		}
		if bu := b.Budget; bu != nil {
			nonNeg(p+".budget.total", bu.Total)
			if bu.Pacing > PacingMultiplier {
				bad(p+".budget.pacing", "unknown pacing %d", bu.Pacing)
			}
			paced = paced || bu.Pacing != PacingNone
		}
		if o := b.Outcome; o != nil {
			share(p+".outcome.ctr", o.CTR)
			share(p+".outcome.cvr", o.CVR)
			share(p+".outcome.baseline_cvr", o.BaselineCVR)
			nonNeg(p+".outcome.order_value", o.OrderValue)
			dist(p+".outcome.delay", o.Delay)
		}
	}
	if paced && cfg.Horizon <= 0 {
		bad("horizon", "paced budgets need a horizon (the run's planned length) > 0")
	}
	if cfg.Horizon < 0 {
		bad("horizon", "%v must be ≥ 0", cfg.Horizon)
	}
	if cfg.Interval < 0 {
		bad("interval", "%v must be ≥ 0", cfg.Interval)
	}
	if cfg.Recent < 0 {
		bad("recent", "%d must be ≥ 0", cfg.Recent)
	}
	if cfg.Pacing.Interval < 0 {
		bad("pacing.interval", "%v must be ≥ 0", cfg.Pacing.Interval)
	}
	nonNeg("pacing.epsilon", cfg.Pacing.Epsilon)
	nonNeg("pacing.max_mu", cfg.Pacing.MaxMu)
	errs = append(errs, cfg.validateTimeouts()...)
	return errors.Join(errs...)
}

func maxOf(xs []float64) float64 {
	m := math.Inf(-1)
	for _, x := range xs {
		m = max(m, x)
	}
	return m
}
