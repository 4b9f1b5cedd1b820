package sim

import (
	"errors"
	"fmt"
	"math"
	"strings"
)

// AuctionType is the auction's pricing rule. Its values are OpenRTB's `at`.
type AuctionType uint8

// Auction types: first and second price numbered as OpenRTB 2.6 `at`;
// GSP and VCG, the sponsored-search auctions of several slots
// (ExchangeConfig.Slots), have no OpenRTB number (OpenRTB reports them
// as second price, at = 2).
const (
	FirstPrice  AuctionType = 1 // the winner pays its bid
	SecondPrice AuctionType = 2 // the winner pays max(second bid, floor) + increment, at most its bid
	// GSP is the generalised second-price auction: the k highest bids
	// win slots 1 … k, slot j paying the (j+1)-th bid per click (the
	// floor where there is none), + increment, at most its bid. With one
	// slot it is second price.
	GSP AuctionType = 3
	// VCG is the Vickrey–Clarke–Groves auction of the slots: the same
	// allocation, slot j paying the externality it imposes on the bidders
	// below, Σ_{i>j} (α_{i−1} − α_i)·b_(i) per impression (the floor
	// standing for missing bids), + increment per click, at most its bid.
	// With one slot it is second price.
	VCG AuctionType = 4
)

// String returns "first-price", "second-price", "gsp" or "vcg".
func (a AuctionType) String() string {
	switch a {
	case FirstPrice:
		return "first-price"
	case SecondPrice:
		return "second-price"
	case GSP:
		return "gsp"
	case VCG:
		return "vcg"
	}
	return fmt.Sprintf("AuctionType(%d)", a)
}

// OpenRTB is the auction type as OpenRTB's `at`: GSP and VCG, which it
// has no number for, are second price (2).
func (a AuctionType) OpenRTB() int64 {
	if a == GSP || a == VCG {
		return int64(SecondPrice)
	}
	return int64(a)
}

// Slotted reports whether a is an auction of several slots (GSP, VCG).
func (a AuctionType) Slotted() bool { return a == GSP || a == VCG }

// ParseAuctionType reads "first-price", "second-price", "gsp" or "vcg".
func ParseAuctionType(s string) (AuctionType, error) {
	switch s {
	case "first-price":
		return FirstPrice, nil
	case "second-price":
		return SecondPrice, nil
	case "gsp":
		return GSP, nil
	case "vcg":
		return VCG, nil
	}
	return 0, fmt.Errorf("unknown auction type %q (want second-price, first-price, gsp or vcg)", s)
}

// StrategyKind names how a bidder turns its value into a bid.
type StrategyKind uint8

// Bidding strategies.
const (
	Truthful StrategyKind = iota // bid = value
	Shade                        // bid = factor × value
	Fixed                        // bid = a constant
	// Equilibrium bids the symmetric first-price equilibrium for the
	// bidder's value law, the number of enabled bidders and the floor;
	// in second price it bids its value.
	Equilibrium
	// Learn bids a share of its value that it learns from its own
	// outcomes: an ε-greedy bandit over a grid of shade factors (see
	// Strategy.Arms and Strategy.Epsilon).
	Learn
	// TargetCPA bids for conversions at a cost per conversion of at most
	// Strategy.CPA, steered by a dual-descent controller (goal.go).
	TargetCPA
	// TargetROAS bids for conversion value at a return on spend of at
	// least Strategy.ROAS, on attributed or incremental value (goal.go).
	TargetROAS
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
	case Equilibrium:
		return "equilibrium"
	case Learn:
		return "learn"
	case TargetCPA:
		return "target_cpa"
	case TargetROAS:
		return "target_roas"
	}
	return fmt.Sprintf("StrategyKind(%d)", k)
}

// ParseStrategyKind reads truthful, shade, fixed, equilibrium, learn,
// target_cpa or target_roas.
func ParseStrategyKind(s string) (StrategyKind, error) {
	return parseEnum(s, "strategy", Truthful, TargetROAS)
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
	Bid    Price   // Fixed: the bid
	// Arms is Learn's grid of shade factors: k/Arms for k = 1 … Arms;
	// 0 means DefaultLearnArms.
	Arms int
	// Epsilon is Learn's exploration rate: the share of bids placed at a
	// factor drawn uniformly from the grid; 0 means DefaultLearnEpsilon.
	Epsilon float64
	// CPA is TargetCPA's target cost per conversion, in currency.
	CPA Money
	// ROAS is TargetROAS's target return on spend (value / spend).
	ROAS float64
	// On is the value TargetROAS is held to: attributed (the default) or
	// incremental.
	On GoalBase
}

// String describes the strategy ("shade 0.8").
func (s Strategy) String() string {
	switch s.Kind {
	case Shade:
		return fmt.Sprintf("shade %g", s.Factor)
	case Fixed:
		return fmt.Sprintf("fixed %g", s.Bid.CPM())
	case Learn:
		if s.Arms != 0 || s.Epsilon != 0 {
			return fmt.Sprintf("learn (%d arms, ε %g)", s.learnArms(), s.learnEpsilon())
		}
	case TargetCPA:
		return fmt.Sprintf("target_cpa %g", s.CPA.Float())
	case TargetROAS:
		if s.On == OnIncremental {
			return fmt.Sprintf("target_roas %g incremental", s.ROAS)
		}
		return fmt.Sprintf("target_roas %g", s.ROAS)
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

// HoldoutUnit is what a holdout randomises into its arms.
type HoldoutUnit uint8

// Holdout units.
const (
	// HoldoutDefault is HoldoutByPerson in a world with people, else
	// HoldoutByRequest.
	HoldoutDefault HoldoutUnit = iota
	// HoldoutByRequest holds back a share of the bid opportunities,
	// each drawn on its own.
	HoldoutByRequest
	// HoldoutByPerson holds back every opportunity of a share of the
	// people, chosen by a hash of the person.
	HoldoutByPerson
)

// String returns the unit as the scenario format spells it, person or
// request, or "default" for HoldoutDefault.
func (u HoldoutUnit) String() string {
	switch u {
	case HoldoutByRequest:
		return "request"
	case HoldoutByPerson:
		return "person"
	}
	return "default"
}

// ParseHoldoutUnit reads person or request.
func ParseHoldoutUnit(s string) (HoldoutUnit, error) {
	return parseEnum(s, "holdout unit", HoldoutByRequest, HoldoutByPerson)
}

// UnitIn is the unit the holdout randomises in a world with (people) or
// without people: the default resolved.
func (o *Outcome) UnitIn(people bool) HoldoutUnit {
	if o.HoldoutUnit == HoldoutDefault {
		if people {
			return HoldoutByPerson
		}
		return HoldoutByRequest
	}
	return o.HoldoutUnit
}

// ParsePacingKind reads none, throttle or multiplier.
func ParsePacingKind(s string) (PacingKind, error) {
	return parseEnum(s, "pacing", PacingNone, PacingMultiplier)
}

// Budget caps what a bidder may spend over the run, and with Daily over
// each virtual day.
type Budget struct {
	Total  Money // what the bidder may spend; with Daily > 0, 0 means no total cap
	Pacing PacingKind
	// Daily caps each virtual day's spend: day d is [d·24h, (d+1)·24h) of
	// virtual time from the start, and a day's spend is what the
	// auctions that closed in it cost. 0: no daily budget.
	Daily Money
	// Delivery is how each day's budget is planned against the traffic
	// shape, which the pacing controller steers to; the zero value is
	// DeliveryDefault (even with pacing, asap without).
	Delivery Delivery
}

// Delivery says how a daily budget is spread over its day.
type Delivery uint8

// Delivery plans.
const (
	DeliveryDefault Delivery = iota // even with a pacing controller, asap without
	// DeliveryEven plans the day's budget in proportion to the day's
	// traffic (evenly in time without a shape).
	DeliveryEven
	// DeliveryASAP does not plan: the bidder bids unpaced until the
	// day's budget is gone.
	DeliveryASAP
	// DeliveryFrontLoaded plans 1 − (1 − G)² of the day's budget by the
	// time a share G of its traffic has come: twice the even rate at
	// midnight, falling to nothing at the day's end.
	DeliveryFrontLoaded
)

var deliveryNames = [...]string{"default", "even", "asap", "front_loaded"}

// String is the plan's name as the scenario format spells it.
func (d Delivery) String() string {
	if int(d) < len(deliveryNames) {
		return deliveryNames[d]
	}
	return fmt.Sprintf("Delivery(%d)", d)
}

// ParseDelivery reads even, asap or front_loaded.
func ParseDelivery(s string) (Delivery, error) {
	return parseEnum(s, "delivery", DeliveryEven, DeliveryFrontLoaded)
}

// Day is the length of a virtual day: daily budgets and the traffic
// shape repeat with it, from the run's start.
const Day = 24 * Hour

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
	OrderValue  Money   // what one conversion is worth
	BaselineCVR float64 // P(organic conversion | impression): would have happened anyway
	Delay       Dist    // from impression to conversion, nanoseconds
	// Holdout is the share of bid opportunities (HoldoutByRequest) or of
	// people (HoldoutByPerson) held back to measure incrementality with
	// ghost bids (see HoldoutStats); 0: no test.
	Holdout float64 `scenario:"holdout.share"`
	// HoldoutUnit is what the holdout randomises: the zero value is the
	// default, people in a world with people (Traffic.Users), else bid
	// requests.
	HoldoutUnit HoldoutUnit `scenario:"holdout.unit"`
	// AttributionWindow is last-touch attribution's window: a conversion
	// is credited to the bidder's last impression within the window
	// before it. Without people every conversion has one touch, the
	// impression that drew it, so a conversion is attributed when its
	// delay is at most the window; those later still happen (they count
	// as incremental or organic) but are unattributed. 0: no window,
	// every conversion is attributed.
	AttributionWindow Time
	// ConversionPeriod, with people (Traffic.Users), is how often one
	// person may convert: a conversion drawn for a person less than a
	// period after their last is dropped, so that frequency has
	// diminishing returns. 0: once per run. Without people every
	// conversion counts.
	ConversionPeriod Time
}

// Modelled reports whether the outcome models anything a holdout test
// can measure: clicks (CTR > 0) or organic conversions (BaselineCVR >
// 0). One with neither, such as the outcome a holdout alone makes, would
// measure an interval of [0, 0].
func (o *Outcome) Modelled() bool { return o.CTR > 0 || o.BaselineCVR > 0 }

// BidderConfig describes one bidder (DSP) and the link to it.
type BidderConfig struct {
	Name string
	// Latency is the bidder's response time before the network: its own
	// processing (and, with a Capacity, the network as well, unless
	// Network is set); zero Dist: none. Queueing adds to it.
	Latency Dist
	// Network is the network round trip between exchange and bidder,
	// drawn apart on a stream of its own and added to Latency; zero
	// Dist: none (Latency is the whole response time).
	Network Dist
	// Errors is the share of bid requests answered with an error (Prebid
	// Server's seat non-bid 100), after a response time drawn from Latency
	// (and Network) on a stream of its own; errors never reach the queue.
	Errors float64
	// Hangs is the share of bid requests never answered: the exchange
	// gives up on them at the deadline (a timeout, seat non-bid 101).
	// They never reach the queue either.
	Hangs    float64
	NoBid    float64   // share that are answered with a no-bid
	Capacity *Capacity // nil: unlimited
	// Value is the value of one impression in CPM. A distribution's
	// parameters stay float64 (its draws are continuous); each draw is
	// rounded to a Price as it is bid.
	Value    Dist
	Strategy Strategy
	Budget   *Budget  // nil: unlimited
	Outcome  *Outcome // nil: no outcomes
	Disabled bool     // receives no bid requests
	// Group names the advertiser the bidder is one campaign of; empty:
	// none. Snapshots add up each group's members (GroupStats).
	Group string
	// RespectsTmax: the bidder declines at once a request it would answer
	// after the deadline it is told (see TmaxAdjustments).
	RespectsTmax bool
	// FrequencyCap caps the impressions one person sees from the bidder;
	// nil: no cap. It needs Traffic.Users.
	FrequencyCap *FrequencyCap
}

// ExchangeConfig is the exchange's auction.
type ExchangeConfig struct {
	Auction   AuctionType
	Tmax      Time  // deadline after fan-out
	Floor     Price // reserve price
	Increment Price // second-price increment
	// Slots are the ad positions' click-through weights, best first
	// (α_1 ≥ α_2 ≥ … > 0, each at most 1): the slot-j winner's clicks and
	// value are α_j × those of an impression in a slot of weight 1, and
	// so is its price per impression (bids and prices are per click).
	// Empty or one slot: the single-item auction. Several slots need
	// auction GSP or VCG.
	Slots []float64
	// TmaxCurve is the grid of candidate deadlines every auction is also
	// settled at; zero: no curve.
	TmaxCurve TmaxGrid
	// TmaxAdjustments shorten the deadline bidders are told; zero: they
	// are told tmax.
	TmaxAdjustments TmaxAdjustments
	// Abandonment is what waiting costs: impressions lost to people who
	// leave while the page waits; zero: nobody leaves.
	Abandonment Abandonment
	// HoldOpen keeps every auction open until its deadline (the
	// scenario's close_early: false). By default an auction closes as
	// Prebid Server answers: when every called bidder has answered or
	// failed, or at the deadline, whichever comes first.
	HoldOpen bool `scenario:"close_early"`
}

// Traffic is the ad-request arrival process.
type Traffic struct {
	QPS float64 // mean ad requests per virtual second
	// Shape, if set, multiplies QPS over the virtual day: the day is cut
	// into len(Shape) equal parts and part i has rate QPS × Shape[i].
	Shape []float64
	// Scale, if more than 1, is how many ad requests each simulated one
	// stands for: the engine simulates QPS/Scale with budgets divided by
	// Scale, and snapshots report counts and money at full scale (×
	// Scale), so that a long flight at a real rate fits the engine's
	// limits. Rates, prices and shares are unchanged. 0 or 1: none.
	Scale float64
	// Users are the people the requests come from; nil: no people
	// (requests belong to nobody, and frequency caps cannot be set).
	Users *Users
}

// scale is t's scale, 1 when unset.
func (t Traffic) scale() float64 { return max(t.Scale, 1) }

// Simulated is the traffic the engine simulates: QPS / Scale.
func (t Traffic) Simulated() Traffic {
	if t.Scale > 1 {
		t.QPS /= t.Scale
	}
	return t
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
	// OldNames accepts the names auctionsim accepted before it refused
	// those that cannot be typed back (a space at either end, not in
	// Unicode NFC, two bidders apart only in case), so that an export
	// made then replays as it ran. Only a replay sets it
	// (scenarios.ParseReplay): a file and --set keep refusing them.
	OldNames bool
}

// FieldError is one invalid field of a Config, named by the scenario
// file's own path, such as "bidders[2].latency.p99" ("bidders.NAME.…" for
// a live change to a bidder).
type FieldError struct {
	Field string
	Err   error
}

// Error reads "field: problem".
func (e *FieldError) Error() string {
	if e.Field == "" {
		return e.Err.Error()
	}
	return e.Field + ": " + e.Err.Error()
}

// Unwrap returns the problem.
func (e *FieldError) Unwrap() error { return e.Err }

// FieldErrors lists the field errors in err (as Validate, ValidateStop and
// Engine.Apply return them); an error that is not one comes back as a
// FieldError with no field.
func FieldErrors(err error) []*FieldError {
	if err == nil {
		return nil
	}
	var list []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		list = j.Unwrap()
	} else {
		list = []error{err}
	}
	out := make([]*FieldError, 0, len(list))
	for _, e := range list {
		var fe *FieldError
		if !errors.As(e, &fe) {
			fe = &FieldError{Err: e}
		}
		out = append(out, fe)
	}
	return out
}

// Validate reports every invalid field, joined, each a *FieldError named by
// the scenario file's path; nil when cfg can run. The supported ranges are
// in ranges.go.
func (cfg *Config) Validate() error {
	var errs []error
	check := func(field string, err error) {
		if err != nil {
			errs = append(errs, &FieldError{Field: field, Err: err})
		}
	}

	if cfg.Name != "" {
		check("name", checkName(cfg.Name, false, cfg.OldNames))
	}
	scaleErr := checkScale(cfg.Traffic.Scale)
	check("traffic.scale", scaleErr)
	t := cfg.Traffic.Simulated() // the rate limits are the engine's
	var qpsErr error
	qpsField := "traffic.qps"
	if scaleErr != nil {
		// A refused scale says nothing of the simulated rate: refuse
		// only a rate no valid scale would bring within the engine's,
		// and leave the checks of the simulated rate (its peak, its
		// mean, the memory in flight) to a run with a valid scale.
		t = cfg.Traffic
		qpsErr = qpsAnyScale.check(t.QPS)
	} else if qpsErr = qpsRange.check(t.QPS); qpsErr != nil && t.QPS != cfg.Traffic.QPS {
		// The scale took a rate the file writes to one the engine cannot
		// simulate: say so in the numbers the file writes, against the
		// scale when it is what leaves too few requests.
		qpsErr = checkScaledQPS(cfg.Traffic.QPS, cfg.Traffic.Scale, t.QPS)
		if cfg.Traffic.QPS >= MinQPS && t.QPS < MinQPS {
			qpsField = "traffic.scale"
		}
	}
	check(qpsField, qpsErr)
	shapeOK := true
	for i, m := range t.Shape {
		err := shapeRange.check(m)
		check(fmt.Sprintf("traffic.shape[%d]", i), err)
		shapeOK = shapeOK && err == nil
	}
	if len(t.Shape) > 0 && shapeOK && maxOf(t.Shape) <= 0 {
		check("traffic.shape", errors.New("needs at least one multiplier > 0"))
		shapeOK = false
	}
	trafficOK := qpsErr == nil && shapeOK && scaleErr == nil
	if trafficOK {
		peakErr := checkPeak(t.QPS, t.Shape)
		check("traffic.qps", peakErr)
		meanErr := checkMeanRate(t.QPS, t.Shape)
		if meanErr != nil && t.QPS != cfg.Traffic.QPS {
			meanErr = fmt.Errorf("with traffic.qps %s at traffic.scale %s (qps / scale simulated), %w", plain.written(cfg.Traffic.QPS), plain.written(cfg.Traffic.Scale), meanErr)
		}
		check("traffic.shape", meanErr)
		trafficOK = peakErr == nil
	}
	ex := cfg.Exchange
	check("exchange.auction", checkAuctionType(ex.Auction))
	tmaxErr := tmaxRange.check(float64(ex.Tmax))
	check("exchange.tmax", tmaxErr)
	check("exchange.floor", priceRange.check(ex.Floor.CPM()))
	check("exchange.increment", priceRange.check(ex.Increment.CPM()))
	errs = checkSlots(cfg, errs)

	if len(cfg.Bidders) == 0 {
		check("bidders", errors.New("needs at least one bidder"))
	}
	if len(cfg.Bidders) > MaxBidders {
		check("bidders", biddersRange.checkInt(len(cfg.Bidders)))
	}
	seen := make(map[string]int, len(cfg.Bidders))
	nameFold := make(map[string]int, len(cfg.Bidders)) // a name in lower case → its bidder
	groupFold := map[string]int{}                      // a group's name in lower case → its first bidder
	queueSlots := 0
	longest := -1 // the bidder with the longest bounded queue
	for i := range cfg.Bidders {
		b := &cfg.Bidders[i]
		p := fmt.Sprintf("bidders[%d]", i)
		if err := checkName(b.Name, true, cfg.OldNames); err != nil {
			check(p+".name", err)
		} else if j, dup := seen[b.Name]; dup {
			check(p+".name", fmt.Errorf("%q is already the name of bidders[%d]", b.Name, j))
		} else if j, dup := nameFold[strings.ToLower(b.Name)]; dup && !cfg.OldNames {
			// As with groups: Swift and swift side by side in a table
			// are one bidder mistyped, or two a reader cannot tell.
			check(p+".name", fmt.Errorf("%q differs from bidders[%d]'s name %q only in case; name them apart", b.Name, j, cfg.Bidders[j].Name))
		} else {
			seen[b.Name] = i
			nameFold[strings.ToLower(b.Name)] = i
		}
		errs = b.Latency.check(p+".latency", latencyRange, errs)
		errs = b.Network.check(p+".network", latencyRange, errs)
		check(p+".errors", checkShare(b.Errors))
		check(p+".hangs", checkShare(b.Hangs))
		check(p+".no_bid", checkShare(b.NoBid))
		if sum := b.Errors + b.Hangs + b.NoBid; sum > 1 && b.Errors <= 1 && b.Hangs <= 1 && b.NoBid <= 1 {
			field, what := p+".no_bid", "errors + no_bid"
			if b.Hangs > 0 {
				field, what = p+".hangs", "errors + hangs + no_bid"
				if b.NoBid > 0 {
					field = p + ".no_bid"
				}
			}
			check(field, fmt.Errorf("%s = %g is more than 1", what, sum))
		}
		if c := b.Capacity; c != nil && cfg.Traffic.Scale > 1 {
			check(p+".capacity", errors.New("a queue's waits depend on the true rate, which traffic.scale does not simulate: remove one of them"))
		}
		if o := b.Outcome; o != nil && o.Holdout > 0 && cfg.Traffic.Scale > 1 {
			check(p+".outcome.holdout", errors.New("a holdout's intervals depend on the true sample size, which traffic.scale does not simulate: remove one of them"))
		} else if o != nil && o.Holdout > 0 && !o.Modelled() {
			// A holdout alone makes an outcome of zeros, whose test
			// would measure an interval of [0, 0] as if it had found
			// something.
			check(p+".outcome.holdout", errors.New("the bidder has no outcome model (no outcome.ctr, no outcome.baseline_cvr), so its holdout test has nothing to measure: give it outcome.ctr and outcome.cvr, or remove holdout"))
		}
		if c := b.Capacity; c != nil {
			check(p+".capacity.workers", workersRange.checkInt(c.Workers))
			errs = c.Service.check(p+".capacity.service", latencyRange, errs)
			if c.Service.Kind == DistNone {
				check(p+".capacity.service", errors.New("needs a service time distribution"))
			}
			check(p+".capacity.queue", queueRange.checkInt(c.Queue))
			queueSlots += max(min(c.Queue, MaxQueue), 0)
			if longest < 0 || c.Queue > cfg.Bidders[longest].Capacity.Queue {
				longest = i
			}
		}
		if b.Value.Kind == DistNone {
			check(p+".value", errors.New("needs a value distribution"))
		}
		errs = b.Value.check(p+".value", priceRange, errs)
		if field, err := checkStrategy(b.Strategy); err != nil {
			check(p+"."+field, err)
		} else if field, err := checkGoal(b.Strategy, b.Outcome, cfg.Horizon, len(cfg.Exchange.Slots)); err != nil {
			check(p+"."+field, err)
		}
		if bu := b.Budget; bu != nil {
			check(p+".budget.total", currencyRange.check(bu.Total.Float()))
			if err := checkPacing(bu.Pacing, cfg.Horizon); err != nil {
				check(p+".budget.pacing", err)
			}
			check(p+".budget.daily", checkDaily(bu))
			check(p+".budget.delivery", checkDelivery(bu))
		}
		if o := b.Outcome; o != nil {
			n := len(errs)
			check(p+".outcome.ctr", checkShare(o.CTR))
			check(p+".outcome.cvr", checkShare(o.CVR))
			check(p+".outcome.baseline_cvr", checkShare(o.BaselineCVR))
			errs = o.Delay.check(p+".outcome.delay", delayRange, errs)
			if len(errs) == n && trafficOK {
				check(p+".outcome.delay", checkPending(t.PeakQPS(), o))
			}
			check(p+".outcome.order_value", currencyRange.check(o.OrderValue.Float()))
			check(p+".outcome.holdout.share", checkShare(o.Holdout))
			check(p+".outcome.attribution_window", delayRange.check(float64(o.AttributionWindow)))
		}
		if b.Group != "" {
			// Groups are addressed by name in paths, as bidders are.
			check(p+".group", checkName(b.Group, true, cfg.OldNames))
			// Travel and travel would silently be two groups; one of them
			// is almost surely a typo.
			k := strings.ToLower(b.Group)
			if j, ok := groupFold[k]; ok && cfg.Bidders[j].Group != b.Group {
				check(p+".group", fmt.Errorf("%q differs from bidders[%d]'s group %q only in case, which would make two groups; write one spelling", b.Group, j, cfg.Bidders[j].Group))
			} else if !ok {
				groupFold[k] = i
			}
		}
	}
	if trafficOK && tmaxErr == nil && len(cfg.Bidders) <= MaxBidders {
		field := "exchange.tmax"
		if queuesAlone(queueSlots) && InFlightBytes(t.PeakQPS(), ex.Tmax, len(cfg.Bidders), 0) <= MaxInFlightBytes {
			// No tmax or qps would do: the error is the queues'.
			field = fmt.Sprintf("bidders[%d].capacity.queue", longest)
		}
		check(field, checkInFlight(t.PeakQPS(), ex.Tmax, len(cfg.Bidders), queueSlots))
	}
	if cfg.Horizon != 0 {
		check("horizon", runTimeRange.check(float64(cfg.Horizon)))
	}
	if cfg.Interval != 0 {
		check("interval", intervalRange.check(float64(cfg.Interval)))
	}
	if cfg.Recent < 0 {
		check("recent", fmt.Errorf("%d must be ≥ 0", cfg.Recent))
	}
	if cfg.Pacing.Interval != 0 {
		check("pacing.interval", intervalRange.check(float64(cfg.Pacing.Interval)))
	}
	if cfg.Pacing.Epsilon != 0 {
		check("pacing.epsilon", positiveNumber.check(cfg.Pacing.Epsilon))
	}
	if cfg.Pacing.MaxMu != 0 {
		check("pacing.max_mu", positiveNumber.check(cfg.Pacing.MaxMu))
	}
	errs = append(errs, cfg.validateTimeouts()...)
	errs = append(errs, cfg.validatePeople()...)
	return errors.Join(errs...)
}

// ValidateStop reports what is wrong with running cfg until st, as field
// errors named stop, stop.auctions or stop.duration: a stop needs a
// limit, and it must come within MaxRunTime of virtual time and
// MaxAuctions auctions, at the starting rate and at every rate the
// script sets.
func (cfg *Config) ValidateStop(st Stop) error {
	t := cfg.Traffic.Simulated()
	if st.Auctions > 0 && cfg.Traffic.Scale > 1 {
		return &FieldError{Field: "stop.auctions", Err: errors.New("with traffic.scale the run stops by duration only (stop.duration)")}
	}
	if errs := checkStop(st, t.QPS, t.Shape); len(errs) > 0 {
		return errors.Join(errs...)
	}
	// A file's own stop is checked at each step's rate as the step is
	// read; a stop given apart (run --auctions, --duration) must be too,
	// or a rate the script lowers runs it into the clock's end (and one
	// it raises past MaxAuctions).
	for _, step := range qpsSteps(cfg.Script) {
		qps := step.QPS
		if cfg.Traffic.Scale > 1 {
			qps /= cfg.Traffic.Scale
		}
		errs := checkStop(st, qps, t.Shape)
		for i, err := range errs {
			var fe *FieldError
			if errors.As(err, &fe) {
				errs[i] = &FieldError{Field: fe.Field, Err: fmt.Errorf("at traffic.qps %s, which the script sets at %v: %w", plain.format(step.QPS), step.At, fe.Err)}
			}
		}
		if len(errs) > 0 {
			return errors.Join(errs...)
		}
	}
	return nil
}

func maxOf(xs []float64) float64 {
	m := math.Inf(-1)
	for _, x := range xs {
		m = max(m, x)
	}
	return m
}
