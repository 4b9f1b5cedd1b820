package sim

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// The supported ranges of a Config. Validate refuses anything outside them,
// so that every accepted world runs to a correct end: integer virtual time
// (int64 nanoseconds, about 292 years) never comes near its end, integer
// money (int64 nano-units) never wraps, and memory stays within a stated
// budget. scenarios/README.md lists them with the reasons.
const (
	// MinQPS is the lowest mean traffic rate: one request every 1,000
	// virtual seconds.
	MinQPS = 0.001
	// MaxQPS is the highest traffic rate, counting the daily shape: the
	// peak rate qps × max(shape) may not exceed it. A faster exchange is
	// not a real one, and arrivals a microsecond apart keep integer
	// nanosecond times exact to 0.05%.
	MaxQPS = 1e6
	// MaxShapeFactor is the largest multiplier of traffic.shape.
	MaxShapeFactor = 1e3

	// MaxRunTime is the longest run in virtual time: stop.duration, the
	// horizon and the expected time to close stop.auctions. Ten years
	// keep the clock, with every delay a run can schedule after its
	// stop, far from its end.
	MaxRunTime = 10 * 365 * 24 * Hour
	// MaxAuctions is the most auctions a run may expect to close (its
	// stop.auctions, or the mean rate × stop.duration). With prices at
	// most MaxCPM, a money sum over a run stays below 10¹⁸ nano-units,
	// a ninth of what int64 holds.
	MaxAuctions = 1e9

	// MaxTmax is the longest auction deadline.
	MaxTmax = Hour
	// MaxLatency bounds the parameters (constant, min/max, mean, sd,
	// p99) of latencies and service times: an hour per request.
	MaxLatency = Hour
	// MaxDelay bounds the parameters of conversion delays: 30 days, the
	// longest usual attribution window.
	MaxDelay = 30 * 24 * Hour
	// MinInterval is the narrowest time-series bucket and the shortest
	// pacing interval.
	MinInterval = Millisecond

	// MaxCPM bounds every price: value parameters, fixed bids, the floor
	// and the increment (1 currency unit per impression, far above any
	// real CPM). See MaxAuctions for why.
	MaxCPM = 1e3
	// MaxCurrency bounds budgets and order values: 10⁹ currency units
	// are 10¹⁸ nano-units, within int64 with room for the sums.
	MaxCurrency = 1e9
	// MaxShadeFactor bounds a shading strategy's factor, (0, 10].
	MaxShadeFactor = 10.0
	// MaxLearnArms bounds a learning bidder's grid of shade factors.
	MaxLearnArms = 1000
	// MaxMixtureWeight bounds one part's weight, so that a mixture's
	// weights add up to a finite number.
	MaxMixtureWeight = 1e9

	// MaxBidders is the most bidders in a world.
	MaxBidders = 1000
	// MaxWorkers is the most workers of a bidder's capacity: the engine
	// keeps one slot per worker, and no real bidder runs more.
	MaxWorkers = 100_000
	// MaxQueue is the longest bounded queue of a bidder's capacity.
	MaxQueue = 1_000_000

	// MaxInFlightBytes is the memory budget (1 GB) for auctions in
	// flight, as estimated by InFlightBytes, and again for each bidder's
	// pending conversions, as estimated by PendingConversionBytes.
	MaxInFlightBytes = 1e9
)

// Memory of one auction in flight, as measured (timeout-demo with tmax 1h:
// 5 GB for 3.6 million auctions of 8 bidders, before closing early): its state and close event,
// and one response a bidder, with the slack of growing slices and of the
// garbage collector's headroom. Closing early (the last answer and the
// person's draw in the state, the network part in each response) made an
// auction of 8 bidders held to its deadline 23% larger (513 → 632 bytes
// of heap, the benchmark world with tmax 200s, 99,370 auctions in flight):
// the figures grew by 20%.
const (
	inFlightAuctionBytes = 112
	inFlightBidBytes     = 192
	queueSlotBytes       = 8
	pendingEventBytes    = 64 // a conversion event in the queue, with its slack
)

// PendingConversionBytes estimates the memory a bidder's conversions
// need while they wait for their delay, if it won every auction at the
// peak rate: by Little's law, rate × conversions per impression × mean
// delay events are pending (the mean taken at most MaxDelay, as no run
// keeps a conversion longer than it lasts).
func PendingConversionBytes(peakQPS float64, o *Outcome) float64 {
	delay := min(o.Delay.Mean(), float64(MaxDelay)) / float64(Second)
	return peakQPS * pendingPerAuction(o) * delay * pendingEventBytes
}

// pendingPerAuction is how many conversions an auction can leave pending
// for a bidder with outcome o: its own, and with a holdout at most one
// organic more that the test keeps until it happens (a ghost's, or by
// person the truth's without the ad).
func pendingPerAuction(o *Outcome) float64 {
	n := o.CTR*o.CVR + o.BaselineCVR
	if o.Holdout > 0 {
		n += o.BaselineCVR
	}
	return n
}

// checkPending refuses an outcome whose pending conversions would take
// more memory than MaxInFlightBytes.
func checkPending(peakQPS float64, o *Outcome) error {
	b := PendingConversionBytes(peakQPS, o)
	if b > MaxInFlightBytes {
		return fmt.Errorf("about %s of pending conversions (peak %s requests per second × %s conversions per impression × mean delay %v); at most %s: lower qps, the delay or the conversion rates",
			gigabytes(b), plain.format(peakQPS), decimal(pendingPerAuction(o), 3), Time(min(o.Delay.Mean(), float64(MaxDelay))), gigabytes(MaxInFlightBytes))
	}
	return nil
}

// InFlightBytes estimates the memory a world needs for the auctions in
// flight at its peak rate: every auction stays open for tmax, with one
// response for each bidder, and bounded queues keep a slot per waiting
// request.
func InFlightBytes(peakQPS float64, tmax Time, bidders, queueSlots int) float64 {
	auctions := peakQPS * tmax.Seconds()
	return auctions*float64(inFlightAuctionBytes+inFlightBidBytes*bidders) + float64(queueSlots*queueSlotBytes)
}

// unit is how a quantity is written in a scenario file, so that messages
// read in the file's own terms.
type unit uint8

const (
	plain    unit = iota // a plain number
	duration             // nanoseconds, written as a Go duration
	cpm                  // a price in CPM
	currency             // an amount of currency
)

// format writes x the way a scenario file does, to 12 significant
// digits: for limits and numbers worked out from the file's.
func (u unit) format(x float64) string { return u.digits(x, 12) }

// written writes x, a number the file (or a flag) gives, the way a
// scenario file does, with every digit it needs to read back as x: a
// total of 1000000000.000001 is not said to be 1000000000.
func (u unit) written(x float64) string { return u.digits(x, -1) }

// digits writes x the way a scenario file does, to n significant digits
// (-1: as many as x needs): a duration as Go writes it, a number as a
// plain decimal (0.00002, not 2e-05) unless that would take more than
// nine zeros after the point or twelve digits before it, and then with
// the exponent a file writes (1e300, not 1e+300).
func (u unit) digits(x float64, n int) string {
	if u == duration && !math.IsNaN(x) {
		if math.Abs(x) >= math.MaxInt64 {
			return fmt.Sprintf("%.3g years", x/float64(365*24*Hour))
		}
		return written(Time(math.Round(x)))
	}
	return decimal(x, n)
}

// decimal is x to n significant digits (-1: as many as x needs), as
// plain decimals from 1e-9 to below 1e12 and otherwise as 1e300 or
// 2.5e-12.
func decimal(x float64, n int) string {
	s := strconv.FormatFloat(x, 'g', n, 64)
	mant, exp, ok := strings.Cut(s, "e")
	if !ok {
		return s
	}
	e, err := strconv.Atoi(exp)
	if err != nil {
		return s
	}
	if e >= -9 && e < 12 {
		// The rounded value's shortest decimal has the digits of s.
		r, _ := strconv.ParseFloat(s, 64)
		return strconv.FormatFloat(r, 'f', -1, 64)
	}
	return mant + "e" + strconv.Itoa(e)
}

// written is t as a scenario writes it: without the zero minutes and
// seconds Duration's String adds ("-1h", not "-1h0m0s"; 0 stays "0s").
func written(t Time) string {
	s := t.String()
	for _, z := range []string{"0s", "0m"} {
		if u, ok := strings.CutSuffix(s, z); ok && u != "" && strings.ContainsAny(u[len(u)-1:], "hm") {
			s = u
		}
	}
	return s
}

// limit is a supported range [lo, hi] (or (lo, hi] when open) with the
// reason for its upper end, in the words of the messages.
type limit struct {
	lo, hi float64
	open   bool   // lo itself is refused
	unit   unit   // how values are written
	what   string // what hi bounds, for the message
}

// Ranges of the fields that share a rule.
var (
	qpsRange        = limit{lo: MinQPS, hi: MaxQPS, unit: plain, what: "requests per second"}
	qpsAnyScale     = limit{lo: MinQPS, hi: MaxQPS * MaxScale, unit: plain, what: "requests per second at any traffic.scale"}
	shapeRange      = limit{lo: 0, hi: MaxShapeFactor, unit: plain, what: "multiplier of the rate"}
	tmaxRange       = limit{lo: 0, hi: float64(MaxTmax), open: true, unit: duration, what: "deadline"}
	runTimeRange    = limit{lo: 0, hi: float64(MaxRunTime), open: true, unit: duration, what: "run (10 years of virtual time)"}
	intervalRange   = limit{lo: float64(MinInterval), hi: float64(MaxRunTime), unit: duration, what: "interval"}
	priceRange      = limit{lo: 0, hi: MaxCPM, unit: cpm, what: "price in CPM"}
	currencyRange   = limit{lo: 0, hi: MaxCurrency, unit: currency, what: "amount of currency"}
	shadeRange      = limit{lo: 0, hi: MaxShadeFactor, open: true, unit: plain, what: "shade factor"}
	armsRange       = limit{lo: 0, hi: MaxLearnArms, unit: plain, what: "number of arms (0: the default)"}
	epsilonRange    = limit{lo: 0, hi: 1, unit: plain, what: "exploration rate (0: the default)"}
	weightRange     = limit{lo: 0, hi: MaxMixtureWeight, unit: plain, what: "weight"}
	workersRange    = limit{lo: 1, hi: MaxWorkers, unit: plain, what: "number of workers"}
	biddersRange    = limit{lo: 1, hi: MaxBidders, unit: plain, what: "number of bidders"}
	queueRange      = limit{lo: 0, hi: MaxQueue, unit: plain, what: "queue (0: unbounded)"}
	goalRange       = limit{lo: 0, hi: MaxCurrency, open: true, unit: plain, what: "target"}
	positiveNumber  = limit{lo: 0, hi: math.MaxFloat64, open: true, unit: plain}
	latencyRange    = limit{lo: 0, hi: float64(MaxLatency), unit: duration, what: "latency or service time"}
	graceRange      = limit{lo: 0, hi: float64(MaxTmax), unit: duration, what: "grace before people leave"}
	adjustmentRange = limit{lo: 0, hi: float64(MaxTmax), unit: duration, what: "tmax adjustment"}
	delayRange      = limit{lo: 0, hi: float64(MaxDelay), unit: duration, what: "conversion delay"}
)

// check reports x outside the range; NaN and infinities are outside every
// range.
func (l limit) check(x float64) error {
	lo := "0"
	if l.lo != 0 {
		lo = l.unit.format(l.lo)
	}
	switch {
	case math.IsNaN(x):
		return fmt.Errorf("%s is not a number", l.unit.written(x))
	case l.open && !(x > l.lo):
		return fmt.Errorf("%s must be > %s", l.unit.written(x), lo)
	case !(x >= l.lo):
		return fmt.Errorf("%s must be ≥ %s", l.unit.written(x), lo)
	case x > l.hi:
		return fmt.Errorf("%s is more than %s, the largest supported %s", l.unit.written(x), l.unit.format(l.hi), l.what)
	}
	return nil
}

// CheckCPM reports a price in CPM outside the range a Config's prices
// may take, [0, MaxCPM], in Validate's words: what a reader of prices
// checks before it converts them to Price, which cannot hold every
// wrong number.
func CheckCPM(cpm float64) error { return priceRange.check(cpm) }

// CheckCurrency reports an amount of currency outside the range a
// Config's budgets and order values may take, [0, MaxCurrency], in
// Validate's words: what a reader checks before converting to Money.
func CheckCurrency(amount float64) error { return currencyRange.check(amount) }

// checkInt is check for a whole number.
func (l limit) checkInt(n int) error { return l.check(float64(n)) }

// checkShare reports a probability outside [0, 1].
func checkShare(x float64) error {
	if !(x >= 0 && x <= 1) {
		return fmt.Errorf("%s is not a share in [0, 1]", plain.written(x))
	}
	return nil
}

// checkPeak checks the peak rate qps × max(shape), the rate the engine
// draws arrivals at.
func checkPeak(qps float64, shape []float64) error {
	if peak := (Traffic{QPS: qps, Shape: shape}).PeakQPS(); peak > MaxQPS {
		return fmt.Errorf("the peak rate qps × max(shape) = %s is more than %s requests per second, the most supported", plain.format(peak), plain.format(MaxQPS))
	}
	return nil
}

// meanQPS is the mean rate over a day.
func meanQPS(qps float64, shape []float64) float64 {
	if len(shape) == 0 {
		return qps
	}
	sum := 0.0
	for _, m := range shape {
		sum += m
	}
	return qps * sum / float64(len(shape))
}

// MeanQPS is the mean ad-request rate over a day: QPS × mean(Shape).
func (t Traffic) MeanQPS() float64 { return meanQPS(t.QPS, t.Shape) }

// PeakQPS is the highest ad-request rate of the day: QPS × max(Shape).
func (t Traffic) PeakQPS() float64 {
	if len(t.Shape) == 0 {
		return t.QPS
	}
	return t.QPS * maxOf(t.Shape)
}

// checkMeanRate refuses a daily shape that leaves the mean rate below
// MinQPS (a run would crawl through virtual time).
func checkMeanRate(qps float64, shape []float64) error {
	if m := meanQPS(qps, shape); m < MinQPS {
		return fmt.Errorf("the mean rate qps × mean(shape) = %s is below %s requests per second, the least supported", plain.format(m), plain.format(MinQPS))
	}
	return nil
}

// checkInFlight refuses a world whose auctions in flight would take more
// memory than MaxInFlightBytes.
func checkInFlight(peakQPS float64, tmax Time, bidders, queueSlots int) error {
	b := InFlightBytes(peakQPS, tmax, bidders, queueSlots)
	if b <= MaxInFlightBytes {
		return nil
	}
	q := float64(queueSlots * queueSlotBytes)
	if q < b/10 {
		return fmt.Errorf("about %s of in-flight auctions (peak %s requests per second × tmax %v × %d bidders); at most %s: lower qps, tmax or the number of bidders",
			gigabytes(b), plain.format(peakQPS), tmax, bidders, gigabytes(MaxInFlightBytes))
	}
	// The bounded queues' slots count too, and may be most of it (1000
	// bidders with queues of 10⁶ take 8 GB at 1 qps): say how much, so
	// that the fix is not sought in qps and tmax alone.
	return fmt.Errorf("about %s of in-flight auctions (peak %s requests per second × tmax %v × %d bidders: %s) and bounded queues (%s slots of the bidders' capacity.queue: %s); at most %s: lower qps, tmax or the number of bidders, or shorten the queues",
		gigabytes(b), plain.format(peakQPS), tmax, bidders, gigabytes(b-q), plain.format(float64(queueSlots)), gigabytes(q), gigabytes(MaxInFlightBytes))
}

// queuesAlone reports whether queueSlots bounded-queue slots exceed the
// in-flight memory budget by themselves, whatever the rate and tmax.
func queuesAlone(queueSlots int) bool {
	return float64(queueSlots*queueSlotBytes) > MaxInFlightBytes
}

func gigabytes(b float64) string {
	return strconv.FormatFloat(b/1e9, 'f', 1, 64) + " GB"
}

// checkName refuses names that would break a table, a terminal or a
// metric path: control and bidi-formatting characters, invalid UTF-8,
// and in bidder names (which stand in paths such as bidders.NAME.spend)
// the separators . = , and *. old accepts what Config.OldNames does.
func checkName(name string, bidder, old bool) error {
	if strings.TrimSpace(name) == "" {
		if name == "" {
			return fmt.Errorf("must not be empty")
		}
		return fmt.Errorf("%q is blank", name)
	}
	// A space at either end is invisible in a table and in a path
	// (bidders. x.spend), so the name could not be typed back.
	if !old && (strings.HasPrefix(name, " ") || strings.HasSuffix(name, " ")) {
		return fmt.Errorf("%q begins or ends with a space; remove it", name)
	}
	// "é" written as e and a combining accent looks like the "é" a
	// keyboard types but is another string: --set and --metrics could
	// not name it.
	if !old && !norm.NFC.IsNormalString(name) {
		return fmt.Errorf("%+q is not in Unicode's composed form (NFC): an accent is written as a separate combining mark, so a path typed on a keyboard would not match it; write it composed, %+q", name, norm.NFC.String(name))
	}
	for i, r := range name {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(name[i:], "\uFFFD"):
			return fmt.Errorf("%q is not valid UTF-8", name)
		case !unicode.IsPrint(r) && r != ' ' || unicode.Is(unicode.Cf, r):
			return fmt.Errorf("%q contains the control or formatting character %U; use printable characters only", name, r)
		case bidder && strings.ContainsRune(".=,*", r):
			return fmt.Errorf("%q contains %q, which has a meaning in paths such as bidders.NAME.spend (as do . = , and *); use letters, digits, - or _", name, r)
		}
	}
	return nil
}

// checkStop checks a stop against the world it ends: it needs a limit,
// and it must be reached within MaxRunTime and MaxAuctions.
func checkStop(st Stop, qps float64, shape []float64) []error {
	var errs []error
	bad := func(field string, err error) { errs = append(errs, &FieldError{Field: field, Err: err}) }
	if st.Auctions == 0 && st.Duration == 0 {
		bad("stop", fmt.Errorf("needs auctions, duration or both (the run stops at whichever comes first)"))
		return errs
	}
	if st.Duration != 0 {
		if err := runTimeRange.check(float64(st.Duration)); err != nil {
			bad("stop.duration", err)
			return errs
		}
	}
	if st.Auctions > MaxAuctions {
		bad("stop.auctions", fmt.Errorf("%d is more than %s, the most auctions a run may close (so that sums of money cannot overflow)", st.Auctions, plain.format(MaxAuctions)))
		return errs
	}
	rate := meanQPS(qps, shape)
	if !(rate >= MinQPS) || qpsRange.check(qps) != nil {
		return errs // traffic has its own error
	}
	switch {
	case st.Duration == 0:
		if secs := float64(st.Auctions) / rate; secs > MaxRunTime.Seconds() {
			bad("stop.auctions", fmt.Errorf("%d auctions at a mean rate of %s per second take about %s years of virtual time; at most %.0f years: raise qps, lower auctions or add a stop.duration",
				st.Auctions, plain.format(rate), decimal(secs/(365*24*3600), 3), MaxRunTime.Seconds()/(365*24*3600)))
		}
	case st.Auctions == 0:
		if n := rate * st.Duration.Seconds(); n > MaxAuctions {
			bad("stop.duration", fmt.Errorf("%v at a mean rate of %s per second closes about %s auctions; at most %s (so that sums of money cannot overflow): shorten it, lower qps or add stop.auctions",
				written(st.Duration), plain.format(rate), decimal(n, 3), plain.format(MaxAuctions)))
		}
	}
	return errs
}

// CheckTarget reports a goal's target outside its range, (0, MaxCurrency]
// (a target CPA in currency, a target ROAS), in Validate's words: what a
// reader checks before converting a target CPA to Money, so that a
// negative one is told "must be > 0" as 0 is, not the range of money.
func CheckTarget(x float64) error { return goalRange.check(x) }

// checkStrategy checks a strategy's parameter, returning the field at
// fault (strategy.factor, strategy.bid or strategy.kind).
func checkStrategy(s Strategy) (string, error) {
	switch s.Kind {
	case Truthful, Equilibrium:
		return "", nil
	case Shade:
		return "strategy.factor", shadeRange.check(s.Factor)
	case Fixed:
		return "strategy.bid", priceRange.check(s.Bid.CPM())
	case Learn:
		if err := armsRange.checkInt(s.Arms); err != nil {
			return "strategy.arms", err
		}
		if err := epsilonRange.check(s.Epsilon); err != nil {
			return "strategy.epsilon", err
		}
		return "", nil
	case TargetCPA:
		return "strategy.cpa", goalRange.check(s.CPA.Float())
	case TargetROAS:
		if s.On > OnIncremental {
			return "strategy.on", fmt.Errorf("unknown base %d", s.On)
		}
		return "strategy.roas", goalRange.check(s.ROAS)
	}
	return "strategy.kind", fmt.Errorf("unknown strategy %d", s.Kind)
}

// checkPacing checks a budget's pacing in a world with the given horizon:
// paced budgets spread their spend over it.
func checkPacing(k PacingKind, horizon Time) error {
	switch {
	case k > PacingMultiplier:
		return fmt.Errorf("unknown pacing %d", k)
	case k != PacingNone && horizon <= 0:
		return fmt.Errorf("%s pacing needs a horizon (the run's planned length) > 0", k)
	}
	return nil
}

// MaxScale is the most ad requests one simulated request may stand for.
const MaxScale = 1e6

// checkScale refuses a traffic scale below 1 (but 0, none) or past
// MaxScale.
func checkScale(s float64) error {
	if s == 0 || s >= 1 && s <= MaxScale && s == math.Trunc(s) {
		return nil
	}
	if s > MaxScale && s == math.Trunc(s) {
		return fmt.Errorf("%s is more than %s, the most ad requests one simulated request may stand for (so that counts at full scale cannot overflow)", plain.written(s), plain.format(MaxScale))
	}
	return fmt.Errorf("%s must be 0 (none) or a whole number from 1 to %s", plain.written(s), plain.format(MaxScale))
}

// checkScaledQPS is the refusal of a rate qps that scale takes out of
// the engine's range (simulated = qps / scale), in the file's numbers: a
// scale that leaves fewer than MinQPS simulated requests a second names
// the largest scale the rate allows.
func checkScaledQPS(qps, scale, simulated float64) error {
	if qps >= MinQPS && simulated < MinQPS {
		// qps / MinQPS may fall a hair short of a whole number the
		// rate allows (0.043 / 0.001 = 42.99…, but 0.043 / 43 is
		// 0.001): the largest scale is the one the check accepts.
		most := math.Floor(qps / MinQPS)
		for most < MaxScale && qps/(most+1) >= MinQPS {
			most++
		}
		for most > 1 && qps/most < MinQPS {
			most--
		}
		return fmt.Errorf("%s with traffic.qps %s simulates %s requests per second (qps / scale), fewer than %s, the least supported: a scale of at most %s",
			plain.written(scale), plain.written(qps), plain.format(simulated), plain.format(MinQPS), plain.format(most))
	}
	if err := qpsRange.check(simulated); err != nil {
		return fmt.Errorf("with traffic.scale %s, qps / scale = %w", plain.written(scale), err)
	}
	return nil
}

// checkDaily refuses a negative daily budget or one past the largest
// amount of currency.
func checkDaily(b *Budget) error {
	if b.Daily < 0 {
		return fmt.Errorf("%s must be ≥ 0", currency.written(b.Daily.Float()))
	}
	return currencyRange.check(b.Daily.Float())
}

// checkDelivery refuses a delivery plan without a daily budget to plan,
// or a planned one without a pacing controller to steer to it.
func checkDelivery(b *Budget) error {
	switch d := b.Delivery; {
	case d > DeliveryFrontLoaded:
		return fmt.Errorf("unknown delivery %d", d)
	case d == DeliveryDefault:
	case b.Daily == 0:
		return fmt.Errorf("%s plans a daily budget: needs budget.daily", d)
	case d != DeliveryASAP && b.Pacing == PacingNone:
		return fmt.Errorf("%s needs a pacing controller to steer to it (budget.pacing: throttle or multiplier)", d)
	}
	return nil
}

// checkAuctionType refuses an auction type other than first and second
// price, GSP and VCG.
func checkAuctionType(a AuctionType) error {
	if a != FirstPrice && a != SecondPrice && !a.Slotted() {
		return fmt.Errorf("unknown auction type %d", a)
	}
	return nil
}
