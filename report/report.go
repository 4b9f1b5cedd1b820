// Package report turns an engine snapshot into auctionsim's outputs: the
// JSON summary (a stable contract for scripts), the per-interval time series
// as CSV or JSON, and the summary table the run command prints. Files are
// written atomically, so a reader never sees half a report.
//
// Units: money (revenue, spend, budgets, order values) in currency units,
// prices in CPM, durations in seconds unless a field's name says otherwise
// (latency_ms).
package report

import (
	"math"

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
	Bidders        []Bidder `json:"bidders"`
	Changes        []Change `json:"changes"`
	// TmaxCurve is the revenue-versus-tmax curve (null when off).
	TmaxCurve []TmaxPoint `json:"tmax_curve"`
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
	Revenue           float64 `json:"revenue"`             // currency, = Σ bidders' spend
	FillRate          float64 `json:"fill_rate"`           // filled / auctions
	MeanClearingPrice float64 `json:"mean_clearing_price"` // CPM over filled auctions
	// Timeouts counts bids that arrived after tmax (Prebid's non-bid
	// reason 101). Requests never answered are Errors, counted apart.
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
	TimeoutRate float64 `json:"timeout_rate"` // late bids / bids
	MaxPrice    float64 `json:"max_price"`    // CPM
	Value       float64 `json:"value"`        // currency: winners' values of what they bought
	// SkippedDeadline counts no-bids (within no_bids) from bidders that
	// respect tmax and would have missed the deadline they were told.
	SkippedDeadline uint64 `json:"skipped_deadline"`
	// Unsent counts bid requests not sent: the told deadline was below
	// tmax_adjustments.bidder_response_min.
	Unsent uint64 `json:"unsent"`
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
	NoBids      uint64 `json:"no_bids"` // includes no_budget and throttled
	NoBudget    uint64 `json:"no_budget"`
	Throttled   uint64 `json:"throttled"`
	// SkippedDeadline: no-bids because the bidder respects tmax and would
	// have missed the deadline it was told (within no_bids).
	SkippedDeadline uint64 `json:"skipped_deadline"`
	Wins            uint64 `json:"wins"`
	// WinRate is wins / bid requests.
	WinRate     float64 `json:"win_rate"`
	TimeoutRate float64 `json:"timeout_rate"` // late / bids
	Spend       float64 `json:"spend"`        // currency
	// Budget is the total budget in currency; null when unlimited.
	Budget    *float64 `json:"budget"`
	MeanPrice float64  `json:"mean_price"` // CPM per won impression
	Value     float64  `json:"value"`      // currency: Σ values of won impressions
	Surplus   float64  `json:"surplus"`    // currency: Σ (value − price) over its wins = value − spend
	Latency   Latency  `json:"latency_ms"`
	Strategy  string   `json:"strategy"`
	Pacing    string   `json:"pacing"`

	Clicks uint64 `json:"clicks"`
	// Conversions are those last-touch attribution credits to the ad:
	// caused (incremental) and organic alike.
	Conversions            uint64  `json:"conversions"`
	IncrementalConversions uint64  `json:"incremental_conversions"`
	OrganicConversions     uint64  `json:"organic_conversions"`
	PendingConversions     uint64  `json:"pending_conversions"` // not yet matured
	AttributedValue        float64 `json:"attributed_value"`    // currency
	IncrementalValue       float64 `json:"incremental_value"`   // currency
	AttributedROAS         float64 `json:"attributed_roas"`
	IncrementalROAS        float64 `json:"incremental_roas"`
}

// Latency summarises response times (network + queue + service), in
// milliseconds, over every answered bid request.
type Latency struct {
	P50  float64 `json:"p50"`
	P95  float64 `json:"p95"`
	P99  float64 `json:"p99"`
	Mean float64 `json:"mean"`
	Max  float64 `json:"max"`
}

// Change is one entry of the change log.
type Change struct {
	AtSeconds float64 `json:"at_seconds"`
	Change    string  `json:"change"`
	// Scripted: applied by the scenario's script at its instant.
	Scripted bool `json:"scripted,omitempty"`
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
	FillRate     float64       `json:"fill_rate"`
	MeanPrice    float64       `json:"mean_price"` // CPM
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
	TimeoutRate float64 `json:"timeout_rate"` // late / bids
	Wins        uint64  `json:"wins"`
	WinRate     float64 `json:"win_rate"`
	Spend       float64 `json:"spend"`
}

// Full is the summary plus the time series: what `run --out x.json` writes.
type Full struct {
	Summary
	Series Series `json:"series"`
}

// finite maps NaN and infinities, which JSON cannot carry, to 0.
func finite(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0
	}
	return x
}

// NewSummary builds the summary of snap.
func NewSummary(snap *sim.Snapshot, meta Meta) Summary {
	name := meta.Scenario
	if name == "" {
		name = snap.Name
	}
	x := snap.Exchange
	s := Summary{
		Scenario:       name,
		Seed:           snap.Seed,
		Partial:        meta.Partial,
		VirtualSeconds: snap.Now.Seconds(),
		WallSeconds:    finite(meta.WallSeconds),
		Auctions:       x.Auctions,
		Events:         snap.Events,
		Settings: Settings{
			Auction:   snap.Settings.Auction.String(),
			TmaxMS:    snap.Settings.Tmax.Milliseconds(),
			Floor:     snap.Settings.Floor.CPM(),
			Increment: snap.Settings.Increment.CPM(),
			QPS:       finite(snap.Settings.QPS),
		},
		Exchange: Exchange{
			Revenue:               x.Revenue.Float(),
			FillRate:              finite(x.FillRate()),
			MeanClearingPrice:     finite(x.MeanPrice()),
			Timeouts:              x.Late,
			LateBids:              x.Late,
			RevenueLostToTimeouts: x.RevenueLost.Float(),
			Requests:              x.Requests,
			Filled:                x.Filled,
			Unfilled:              x.Unfilled,
			InFlight:              x.InFlight,
			BidRequests:           x.BidRequests,
			Bids:                  x.Bids,
			OnTimeBids:            x.OnTime,
			BelowFloor:            x.BelowFloor,
			NoBids:                x.NoBids,
			Errors:                x.Errors,
			Refused:               x.Refused,
			TimeoutRate:           finite(x.TimeoutRate()),
			MaxPrice:              x.MaxPrice.CPM(),
			Value:                 x.Value.Float(),
		},
		Bidders:   make([]Bidder, len(snap.Bidders)),
		Changes:   make([]Change, len(snap.Changes)),
		TmaxCurve: NewTmaxCurve(snap.TmaxCurve),
	}
	s.Settings.BidderTmaxMS = snap.Settings.BidderTmax.Milliseconds()
	s.Settings.Rate = finite(snap.Settings.Rate)
	s.Exchange.SkippedDeadline, s.Exchange.Unsent = x.SkippedDeadline, x.Unsent
	for i, b := range snap.Bidders {
		s.Bidders[i] = newBidder(b)
	}
	for i, c := range snap.Changes {
		text := "<nil>"
		if c.Change != nil {
			text = c.Change.String()
		}
		s.Changes[i] = Change{AtSeconds: c.At.Seconds(), Change: text, Scripted: c.Scripted}
	}
	return s
}

func newBidder(b sim.BidderStats) Bidder {
	out := Bidder{
		Name:        b.Name,
		Enabled:     b.Enabled,
		BidRequests: b.BidRequests,
		Bids:        b.Bids,
		OnTime:      b.OnTime,
		Late:        b.Late,
		BelowFloor:  b.BelowFloor,
		Errors:      b.Errors,
		Refused:     b.Refused,
		NoBids:      b.NoBids,
		NoBudget:    b.NoBudget,
		Throttled:   b.Throttled,

		SkippedDeadline: b.SkippedDeadline,
		Wins:            b.Wins,
		WinRate:         finite(b.WinRate()),
		TimeoutRate:     finite(b.TimeoutRate()),
		Spend:           b.Spend.Float(),
		MeanPrice:       finite(b.MeanPrice()),
		Value:           b.Value.Float(),
		Surplus:         b.Surplus().Float(),
		Latency: Latency{
			P50:  b.Latency.P50.Milliseconds(),
			P95:  b.Latency.P95.Milliseconds(),
			P99:  b.Latency.P99.Milliseconds(),
			Mean: b.Latency.Mean.Milliseconds(),
			Max:  b.Latency.Max.Milliseconds(),
		},
		Strategy:               b.Strategy.String(),
		Pacing:                 b.Pacing.String(),
		Clicks:                 b.Clicks,
		Conversions:            b.Conversions + b.Organic,
		IncrementalConversions: b.Conversions,
		OrganicConversions:     b.Organic,
		PendingConversions:     b.Pending,
		AttributedValue:        finite(b.ValueCaused + b.ValueOrgan),
		IncrementalValue:       finite(b.ValueCaused),
		AttributedROAS:         finite(b.AttributedROAS()),
		IncrementalROAS:        finite(b.IncrementalROAS()),
	}
	if !b.Unlimited {
		budget := b.Budget.Float()
		out.Budget = &budget
	}
	return out
}

// NewSeries builds the time series of snap.
func NewSeries(snap *sim.Snapshot) Series {
	s := Series{
		IntervalSeconds: snap.Series.Width.Seconds(),
		Bidders:         make([]string, len(snap.Bidders)),
		Points:          make([]Point, len(snap.Series.Points)),
	}
	for i, b := range snap.Bidders {
		s.Bidders[i] = b.Name
	}
	for i, p := range snap.Series.Points {
		pt := Point{
			StartSeconds: p.Start.Seconds(),
			Auctions:     p.Auctions,
			Filled:       p.Filled,
			FillRate:     finite(p.FillRate()),
			MeanPrice:    finite(p.MeanPrice()),
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
				TimeoutRate: finite(bp.TimeoutRate()),
				Wins:        bp.Wins,
				WinRate:     finite(bp.WinRate()),
				Spend:       bp.Spend.Float(),
			}
		}
		s.Points[i] = pt
	}
	return s
}

// NewFull builds the summary and the series of snap.
func NewFull(snap *sim.Snapshot, meta Meta) Full {
	return Full{Summary: NewSummary(snap, meta), Series: NewSeries(snap)}
}
