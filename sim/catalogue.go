package sim

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// The metric catalogue: every number a run reports, by its flat name
// (exchange.revenue, bidders.NAME.spend, groups.NAME.incremental_value,
// latency_ms.p95 under a bidder, tmax_curve.120ms.revenue), with the
// accessor that reads it from a snapshot. It is the one source of metric
// names: the JSON summary's numeric leaves carry the same names and
// values (report's catalogue test checks both ways), the experiments
// measure a replication with MetricValues, a fork compares the cumulative
// ones (MetricNamed), and the commands validate --metric against it.
//
// Names follow the JSON summary: object keys joined by dots, array items
// (bidders, groups, tmax curve points) by their name. A yes/no reads as
// 1 or 0, a number that does not apply (a ratio with a zero denominator,
// an unlimited budget) as NaN, and an optional part of the summary that
// is absent (a bidder's holdout, a tmax curve switched off) as one NaN
// under the part's own name, as its JSON null does.
//
// A number added to run --json is added here first, then to
// report.Summary, which reads it from here; it is then a metric of every
// experiment. report's TestCatalogueIsTheJSON fails until the two agree.

// field is one metric of a part of the summary (the exchange, a bidder, a
// group …) of type T.
type field[T any] struct {
	name string
	of   func(*T) float64
	// cum: a count or amount that adds up over the run, so that what an
	// interval contributed is its change (see Metric).
	cum bool
}

// asFloat is a count as a metric: exact below 2⁵³.
func asFloat(x uint64) float64 { return float64(x) }

// orNaN maps infinities to NaN: a number that does not apply, which the
// JSON summary writes as null.
func orNaN(x float64) float64 {
	if math.IsInf(x, 0) {
		return math.NaN()
	}
	return x
}

// orZero maps NaN and infinities to 0: for amounts that are always
// defined (the JSON summary writes them as numbers).
func orZero(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0
	}
	return x
}

// oneIf is a yes/no as a metric, whose mean is the share of yes.
func oneIf(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

var topFields = []field[Snapshot]{
	{"virtual_seconds", func(s *Snapshot) float64 { return s.Now.Seconds() }, false},
	{"auctions", func(s *Snapshot) float64 { return asFloat(s.Exchange.Auctions) }, true},
	{"events", func(s *Snapshot) float64 { return asFloat(s.Events) }, true},
}

var settingsFields = []field[Settings]{
	{"tmax_ms", func(x *Settings) float64 { return x.Tmax.Milliseconds() }, false},
	{"floor", func(x *Settings) float64 { return x.Floor.CPM() }, false},
	{"increment", func(x *Settings) float64 { return x.Increment.CPM() }, false},
	{"qps", func(x *Settings) float64 { return orZero(x.QPS) }, false},
	{"bidder_tmax_ms", func(x *Settings) float64 { return x.BidderTmax.Milliseconds() }, false},
	{"rate", func(x *Settings) float64 { return orZero(x.Rate) }, false},
}

var exchangeFields = []field[ExchangeStats]{
	{"revenue", func(x *ExchangeStats) float64 { return x.Revenue.Float() }, true},
	{"fill_rate", func(x *ExchangeStats) float64 { return orNaN(x.FillRate()) }, false},
	{"mean_clearing_price", func(x *ExchangeStats) float64 { return orNaN(x.MeanPrice()) }, false},
	{"timeouts", func(x *ExchangeStats) float64 { return asFloat(x.Late) }, true},
	{"late_bids", func(x *ExchangeStats) float64 { return asFloat(x.Late) }, true},
	{"revenue_lost_to_timeouts", func(x *ExchangeStats) float64 { return x.RevenueLost.Float() }, true},
	{"requests", func(x *ExchangeStats) float64 { return asFloat(x.Requests) }, true},
	{"filled", func(x *ExchangeStats) float64 { return asFloat(x.Filled) }, true},
	{"unfilled", func(x *ExchangeStats) float64 { return asFloat(x.Unfilled) }, true},
	{"in_flight", func(x *ExchangeStats) float64 { return asFloat(x.InFlight) }, false},
	{"bid_requests", func(x *ExchangeStats) float64 { return asFloat(x.BidRequests) }, true},
	{"bids", func(x *ExchangeStats) float64 { return asFloat(x.Bids) }, true},
	{"on_time_bids", func(x *ExchangeStats) float64 { return asFloat(x.OnTime) }, true},
	{"below_floor", func(x *ExchangeStats) float64 { return asFloat(x.BelowFloor) }, true},
	{"no_bids", func(x *ExchangeStats) float64 { return asFloat(x.NoBids) }, true},
	{"errors", func(x *ExchangeStats) float64 { return asFloat(x.Errors) }, true},
	{"refused", func(x *ExchangeStats) float64 { return asFloat(x.Refused) }, true},
	{"hangs", func(x *ExchangeStats) float64 { return asFloat(x.Hangs) }, true},
	{"wait_ms.p50", func(x *ExchangeStats) float64 { return x.Wait.P50.Milliseconds() }, false},
	{"wait_ms.p95", func(x *ExchangeStats) float64 { return x.Wait.P95.Milliseconds() }, false},
	{"wait_ms.p99", func(x *ExchangeStats) float64 { return x.Wait.P99.Milliseconds() }, false},
	{"wait_ms.mean", func(x *ExchangeStats) float64 { return x.Wait.Mean.Milliseconds() }, false},
	{"wait_ms.max", func(x *ExchangeStats) float64 { return x.Wait.Max.Milliseconds() }, false},
	{"timeout_rate", func(x *ExchangeStats) float64 { return orNaN(x.TimeoutRate()) }, false},
	{"bids_per_auction", func(x *ExchangeStats) float64 { return orNaN(x.BidsPerAuction()) }, false},
	{"max_price", func(x *ExchangeStats) float64 { return x.MaxPrice.CPM() }, false},
	{"value", func(x *ExchangeStats) float64 { return x.Value.Float() }, true},
	{"skipped_deadline", func(x *ExchangeStats) float64 { return asFloat(x.SkippedDeadline) }, true},
	{"unsent", func(x *ExchangeStats) float64 { return asFloat(x.Unsent) }, true},
	{"revenue_per_auction", func(x *ExchangeStats) float64 { return orNaN(x.RevenuePerAuction()) }, false},
	{"lost_share", func(x *ExchangeStats) float64 { return orNaN(x.LostShare()) }, false},
	{"abandoned", func(x *ExchangeStats) float64 { return asFloat(x.Abandoned) }, true},
	{"net_revenue", func(x *ExchangeStats) float64 { return x.NetRevenue().Float() }, true},
	{"net_revenue_per_auction", func(x *ExchangeStats) float64 { return orNaN(x.NetRevenuePerAuction()) }, false},
}

var bidderFields = []field[BidderStats]{
	{"enabled", func(b *BidderStats) float64 { return oneIf(b.Enabled) }, false},
	{"bid_requests", func(b *BidderStats) float64 { return asFloat(b.BidRequests) }, true},
	{"bids", func(b *BidderStats) float64 { return asFloat(b.Bids) }, true},
	{"on_time", func(b *BidderStats) float64 { return asFloat(b.OnTime) }, true},
	{"late", func(b *BidderStats) float64 { return asFloat(b.Late) }, true},
	{"below_floor", func(b *BidderStats) float64 { return asFloat(b.BelowFloor) }, true},
	{"errors", func(b *BidderStats) float64 { return asFloat(b.Errors) }, true},
	{"refused", func(b *BidderStats) float64 { return asFloat(b.Refused) }, true},
	{"hangs", func(b *BidderStats) float64 { return asFloat(b.Hangs) }, true},
	{"no_bids", func(b *BidderStats) float64 { return asFloat(b.NoBids) }, true},
	{"no_budget", func(b *BidderStats) float64 { return asFloat(b.NoBudget) }, true},
	{"throttled", func(b *BidderStats) float64 { return asFloat(b.Throttled) }, true},
	{"skipped_deadline", func(b *BidderStats) float64 { return asFloat(b.SkippedDeadline) }, true},
	{"wins", func(b *BidderStats) float64 { return asFloat(b.Wins) }, true},
	{"win_rate", func(b *BidderStats) float64 { return orNaN(b.WinRate()) }, false},
	{"timeout_rate", func(b *BidderStats) float64 { return orNaN(b.TimeoutRate()) }, false},
	{"spend", func(b *BidderStats) float64 { return b.Spend.Float() }, true},
	{"budget", func(b *BidderStats) float64 {
		if b.Unlimited {
			return math.NaN()
		}
		return b.Budget.Float()
	}, false},
	{"mean_price", func(b *BidderStats) float64 { return orNaN(b.MeanPrice()) }, false},
	{"value", func(b *BidderStats) float64 { return b.Value.Float() }, true},
	{"surplus", func(b *BidderStats) float64 { return b.Surplus().Float() }, true},
	{"latency_ms.p50", func(b *BidderStats) float64 { return b.Latency.P50.Milliseconds() }, false},
	{"latency_ms.p95", func(b *BidderStats) float64 { return b.Latency.P95.Milliseconds() }, false},
	{"latency_ms.p99", func(b *BidderStats) float64 { return b.Latency.P99.Milliseconds() }, false},
	{"latency_ms.mean", func(b *BidderStats) float64 { return b.Latency.Mean.Milliseconds() }, false},
	{"latency_ms.max", func(b *BidderStats) float64 { return b.Latency.Max.Milliseconds() }, false},
	{"network_ms.p50", func(b *BidderStats) float64 { return b.Network.P50.Milliseconds() }, false},
	{"network_ms.p95", func(b *BidderStats) float64 { return b.Network.P95.Milliseconds() }, false},
	{"network_ms.p99", func(b *BidderStats) float64 { return b.Network.P99.Milliseconds() }, false},
	{"network_ms.mean", func(b *BidderStats) float64 { return b.Network.Mean.Milliseconds() }, false},
	{"network_ms.max", func(b *BidderStats) float64 { return b.Network.Max.Milliseconds() }, false},
	{"clicks", func(b *BidderStats) float64 { return asFloat(b.Clicks) }, true},
	{"conversions", func(b *BidderStats) float64 { return asFloat(b.AttributedConversions()) }, true},
	{"attributed_conversions", func(b *BidderStats) float64 { return asFloat(b.AttributedConversions()) }, true},
	{"incremental_conversions", func(b *BidderStats) float64 { return float64(b.IncrementalConversions()) }, true},
	{"organic_conversions", func(b *BidderStats) float64 { return asFloat(b.Organic) }, true},
	{"pending_conversions", func(b *BidderStats) float64 { return asFloat(b.Pending) }, false},
	{"attributed_value", func(b *BidderStats) float64 { return b.AttributedValue().Float() }, true},
	{"incremental_value", func(b *BidderStats) float64 { return b.IncrementalValue().Float() }, true},
	{"attributed_roas", func(b *BidderStats) float64 { return orNaN(b.AttributedROAS()) }, false},
	{"incremental_roas", func(b *BidderStats) float64 { return orNaN(b.IncrementalROAS()) }, false},
	{"unspent", func(b *BidderStats) float64 { return oneIf(b.Unspent != UnspentNone) }, false},
	{"incremental_profit", func(b *BidderStats) float64 { return b.IncrementalProfit() }, true},
	{"attributed_profit", func(b *BidderStats) float64 { return b.AttributedProfit() }, true},
	{"unattributed_conversions", func(b *BidderStats) float64 { return asFloat(b.Unattributed) }, true},
	{"unattributed_value", func(b *BidderStats) float64 { return b.ValueUnattributed.Float() }, true},
	// The conversions the ads caused, and those the people reached would
	// have made without them: with people incremental_conversions is
	// caused + organic − without_ad, without people caused.
	{"caused_conversions", func(b *BidderStats) float64 { return asFloat(b.Conversions) }, true},
	{"caused_value", func(b *BidderStats) float64 { return b.ValueCaused.Float() }, true},
	{"caused_roas", func(b *BidderStats) float64 { return orNaN(b.CausedROAS()) }, false},
	{"without_ad_conversions", func(b *BidderStats) float64 { return asFloat(b.WithoutAdConversions()) }, true},
	// The eventual figures count the conversions still pending as
	// matured (BidderStats.Eventual): what the impressions bought so far
	// will have earned, the figure a planner decides on.
	{"eventual.conversions", func(b *BidderStats) float64 { return asFloat(b.Eventual().AttributedConversions()) }, true},
	{"eventual.caused_conversions", func(b *BidderStats) float64 { return asFloat(b.Eventual().Conversions) }, true},
	{"eventual.organic_conversions", func(b *BidderStats) float64 { return asFloat(b.Eventual().Organic) }, true},
	{"eventual.without_ad_conversions", func(b *BidderStats) float64 { return asFloat(b.Eventual().WithoutAdConversions()) }, true},
	{"eventual.incremental_conversions", func(b *BidderStats) float64 { return float64(b.Eventual().IncrementalConversions()) }, true},
	{"eventual.attributed_value", func(b *BidderStats) float64 { return b.Eventual().AttributedValue().Float() }, true},
	{"eventual.caused_value", func(b *BidderStats) float64 { return b.Eventual().ValueCaused.Float() }, true},
	{"eventual.incremental_value", func(b *BidderStats) float64 { return b.Eventual().IncrementalValue().Float() }, true},
	{"eventual.attributed_roas", func(b *BidderStats) float64 { return orNaN(b.Eventual().AttributedROAS()) }, false},
	{"eventual.incremental_roas", func(b *BidderStats) float64 { return orNaN(b.Eventual().IncrementalROAS()) }, false},
	{"eventual.attributed_profit", func(b *BidderStats) float64 { return b.Eventual().AttributedProfit() }, true},
	{"eventual.incremental_profit", func(b *BidderStats) float64 { return b.Eventual().IncrementalProfit() }, true},
}

// learnFields are a learning bidder's state, under bidders.NAME.learn:
// the shade factor it has settled on so far and the outcomes it learned
// from.
var learnFields = []field[LearnStats]{
	{"factor", func(l *LearnStats) float64 { return l.Factor }, false},
	{"updates", func(l *LearnStats) float64 { return asFloat(l.Updates) }, true},
}

// goalFields are a goal bidder's standing (target_cpa, target_roas),
// under bidders.NAME.goal: its target, what it has realised (counting the
// conversions still pending), the controller's bid factor and the
// calibration κ within it. Present only for goal bidders.
var goalFields = []field[Goal]{
	{"target", func(g *Goal) float64 { return g.Target }, false},
	{"realised", func(g *Goal) float64 { return g.Realised }, false},
	{"multiplier", func(g *Goal) float64 { return g.Multiplier }, false},
	{"calibration", func(g *Goal) float64 { return g.Calibration }, false},
	{"budget_bound", func(g *Goal) float64 { return oneIf(g.BudgetBound) }, false},
}

// frequencyFields are a bidder's impressions per person, under
// bidders.NAME.frequency, with traffic.users.
var frequencyFields = []field[FrequencyStats]{
	{"people_reached", func(f *FrequencyStats) float64 { return asFloat(f.PeopleReached) }, true},
	{"mean_per_person", func(f *FrequencyStats) float64 { return orNaN(f.MeanPerPerson) }, false},
	{"max_in_window", func(f *FrequencyStats) float64 { return asFloat(f.MaxInWindow) }, false},
	{"capped", func(f *FrequencyStats) float64 { return asFloat(f.Capped) }, true},
	{"repeat_conversions", func(f *FrequencyStats) float64 { return asFloat(f.RepeatConversions) }, true},
}

// counterfactualFields are a bidder's strategy studied, under
// bidders.NAME.counterfactual: its surplus since its last strategy change
// (since_ns) and what truthful and equilibrium bids would have earned over
// the same auctions. They restart at each strategy change, so none is
// cumulative.
var counterfactualFields = []field[CounterfactualStats]{
	{"since_ns", func(c *CounterfactualStats) float64 { return float64(c.Since) }, false},
	{"auctions", func(c *CounterfactualStats) float64 { return asFloat(c.Auctions) }, false},
	{"surplus", func(c *CounterfactualStats) float64 { return c.Surplus.Float() }, false},
	{"truthful_surplus", func(c *CounterfactualStats) float64 { return c.Truthful.Float() }, false},
	{"equilibrium_surplus", func(c *CounterfactualStats) float64 { return c.Equilibrium.Float() }, false},
}

// bidderTwins pairs a bidder's metric (after bidders.NAME.) with the one
// it repeats where the two are defined the same, so that a list of
// differences may show the effect once (TwinOf).
var bidderTwins = map[string]string{
	// Wins per auction closed and per bid request: the same where the
	// bidder is asked in every auction.
	"win_rate_per_auction": "win_rate",
	// Since the bidder's last strategy change: the whole run without one.
	"counterfactual.surplus": "surplus",
	// The two are one bid in second price; the truthful bid is a
	// truthful bidder's own.
	"counterfactual.equilibrium_surplus": "counterfactual.truthful_surplus",
	"counterfactual.truthful_surplus":    "counterfactual.surplus",
}

// TwinOf is the metric that name repeats where the two are defined the
// same (bidders.ada.win_rate_per_auction repeats bidders.ada.win_rate in
// a world that asks ada in every auction): whether they are equal in a
// given world is for the caller to see from their values.
func TwinOf(name string) (string, bool) {
	rest, ok := strings.CutPrefix(name, "bidders.")
	if !ok {
		return "", false
	}
	// Names hold no dot (checkName): the bidder is the first part, the
	// metric all the rest, as MetricNamed reads them.
	bidder, m, ok := strings.Cut(rest, ".")
	twin, isTwin := bidderTwins[m]
	if !ok || bidder == "" || !isTwin {
		return "", false
	}
	return "bidders." + bidder + "." + twin, true
}

// holdoutFields are a bidder's incrementality test, under
// bidders.NAME.holdout; the bidder is passed, as its ROAS sits beside
// the test's.
var holdoutFields = []field[BidderStats]{
	{"share", func(b *BidderStats) float64 { return b.Holdout.Share }, false},
	{"held", func(b *BidderStats) float64 { return asFloat(b.Holdout.Held) }, true},
	{"ghost_wins", func(b *BidderStats) float64 { return asFloat(b.Holdout.GhostWins) }, true},
	{"control_conversions", func(b *BidderStats) float64 { return asFloat(b.Holdout.ControlConversions) }, true},
	{"treated_wins", func(b *BidderStats) float64 { return asFloat(b.Holdout.TreatedWins) }, true},
	{"treated_conversions", func(b *BidderStats) float64 { return asFloat(b.Holdout.TreatedConversions) }, true},
	{"lift_per_impression.mean", func(b *BidderStats) float64 { return orNaN(b.Holdout.Lift().Mean) }, false},
	{"lift_per_impression.lo", func(b *BidderStats) float64 { return orNaN(b.Holdout.Lift().Lo) }, false},
	{"lift_per_impression.hi", func(b *BidderStats) float64 { return orNaN(b.Holdout.Lift().Hi) }, false},
	{"measured_incremental_roas.mean", func(b *BidderStats) float64 { return orNaN(b.Holdout.MeasuredIncrementalROAS().Mean) }, false},
	{"measured_incremental_roas.lo", func(b *BidderStats) float64 { return orNaN(b.Holdout.MeasuredIncrementalROAS().Lo) }, false},
	{"measured_incremental_roas.hi", func(b *BidderStats) float64 { return orNaN(b.Holdout.MeasuredIncrementalROAS().Hi) }, false},
	{"attributed_roas", func(b *BidderStats) float64 { return orNaN(b.AttributedROAS()) }, false},
	{"incremental_roas", func(b *BidderStats) float64 { return orNaN(b.IncrementalROAS()) }, false},
	{"cost.impressions", func(b *BidderStats) float64 { return asFloat(b.Holdout.GhostWins) }, true},
	{"cost.spend", func(b *BidderStats) float64 { return b.Holdout.GhostSpend.Float() }, true},
	{"cost.value", func(b *BidderStats) float64 { return b.Holdout.GhostValue.Float() }, true},
}

// personHoldoutFields are a holdout by person's, beside holdoutFields:
// the people exposed in each arm, the lift per person, the incremental
// conversions and value it measures, and the model's truth.
var personHoldoutFields = []field[BidderStats]{
	{"treated_people", func(b *BidderStats) float64 { return asFloat(b.Holdout.TreatedPeople) }, true},
	{"control_people", func(b *BidderStats) float64 { return asFloat(b.Holdout.ControlPeople) }, true},
	{"lift_per_person.mean", func(b *BidderStats) float64 { return orNaN(b.Holdout.LiftPerPerson().Mean) }, false},
	{"lift_per_person.lo", func(b *BidderStats) float64 { return orNaN(b.Holdout.LiftPerPerson().Lo) }, false},
	{"lift_per_person.hi", func(b *BidderStats) float64 { return orNaN(b.Holdout.LiftPerPerson().Hi) }, false},
	{"measured_incremental_conversions.mean", func(b *BidderStats) float64 { return orNaN(b.Holdout.MeasuredIncrementalConversions().Mean) }, false},
	{"measured_incremental_conversions.lo", func(b *BidderStats) float64 { return orNaN(b.Holdout.MeasuredIncrementalConversions().Lo) }, false},
	{"measured_incremental_conversions.hi", func(b *BidderStats) float64 { return orNaN(b.Holdout.MeasuredIncrementalConversions().Hi) }, false},
	{"measured_incremental_value.mean", func(b *BidderStats) float64 { return orNaN(b.Holdout.MeasuredIncrementalValue().Mean) }, false},
	{"measured_incremental_value.lo", func(b *BidderStats) float64 { return orNaN(b.Holdout.MeasuredIncrementalValue().Lo) }, false},
	{"measured_incremental_value.hi", func(b *BidderStats) float64 { return orNaN(b.Holdout.MeasuredIncrementalValue().Hi) }, false},
	{"true_incremental_conversions", func(b *BidderStats) float64 { return b.Holdout.TrueIncrementalConversions() }, false},
	{"true_incremental_roas", func(b *BidderStats) float64 { return orNaN(b.Holdout.TrueIncrementalROAS()) }, false},
}

var groupFields = []field[GroupStats]{
	{"budget", func(g *GroupStats) float64 { return g.Budget.Float() }, false},
	{"unlimited_members", func(g *GroupStats) float64 { return float64(g.Unlimited) }, false},
	{"daily_budget", func(g *GroupStats) float64 { return g.Daily.Float() }, false},
	{"daily_sum", func(g *GroupStats) float64 { return g.DailySum.Float() }, false},
	{"uncapped_members", func(g *GroupStats) float64 { return float64(g.Uncapped) }, false},
	{"spend", func(g *GroupStats) float64 { return g.Spend.Float() }, true},
	{"unspent", func(g *GroupStats) float64 { return g.Unspent.Float() }, false},
	{"wins", func(g *GroupStats) float64 { return asFloat(g.Wins) }, true},
	{"conversions", func(g *GroupStats) float64 { return asFloat(g.Conversions) }, true},
	{"incremental_conversions", func(g *GroupStats) float64 { return float64(g.IncrementalConversions) }, true},
	{"attributed_value", func(g *GroupStats) float64 { return g.AttributedValue.Float() }, true},
	{"incremental_value", func(g *GroupStats) float64 { return g.IncrementalValue.Float() }, true},
	{"attributed_roas", func(g *GroupStats) float64 { return orNaN(g.AttributedROAS()) }, false},
	{"incremental_roas", func(g *GroupStats) float64 { return orNaN(g.IncrementalROAS()) }, false},
	{"incremental_profit", func(g *GroupStats) float64 { return orZero(g.IncrementalProfit()) }, true},
	{"attributed_profit", func(g *GroupStats) float64 { return orZero(g.AttributedProfit()) }, true},
	{"pending_conversions", func(g *GroupStats) float64 { return asFloat(g.PendingConversions) }, false},
	{"caused_conversions", func(g *GroupStats) float64 { return asFloat(g.CausedConversions) }, true},
	{"caused_value", func(g *GroupStats) float64 { return g.CausedValue.Float() }, true},
	{"caused_roas", func(g *GroupStats) float64 { return orNaN(g.CausedROAS()) }, false},
	{"without_ad_conversions", func(g *GroupStats) float64 { return asFloat(g.WithoutAdConversions) }, true},
	// The eventual figures, as a bidder's: the members' conversions
	// still pending counted as matured (GroupStats.Eventual).
	{"eventual.conversions", func(g *GroupStats) float64 { return asFloat(g.Eventual.Conversions) }, true},
	{"eventual.caused_conversions", func(g *GroupStats) float64 { return asFloat(g.Eventual.CausedConversions) }, true},
	{"eventual.organic_conversions", func(g *GroupStats) float64 { return asFloat(g.Eventual.OrganicConversions) }, true},
	{"eventual.without_ad_conversions", func(g *GroupStats) float64 { return asFloat(g.Eventual.WithoutAdConversions) }, true},
	{"eventual.incremental_conversions", func(g *GroupStats) float64 { return float64(g.Eventual.IncrementalConversions) }, true},
	{"eventual.attributed_value", func(g *GroupStats) float64 { return g.Eventual.AttributedValue.Float() }, true},
	{"eventual.caused_value", func(g *GroupStats) float64 { return g.Eventual.CausedValue.Float() }, true},
	{"eventual.incremental_value", func(g *GroupStats) float64 { return g.Eventual.IncrementalValue.Float() }, true},
	{"eventual.attributed_roas", func(g *GroupStats) float64 { return orNaN(g.EventualAttributedROAS()) }, false},
	{"eventual.incremental_roas", func(g *GroupStats) float64 { return orNaN(g.EventualIncrementalROAS()) }, false},
	{"eventual.attributed_profit", func(g *GroupStats) float64 { return orZero(g.EventualAttributedProfit()) }, true},
	{"eventual.incremental_profit", func(g *GroupStats) float64 { return orZero(g.EventualIncrementalProfit()) }, true},
}

var tmaxPointFields = []field[TmaxPoint]{
	{"tmax_ms", func(p *TmaxPoint) float64 { return p.Tmax.Milliseconds() }, false},
	{"revenue", func(p *TmaxPoint) float64 { return p.Revenue.Float() }, true},
	{"revenue_per_auction", func(p *TmaxPoint) float64 { return orNaN(p.RevenuePerAuction()) }, false},
	{"fill_rate", func(p *TmaxPoint) float64 { return orNaN(p.FillRate()) }, false},
	{"late_share", func(p *TmaxPoint) float64 { return orNaN(p.LateShare()) }, false},
	{"mean_clearing_price", func(p *TmaxPoint) float64 { return orNaN(p.MeanClearingPrice()) }, false},
	{"auctions", func(p *TmaxPoint) float64 { return asFloat(p.Auctions) }, true},
	{"filled", func(p *TmaxPoint) float64 { return asFloat(p.Filled) }, true},
	{"bids", func(p *TmaxPoint) float64 { return asFloat(p.Bids) }, true},
	{"late_bids", func(p *TmaxPoint) float64 { return asFloat(p.Late) }, true},
	{"wait_ms_mean", func(p *TmaxPoint) float64 { return ifAuctions(p, p.WaitMean.Milliseconds()) }, false},
	{"wait_ms_p95", func(p *TmaxPoint) float64 { return ifAuctions(p, p.WaitP95.Milliseconds()) }, false},
	{"net_revenue_per_auction", func(p *TmaxPoint) float64 { return orNaN(p.NetRevenuePerAuction()) }, false},
}

// ifAuctions is x, or NaN at a point before any auction has closed.
func ifAuctions(p *TmaxPoint, x float64) float64 {
	if p.Auctions == 0 {
		return math.NaN()
	}
	return x
}

// adviceFields read the tmax curve's advice (AdviseTmaxSettled), each a
// point's tmax in milliseconds; NaN before any auction has closed, and
// where the answer is not inside the settled range of a censored curve
// (on the wire, or under the skip rule).
var adviceFields = []field[Snapshot]{
	{"max_revenue_tmax_ms", func(s *Snapshot) float64 { return advice(s, func(a TmaxAdvice) Time { return a.MaxRevenue }) }, false},
	{"tmax_ms_95", func(s *Snapshot) float64 { return advice(s, func(a TmaxAdvice) Time { return a.Knee95 }) }, false},
	{"tmax_ms_99", func(s *Snapshot) float64 { return advice(s, func(a TmaxAdvice) Time { return a.Knee99 }) }, false},
	{"max_net_revenue_tmax_ms", func(s *Snapshot) float64 { return advice(s, func(a TmaxAdvice) Time { return a.MaxNetRevenue }) }, false},
}

// advice is one figure of the curve's advice in milliseconds.
func advice(s *Snapshot, of func(TmaxAdvice) Time) float64 {
	c := s.TmaxCurve
	if len(c) == 0 || c[0].Auctions == 0 {
		return math.NaN()
	}
	t := of(AdviseTmaxSettled(c, s.TmaxCurveCensoredAbove))
	if t == 0 {
		return math.NaN() // above the settled range, perhaps
	}
	return t.Milliseconds()
}

// slotPoint is one slot's counters with the run's auctions, for the
// shares of all auctions.
type slotPoint struct {
	SlotStats
	auctions uint64
}

// slotFields are one ad position's metrics (slots.1.fill_rate), in
// auctions of several slots; prices are CPM.
var slotFields = []field[slotPoint]{
	{"weight", func(p *slotPoint) float64 { return p.Weight }, false},
	{"filled", func(p *slotPoint) float64 { return asFloat(p.Filled) }, true},
	{"revenue", func(p *slotPoint) float64 { return p.Revenue.Float() }, true},
	{"fill_rate", func(p *slotPoint) float64 { return orNaN(p.FillRate(p.auctions)) }, false},
	{"revenue_per_auction", func(p *slotPoint) float64 { return orNaN(meanCPM(p.Revenue, p.auctions)) }, false},
	{"mean_price_per_click", func(p *slotPoint) float64 { return orNaN(p.MeanClickPrice()) }, false},
	{"mean_price_per_impression", func(p *slotPoint) float64 { return orNaN(p.MeanImpressionPrice()) }, false},
}

// slotTheoryFields are the slots' closed form: VCG's and GSP's revenue
// per auction with the bids as made (CPM).
var slotTheoryFields = []field[SlotTheory]{
	{"vcg_revenue_per_auction", func(t *SlotTheory) float64 { return orNaN(t.VCG) }, false},
	{"gsp_revenue_per_auction", func(t *SlotTheory) float64 { return orNaN(t.GSP) }, false},
}

// sinceChangeFields are the exchange's figures since the last live change
// (Snapshot.SinceChange: the auctions fanned out since it), present only
// when the run changed after its start (Snapshot.ChangedDuringRun): the
// figures to set beside the closed form, which is the world's after that
// change. None adds up over the run: the window starts again at each
// change.
var sinceChangeFields = []field[SeriesPoint]{
	{"start_seconds", func(p *SeriesPoint) float64 { return p.Start.Seconds() }, false},
	{"auctions", func(p *SeriesPoint) float64 { return asFloat(p.Auctions) }, false},
	{"filled", func(p *SeriesPoint) float64 { return asFloat(p.Filled) }, false},
	{"revenue", func(p *SeriesPoint) float64 { return p.Revenue.Float() }, false},
	{"fill_rate", func(p *SeriesPoint) float64 { return orNaN(p.FillRate()) }, false},
	{"mean_clearing_price", func(p *SeriesPoint) float64 { return orNaN(p.MeanPrice()) }, false},
	{"revenue_per_auction", func(p *SeriesPoint) float64 { return orNaN(p.RevenuePerAuction()) }, false},
	{"late_bids", func(p *SeriesPoint) float64 { return asFloat(p.Timeouts) }, false},
	{"revenue_lost_to_timeouts", func(p *SeriesPoint) float64 { return p.RevenueLost.Float() }, false},
	{"lost_share", func(p *SeriesPoint) float64 { return orNaN(p.LostShare()) }, false},
}

// bidderPerAuction is one bidder with the count of the run's closed
// auctions: the simulated side of its closed form (theory.bidders.NAME)
// over the whole run.
type bidderPerAuction struct {
	b        *BidderStats
	auctions uint64
}

// bidderPerAuctionFields are one bidder's figures per closed auction over
// the whole run, under bidders.NAME, as BidderPerAuction has them: its
// wins (win_rate is per bid request), payment and surplus (CPM), to set
// beside theory.bidders.NAME's win_rate, payment_per_auction and
// surplus_per_auction.
var bidderPerAuctionFields = []field[bidderPerAuction]{
	{"win_rate_per_auction", func(b *bidderPerAuction) float64 { return ratio(b.b.Wins, b.auctions) }, false},
	{"payment_per_auction", func(b *bidderPerAuction) float64 { return meanCPM(b.b.Spend, b.auctions) }, false},
	{"surplus_per_auction", func(b *bidderPerAuction) float64 { return meanCPM(b.b.Surplus(), b.auctions) }, false},
}

// sinceChangeBidder is one bidder's share of the auctions since the last
// change, with their count: the simulated side of its closed form
// (theory.bidders.NAME) after a change.
type sinceChangeBidder struct {
	p        BidderPoint
	auctions uint64
}

// sinceChangeBidderFields are one bidder's figures since the last change,
// under since_change.bidders.NAME: its wins and spend, and per auction its
// win rate, payment and surplus (CPM), to set beside theory.bidders.NAME,
// which is the world's after that change.
var sinceChangeBidderFields = []field[sinceChangeBidder]{
	{"wins", func(b *sinceChangeBidder) float64 { return asFloat(b.p.Wins) }, false},
	{"spend", func(b *sinceChangeBidder) float64 { return b.p.Spend.Float() }, false},
	{"win_rate", func(b *sinceChangeBidder) float64 { return ratio(b.p.Wins, b.auctions) }, false},
	{"payment_per_auction", func(b *sinceChangeBidder) float64 { return meanCPM(b.p.Spend, b.auctions) }, false},
	{"surplus_per_auction", func(b *sinceChangeBidder) float64 { return meanCPM(b.p.Value-b.p.Spend, b.auctions) }, false},
}

// SinceChangeMetrics are the names of the since_change part's metrics,
// which a run has once its world changed after it began; with bidders,
// each one's under since_change.bidders.NAME too.
func SinceChangeMetrics(bidders ...string) []string {
	names := make([]string, 0, len(sinceChangeFields)+len(bidders)*len(sinceChangeBidderFields))
	for _, f := range sinceChangeFields {
		names = append(names, "since_change."+f.name)
	}
	for _, b := range bidders {
		for _, f := range sinceChangeBidderFields {
			names = append(names, "since_change.bidders."+b+"."+f.name)
		}
	}
	return names
}

// ScriptChangesAfterStart reports whether cfg's script changes the world
// after the run begins (a step at 0 is the world it starts in), so that
// its runs have the since_change metrics once they pass that step.
func (cfg Config) ScriptChangesAfterStart() bool {
	for _, st := range cfg.Script {
		if st.At > 0 && len(st.Changes) > 0 {
			return true
		}
	}
	return false
}

// theoryFields apply only when the closed form does (theory.applies).
var theoryFields = []field[Theory]{
	{"mean_clearing_price", func(t *Theory) float64 { return orNaN(t.MeanClearingPrice) }, false},
	{"revenue_per_auction", func(t *Theory) float64 { return orNaN(t.RevenuePerAuction) }, false},
	{"fill_rate", func(t *Theory) float64 { return orNaN(t.FillRate) }, false},
}

// bidderTheoryFields are one bidder's closed form, under
// theory.bidders.NAME: its win rate, payment and surplus per auction
// (CPM), where each bidder's form applies (BidderTheory).
var bidderTheoryFields = []field[BidderTheory]{
	{"win_rate", func(b *BidderTheory) float64 { return orNaN(b.WinRate) }, false},
	{"payment_per_auction", func(b *BidderTheory) float64 { return orNaN(b.Payment) }, false},
	{"surplus_per_auction", func(b *BidderTheory) float64 { return orNaN(b.Surplus) }, false},
}

// Name is the point's deadline as a flat metric name's part, without a
// dot: whole milliseconds as "120ms", else whole microseconds or
// nanoseconds (tmax_curve.120ms.revenue).
func (p TmaxPoint) Name() string {
	switch t := p.Tmax; {
	case t%Millisecond == 0:
		return strconv.FormatInt(int64(t/Millisecond), 10) + "ms"
	case t%Microsecond == 0:
		return strconv.FormatInt(int64(t/Microsecond), 10) + "us"
	default:
		return strconv.FormatInt(int64(t), 10) + "ns"
	}
}

// catalogue walks a snapshot's metrics: emit gets each one's name,
// whether it is cumulative, its value in s, and, with accessors set, how
// to read it from another snapshot (nil otherwise: a replication's values
// need none, and each costs an allocation).
type catalogue struct {
	s         *Snapshot
	accessors bool
	emit      func(name string, cum bool, x float64, of func(*Snapshot) float64)
}

// emitPart emits fields under prefix: at is the part in c.s, find finds it in
// another snapshot (nil: absent there, every field NaN).
func emitPart[T any](c *catalogue, prefix string, fields []field[T], at *T, find func(*Snapshot) *T) {
	for _, f := range fields {
		var of func(*Snapshot) float64
		if c.accessors {
			get := f.of
			of = func(s *Snapshot) float64 {
				if p := find(s); p != nil {
					return get(p)
				}
				return math.NaN()
			}
		}
		c.emit(prefix+f.name, f.cum, f.of(at), of)
	}
}

// alwaysNaN reads an absent part (a JSON null) in any snapshot.
func alwaysNaN(*Snapshot) float64 { return math.NaN() }

func (c *catalogue) walk() {
	s := c.s
	emitPart(c, "", topFields, s, func(s *Snapshot) *Snapshot { return s })
	emitPart(c, "settings.", settingsFields, &s.Settings, func(s *Snapshot) *Settings { return &s.Settings })
	emitPart(c, "exchange.", exchangeFields, &s.Exchange, func(s *Snapshot) *ExchangeStats { return &s.Exchange })
	for j := range s.Slots {
		// Only auctions of several slots have the part: a single-item
		// run's metrics stay as they were.
		p := slotPoint{SlotStats: s.Slots[j], auctions: s.Exchange.Auctions}
		emitPart(c, "slots."+strconv.Itoa(j+1)+".", slotFields, &p, func(s *Snapshot) *slotPoint {
			if j >= len(s.Slots) {
				return nil
			}
			return &slotPoint{SlotStats: s.Slots[j], auctions: s.Exchange.Auctions}
		})
	}
	for i := range s.Bidders {
		b := &s.Bidders[i]
		find := func(s *Snapshot) *BidderStats { return findBidder(s, b.Name) }
		prefix := "bidders." + b.Name + "."
		emitPart(c, prefix, bidderFields, b, find)
		emitPart(c, prefix, bidderPerAuctionFields, &bidderPerAuction{b: b, auctions: s.Exchange.Auctions}, func(s *Snapshot) *bidderPerAuction {
			if b := find(s); b != nil {
				return &bidderPerAuction{b: b, auctions: s.Exchange.Auctions}
			}
			return nil
		})
		emitPart(c, prefix+"counterfactual.", counterfactualFields, &b.Counterfactual, func(s *Snapshot) *CounterfactualStats {
			if b := find(s); b != nil {
				return &b.Counterfactual
			}
			return nil
		})
		if b.Frequency != nil {
			// Only worlds with people have the part: others' metrics stay
			// as they were.
			emitPart(c, prefix+"frequency.", frequencyFields, b.Frequency, func(s *Snapshot) *FrequencyStats {
				if b := find(s); b != nil {
					return b.Frequency
				}
				return nil
			})
		}
		if b.Learn == nil {
			c.emit(prefix+"learn", false, math.NaN(), alwaysNaN)
		} else {
			emitPart(c, prefix+"learn.", learnFields, b.Learn, func(s *Snapshot) *LearnStats {
				if b := find(s); b != nil {
					return b.Learn
				}
				return nil
			})
		}
		if b.Goal != nil {
			emitPart(c, prefix+"goal.", goalFields, b.Goal, func(s *Snapshot) *Goal {
				if b := find(s); b != nil {
					return b.Goal
				}
				return nil
			})
		}
		if b.Holdout == nil {
			c.emit(prefix+"holdout", false, math.NaN(), alwaysNaN)
			continue
		}
		emitPart(c, prefix+"holdout.", holdoutFields, b, func(s *Snapshot) *BidderStats {
			if b := find(s); b != nil && b.Holdout != nil {
				return b
			}
			return nil
		})
		if b.Holdout.Unit == HoldoutByPerson {
			emitPart(c, prefix+"holdout.", personHoldoutFields, b, func(s *Snapshot) *BidderStats {
				if b := find(s); b != nil && b.Holdout != nil && b.Holdout.Unit == HoldoutByPerson {
					return b
				}
				return nil
			})
		}
	}
	for i := range s.Groups {
		g := &s.Groups[i]
		emitPart(c, "groups."+g.Name+".", groupFields, g, func(s *Snapshot) *GroupStats { return findGroup(s, g.Name) })
	}
	if s.TmaxCurve == nil {
		c.emit("tmax_curve", false, math.NaN(), alwaysNaN)
	}
	for i := range s.TmaxCurve {
		p := &s.TmaxCurve[i]
		name := p.Name()
		emitPart(c, "tmax_curve."+name+".", tmaxPointFields, p, func(s *Snapshot) *TmaxPoint {
			for j := range s.TmaxCurve {
				if s.TmaxCurve[j].Name() == name {
					return &s.TmaxCurve[j]
				}
			}
			return nil
		})
	}
	if s.TmaxCurve == nil {
		c.emit("tmax_advice", false, math.NaN(), alwaysNaN)
	} else {
		emitPart(c, "tmax_advice.", adviceFields, s, func(s *Snapshot) *Snapshot {
			if s.TmaxCurve == nil {
				return nil
			}
			return s
		})
	}
	if s.TmaxCurveCensoredAbove > 0 {
		// Only when censored (on the wire, or under the skip rule), so
		// that other runs' metrics are as before.
		c.emit("tmax_curve_censored_above_ms", false, s.TmaxCurveCensoredAbove.Milliseconds(), func(s *Snapshot) float64 {
			if s.TmaxCurveCensoredAbove == 0 {
				return math.NaN()
			}
			return s.TmaxCurveCensoredAbove.Milliseconds()
		})
	}
	if s.ChangedDuringRun() {
		// Only runs changed after their start have the part: others'
		// metrics stay as they were.
		emitPart(c, "since_change.", sinceChangeFields, &s.SinceChange, func(s *Snapshot) *SeriesPoint {
			if !s.ChangedDuringRun() {
				return nil
			}
			return &s.SinceChange
		})
		for i := range s.Bidders {
			if i >= len(s.SinceChange.Bidders) {
				break
			}
			name := s.Bidders[i].Name
			b := sinceChangeBidder{p: s.SinceChange.Bidders[i], auctions: s.SinceChange.Auctions}
			emitPart(c, "since_change.bidders."+name+".", sinceChangeBidderFields, &b, func(s *Snapshot) *sinceChangeBidder {
				if !s.ChangedDuringRun() {
					return nil
				}
				for j := range s.Bidders {
					if s.Bidders[j].Name == name && j < len(s.SinceChange.Bidders) {
						return &sinceChangeBidder{p: s.SinceChange.Bidders[j], auctions: s.SinceChange.Auctions}
					}
				}
				return nil
			})
		}
	}
	c.emit("tmax_curve_exact", false, oneIf(s.TmaxCurveExact), func(s *Snapshot) float64 { return oneIf(s.TmaxCurveExact) })
	t := s.Theory()
	c.emit("theory.applies", false, oneIf(t.Applies), func(s *Snapshot) float64 { return oneIf(s.Theory().Applies) })
	if t.Applies {
		emitPart(c, "theory.", theoryFields, &t, func(s *Snapshot) *Theory {
			if t := s.Theory(); t.Applies {
				return &t
			}
			return nil
		})
		if t.Slots != nil {
			emitPart(c, "theory.slots.", slotTheoryFields, t.Slots, func(s *Snapshot) *SlotTheory { return s.Theory().Slots })
		}
		// Each bidder's form, where it applies (kept by the snapshot's
		// memo: reading it again costs no integral).
		bt, _ := s.BidderTheory()
		for i := range bt {
			name := bt[i].Name
			emitPart(c, "theory.bidders."+name+".", bidderTheoryFields, &bt[i], func(s *Snapshot) *BidderTheory {
				bt, _ := s.BidderTheory()
				for j := range bt {
					if bt[j].Name == name {
						return &bt[j]
					}
				}
				return nil
			})
		}
	}
}

func findBidder(s *Snapshot, name string) *BidderStats {
	for i := range s.Bidders {
		if s.Bidders[i].Name == name {
			return &s.Bidders[i]
		}
	}
	return nil
}

func findGroup(s *Snapshot, name string) *GroupStats {
	for i := range s.Groups {
		if s.Groups[i].Name == name {
			return &s.Groups[i]
		}
	}
	return nil
}

// Catalogue lists every metric of s, in the JSON summary's order: the
// names its numeric leaves have, each with the accessor that reads it
// from a snapshot (of the same world, or another: a part missing there
// reads as NaN).
func Catalogue(s *Snapshot) []Metric {
	var out []Metric
	c := catalogue{s: s, accessors: true, emit: func(name string, cum bool, _ float64, of func(*Snapshot) float64) {
		out = append(out, Metric{Name: name, Of: of, Cumulative: cum})
	}}
	c.walk()
	return out
}

// MetricNames lists the names of s's metrics, sorted.
func MetricNames(s *Snapshot) []string {
	var out []string
	c := catalogue{s: s, emit: func(name string, _ bool, _ float64, _ func(*Snapshot) float64) {
		out = append(out, name)
	}}
	c.walk()
	slices.Sort(out)
	return out
}

// MetricValues is every metric of s by name: what a replication of an
// experiment measures.
func MetricValues(s *Snapshot) map[string]float64 {
	out := make(map[string]float64, 64+48*len(s.Bidders))
	c := catalogue{s: s, emit: func(name string, _ bool, x float64, _ func(*Snapshot) float64) {
		out[name] = x
	}}
	c.walk()
	return out
}

// moneyOf are the cumulative metrics that are amounts of money, by part
// and name, with their exact integer accessors: a fork takes their
// differences in Money and converts once, so that equal spends differ by
// exactly 0 and not by float noise.
var (
	exchangeMoney = map[string]func(*ExchangeStats) Money{
		"revenue":                  func(x *ExchangeStats) Money { return x.Revenue },
		"revenue_lost_to_timeouts": func(x *ExchangeStats) Money { return x.RevenueLost },
		"value":                    func(x *ExchangeStats) Money { return x.Value },
		"net_revenue":              func(x *ExchangeStats) Money { return x.NetRevenue() },
	}
	bidderMoney = map[string]func(*BidderStats) Money{
		"spend":   func(b *BidderStats) Money { return b.Spend },
		"value":   func(b *BidderStats) Money { return b.Value },
		"surplus": func(b *BidderStats) Money { return b.Surplus() },
	}
	groupMoney = map[string]func(*GroupStats) Money{
		"spend": func(g *GroupStats) Money { return g.Spend },
	}
)

// Ratio is a ratio metric of the catalogue (a ROAS) as the quotient of
// two cumulative ones, so that a fork can compare it over the same
// intervals: Num / Den, each a flat name MetricNamed resolves.
type Ratio struct{ Name, Num, Den string }

// ratioParts are the ratios of a bidder or a group: ROAS both ways, on
// the matured figures and on the eventual ones.
var ratioParts = map[string][2]string{
	"attributed_roas":           {"attributed_value", "spend"},
	"incremental_roas":          {"incremental_value", "spend"},
	"caused_roas":               {"caused_value", "spend"},
	"eventual.attributed_roas":  {"eventual.attributed_value", "spend"},
	"eventual.incremental_roas": {"eventual.incremental_value", "spend"},
}

// RatioNamed resolves the flat name of a bidder's or a group's ROAS
// (bidders.NAME.attributed_roas, groups.NAME.eventual.incremental_roas)
// to its numerator and denominator; false for any other name.
func RatioNamed(name string) (Ratio, bool) {
	kind, rest, _ := strings.Cut(name, ".")
	// Names hold no dot (checkName): the member is the first part, the
	// metric all the rest, itself dotted (eventual.incremental_roas).
	who, m, ok := strings.Cut(rest, ".")
	if (kind != "bidders" && kind != "groups") || !ok || who == "" {
		return Ratio{}, false
	}
	parts, ok := ratioParts[m]
	if !ok {
		return Ratio{}, false
	}
	prefix := kind + "." + who + "."
	return Ratio{Name: name, Num: prefix + parts[0], Den: prefix + parts[1]}, true
}

// MetricNamed resolves the flat name of a cumulative metric, one that
// adds up over a run (a count or an amount: exchange.revenue,
// bidders.NAME.spend, groups.NAME.incremental_value; the error lists
// them), to its accessor. A bidder or group missing from a snapshot reads
// as 0. Ratios such as ROAS, and levels such as a budget, are not
// cumulative: a per-interval difference of them has no paired meaning;
// compare a ratio's numerator and denominator instead.
func MetricNamed(name string) (Metric, error) {
	kind, rest, _ := strings.Cut(name, ".")
	switch kind {
	case "exchange":
		if f, ok := cumulative(exchangeFields, rest); ok {
			m := Metric{Name: name, Of: func(s *Snapshot) float64 { return f(&s.Exchange) }, Cumulative: true}
			if g := exchangeMoney[rest]; g != nil {
				m.Money = func(s *Snapshot) Money { return g(&s.Exchange) }
			}
			return m, nil
		}
		return Metric{}, fmt.Errorf("metric %q: exchange has %s", name, cumulativeNames(exchangeFields))
	case "bidders":
		return memberMetric(name, kind, rest, bidderFields, bidderMoney, findBidder)
	case "groups":
		return memberMetric(name, kind, rest, groupFields, groupMoney, findGroup)
	}
	if f, ok := cumulative(topFields, name); ok {
		return Metric{Name: name, Of: func(s *Snapshot) float64 { return f(s) }, Cumulative: true}, nil
	}
	return Metric{}, fmt.Errorf("metric %q: want exchange.M, bidders.NAME.M, groups.NAME.M or one of %s", name, cumulativeNames(topFields))
}

// memberMetric resolves rest = NAME.M of a metric of kind bidders or
// groups: metric M of the member NAME, found in a snapshot by find.
func memberMetric[T any](name, kind, rest string, fields []field[T], money map[string]func(*T) Money, find func(*Snapshot, string) *T) (Metric, error) {
	// Names hold no dot (checkName): the member is the first part, the
	// metric all the rest (eventual.incremental_value).
	if who, m, ok := strings.Cut(rest, "."); ok && who != "" {
		if f, ok := cumulative(fields, m); ok {
			out := Metric{Name: name, Cumulative: true, Of: func(s *Snapshot) float64 {
				if x := find(s, who); x != nil {
					return f(x)
				}
				var zero T
				return f(&zero)
			}}
			if g := money[m]; g != nil {
				out.Money = func(s *Snapshot) Money {
					if x := find(s, who); x != nil {
						return g(x)
					}
					return 0
				}
			}
			return out, nil
		}
	}
	return Metric{}, fmt.Errorf("metric %q: want %s.NAME.M, M one of %s", name, kind, cumulativeNames(fields))
}

func cumulative[T any](fields []field[T], name string) (func(*T) float64, bool) {
	for _, f := range fields {
		if f.cum && f.name == name {
			return f.of, true
		}
	}
	return nil, false
}

func cumulativeNames[T any](fields []field[T]) string {
	var out []string
	for _, f := range fields {
		if f.cum {
			out = append(out, f.name)
		}
	}
	slices.Sort(out) // the same message every time
	return strings.Join(out, ", ")
}
