package report

import (
	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/sim"
)

// TmaxPoint is one point of the revenue-versus-tmax curve: every auction
// of the run settled again as if it had closed at TmaxMS, with the
// responses it got (see sim.TmaxPoint). Ratios are null when undefined.
type TmaxPoint struct {
	// Name is the deadline as a flat metric name's part ("120ms"), so that
	// tmax_curve.120ms.revenue names one point's revenue, as bidders.NAME
	// names a bidder's figures.
	Name              string  `json:"name"`
	TmaxMS            float64 `json:"tmax_ms"`
	Revenue           float64 `json:"revenue"`             // currency, as exchange.revenue
	RevenuePerAuction Num     `json:"revenue_per_auction"` // CPM: revenue per auction × 1000
	FillRate          Num     `json:"fill_rate"`
	LateShare         Num     `json:"late_share"`          // late bids / bids, as exchange.timeout_rate
	MeanClearingPrice Num     `json:"mean_clearing_price"` // CPM over the auctions that would have filled
	Auctions          uint64  `json:"auctions"`
	Filled            uint64  `json:"filled"`
	Bids              uint64  `json:"bids"`
	LateBids          uint64  `json:"late_bids"`
	// WaitMSMean and WaitMSP95 are the wait (exchange.wait_ms) at this
	// deadline, in milliseconds; null before any auction.
	WaitMSMean Num `json:"wait_ms_mean"`
	WaitMSP95  Num `json:"wait_ms_p95"`
	// NetRevenuePerAuction is the revenue of the impressions people would
	// not have left (exchange.abandonment) per auction, in CPM; as
	// revenue_per_auction when nobody leaves.
	NetRevenuePerAuction Num `json:"net_revenue_per_auction"`
}

// TmaxAdvice reads the curve (see sim.TmaxAdvice), each a point's
// tmax_ms: the deadline with the most revenue, the least earning 95% and
// 99% of that, and the one with the most net revenue.
type TmaxAdvice struct {
	MaxRevenueTmaxMS    Num `json:"max_revenue_tmax_ms"`
	TmaxMS95            Num `json:"tmax_ms_95"`
	TmaxMS99            Num `json:"tmax_ms_99"`
	MaxNetRevenueTmaxMS Num `json:"max_net_revenue_tmax_ms"`
}

// newTmaxAdvice reads the snapshot's advice from m (the catalogue's
// tmax_advice.*); nil (JSON null) when the curve is off, and null figures
// before any auction has closed.
func newTmaxAdvice(pts []sim.TmaxPoint, m metrics) *TmaxAdvice {
	if len(pts) == 0 {
		return nil
	}
	return &TmaxAdvice{
		MaxRevenueTmaxMS:    m.num("max_revenue_tmax_ms"),
		TmaxMS95:            m.num("tmax_ms_95"),
		TmaxMS99:            m.num("tmax_ms_99"),
		MaxNetRevenueTmaxMS: m.num("max_net_revenue_tmax_ms"),
	}
}

// NewTmaxCurve converts a curve; nil (JSON null) when the scenario
// switches it off.
func NewTmaxCurve(pts []sim.TmaxPoint) []TmaxPoint {
	return newTmaxCurve(pts, metrics{v: sim.MetricValues(&sim.Snapshot{TmaxCurve: pts}), prefix: "tmax_curve."})
}

// newTmaxCurve converts a snapshot's curve, its numbers read from m.
func newTmaxCurve(pts []sim.TmaxPoint, m metrics) []TmaxPoint {
	if pts == nil {
		return nil
	}
	out := make([]TmaxPoint, len(pts))
	for i, p := range pts {
		pm := m.sub(p.Name() + ".")
		out[i] = TmaxPoint{
			Name:                 p.Name(),
			TmaxMS:               pm.f("tmax_ms"),
			Revenue:              pm.f("revenue"),
			RevenuePerAuction:    pm.num("revenue_per_auction"),
			FillRate:             pm.num("fill_rate"),
			LateShare:            pm.num("late_share"),
			MeanClearingPrice:    pm.num("mean_clearing_price"),
			Auctions:             pm.n("auctions"),
			Filled:               pm.n("filled"),
			Bids:                 pm.n("bids"),
			LateBids:             pm.n("late_bids"),
			WaitMSMean:           pm.num("wait_ms_mean"),
			WaitMSP95:            pm.num("wait_ms_p95"),
			NetRevenuePerAuction: pm.num("net_revenue_per_auction"),
		}
	}
	return out
}

// CensoredCurveWhy says why a curve on the wire stops where the wire
// stopped waiting for a call that got no answer: the deadline it
// enforced, or the end of its late grace (sim.Snapshot.TmaxCurveCensoredAbove).
func CensoredCurveWhy(above sim.Time) string {
	return "on the wire a call that got no answer is late at every tmax up to the time the wire stopped waiting for it (" +
		format.Latency(above) + ": the deadline the wire enforced, or the end of its late grace), but when it would have arrived is unknown: the curve stops there"
}

// SkipCurveWhy says why a curve stops at the longest tmax at which the
// skip rule of tmax_adjustments applies (sim.Snapshot.TmaxCurveCensoredAbove,
// by sim.CensoredBySkipRule): bid requests the rule left unsent, their
// told deadline below bidder_response_min (least), drew no bids.
func SkipCurveWhy(above, least sim.Time) string {
	return "the skip rule of tmax_adjustments sent no bid request where the deadline bidders were told fell below bidder_response_min (" +
		format.Latency(least) + "), so what those auctions would have got at a longer tmax is unknown: the curve stops at " +
		format.Latency(above) + ", where the rule still applies"
}

// SkipAdviceWhy says why a figure of the advice is null on a curve that
// stops where the skip rule of tmax_adjustments still applies.
func SkipAdviceWhy(above sim.Time) string {
	return "the last tmax settled (" + format.Latency(above) +
		") is one where the skip rule sends no bid request, and a longer tmax, where bidders are called, might earn more"
}

// CurveStopsWhy says why snap's tmax curve stops at
// TmaxCurveCensoredAbove, naming what censored it there: the wire
// (CensoredCurveWhy), the skip rule (SkipCurveWhy), or both. "" when
// nothing is censored.
func CurveStopsWhy(snap *sim.Snapshot) string {
	above := snap.TmaxCurveCensoredAbove
	if above == 0 {
		return ""
	}
	return whyOf(snap.TmaxCurveCensoredBy, func() string { return CensoredCurveWhy(above) },
		func() string { return SkipCurveWhy(above, snap.Settings.TmaxAdjustments.BidderResponseMin) })
}

// BelowFirstPoint is what CurveStopsWhy adds when every point of the
// grid lies above the censored deadline: the curve is empty.
const BelowFirstPoint = ", below the grid's first point"

// CurveEmptyWhy is CurveStopsWhy for a curve censored below its grid's
// first point.
func CurveEmptyWhy(snap *sim.Snapshot) string { return CurveStopsWhy(snap) + BelowFirstPoint }

// AdviceUnknownWhy says why a figure of snap's advice is null on a
// censored curve, naming what censored it (CensoredAdviceWhy,
// SkipAdviceWhy, or both). "" when nothing is censored.
func AdviceUnknownWhy(snap *sim.Snapshot) string {
	above := snap.TmaxCurveCensoredAbove
	if above == 0 {
		return ""
	}
	return whyOf(snap.TmaxCurveCensoredBy, func() string { return CensoredAdviceWhy(above) },
		func() string { return SkipAdviceWhy(above) })
}

// AdviceWhy is the summary's tmax_advice_why for snap: why the advice,
// or some of its figures, is null on a censored curve (AdviceUnknownWhy),
// or, when no point lies below the censored deadline, why the curve is
// empty (CurveStopsWhy). "" when nothing is censored, before any auction,
// and when every figure of the advice is known. The table prints it
// beside the advice, as the JSON carries it, so the two say the same.
func AdviceWhy(snap *sim.Snapshot) string {
	curve, above := snap.TmaxCurve, snap.TmaxCurveCensoredAbove
	switch {
	case above == 0 || curve == nil:
		return ""
	case len(curve) == 0:
		return CurveStopsWhy(snap)
	case curve[0].Auctions == 0:
		return ""
	}
	// As the catalogue's tmax_advice.* read it: a figure is null where
	// the settled advice is 0.
	if a := sim.AdviseTmaxSettled(curve, above); a.MaxRevenue == 0 || a.MaxNetRevenue == 0 {
		return AdviceUnknownWhy(snap)
	}
	return ""
}

// whyOf is the wire's why, the skip rule's, or both, as by says. A
// snapshot that does not say (by 0) was censored on the wire: before the
// skip rule censored curves, only the wire did.
func whyOf(by sim.CurveCensor, wire, skip func() string) string {
	switch {
	case by == sim.CensoredBySkipRule:
		return skip()
	case by&sim.CensoredBySkipRule != 0:
		return wire() + "; and " + skip()
	}
	return wire()
}

// CensoredCurve is the tmax curve's censoring, on the wire or by the skip
// rule of tmax_adjustments. A call that got no answer is late at every
// tmax up to the time the wire stopped waiting for it (the deadline it
// enforced, or the end of its late grace), but when it would have arrived is
// unknown; an auction the skip rule left unsent drew no bids, so what it
// would have got where the rule does not apply is unknown. So tmax_curve
// holds only the points at or below the lower of the two deadlines (none
// when it lies below the grid).
type CensoredCurve struct {
	// TmaxCurveCensoredAboveMS is that deadline, in milliseconds;
	// TmaxCurveWhy says why the curve stops there.
	TmaxCurveCensoredAboveMS Num    `json:"tmax_curve_censored_above_ms"`
	TmaxCurveWhy             string `json:"tmax_curve_why"`
	// TmaxAdviceWhy says why tmax_advice or some of its figures are null:
	// the last settled point earns as much as the answer, and a longer
	// tmax, unknown, might earn more (sim.AdviseTmaxSettled).
	TmaxAdviceWhy string `json:"tmax_advice_why,omitempty"`
}

// CensoredAdviceWhy says why a figure of the advice is null on the wire.
func CensoredAdviceWhy(above sim.Time) string {
	return "the last tmax settled on the wire (" + format.Latency(above) +
		") earns as much as the answer, and a longer tmax, whose unanswered calls' arrivals are unknown, might earn more"
}

// censoredCurve fills in the curve's censoring (on the wire, or by the
// skip rule): its deadline and why, and the advice null with why where
// its answer is not inside the settled range. The summary of a run with
// neither is unchanged.
func (s *Summary) censoredCurve(snap *sim.Snapshot, all metrics) {
	above := snap.TmaxCurveCensoredAbove
	if above == 0 || snap.TmaxCurve == nil {
		return
	}
	s.CensoredCurve = &CensoredCurve{
		TmaxCurveCensoredAboveMS: all.num("tmax_curve_censored_above_ms"),
		TmaxCurveWhy:             CurveStopsWhy(snap),
	}
	s.TmaxAdviceWhy = AdviceWhy(snap)
	if len(snap.TmaxCurve) == 0 || snap.TmaxCurve[0].Auctions == 0 {
		// No settled point (the deadline below the grid), or no auction.
		return
	}
	a := s.TmaxAdvice
	known := func(n Num) bool { return n.Valid() }
	if a != nil && !known(a.MaxRevenueTmaxMS) && !known(a.TmaxMS95) && !known(a.TmaxMS99) && !known(a.MaxNetRevenueTmaxMS) {
		s.TmaxAdvice = nil
	}
}
