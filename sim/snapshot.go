package sim

import "math"

// Snapshot is an immutable copy of an engine's state and metrics at one
// virtual instant. It shares no memory with the engine, so it can be handed
// to another goroutine.
type Snapshot struct {
	Name     string
	Seed     uint64
	Now      Time   // virtual clock
	Events   uint64 // events processed so far
	Settings Settings
	Exchange ExchangeStats
	Bidders  []BidderStats // in configuration order
	Series   Series
	Recent   []AuctionRecord // most recent closed auctions, oldest first
	Changes  []AppliedChange // the change log
	// Slots are each ad position's weight and counters, best first, in
	// an auction of several slots (fixed for a run); nil for one item.
	Slots  []SlotStats
	Groups []GroupStats // advertisers' groups of bidders, in order of first member
	// TmaxCurve is every closed auction settled again at each candidate
	// deadline of the scenario's grid, in increasing tmax; nil when off.
	// With bidders on the wire, or auctions the skip rule left unsent, it
	// holds only the points up to TmaxCurveCensoredAbove.
	TmaxCurve []TmaxPoint
	// TmaxCurveRecent is the same over the latest auctions only (between
	// TmaxRecentAuctions and twice that many), so that it follows a
	// bidder that slows down.
	TmaxCurveRecent []TmaxPoint
	// TmaxCurveExact: each point is what a run at that tmax would give,
	// to the auction. False when budgets or bidders that respect tmax
	// make the bids depend on the deadline: the curve then holds the bids
	// as they were made (say so beside it).
	TmaxCurveExact bool
	// TmaxCurveFrom is when the tmax curve started: 0, or the instant of
	// the live change that started it afresh (tmax off its grid, the
	// abandonment; any change of tmax on the wire, or once the skip rule
	// has stopped the curve). Two snapshots' curves subtract only when it
	// is the same in both.
	TmaxCurveFrom Time
	// TmaxCurveCensoredAbove is 0, or, once a call on the wire got no
	// answer, the time the wire stopped waiting for it, the deadline it
	// enforced or the end of its late grace (the least over the curve's
	// auctions): such a call is known to be late at every deadline up to
	// it, but its arrival past it is unknown (an answer read in the grace
	// is known, at its time), so TmaxCurve and TmaxCurveRecent
	// hold only the points at or below it (none when it is below the
	// grid's first). An auction the skip rule of tmax_adjustments left
	// unsent censors it too, at the longest deadline of the grid at which
	// the rule applies (the run's tmax when none does): there no auction
	// sends a bid request, above it what the unsent one would have got is
	// unknown. The lower of the two wins. AdviseTmaxSettled reads such a
	// curve.
	TmaxCurveCensoredAbove Time
	// TmaxCurveCensoredBy says what censored the curve at
	// TmaxCurveCensoredAbove, for a view to say why it stops there: the
	// wire, the skip rule of tmax_adjustments, or both where each stops
	// it at the same deadline. 0 when nothing is censored.
	TmaxCurveCensoredBy CurveCensor
	// ScriptRefused lists the scripted changes refused at their instant,
	// "at 30s: change …: why": a live change made them invalid (the
	// script itself was checked before the run).
	ScriptRefused []string
	// SinceChange counts what happened since the last live change (Start
	// is its instant), or since the start when nothing was changed: the
	// window whose means a change affects. It counts the auctions fanned
	// out since then (closed by now), not those fanned out before the
	// change and closed after it, which ran in the world before it.
	SinceChange SeriesPoint
	// RecentSpan is the virtual time that BidderStats.RecentBids and
	// RecentLate cover: the series' last RecentIntervals intervals.
	RecentSpan Time
	// theory is the scenario as the closed form reads it; Theory adds the
	// live changes. It is shared read-only with the engine.
	theory TheoryInput
}

// RecentIntervals is how many of the series' latest intervals the recent
// late share covers: recent enough to show a change of latency or tmax at
// once, long enough to hold a few hundred bids at modest rates.
const RecentIntervals = 10

// Settings are the exchange's current, live-changeable parameters.
type Settings struct {
	Auction   AuctionType
	Tmax      Time
	Floor     Price
	Increment Price
	QPS       float64
	// Rate is the current mean arrival rate: QPS × the daily shape's
	// multiplier at Now (QPS without a shape).
	Rate float64
	// BidderTmax is the deadline bidders are told: Tmax less the
	// TmaxAdjustments (Tmax itself without them).
	BidderTmax      Time
	TmaxAdjustments TmaxAdjustments
	// Abandonment is what waiting costs (fixed for a run); HoldOpen:
	// auctions wait their whole deadline (close_early: false).
	Abandonment Abandonment
	HoldOpen    bool
	// Scale is how many ad requests each simulated one stands for
	// (traffic.scale): the snapshot's counts and money are at full scale,
	// Scale times the engine's own. 1 without a scale.
	Scale float64
}

// ExchangeStats are the exchange's counters. Every closed auction is either
// filled or unfilled; every bid request ends as exactly one of a bid, a
// no-bid, an error or a refusal; every bid is on time or late.
type ExchangeStats struct {
	Requests    uint64 // ad requests received
	InFlight    uint64 // auctions fanned out but not yet closed
	Auctions    uint64 // auctions closed: Filled + Unfilled
	Filled      uint64 // auctions with a winner (= wins)
	Unfilled    uint64
	BidRequests uint64
	Bids        uint64 // OnTime + Late
	OnTime      uint64 // includes BelowFloor
	Late        uint64 // timeouts: bids that arrived after tmax
	BelowFloor  uint64 // on-time bids rejected under the floor
	NoBids      uint64
	Errors      uint64 // answered with an error
	Refused     uint64 // refused at once by a bidder whose queue was full
	Hangs       uint64 // never answered: timeouts at the deadline
	// SkippedDeadline counts no-bids (within NoBids) from bidders that
	// respect tmax and would have missed the deadline they were told.
	SkippedDeadline uint64
	// Unsent counts bid requests not sent because the told deadline fell
	// below TmaxAdjustments.BidderResponseMin, counted at fan-out (not in
	// BidRequests).
	Unsent      uint64
	Revenue     Money // what the auctions cleared at: Σ bidders' spend + AbandonedRevenue
	RevenueLost Money // what late bids would have added had they been on time
	MaxPrice    Price // highest clearing price so far
	Value       Money // Σ winners' values of the impressions they bought

	// Abandoned counts filled auctions whose impression was lost: the
	// person left while the page waited (Abandonment). AbandonedRevenue
	// is what they would have paid; Revenue counts it, the winners'
	// spend does not (Σ spend = NetRevenue).
	Abandoned        uint64
	AbandonedRevenue Money

	// Wait is the time from each closed auction's ad request to the
	// exchange's answer: when every called bidder has answered or failed,
	// or the deadline (tmax), whichever came first. RecentWait covers the
	// latest 8,192 to 16,384 auctions only,
	// or fewer since a change (RecentWaitCover). Snapshot fills both in. The
	// percentiles are a histogram's, to 1%, but none is above the longest
	// wait, which Max gives exactly (LatencyStats): no figure says a page
	// waited past its deadline.
	Wait, RecentWait LatencyStats
	// RecentWaitCover says which auctions RecentWait covers: after a
	// change that can move the wait (Snapshot.MovesWait) it starts
	// afresh, with the auctions at the change until SinceEnough have
	// been fanned out since (WaitMixed), then those since (WaitSince),
	// until they number 8,192 (WaitLatest).
	RecentWaitCover WaitCover
	// RecentWaitFrom is the instant of that change, with WaitMixed and
	// WaitSince; 0 with WaitLatest.
	RecentWaitFrom Time
}

// FillRate is Filled / Auctions; NaN before any auction closes.
func (x ExchangeStats) FillRate() float64 { return ratio(x.Filled, x.Auctions) }

// MeanPrice is the mean clearing price over filled auctions, in CPM; NaN
// with none filled.
func (x ExchangeStats) MeanPrice() float64 { return meanCPM(x.Revenue, x.Filled) }

// TimeoutRate is Late / Bids; NaN with no bids.
func (x ExchangeStats) TimeoutRate() float64 { return ratio(x.Late, x.Bids) }

// BidsPerAuction is Bids / Auctions: the bids, on time or late, an auction
// received, what a bidder's competition looks like from the exchange; NaN
// before any auction closes. A response is counted when its auction closes
// (a late bid's time is known then), so both counts cover the same auctions.
func (x ExchangeStats) BidsPerAuction() float64 { return ratio(x.Bids, x.Auctions) }

// RevenuePerAuction is revenue per closed auction, filled or not, in CPM:
// the figure a floor or a deadline is judged by.
func (x ExchangeStats) RevenuePerAuction() float64 { return meanCPM(x.Revenue, x.Auctions) }

// LostShare is revenue lost to timeouts as a share of the potential
// revenue (revenue + lost).
func (x ExchangeStats) LostShare() float64 { return lostShare(x.Revenue, x.RevenueLost) }

// Saturated reports whether a money total reached MaxMoney and stopped
// there (see MaxMoney): the exchange's revenue, value or revenue lost, and
// with revenue every bidder's spend, are then lower bounds.
func (x ExchangeStats) Saturated() bool {
	return x.Revenue == MaxMoney || x.Value == MaxMoney || x.RevenueLost == MaxMoney
}

// BidderStats are one bidder's counters and current settings.
type BidderStats struct {
	Name    string
	Enabled bool

	BidRequests uint64
	Bids        uint64 // OnTime + Late
	OnTime      uint64 // includes BelowFloor
	Late        uint64
	BelowFloor  uint64
	NoBids      uint64 // includes NoBudget and Throttled
	NoBudget    uint64 // no-bids because the budget was used or committed
	Throttled   uint64 // no-bids because throttle pacing sat the auction out
	// SkippedDeadline: no-bids because the bidder respects tmax and would
	// have missed the deadline it was told; work saved, not timeouts.
	SkippedDeadline uint64
	Errors          uint64 // answered with an error
	Refused         uint64
	Hangs           uint64 // never answered
	Wins            uint64

	Spend     Money
	Budget    Money // 0 when Unlimited
	Unlimited bool  // no budget (with a daily budget only: no total)
	// Daily is the daily budget, 0 without one; Delivery its plan and
	// Days every virtual day begun, the last in progress (nil without).
	Daily    Money
	Delivery Delivery
	Days     []DaySpend
	// Frequency is how often its impressions reached the same people;
	// nil without traffic.users.
	Frequency *FrequencyStats
	Value     Money // Σ values of won impressions
	Latency   LatencyStats
	// RecentLatency covers only the bidder's latest responses (8,192 to
	// 16,384 of them), so a change of latency shows at once.
	RecentLatency LatencyStats
	// RecentBids and RecentLate count bids and late bids over the
	// series' last RecentIntervals intervals (Snapshot.RecentSpan): the
	// late share beside the recent latency.
	RecentBids, RecentLate uint64

	// HasOutcome says whether the bidder has an outcome model; without
	// one its ROAS is undefined (NaN), not 0.
	HasOutcome bool
	Clicks     uint64
	// Conversions are those the ad caused (click → conversion): with
	// people more than it adds (IncrementalConversions), as a caused
	// conversion may take the place of an organic one the person would
	// have made later in the period.
	Conversions uint64
	Organic     uint64 // drawn as would-have-happened-anyway; last touch credits them to the ad
	Pending     uint64 // scheduled, not yet matured
	// PendingCaused counts the Pending conversions the ad caused (the
	// others are organic), PendingUnattributed those that will mature
	// outside the attribution window. Each pending conversion is drawn
	// in full at the click (kind, person, delay), so what it will add is
	// known now: Eventual counts them.
	PendingCaused       uint64
	PendingUnattributed uint64
	// OrderValue is the outcome's order value, what each conversion is
	// worth (0 without an outcome model).
	OrderValue Money
	// ValueCaused and ValueOrgan are the order values of Conversions and
	// Organic, summed exactly (saturating at MaxMoney like every total).
	ValueCaused Money
	ValueOrgan  Money
	// WithoutAd counts, with people, the conversions the people it
	// reached would have made without its ads: the organic draws of its
	// own impressions, the same draws and delays, each kept once per
	// conversion_period and counted once it has happened, as Conversions
	// and Organic are. ValueWithoutAd is their order value. Both 0
	// without people.
	WithoutAd      uint64
	ValueWithoutAd Money
	// WithoutAdPending counts, with people, the conversions without its
	// ads drawn and kept but not yet happened (their delay reaches past
	// now), apart from WithoutAd: Eventual counts them.
	WithoutAdPending uint64
	// Unattributed counts the matured conversions (caused or organic,
	// within Conversions and Organic) outside the attribution window:
	// last touch does not credit them to the ad. ValueUnattributed is
	// their order value. Both 0 without a window.
	Unattributed      uint64
	ValueUnattributed Money

	Strategy    Strategy
	Pacing      PacingKind
	Throttle    float64 // throttle pacing: current participation probability
	Mu          float64 // multiplier pacing: current μ (bids are value/(1+μ))
	Searching   bool    // multiplier pacing: μ is a probe of the start-up search
	LatencyDist Dist    // current latency distribution (before the network)
	NetworkDist Dist    // the network round trip's, apart; DistNone: none
	// Network is the network part of Latency (zero without NetworkDist).
	Network LatencyStats

	Group   string        // the advertiser group it belongs to; empty: none
	Unspent UnspentReason // why it is behind its budget by more than 5%; UnspentNone: it is not
	Holdout *HoldoutStats // its incrementality test; nil without a holdout
	Learn   *LearnStats   // where a learning bidder stands; nil for other strategies
	Goal    *Goal         // where a goal bidder (target_cpa, target_roas) stands; nil for other strategies
	// Counterfactual is its surplus since its last strategy change beside
	// what truthful and equilibrium bids would have earned over the same
	// auctions (counterfactual.go).
	Counterfactual CounterfactualStats
}

// WinRate is Wins / BidRequests; NaN with no bid requests.
func (b BidderStats) WinRate() float64 { return ratio(b.Wins, b.BidRequests) }

// TimeoutRate is Late / Bids; NaN with no bids.
func (b BidderStats) TimeoutRate() float64 { return ratio(b.Late, b.Bids) }

// RecentTimeoutRate is RecentLate / RecentBids.
func (b BidderStats) RecentTimeoutRate() float64 { return ratio(b.RecentLate, b.RecentBids) }

// MeanPrice is the mean price paid per won impression, in CPM.
func (b BidderStats) MeanPrice() float64 { return meanCPM(b.Spend, b.Wins) }

// AttributedROAS is last-touch conversion value / spend: caused and organic
// conversions alike are credited to the ad. NaN with nothing spent or no
// outcome model.
func (b BidderStats) AttributedROAS() float64 {
	if !b.HasOutcome {
		return math.NaN()
	}
	return roas(b.AttributedValue(), b.Spend)
}

// IncrementalROAS is the value the ads added / spend
// (IncrementalValue): the model's truth. NaN with nothing spent or no
// outcome model.
func (b BidderStats) IncrementalROAS() float64 {
	if !b.HasOutcome {
		return math.NaN()
	}
	return roas(b.IncrementalValue(), b.Spend)
}

// CausedROAS is the value of the conversions the ad caused / spend: the
// same as IncrementalROAS without people, above it with people. NaN
// with nothing spent or no outcome model.
func (b BidderStats) CausedROAS() float64 {
	if !b.HasOutcome {
		return math.NaN()
	}
	return roas(b.ValueCaused, b.Spend)
}

// HoldoutTruth is the model's incremental ROAS that b's holdout
// estimates, to set beside its measured one: by person the test's own
// truth (HoldoutStats.TrueIncrementalROAS, the same as
// IncrementalROAS), by request or without a holdout IncrementalROAS.
func (b BidderStats) HoldoutTruth() float64 {
	if b.Holdout != nil && b.Holdout.Unit == HoldoutByPerson {
		return b.Holdout.TrueIncrementalROAS()
	}
	return b.IncrementalROAS()
}

// LatencyStats summarise a bidder's response times (network + queue +
// service) over every answered bid request, late ones included, or the
// exchange's waits. The percentiles are a histogram's, to 1%, held
// between the shortest and the longest time they cover; Max and Mean are
// exact (the mean rounded down to the nanosecond): a bidder that always
// answers in 30 ms reads 30 ms throughout, and no figure is past a
// deadline no response missed.
//
// On the wire a call that got no answer is censored: its time is known
// only to be past the time the wire stopped waiting for it (the deadline
// it enforced, or the end of the late grace; an answer read in the grace
// is measured, at its time), so it is in no figure but
// Censored, and the percentiles are those of every call, answered or
// censored, taken from the answered calls where they rank among them; a
// percentile that ranks among the censored calls reads CensoredAt, and
// its Past flag says it is only known to be past it. Count, Max and Mean
// are the answered calls'. The simulation knows every answer's time, late
// ones too, and censors nothing (a hang, which never answers, is in no
// figure there).
type LatencyStats struct {
	Count         uint64
	P50, P95, P99 Time
	Max           Time
	Mean          Time
	// Censored counts the calls on the wire that got no answer;
	// CensoredAt is the least time one was censored at (when the wire
	// stopped waiting: the auction's tmax from the fan-out, or the end of
	// the late grace past it), 0 with none.
	Censored   uint64
	CensoredAt Time
	// P50Past, P95Past and P99Past: the percentile ranks among the
	// censored calls, and reads CensoredAt, a lower bound.
	P50Past, P95Past, P99Past bool
}

// Series is the time series of per-interval metrics. Point i covers
// [i·Width, (i+1)·Width); the last point is the interval in progress. When a
// run outgrows the series' capacity, adjacent points merge and Width
// doubles, so memory stays bounded however long the run.
type Series struct {
	Width  Time
	Points []SeriesPoint
}

// SeriesPoint is one interval's metrics.
type SeriesPoint struct {
	Start       Time
	Auctions    uint64
	Filled      uint64
	Timeouts    uint64 // late bids
	Revenue     Money
	RevenueLost Money
	MaxPrice    Price
	// Floor and Tmax are the exchange's settings at the interval's end
	// (the last value set when a change falls inside it).
	Floor   Price
	Tmax    Time
	Bidders []BidderPoint // in configuration order
}

// FillRate is Filled / Auctions; NaN with no auctions.
func (p SeriesPoint) FillRate() float64 { return ratio(p.Filled, p.Auctions) }

// MeanPrice is the interval's mean clearing price, in CPM; NaN with none
// filled.
func (p SeriesPoint) MeanPrice() float64 { return meanCPM(p.Revenue, p.Filled) }

// RevenuePerAuction is revenue per closed auction, in CPM.
func (p SeriesPoint) RevenuePerAuction() float64 { return meanCPM(p.Revenue, p.Auctions) }

// LostShare is revenue lost to timeouts as a share of the potential
// revenue (revenue + lost).
func (p SeriesPoint) LostShare() float64 { return lostShare(p.Revenue, p.RevenueLost) }

// TimeoutRate is the bidders' late bids / bids in the interval.
func (p SeriesPoint) TimeoutRate() float64 {
	var late, bids uint64
	for _, b := range p.Bidders {
		late += b.Late
		bids += b.Bids
	}
	return ratio(late, bids)
}

// BidderPoint is one bidder's metrics in one interval.
type BidderPoint struct {
	BidRequests uint64
	Bids        uint64
	Late        uint64 // timeouts: bids that arrived after tmax
	Wins        uint64
	Spend       Money
	// Value is, in SinceChange only, the sum of its values of the
	// impressions it won and was charged for since the change
	// (BidderStats.Value's share): Value − Spend is its surplus, which
	// SinceChange sets beside its closed form. A series interval leaves
	// it 0: nothing reads it there, and adding it up at every win cost
	// the pipelined engine thread measurably (BENCHMARKS.md, stop 35).
	Value Money
	// LearnFactor is a learning bidder's factor (LearnStats.Factor) at
	// the last auction it learned from in the interval; 0 when it learned
	// nothing in it: the learner's path over time.
	LearnFactor float64
	// DaySpend is, for a bidder with a daily budget, what it has spent in
	// the virtual day holding the interval's end, by that end (or by now,
	// for the interval in progress): the day's spend so far, which starts
	// again from 0 at each midnight. 0 without a daily budget.
	DaySpend Money
	// DailyBudget is that day's budget (as DaySpend.Budget has it: the
	// last set in the day); 0 without a daily budget.
	DailyBudget Money
	// dayStamp is 1 + the day of DaySpend as the engine last stamped it
	// on a win in the interval; 0: no win stamped it, and the snapshot
	// carries the day's spend forward from the points before.
	dayStamp int32
}

// WinRate is Wins / BidRequests; NaN with no bid requests.
func (p BidderPoint) WinRate() float64 { return ratio(p.Wins, p.BidRequests) }

// TimeoutRate is Late / Bids; NaN with no bids.
func (p BidderPoint) TimeoutRate() float64 { return ratio(p.Late, p.Bids) }

// Status is how one bid request ended.
type Status uint8

// Bid request outcomes.
const (
	NotSent    Status = iota // bidder disabled
	Error                    // answered with an error (after its Time)
	Refused                  // the bidder's queue was full
	Hang                     // never answered: a timeout at the deadline
	NoBid                    // answered, declined
	Late                     // a bid that arrived after tmax
	BelowFloor               // an on-time bid under the floor
	OnTime                   // an on-time bid that took part in the auction
)

var statusNames = [...]string{"not sent", "error", "refused", "hang", "no bid", "late", "below floor", "on time"}

// String names the outcome ("on time", "late", ...).
func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return "unknown"
}

// NoBidReason says why a bidder declined.
type NoBidReason uint8

// Reasons for a no-bid.
const (
	Declined       NoBidReason = iota // the bidder's no_bid share
	NoBudget                          // the budget was spent or committed
	Throttled                         // throttle pacing sat this auction out
	HeldOut                           // held back for an incrementality test (a ghost bid)
	MissesDeadline                    // respects tmax: would have missed the told deadline
	// FrequencyCapped: the person has seen the bidder's frequency cap
	// (OpenRTB no-bid reason 9, "daily user cap met").
	FrequencyCapped
)

// PriceReason says what set the clearing price.
type PriceReason uint8

// What set the price.
const (
	NoSale        PriceReason = iota // no eligible bid
	SecondBid                        // second price: the second-highest bid + increment
	FloorPrice                       // second price: the floor + increment (above the second bid)
	CappedAtBid                      // second price: the increment would pass the winner's bid
	FirstPriceBid                    // first price: the winner's own bid
)

var reasonNames = [...]string{"no sale", "second bid + increment", "floor + increment", "capped at the winner's bid", "winner's own bid (first price)"}

// String says what set the price, for the inspector.
func (r PriceReason) String() string {
	if int(r) < len(reasonNames) {
		return reasonNames[r]
	}
	return "unknown"
}

// Text says what set the price of an auction run with the given
// increment: String's words, save that with no increment the second bid or
// the floor alone set it ("second bid", "floor"). Every export and screen
// that names a price's reason says it so.
func (r PriceReason) Text(increment Price) string {
	if increment == 0 {
		switch r {
		case SecondBid:
			return "second bid"
		case FloorPrice:
			return "floor"
		}
	}
	return r.String()
}

// AuctionRecord is one closed auction in full detail.
type AuctionRecord struct {
	ID      uint64 // ad request number, from 1
	Start   Time   // the ad request (bid requests leave RequestProcessing later)
	Close   Time   // when the exchange answered: at most Start + Tmax
	Auction AuctionType
	Tmax    Time
	// BidderTmax is the deadline the bidders were told (Tmax without
	// TmaxAdjustments).
	BidderTmax Time
	// RequestProcessing is the exchange's time before the fan-out
	// (TmaxAdjustments.RequestProcessing): bid requests left then.
	RequestProcessing Time
	Floor             Price
	Increment         Price
	Winner            int // bidder index, -1 if unfilled
	Price             Price
	Reason            PriceReason
	SecondBid         Price // highest eligible on-time bid other than the winner's; 0 if none
	// LostToTimeouts is what the price would have been had every late bid
	// been on time, minus Price.
	LostToTimeouts Price
	// Abandoned: the person had left when the exchange answered; the
	// impression was not rendered and the winner did not pay.
	Abandoned bool
	// Person is the person the ad request belonged to, 1 … traffic.users
	// count; 0 without people.
	Person uint32
	// Slots are the sold slots of an auction of several slots, best
	// first (Winner and Price are then slot 1's bidder and price per
	// impression); nil for a single-item auction.
	Slots     []SlotWin
	Responses []Response // per bidder, in configuration order
}

// Response is one bidder's answer in one auction.
type Response struct {
	Status Status
	Reason NoBidReason // when Status is NoBid
	// Skipped marks a NotSent request to an enabled bidder: the told
	// deadline was below TmaxAdjustments.BidderResponseMin, so the exchange
	// did not call it (Prebid Server reports such a bidder; a disabled one
	// it never names).
	Skipped bool
	// held: the bid holds a place under its bidder's frequency cap until
	// the close.
	held bool
	Rank int32 // 1 = highest eligible on-time bid; 0 = not ranked
	// Time is when the answer arrives, from the ad request (it includes
	// the exchange's request processing); 0 for refusals, hangs and
	// bidders not sent the request. An error has the time it came back.
	Time  Time
	Value Price // the bidder's value, for bids
	Bid   Price
	// Queue and Service are the parts of Time spent waiting in the
	// bidder's queue and being served (0 without a capacity), Network the
	// network round trip drawn apart (0 without BidderConfig.Network);
	// the rest, less the exchange's request processing, is the latency.
	Queue, Service, Network Time
	// arm is a learning bidder's arm for this bid, plus one; 0: none.
	arm int32
	// NoAnswer marks a Late response on the wire whose call got no answer
	// by the time the wire stopped waiting (censored: its arrival is known
	// only to be later); Open one whose call the wire's late grace was
	// still reading when the record was last told of it (the engine's ring
	// of recent auctions may let the record go first). A late answer the
	// wire read, a bid or a no-bid, is neither, at its measured Time. Last,
	// where the struct had padding.
	NoAnswer, Open bool
}

// ratio is a / b, NaN when b is 0: a share of nothing is undefined, not 0.
func ratio(a, b uint64) float64 {
	if b == 0 {
		return math.NaN()
	}
	return float64(a) / float64(b)
}

// meanCPM is the mean price in CPM of n impressions that cost m in all;
// NaN when n is 0.
func meanCPM(m Money, n uint64) float64 {
	if n == 0 {
		return math.NaN()
	}
	return float64(m) / float64(n) / float64(PriceUnit)
}

// roas is value / spend; NaN with nothing spent.
func roas(value, spend Money) float64 {
	if spend <= 0 {
		return math.NaN()
	}
	return value.Float() / spend.Float()
}

// lostShare is lost / (revenue + lost); NaN when both are 0.
func lostShare(revenue, lost Money) float64 {
	if revenue+lost <= 0 {
		return math.NaN()
	}
	return lost.Float() / (revenue + lost).Float()
}

// AnswersAtOnce reports whether every bidder that answered answered at
// once (no latency, recent or since the start, none late or censored on
// the wire) and one did: a world without latency, such as the classroom
// scenarios, where latency figures mean nothing. A live change that adds
// latency ends it at the next answer.
func (s *Snapshot) AnswersAtOnce() bool {
	answered := false
	for _, b := range s.Bidders {
		if b.Latency.Max > 0 || b.Latency.Censored > 0 || b.RecentLatency.Max > 0 || b.RecentLatency.Censored > 0 || b.Late > 0 {
			return false
		}
		answered = answered || b.Latency.Count > 0
	}
	return answered
}

// ChangedDuringRun reports whether the world changed after the run began:
// a live, scripted or replayed change after its first event (a change
// before it is the world the run starts in). SinceChange then counts the
// auctions since the last one.
func (s *Snapshot) ChangedDuringRun() bool {
	n := len(s.Changes)
	return n > 0 && s.Changes[n-1].Event > 0
}

// totals are the run's cumulative counters as one series point, the
// baseline that SinceChange subtracts.
func (s *Snapshot) totals() SeriesPoint {
	p := SeriesPoint{
		Auctions: s.Exchange.Auctions, Filled: s.Exchange.Filled, Timeouts: s.Exchange.Late,
		Revenue: s.Exchange.Revenue, RevenueLost: s.Exchange.RevenueLost,
		Floor: s.Settings.Floor, Tmax: s.Settings.Tmax,
		Bidders: make([]BidderPoint, len(s.Bidders)),
	}
	for i, b := range s.Bidders {
		p.Bidders[i] = BidderPoint{BidRequests: b.BidRequests, Bids: b.Bids, Late: b.Late, Wins: b.Wins, Spend: b.Spend, Value: b.Value}
	}
	return p
}

// markChange records the counters at a live change, for SinceChange, and
// the settings it leaves for the series.
func (e *Engine) markChange() {
	e.series.settings(e.now, e.floor, e.tmax)
	e.sinceChange = e.totals()
	e.markedAt = e.requestID
}

// shift adds the engine's cumulative counters, those totals gives, to p
// (add), or takes them away: around one close, what the close counted.
// It allocates nothing: p's bidders are those of a totals.
func (p *SeriesPoint) shift(e *Engine, add bool) {
	sign := uint64(1)
	if !add {
		sign = ^uint64(0) // −1: unsigned sums wrap back exactly
	}
	money := Money(int64(sign))
	p.Auctions += sign * e.x.Auctions
	p.Filled += sign * e.x.Filled
	p.Revenue += money * e.x.Revenue
	p.RevenueLost += money * e.x.RevenueLost
	for i := range e.bidders {
		st := e.bidders[i].counters()
		p.Timeouts += sign * st.Late
		b := &p.Bidders[i]
		b.BidRequests += sign * st.BidRequests
		b.Bids += sign * st.Bids
		b.Late += sign * st.Late
		b.Wins += sign * st.Wins
		b.Spend += money * st.Spend
		b.Value += money * st.Value
	}
}

// totals is Snapshot().totals() taken from the engine's counters alone:
// a full snapshot copies the change log and the series, which made a
// replay of n changes cost n² (TestReplayLinear).
func (e *Engine) totals() SeriesPoint {
	p := SeriesPoint{
		Start: e.now, Auctions: e.x.Auctions, Filled: e.x.Filled,
		Revenue: e.x.Revenue, RevenueLost: e.x.RevenueLost,
		Floor: e.floor, Tmax: e.tmax,
		Bidders: make([]BidderPoint, len(e.bidders)),
	}
	for i := range e.bidders {
		b := &e.bidders[i]
		st := b.counters()
		p.Timeouts += st.Late // the engine's own e.x counts no bids
		p.Bidders[i] = BidderPoint{
			BidRequests: st.BidRequests,
			Bids:        st.Bids, Late: st.Late, Wins: st.Wins, Spend: st.Spend, Value: st.Value,
		}
	}
	return p
}

// derive fills the snapshot's derived windows: the recent late share and
// the counters since the last change.
func (e *Engine) derive(s *Snapshot) {
	pts := s.Series.Points
	for i := range s.Bidders {
		s.Bidders[i].HasOutcome = e.bidders[i].outcome != nil
	}
	recent := pts[max(len(pts)-RecentIntervals, 0):]
	s.RecentSpan = Time(len(recent)) * s.Series.Width
	for _, p := range recent {
		for i, b := range p.Bidders {
			s.Bidders[i].RecentBids += b.Bids
			s.Bidders[i].RecentLate += b.Late
		}
	}
	now := s.totals()
	base := e.sinceChange
	d := SeriesPoint{
		Start: base.Start, Auctions: now.Auctions - base.Auctions, Filled: now.Filled - base.Filled,
		Timeouts: now.Timeouts - base.Timeouts, Revenue: now.Revenue - base.Revenue,
		RevenueLost: now.RevenueLost - base.RevenueLost, Floor: now.Floor, Tmax: now.Tmax,
		Bidders: now.Bidders,
	}
	if len(base.Bidders) == len(d.Bidders) {
		for i, b := range base.Bidders {
			p := &d.Bidders[i]
			p.BidRequests -= b.BidRequests
			p.Bids -= b.Bids
			p.Late -= b.Late
			p.Wins -= b.Wins
			p.Spend -= b.Spend
			p.Value -= b.Value
		}
	}
	if n := len(pts); n > 0 && len(pts[n-1].Bidders) == len(d.Bidders) {
		// It ends now, as the series' last point does: the day's spend
		// and budget by now are that point's.
		for i, b := range pts[n-1].Bidders {
			d.Bidders[i].DaySpend, d.Bidders[i].DailyBudget = b.DaySpend, b.DailyBudget
		}
	}
	s.SinceChange = d
}
