package report

import (
	"math"
	"strconv"

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

// NewTmaxAdvice reads the snapshot's curve; nil (JSON null) when the curve
// is off, and null figures before any auction has closed.
func NewTmaxAdvice(pts []sim.TmaxPoint) *TmaxAdvice {
	if len(pts) == 0 {
		return nil
	}
	if pts[0].Auctions == 0 {
		nan := num(math.NaN())
		return &TmaxAdvice{nan, nan, nan, nan}
	}
	a := sim.AdviseTmax(pts)
	return &TmaxAdvice{
		MaxRevenueTmaxMS:    num(a.MaxRevenue.Milliseconds()),
		TmaxMS95:            num(a.Knee95.Milliseconds()),
		TmaxMS99:            num(a.Knee99.Milliseconds()),
		MaxNetRevenueTmaxMS: num(a.MaxNetRevenue.Milliseconds()),
	}
}

// NewTmaxCurve converts the snapshot's curve; nil (JSON null) when the
// scenario switches it off.
func NewTmaxCurve(pts []sim.TmaxPoint) []TmaxPoint {
	if pts == nil {
		return nil
	}
	out := make([]TmaxPoint, len(pts))
	for i, p := range pts {
		out[i] = TmaxPoint{
			Name:              pointName(p.Tmax),
			TmaxMS:            p.Tmax.Milliseconds(),
			Revenue:           p.Revenue.Float(),
			RevenuePerAuction: num(p.RevenuePerAuction()),
			FillRate:          num(p.FillRate()),
			LateShare:         num(p.LateShare()),
			MeanClearingPrice: num(p.MeanClearingPrice()),
			Auctions:          p.Auctions,
			Filled:            p.Filled,
			Bids:              p.Bids,
			LateBids:          p.Late,
		}
		if p.Auctions > 0 {
			out[i].WaitMSMean, out[i].WaitMSP95 = num(p.WaitMean.Milliseconds()), num(p.WaitP95.Milliseconds())
		} else {
			out[i].WaitMSMean, out[i].WaitMSP95 = num(math.NaN()), num(math.NaN())
		}
		out[i].NetRevenuePerAuction = num(p.NetRevenuePerAuction())
	}
	return out
}

// pointName writes a deadline without a dot: whole milliseconds as
// "120ms", else whole microseconds or nanoseconds.
func pointName(t sim.Time) string {
	switch {
	case t%sim.Millisecond == 0:
		return strconv.FormatInt(int64(t/sim.Millisecond), 10) + "ms"
	case t%sim.Microsecond == 0:
		return strconv.FormatInt(int64(t/sim.Microsecond), 10) + "us"
	}
	return strconv.FormatInt(int64(t), 10) + "ns"
}
