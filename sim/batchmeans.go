package sim

import (
	"math"

	"github.com/auctionsim/auctionsim/sim/stats"
)

// TheoryMetric is one of the exchange's per-auction figures that the closed
// forms predict: what the dashboard's chart plots and sets beside theory.
type TheoryMetric uint8

// The metrics theory predicts.
const (
	// TheoryMeanPrice is the mean clearing price over filled auctions,
	// in CPM.
	TheoryMeanPrice TheoryMetric = iota
	// TheoryRevenuePerAuction is revenue per closed auction, unfilled
	// ones counting 0, in CPM: the figure Myerson's optimal reserve is
	// about.
	TheoryRevenuePerAuction
	// TheoryFillRate is the share of auctions with a winner.
	TheoryFillRate
)

// TheoryMetrics lists every TheoryMetric, in the order the dashboard
// cycles through them.
var TheoryMetrics = [...]TheoryMetric{TheoryMeanPrice, TheoryRevenuePerAuction, TheoryFillRate}

var metricNames = [...]string{"mean clearing price", "revenue per auction", "fill rate"}

// String names the metric ("revenue per auction").
func (m TheoryMetric) String() string {
	if int(m) < len(metricNames) {
		return metricNames[m]
	}
	return "unknown metric"
}

// Next is the metric after m, back to the first after the last.
func (m TheoryMetric) Next() TheoryMetric { return TheoryMetric((int(m) + 1) % len(TheoryMetrics)) }

// IsPrice reports whether the metric is a price in CPM (not a share).
func (m TheoryMetric) IsPrice() bool { return m != TheoryFillRate }

// Of is the metric over one series point: NaN when it does not apply
// there (no auction closed, or no sale for the mean price).
func (m TheoryMetric) Of(p SeriesPoint) float64 {
	switch m {
	case TheoryMeanPrice:
		return p.MeanPrice()
	case TheoryRevenuePerAuction:
		return p.RevenuePerAuction()
	case TheoryFillRate:
		return p.FillRate()
	}
	return math.NaN()
}

// OfAuction is the metric for one auction: 1 or 0 for filled or not, its
// price or 0 for revenue, its price for the mean price (with several
// slots, the sum of their prices per impression); NaN when it does
// not apply (the mean price of an auction that sold nothing).
func (m TheoryMetric) OfAuction(r AuctionRecord) float64 {
	filled := r.Winner >= 0
	switch {
	case m == TheoryFillRate && filled:
		return 1
	case m == TheoryFillRate, m == TheoryRevenuePerAuction && !filled:
		return 0
	case m == TheoryMeanPrice && !filled:
		return math.NaN()
	case m == TheoryMeanPrice, m == TheoryRevenuePerAuction:
		if r.Slots != nil {
			// Several slots: the auction's revenue is every slot's price
			// per impression, as the counters add it up.
			sum := Price(0)
			for _, sl := range r.Slots {
				sum += sl.Impression
			}
			return sum.CPM()
		}
		return r.Price.CPM()
	}
	return math.NaN()
}

// Total is the metric over the exchange's counters since the start.
func (m TheoryMetric) Total(x ExchangeStats) float64 {
	switch m {
	case TheoryMeanPrice:
		return x.MeanPrice()
	case TheoryRevenuePerAuction:
		return x.RevenuePerAuction()
	case TheoryFillRate:
		return x.FillRate()
	}
	return math.NaN()
}

// Expected is the closed form's value of the metric; NaN when t does not
// apply.
func (m TheoryMetric) Expected(t Theory) float64 {
	if !t.Applies {
		return math.NaN()
	}
	switch m {
	case TheoryMeanPrice:
		return t.MeanClearingPrice
	case TheoryRevenuePerAuction:
		return t.RevenuePerAuction
	case TheoryFillRate:
		return t.FillRate
	}
	return math.NaN()
}

// BatchMeans is a metric's estimate from batch means: each whole series
// interval since the world last changed is one batch, and the interval
// [Lo, Hi] is the 95% Student t interval of the mean of the batches'
// values. Batches of thousands of auctions are nearly independent even
// when consecutive auctions are not (queues, pacing), which is why the
// interval is honest where one from single auctions would be too narrow.
type BatchMeans struct {
	stats.Stat
	// From is the start of the first batch, To the end of the last: the
	// window the estimate covers. From ≥ the last change's instant plus a
	// deadline, so that no auction in it was fanned out before the
	// change.
	From, To Time
}

// BatchMeans estimates m over the world as it stands: the series'
// intervals that lie wholly after the last live change (or since the
// start), leaving out the interval in progress. An interval where the
// metric does not apply (no sale, for the mean price) is left out; with
// fewer than two batches the interval is unknown (NaN), and with none so
// is the mean.
//
// It is the simulated figure to set beside Theory(), which also describes
// the world since the last change. Each batch's value is the interval's
// own ratio (its revenue over its auctions, say), not a share of a pooled
// total: in the worlds the closed forms describe, auctions are independent
// of how many fall in an interval, so each interval's ratio has the
// expected value itself, and the batches are equally weighted.
func (s *Snapshot) BatchMeans(m TheoryMetric) BatchMeans {
	pts := s.Series.Points
	if n := len(pts); n > 0 && pts[n-1].Start+s.Series.Width > s.Now {
		pts = pts[:n-1] // in progress
	}
	from := Time(0)
	if n := len(s.Changes); n > 0 && s.Changes[n-1].Event > 0 {
		// An auction counts in the interval in which it closes, up to one
		// deadline after its fan-out; the deadline in force before the
		// change may have been the longer one. (Changes made before the
		// first event, as from a paused start, left nothing behind.)
		guard := s.Settings.Tmax
		for _, p := range pts {
			guard = max(guard, p.Tmax)
		}
		from = s.Changes[n-1].At + guard
	}
	var acc stats.Acc
	out := BatchMeans{From: -1}
	for _, p := range pts {
		if p.Start < from {
			continue
		}
		x := m.Of(p)
		if math.IsNaN(x) {
			continue
		}
		if out.From < 0 {
			out.From = p.Start
		}
		out.To = p.Start + s.Series.Width
		acc.Add(x)
	}
	if out.From < 0 {
		out.From, out.To = from, from
	}
	out.Stat = acc.Stat()
	return out
}

// Covers reports whether x lies within the interval (false when the
// interval is unknown).
func (b BatchMeans) Covers(x float64) bool { return x >= b.Lo && x <= b.Hi }
