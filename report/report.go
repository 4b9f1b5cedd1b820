// Package report turns an engine snapshot into auctionsim's outputs: the
// JSON summary (a stable contract for scripts, its numbers read from sim's
// metric catalogue), the per-interval time series as CSV or JSON, and an
// experiment's result (sim/experiment) as JSON in the run's shape (Tree),
// CSV and tables. Files are written atomically, so a reader never sees
// half a report.
//
// Units: money (revenue, spend, budgets, order values) in currency units,
// prices in CPM, durations in seconds unless a field's name says otherwise
// (latency_ms).
package report

import (
	"math"
	"strconv"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// Meta is what a snapshot does not know about its run.
type Meta struct {
	// Scenario names the scenario; empty means the snapshot's name.
	Scenario string
	// Partial marks a run that stopped before its planned end (an
	// interrupt, or an export from a running dashboard).
	Partial bool
	// WallSeconds is the real time the run took.
	WallSeconds float64

	// ScenarioYAML is the text of the scenario the run was built from
	// (scenarios.Scenario.YAML). With it a JSON export carries a replay
	// section and `auctionsim run --replay` can re-run it; without it the
	// export has none.
	ScenarioYAML []byte
	// Stop is the run's stop (the scenario's, or the one flags set); zero
	// means the scenario file's own.
	Stop sim.Stop
	// Horizon is the pacing horizon the run was configured with
	// (sim.Config.Horizon); a replay checks that the embedded scenario
	// and Stop give the same. Zero: not checked.
	Horizon sim.Time
	// Wire marks a run on the wire (run --endpoints, the dashboard on
	// the wire): its auctions closed on the wall clock, which no replay
	// reproduces, so its replay section says so and run --replay refuses
	// it, saying why, rather than report a diverged replay.
	Wire bool
}

// Summary is the JSON summary of a run. Field names are a stable contract:
// fields may be added, never renamed or removed.
type Summary struct {
	Scenario       string   `json:"scenario"`
	Seed           uint64   `json:"seed"`
	Partial        bool     `json:"partial"`
	VirtualSeconds float64  `json:"virtual_seconds"`
	WallSeconds    float64  `json:"wall_seconds"`
	Auctions       uint64   `json:"auctions"`
	Events         uint64   `json:"events"`
	Settings       Settings `json:"settings"`
	Exchange       Exchange `json:"exchange"`
	// Slots are the ad positions of an auction of several slots (GSP,
	// VCG), best first; absent for a single item.
	Slots   []Slot   `json:"slots,omitempty"`
	Bidders []Bidder `json:"bidders"`
	Changes []Change `json:"changes"`
	Groups  []Group  `json:"groups"` // advertiser groups; see groups.go
	// TmaxCurve is the revenue-versus-tmax curve (null when off).
	TmaxCurve []TmaxPoint `json:"tmax_curve"`
	// TmaxCurveExact: each point is what a run at that tmax would give;
	// false: budgets or bidders that respect tmax, and the curve holds the
	// bids fixed.
	TmaxCurveExact bool `json:"tmax_curve_exact"`
	// TmaxAdvice reads the curve: the deadline with the most revenue, the
	// knee, the one with the most net revenue (null without a curve).
	TmaxAdvice *TmaxAdvice `json:"tmax_advice"`
	// CensoredCurve is present only with bidders on the wire, or when the
	// skip rule of tmax_adjustments left bid requests unsent (nil, its
	// fields left out, otherwise).
	*CensoredCurve
	// Theory is the closed form for the world at the end of the run.
	Theory *Theory `json:"theory"`
	// SinceChange is the exchange's figures since the last change made
	// after the run began (live, scripted or replayed): the auctions
	// fanned out since it, in the world Theory is the closed form of.
	// Absent when the world never changed during the run.
	SinceChange *SinceChange `json:"since_change,omitempty"`
	// Saturated names, by their metric names, the money totals that
	// reached the largest amount Money holds (about 9.2e9 units) and
	// stopped there: each is a lower bound, not the amount, and so is
	// every figure made from it. Absent when none did (sim's
	// Snapshot.Saturated).
	Saturated []string `json:"saturated,omitempty"`
}

// SinceChange is the exchange's side of the auctions fanned out since the
// last change (sim's Snapshot.SinceChange). Prices are CPM, revenue in
// currency.
type SinceChange struct {
	StartSeconds          float64 `json:"start_seconds"` // the change's instant
	Auctions              uint64  `json:"auctions"`
	Filled                uint64  `json:"filled"`
	Revenue               float64 `json:"revenue"`
	FillRate              Num     `json:"fill_rate"`
	MeanClearingPrice     Num     `json:"mean_clearing_price"`
	RevenuePerAuction     Num     `json:"revenue_per_auction"`
	LateBids              uint64  `json:"late_bids"`
	RevenueLostToTimeouts float64 `json:"revenue_lost_to_timeouts"`
	LostShare             Num     `json:"lost_share"`
	// Bidders are each bidder's figures since the change, in the order of
	// the summary's bidders: the simulated side of theory.bidders, which
	// is the world's after the change (the whole run's wins over its
	// auctions mix in the worlds before it).
	Bidders []SinceChangeBidder `json:"bidders,omitempty"`
}

// SinceChangeBidder is one bidder's part of the auctions since the last
// change: its wins and spend (currency), and per auction its win rate,
// payment and surplus (value less price; CPM), to set beside its
// theory.bidders entry.
type SinceChangeBidder struct {
	Name              string  `json:"name"`
	Wins              uint64  `json:"wins"`
	Spend             float64 `json:"spend"`
	WinRate           Num     `json:"win_rate"`
	PaymentPerAuction Num     `json:"payment_per_auction"`
	SurplusPerAuction Num     `json:"surplus_per_auction"`
}

// newSinceChange reads the since_change part of the catalogue, nil when
// the run has none.
func newSinceChange(snap *sim.Snapshot, m metrics) *SinceChange {
	if !snap.ChangedDuringRun() {
		return nil
	}
	sc := &SinceChange{
		StartSeconds: m.f("start_seconds"), Auctions: m.n("auctions"), Filled: m.n("filled"),
		Revenue: m.f("revenue"), FillRate: m.num("fill_rate"), MeanClearingPrice: m.num("mean_clearing_price"),
		RevenuePerAuction: m.num("revenue_per_auction"), LateBids: m.n("late_bids"),
		RevenueLostToTimeouts: m.f("revenue_lost_to_timeouts"), LostShare: m.num("lost_share"),
	}
	for i, b := range snap.Bidders {
		if i >= len(snap.SinceChange.Bidders) {
			break
		}
		bm := m.sub("bidders." + b.Name + ".")
		sc.Bidders = append(sc.Bidders, SinceChangeBidder{Name: b.Name, Wins: bm.n("wins"), Spend: bm.f("spend"),
			WinRate: bm.num("win_rate"), PaymentPerAuction: bm.num("payment_per_auction"),
			SurplusPerAuction: bm.num("surplus_per_auction")})
	}
	return sc
}

// Settings are the exchange's parameters at the end of the run (live
// changes may have moved them from the scenario's).
type Settings struct {
	Auction   string  `json:"auction"` // second-price | first-price
	TmaxMS    float64 `json:"tmax_ms"`
	Floor     float64 `json:"floor"`     // CPM
	Increment float64 `json:"increment"` // CPM
	QPS       float64 `json:"qps"`
	// BidderTmaxMS is the deadline bidders are told: tmax_ms less the
	// tmax adjustments (tmax_ms without them).
	BidderTmaxMS float64 `json:"bidder_tmax_ms"`
	// Rate is the arrival rate at the end of the run: qps × the daily
	// shape's multiplier then.
	Rate float64 `json:"rate"`
}

// Exchange is the exchange's side of the run.
type Exchange struct {
	Revenue           float64 `json:"revenue"`             // currency, = Σ bidders' spend + what abandoned impressions would have paid
	FillRate          Num     `json:"fill_rate"`           // filled / auctions
	MeanClearingPrice Num     `json:"mean_clearing_price"` // CPM over filled auctions
	// Timeouts counts bids that arrived after tmax (Prebid's non-bid
	// reason 101). Requests never answered are Hangs, counted apart.
	Timeouts uint64 `json:"timeouts"`
	LateBids uint64 `json:"late_bids"` // bids that arrived after tmax
	// RevenueLostToTimeouts is what late bids would have added to the
	// revenue had they arrived in time (currency).
	RevenueLostToTimeouts float64 `json:"revenue_lost_to_timeouts"`

	Requests    uint64  `json:"requests"` // ad requests received
	Filled      uint64  `json:"filled"`
	Unfilled    uint64  `json:"unfilled"`
	InFlight    uint64  `json:"in_flight"` // fanned out, not yet closed
	BidRequests uint64  `json:"bid_requests"`
	Bids        uint64  `json:"bids"` // on time + late
	OnTimeBids  uint64  `json:"on_time_bids"`
	BelowFloor  uint64  `json:"below_floor"`
	NoBids      uint64  `json:"no_bids"`
	Errors      uint64  `json:"errors"`
	Refused     uint64  `json:"refused"`      // refused by a full bidder queue
	TimeoutRate Num     `json:"timeout_rate"` // late bids / bids
	MaxPrice    float64 `json:"max_price"`    // CPM
	Value       float64 `json:"value"`        // currency: winners' values of what they bought
	// SkippedDeadline counts no-bids (within no_bids) from bidders that
	// respect tmax and would have missed the deadline they were told.
	SkippedDeadline uint64 `json:"skipped_deadline"`
	// Unsent counts bid requests not sent: the told deadline was below
	// tmax_adjustments.bidder_response_min.
	Unsent uint64 `json:"unsent"`
	// RevenuePerAuction is revenue per closed auction, unfilled ones
	// counting 0, in CPM: the figure a floor or a deadline is judged by.
	RevenuePerAuction Num `json:"revenue_per_auction"`
	// LostShare is revenue lost to timeouts as a share of the potential
	// revenue (revenue + revenue lost).
	LostShare Num `json:"lost_share"`
	// BidsPerAuction is bids (on time or late) / auctions: how many bids
	// an auction gets; null before any auction closes.
	BidsPerAuction Num `json:"bids_per_auction"`

	// Hangs counts bid requests never answered: the exchange gave up on
	// them at the deadline (Prebid's non-bid reason 101, as late bids).
	Hangs uint64 `json:"hangs"`
	// Wait is the time from each ad request to the exchange's answer, in
	// milliseconds: when every called bidder had answered or failed, or
	// the deadline, whichever came first (every auction waits tmax with
	// close_early: false).
	Wait Latency `json:"wait_ms"`
	// Abandoned counts filled auctions whose impression was lost: the
	// person left while the page waited (exchange.abandonment). Revenue
	// counts what they would have paid; NetRevenue does not (= Σ bidders'
	// spend), nor NetRevenuePerAuction (CPM).
	Abandoned            uint64  `json:"abandoned"`
	NetRevenue           float64 `json:"net_revenue"`
	NetRevenuePerAuction Num     `json:"net_revenue_per_auction"`
}

// Bidder is one bidder's side of the run.
type Bidder struct {
	Name        string `json:"name"`
	Enabled     bool   `json:"enabled"`
	BidRequests uint64 `json:"bid_requests"`
	Bids        uint64 `json:"bids"` // on time + late
	OnTime      uint64 `json:"on_time"`
	Late        uint64 `json:"late"`
	BelowFloor  uint64 `json:"below_floor"`
	Errors      uint64 `json:"errors"`
	Refused     uint64 `json:"refused"`
	Hangs       uint64 `json:"hangs"`   // never answered
	NoBids      uint64 `json:"no_bids"` // includes no_budget and throttled
	NoBudget    uint64 `json:"no_budget"`
	Throttled   uint64 `json:"throttled"`
	// SkippedDeadline: no-bids because the bidder respects tmax and would
	// have missed the deadline it was told (within no_bids).
	SkippedDeadline uint64 `json:"skipped_deadline"`
	Wins            uint64 `json:"wins"`
	// WinRate is wins / bid requests.
	WinRate     Num     `json:"win_rate"`
	TimeoutRate Num     `json:"timeout_rate"` // late / bids
	Spend       float64 `json:"spend"`        // currency
	// Budget is the total budget in currency; null when unlimited.
	Budget    *float64 `json:"budget"`
	MeanPrice Num      `json:"mean_price"` // CPM per won impression; null with no wins
	Value     float64  `json:"value"`      // currency: Σ values of won impressions
	Surplus   float64  `json:"surplus"`    // currency: Σ (value − price) over its wins = value − spend
	Latency   Latency  `json:"latency_ms"`
	// Network is the network round trip's part of latency_ms, when the
	// bidder has one apart (network:); zeros without.
	Network  Latency `json:"network_ms"`
	Strategy string  `json:"strategy"`
	Pacing   string  `json:"pacing"`

	Clicks uint64 `json:"clicks"`
	// Conversions are those last-touch attribution credits to the ad:
	// caused and organic alike. It is AttributedConversions under its
	// first name, kept because fields are never removed; note that
	// sim.BidderStats.Conversions counts the caused ones only
	// (CausedConversions here).
	Conversions           uint64 `json:"conversions"`
	AttributedConversions uint64 `json:"attributed_conversions"` // = caused + organic

	// IncrementalConversions, IncrementalValue, IncrementalROAS and
	// IncrementalProfit are the model's truth of what the ads added:
	// without people the caused conversions; with people the reached
	// people's conversions (caused and organic) less those they would
	// have made without the ads (WithoutAdConversions), below the caused
	// ones as a caused conversion may take the place of a later organic
	// one. Signed: in a small world the difference may be below 0.
	IncrementalConversions int64   `json:"incremental_conversions"`
	OrganicConversions     uint64  `json:"organic_conversions"`
	PendingConversions     uint64  `json:"pending_conversions"` // not yet matured
	AttributedValue        float64 `json:"attributed_value"`    // currency
	IncrementalValue       float64 `json:"incremental_value"`   // currency
	AttributedROAS         Num     `json:"attributed_roas"`     // null without spend
	IncrementalROAS        Num     `json:"incremental_roas"`    // null without spend
	// IncrementalProfit is incremental value − spend, AttributedProfit
	// attributed value − spend (currency); null without an outcome model.
	IncrementalProfit Num `json:"incremental_profit"`
	AttributedProfit  Num `json:"attributed_profit"`
	// UnattributedConversions matured outside the attribution window
	// (outcome.attribution_window): they are in caused_conversions or
	// organic_conversions, not in attributed_conversions; their order
	// value is UnattributedValue. Both 0 without a window.
	UnattributedConversions uint64  `json:"unattributed_conversions"`
	UnattributedValue       float64 `json:"unattributed_value"`
	// CausedConversions are those the ad caused (click → conversion),
	// CausedValue their order value and CausedROAS it / spend: the same
	// as the incremental figures without people, above them with.
	// WithoutAdConversions are those the people reached would have made
	// without the ads (without people, the organic ones): incremental =
	// caused + organic − without ad.
	CausedConversions    uint64  `json:"caused_conversions"`
	CausedValue          float64 `json:"caused_value"`
	CausedROAS           Num     `json:"caused_roas"` // null without spend
	WithoutAdConversions uint64  `json:"without_ad_conversions"`
	// Eventual are the same figures counting the conversions still
	// pending (pending_conversions) as matured: what its impressions so
	// far will have earned.
	Eventual Eventual `json:"eventual"`
	// WinRatePerAuction, PaymentPerAuction and SurplusPerAuction are per
	// closed auction over the run: wins / auctions, spend and surplus
	// per auction (CPM); the simulated side of theory.bidders.NAME (null
	// before an auction closes).
	WinRatePerAuction Num `json:"win_rate_per_auction"`
	PaymentPerAuction Num `json:"payment_per_auction"`
	SurplusPerAuction Num `json:"surplus_per_auction"`
	// Days are the virtual days begun, with a daily budget (absent
	// without one): each day's spend against its budget (currency), the
	// last day in progress. Delivery is the daily budget's plan: even,
	// asap or front_loaded.
	Days     []Day  `json:"days,omitempty"`
	Delivery string `json:"delivery,omitempty"`
	// Frequency is how often its impressions reached the same people,
	// with traffic.users (absent without people).
	Frequency *Frequency `json:"frequency,omitempty"`
	Planning             // unspent, unspent_reason, group, holdout
	// Learn is where a learning bidder (strategy kind learn) stands: the
	// shade factor it would bid now and the outcomes it learned from;
	// null for other strategies.
	Learn *Learn `json:"learn"`
	// Goal is where a goal bidder (strategy kind target_cpa or
	// target_roas) stands: its target, what it has realised (CPA =
	// spend / conversions, ROAS = value / spend, counting conversions
	// still pending; null before any) and the controller's bid factor on
	// the value at the target. Absent for other strategies.
	Goal *Goal `json:"goal,omitempty"`
	// Counterfactual studies its strategy: its surplus since its last
	// strategy change and what bidding its value (truthful) or the
	// symmetric equilibrium bid would have earned over the same auctions,
	// against the same other bids.
	Counterfactual Counterfactual `json:"counterfactual"`
}

// Counterfactual is a bidder's strategy beside its alternatives, in
// currency, since SinceNS (virtual time of its last strategy change).
type Counterfactual struct {
	SinceNS            int64   `json:"since_ns"`
	Auctions           uint64  `json:"auctions"` // those it bid in on time since then
	Surplus            float64 `json:"surplus"`
	TruthfulSurplus    float64 `json:"truthful_surplus"`
	EquilibriumSurplus float64 `json:"equilibrium_surplus"` // = truthful_surplus in second price
}

// Day is one virtual day of a bidder with a daily budget.
type Day struct {
	Day    int     `json:"day"` // from 0: [day × 24h, (day+1) × 24h) of virtual time
	Spend  float64 `json:"spend"`
	Budget float64 `json:"budget"`
}

// Frequency is a bidder's impressions per person, with people.
type Frequency struct {
	PeopleReached uint64 `json:"people_reached"`  // people who saw at least one of its impressions
	MeanPerPerson Num    `json:"mean_per_person"` // impressions per person reached; null with none
	// MaxInWindow is the most impressions one person saw within any
	// window of the frequency cap's length (never more than the cap);
	// without a cap, over the whole run.
	MaxInWindow uint64 `json:"max_in_window"`
	Capped      uint64 `json:"capped"` // no-bids because of the cap (OpenRTB nbr 9)
	// RepeatConversions were drawn for a person who had converted within
	// outcome.conversion_period (without one, at all) and did not happen.
	RepeatConversions uint64 `json:"repeat_conversions"`
}

// days converts a bidder's days; nil without a daily budget.
func days(b sim.BidderStats) []Day {
	if b.Days == nil {
		return nil
	}
	out := make([]Day, len(b.Days))
	for i, d := range b.Days {
		out[i] = Day{Day: d.Day, Spend: d.Spend.Float(), Budget: d.Budget.Float()}
	}
	return out
}

// Learn is a learning bidder's state.
type Learn struct {
	Factor  float64 `json:"factor"`  // the arm with the highest mean surplus so far
	Updates uint64  `json:"updates"` // bids whose outcome it learned from
}

// Goal is a goal bidder's target against what it realised.
type Goal struct {
	Kind       string  `json:"kind"` // target_cpa or target_roas
	On         string  `json:"on,omitempty"`
	Target     float64 `json:"target"`
	Realised   Num     `json:"realised"`
	Multiplier float64 `json:"multiplier"`
	// Calibration is κ (sim's Goal.Calibration), the share of Multiplier
	// that scales an overstated value down: 1 without people;
	// Multiplier / Calibration is the controller's own factor, at most 10.
	Calibration float64 `json:"calibration"`
	// BudgetBound: its budget, not its target, binds (sim's
	// Goal.BudgetBound): what it realised is better than the target
	// because the budget ran out, not a miss.
	BudgetBound bool `json:"budget_bound"`
}

// Latency summarises response times, in milliseconds, over every
// answered bid request: the bidder's latency, queue and service, and its
// network round trip; the exchange's request processing is not in them.
//
// On the wire a call that got no answer is censored: its time is known
// only to be past the time the wire stopped waiting for it (its deadline,
// or the end of the late grace; an answer read in the grace is measured).
// Censored counts those calls and CensoredAtMS is that time (the least,
// after a change of tmax); the percentiles
// rank every call, answered or censored, and Past names those that rank
// among the censored ones: they read CensoredAtMS, a lower bound. Mean and
// Max are the answered calls'. The three are absent when nothing was
// censored, as in every simulated run (the simulation knows a late
// answer's time; a hang is in no figure).
type Latency struct {
	P50          float64  `json:"p50"`
	P95          float64  `json:"p95"`
	P99          float64  `json:"p99"`
	Mean         float64  `json:"mean"`
	Max          float64  `json:"max"`
	Censored     uint64   `json:"censored,omitempty"`
	CensoredAtMS float64  `json:"censored_at_ms,omitempty"`
	Past         []string `json:"past,omitempty"`
}

// withCensored is l with the censored calls of s (sim.LatencyStats), if
// any.
func (l Latency) withCensored(s sim.LatencyStats) Latency {
	if s.Censored == 0 {
		return l
	}
	l.Censored, l.CensoredAtMS = s.Censored, s.CensoredAt.Milliseconds()
	for _, p := range []struct {
		name string
		past bool
	}{{"p50", s.P50Past}, {"p95", s.P95Past}, {"p99", s.P99Past}} {
		if p.past {
			l.Past = append(l.Past, p.name)
		}
	}
	return l
}

// Change is one entry of the change log, as data: what was set (Kind),
// on which bidder, to which Value, and the exact point it was applied
// (AtNS, Event), so that a replay applies it at the same event.
type Change struct {
	AtSeconds float64 `json:"at_seconds"`
	// Change is the display text, as Text; kept from the first version.
	Change string `json:"change"`
	Text   string `json:"text"`
	// Kind is sim's change kind: tmax, floor, auction, increment, qps,
	// latency_scale, latency, budget, strategy, pacing, enabled,
	// move_budget or abandonment.
	Kind string `json:"kind"`
	// Bidder names the bidder a bidder's change applies to; absent for
	// the exchange's and the traffic's changes.
	Bidder string `json:"bidder,omitempty"`
	// Value is what was set, in version 1's encoding (see
	// EncodeChangeValue); kept for readers of that version. Set says the
	// same in the scenario's own dialect, and is what a replay reads.
	Value any    `json:"value"`
	AtNS  int64  `json:"at_ns"` // virtual time in nanoseconds, exact
	Event uint64 `json:"event"` // events processed before it
	// Scripted: applied by the scenario's script at its instant.
	Scripted bool `json:"scripted,omitempty"`
	// Set is the change as a path assignment, the dialect of --set and of
	// a script's set: {"exchange.tmax": "80ms"}, the value YAML as the
	// scenario file writes it. One entry is one assignment. It is absent
	// for a change that is more than an assignment, a named kind (a budget
	// move, whose Kind and Value say it), and for one a file cannot hold
	// exactly (a latency scaled by a factor, replayed from version 1).
	Set map[string]string `json:"set,omitempty"`
}

// Series is the per-interval time series.
type Series struct {
	IntervalSeconds float64  `json:"interval_seconds"`
	Bidders         []string `json:"bidders"` // names, in the order of each point's bidders
	Points          []Point  `json:"points"`
}

// Point is one interval. The last point is the interval in progress when the
// snapshot was taken.
type Point struct {
	StartSeconds float64       `json:"start_seconds"`
	Auctions     uint64        `json:"auctions"`
	Filled       uint64        `json:"filled"`
	FillRate     Num           `json:"fill_rate"`
	MeanPrice    Num           `json:"mean_price"` // CPM
	MaxPrice     float64       `json:"max_price"`  // CPM
	Timeouts     uint64        `json:"timeouts"`   // late bids
	Revenue      float64       `json:"revenue"`
	RevenueLost  float64       `json:"revenue_lost"`
	Bidders      []BidderPoint `json:"bidders"`
}

// BidderPoint is one bidder in one interval.
type BidderPoint struct {
	BidRequests uint64  `json:"bid_requests"`
	Bids        uint64  `json:"bids"`
	Late        uint64  `json:"late"`
	TimeoutRate Num     `json:"timeout_rate"` // late / bids
	Wins        uint64  `json:"wins"`
	WinRate     Num     `json:"win_rate"`
	Spend       float64 `json:"spend"`
	// DaySpend and DailyBudget are, for a bidder with a daily budget
	// only, what it has spent of the virtual day holding the interval's
	// end by that end (from 0 at each midnight) and that day's budget
	// (sim.BidderPoint); absent without a daily budget.
	DaySpend    *float64 `json:"day_spend,omitempty"`
	DailyBudget *float64 `json:"daily_budget,omitempty"`
}

// Full is the summary plus the time series and, when the run's scenario
// is known, what replays it: what `run --out x.json` writes.
type Full struct {
	Summary
	Series Series  `json:"series"`
	Replay *Replay `json:"replay,omitempty"`
}

// ReplayVersion is the version of the replay section this auctionsim
// writes. It changes when a replay written by an older version would no
// longer reproduce its run, or the change log's dialect changes: version
// 2 replays each change from its path assignment (Change.Set); ReadReplay
// reads version 1 too.
const ReplayVersion = 2

// Replay is what an export needs to be re-run to the point it was taken:
// the scenario itself, the seed, the stop and horizon the run was
// configured with, and where it stood. With the change log (the summary's
// changes) a run replays byte for byte.
type Replay struct {
	Version      int    `json:"version"`
	ScenarioYAML string `json:"scenario_yaml"`
	Seed         uint64 `json:"seed"`
	Stop         Stop   `json:"stop"`
	HorizonNS    int64  `json:"horizon_ns"` // 0: not recorded
	// Where the run stood: virtual time (exact), events and auctions.
	VirtualNS int64  `json:"virtual_ns"`
	Events    uint64 `json:"events"`
	Auctions  uint64 `json:"auctions"`
	// Wire is true for a run on the wire (Meta.Wire); absent otherwise.
	Wire bool `json:"wire,omitempty"`
}

// Stop is a run's stop: whichever of the limits comes first; 0 is no
// limit.
type Stop struct {
	Auctions        uint64  `json:"auctions"`
	DurationSeconds float64 `json:"duration_seconds"`
	DurationNS      int64   `json:"duration_ns"` // exact
}

// finite maps NaN and infinities, which JSON cannot carry, to 0: for
// amounts that are always defined.
func finite(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0
	}
	return x
}

// metrics reads the numbers of a part of a snapshot (prefix: "exchange.",
// "bidders.NAME.") from sim's metric catalogue: the summary's numeric
// fields are the catalogue's metrics under their JSON names, so that the
// two cannot drift apart (TestCatalogueIsTheJSON checks the names).
type metrics struct {
	v      map[string]float64
	prefix string
}

func (m metrics) sub(prefix string) metrics { return metrics{m.v, m.prefix + prefix} }

// f is a number; n a count (a count's float64 is exact below 2⁵³).
func (m metrics) f(name string) float64 { return m.v[m.prefix+name] }
func (m metrics) n(name string) uint64  { return uint64(m.v[m.prefix+name]) }
func (m metrics) i(name string) int64   { return int64(m.v[m.prefix+name]) }
func (m metrics) num(name string) Num   { return Num(m.f(name)) }
func (m metrics) yes(name string) bool  { return m.f(name) == 1 }

// latency is the five latency figures under prefix (latency_ms., wait_ms.).
func (m metrics) latency(prefix string) Latency {
	return Latency{
		P50:  m.f(prefix + "p50"),
		P95:  m.f(prefix + "p95"),
		P99:  m.f(prefix + "p99"),
		Mean: m.f(prefix + "mean"),
		Max:  m.f(prefix + "max"),
	}
}

// NewSummary builds the summary of snap.
func NewSummary(snap *sim.Snapshot, meta Meta) Summary {
	name := meta.Scenario
	if name == "" {
		name = snap.Name
	}
	all := metrics{v: sim.MetricValues(snap)}
	st, x := all.sub("settings."), all.sub("exchange.")
	s := Summary{
		Scenario:       name,
		Seed:           snap.Seed,
		Partial:        meta.Partial,
		VirtualSeconds: all.f("virtual_seconds"),
		WallSeconds:    finite(meta.WallSeconds),
		Auctions:       all.n("auctions"),
		Events:         all.n("events"),
		Saturated:      snap.Saturated(),
		Settings: Settings{
			Auction:      snap.Settings.Auction.String(),
			TmaxMS:       st.f("tmax_ms"),
			Floor:        st.f("floor"),
			Increment:    st.f("increment"),
			QPS:          st.f("qps"),
			BidderTmaxMS: st.f("bidder_tmax_ms"),
			Rate:         st.f("rate"),
		},
		Exchange: Exchange{
			Revenue:               x.f("revenue"),
			FillRate:              x.num("fill_rate"),
			MeanClearingPrice:     x.num("mean_clearing_price"),
			Timeouts:              x.n("timeouts"),
			LateBids:              x.n("late_bids"),
			RevenueLostToTimeouts: x.f("revenue_lost_to_timeouts"),
			RevenuePerAuction:     x.num("revenue_per_auction"),
			LostShare:             x.num("lost_share"),
			BidsPerAuction:        x.num("bids_per_auction"),
			Requests:              x.n("requests"),
			Filled:                x.n("filled"),
			Unfilled:              x.n("unfilled"),
			InFlight:              x.n("in_flight"),
			BidRequests:           x.n("bid_requests"),
			Bids:                  x.n("bids"),
			OnTimeBids:            x.n("on_time_bids"),
			BelowFloor:            x.n("below_floor"),
			NoBids:                x.n("no_bids"),
			Errors:                x.n("errors"),
			Refused:               x.n("refused"),
			TimeoutRate:           x.num("timeout_rate"),
			MaxPrice:              x.f("max_price"),
			Value:                 x.f("value"),
			SkippedDeadline:       x.n("skipped_deadline"),
			Unsent:                x.n("unsent"),
			Hangs:                 x.n("hangs"),
			Wait:                  x.latency("wait_ms."),
			Abandoned:             x.n("abandoned"),
			NetRevenue:            x.f("net_revenue"),
			NetRevenuePerAuction:  x.num("net_revenue_per_auction"),
		},
		Bidders:        make([]Bidder, len(snap.Bidders)),
		Changes:        make([]Change, len(snap.Changes)),
		TmaxCurve:      newTmaxCurve(snap.TmaxCurve, all.sub("tmax_curve.")),
		TmaxCurveExact: all.yes("tmax_curve_exact"),
		TmaxAdvice:     newTmaxAdvice(snap.TmaxCurve, all.sub("tmax_advice.")),
	}
	s.censoredCurve(snap, all)
	for i, b := range snap.Bidders {
		s.Bidders[i] = newBidder(b, all.sub("bidders."+b.Name+"."))
	}
	for j, sl := range snap.Slots {
		name := strconv.Itoa(j + 1)
		m := all.sub("slots." + name + ".")
		s.Slots = append(s.Slots, Slot{
			Name: name, Weight: sl.Weight, Filled: m.n("filled"), Revenue: m.f("revenue"),
			FillRate: m.num("fill_rate"), RevenuePerAuction: m.num("revenue_per_auction"),
			MeanPricePerClick: m.num("mean_price_per_click"), MeanPricePerImpression: m.num("mean_price_per_impression"),
		})
	}
	addPlanning(&s, snap, all)
	for i, c := range snap.Changes {
		s.Changes[i] = newChange(c)
	}
	bt, why := snap.BidderTheory()
	s.Theory = newTheory(snap.Theory(), bt, why, all.sub("theory."))
	s.SinceChange = newSinceChange(snap, all.sub("since_change."))
	return s
}

// newChange is one entry of the change log.
func newChange(c sim.AppliedChange) Change {
	out := Change{AtSeconds: c.At.Seconds(), AtNS: int64(c.At), Event: c.Event, Text: "<nil>", Scripted: c.Scripted}
	if c.Change != nil {
		out.Text = c.Change.String()
		out.Kind = c.Change.Kind()
		out.Bidder = sim.BidderOf(c.Change)
		out.Value = EncodeChangeValue(c.Change)
		if sets, ok := scenarios.Assignments(c.Change); ok {
			out.Set = make(map[string]string, len(sets))
			for _, s := range sets {
				out.Set[s.Path] = s.Value
			}
		}
	}
	out.Change = out.Text
	return out
}

// newBidder is bidder b, its numbers read from m.
func newBidder(b sim.BidderStats, m metrics) Bidder {
	out := Bidder{
		Name:                    b.Name,
		Enabled:                 m.yes("enabled"),
		BidRequests:             m.n("bid_requests"),
		Bids:                    m.n("bids"),
		OnTime:                  m.n("on_time"),
		Late:                    m.n("late"),
		BelowFloor:              m.n("below_floor"),
		Errors:                  m.n("errors"),
		Refused:                 m.n("refused"),
		NoBids:                  m.n("no_bids"),
		NoBudget:                m.n("no_budget"),
		Throttled:               m.n("throttled"),
		Wins:                    m.n("wins"),
		SkippedDeadline:         m.n("skipped_deadline"),
		WinRate:                 m.num("win_rate"),
		TimeoutRate:             m.num("timeout_rate"),
		Spend:                   m.f("spend"),
		MeanPrice:               m.num("mean_price"),
		Value:                   m.f("value"),
		Surplus:                 m.f("surplus"),
		Hangs:                   m.n("hangs"),
		Latency:                 m.latency("latency_ms.").withCensored(b.Latency),
		Network:                 m.latency("network_ms."),
		Strategy:                b.Strategy.String(),
		Pacing:                  b.Pacing.String(),
		Clicks:                  m.n("clicks"),
		Conversions:             m.n("conversions"),
		AttributedConversions:   m.n("attributed_conversions"),
		IncrementalConversions:  m.i("incremental_conversions"),
		OrganicConversions:      m.n("organic_conversions"),
		PendingConversions:      m.n("pending_conversions"),
		AttributedValue:         m.f("attributed_value"),
		IncrementalValue:        m.f("incremental_value"),
		AttributedROAS:          m.num("attributed_roas"),
		IncrementalROAS:         m.num("incremental_roas"),
		IncrementalProfit:       m.num("incremental_profit"),
		AttributedProfit:        m.num("attributed_profit"),
		UnattributedConversions: m.n("unattributed_conversions"),
		UnattributedValue:       m.f("unattributed_value"),
		CausedConversions:       m.n("caused_conversions"),
		CausedValue:             m.f("caused_value"),
		CausedROAS:              m.num("caused_roas"),
		WithoutAdConversions:    m.n("without_ad_conversions"),
		Eventual:                eventual(m),
		WinRatePerAuction:       m.num("win_rate_per_auction"),
		PaymentPerAuction:       m.num("payment_per_auction"),
		SurplusPerAuction:       m.num("surplus_per_auction"),
	}
	if b.Days != nil {
		out.Days, out.Delivery = days(b), b.Delivery.String()
	}
	if b.Frequency != nil {
		out.Frequency = &Frequency{
			PeopleReached: m.n("frequency.people_reached"),
			MeanPerPerson: m.num("frequency.mean_per_person"),
			MaxInWindow:   m.n("frequency.max_in_window"),
			Capped:        m.n("frequency.capped"),

			RepeatConversions: m.n("frequency.repeat_conversions"),
		}
	}
	out.Counterfactual = Counterfactual{
		SinceNS:            int64(b.Counterfactual.Since),
		Auctions:           m.n("counterfactual.auctions"),
		Surplus:            m.f("counterfactual.surplus"),
		TruthfulSurplus:    m.f("counterfactual.truthful_surplus"),
		EquilibriumSurplus: m.f("counterfactual.equilibrium_surplus"),
	}
	if b.Learn != nil {
		out.Learn = &Learn{Factor: m.f("learn.factor"), Updates: m.n("learn.updates")}
	}
	if g := b.Goal; g != nil {
		out.Goal = &Goal{Kind: g.Kind.String(), Target: m.f("goal.target"), Realised: m.num("goal.realised"), Multiplier: m.f("goal.multiplier"),
			Calibration: m.f("goal.calibration"), BudgetBound: m.yes("goal.budget_bound")}
		if g.Kind == sim.TargetROAS {
			out.Goal.On = g.On.String()
		}
	}
	if !b.Unlimited {
		budget := m.f("budget")
		out.Budget = &budget
	}
	return out
}

// NewSeries builds the time series of snap. For a long series with many
// bidders it is large: WriteJSON and WriteCSV convert one point at a time
// instead.
func NewSeries(snap *sim.Snapshot) Series {
	s := seriesHead(snap)
	s.Points = make([]Point, len(snap.Series.Points))
	for i, p := range snap.Series.Points {
		s.Points[i] = newPoint(p)
	}
	return s
}

// seriesHead is the series without its points.
func seriesHead(snap *sim.Snapshot) Series {
	s := Series{
		IntervalSeconds: snap.Series.Width.Seconds(),
		Bidders:         make([]string, len(snap.Bidders)),
	}
	for i, b := range snap.Bidders {
		s.Bidders[i] = b.Name
	}
	return s
}

// newPoint is one interval of the series.
func newPoint(p sim.SeriesPoint) Point {
	pt := Point{
		StartSeconds: p.Start.Seconds(),
		Auctions:     p.Auctions,
		Filled:       p.Filled,
		FillRate:     num(p.FillRate()),
		MeanPrice:    num(p.MeanPrice()),
		MaxPrice:     p.MaxPrice.CPM(),
		Timeouts:     p.Timeouts,
		Revenue:      p.Revenue.Float(),
		RevenueLost:  p.RevenueLost.Float(),
		Bidders:      make([]BidderPoint, len(p.Bidders)),
	}
	for j, bp := range p.Bidders {
		pt.Bidders[j] = BidderPoint{
			BidRequests: bp.BidRequests,
			Bids:        bp.Bids,
			Late:        bp.Late,
			TimeoutRate: num(bp.TimeoutRate()),
			Wins:        bp.Wins,
			WinRate:     num(bp.WinRate()),
			Spend:       bp.Spend.Float(),
		}
		if bp.DailyBudget != 0 {
			spend, budget := bp.DaySpend.Float(), bp.DailyBudget.Float()
			pt.Bidders[j].DaySpend, pt.Bidders[j].DailyBudget = &spend, &budget
		}
	}
	return pt
}

// NewReplay is the replay section of snap's export, or nil when meta does
// not carry the scenario's text.
func NewReplay(snap *sim.Snapshot, meta Meta) *Replay {
	if len(meta.ScenarioYAML) == 0 {
		return nil
	}
	return &Replay{
		Version:      ReplayVersion,
		ScenarioYAML: string(meta.ScenarioYAML),
		Seed:         snap.Seed,
		Stop: Stop{
			Auctions:        meta.Stop.Auctions,
			DurationSeconds: meta.Stop.Duration.Seconds(),
			DurationNS:      int64(meta.Stop.Duration),
		},
		HorizonNS: int64(meta.Horizon),
		VirtualNS: int64(snap.Now),
		Events:    snap.Events,
		Auctions:  snap.Exchange.Auctions,
		Wire:      meta.Wire,
	}
}

// NewFull builds the summary, the series and the replay section of snap.
func NewFull(snap *sim.Snapshot, meta Meta) Full {
	return Full{Summary: NewSummary(snap, meta), Series: NewSeries(snap), Replay: NewReplay(snap, meta)}
}

// Slot is one ad position of an auction of several slots: its
// click-through weight and what it sold. Prices are CPM; a price per
// impression is the weight × the price per click.
type Slot struct {
	Name                   string  `json:"name"` // its position, "1" the best
	Weight                 float64 `json:"weight"`
	Filled                 uint64  `json:"filled"`
	Revenue                float64 `json:"revenue"` // currency
	FillRate               Num     `json:"fill_rate"`
	RevenuePerAuction      Num     `json:"revenue_per_auction"`
	MeanPricePerClick      Num     `json:"mean_price_per_click"`
	MeanPricePerImpression Num     `json:"mean_price_per_impression"`
}
