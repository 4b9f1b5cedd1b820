package sim

import (
	"math"
	"slices"
)

// RecentWindow is the exchange's figures over the series' last
// RecentIntervals intervals (the one in progress included): what a room
// watching a live demo sees move within seconds of a change.
type RecentWindow struct {
	SeriesPoint      // summed over the window; Start is its start
	Span        Time // from Start to the snapshot's Now
}

// RecentWindow sums the series' last RecentIntervals intervals.
func (s *Snapshot) RecentWindow() RecentWindow {
	pts := s.Series.Points
	pts = pts[max(len(pts)-RecentIntervals, 0):]
	var w RecentWindow
	if len(pts) == 0 {
		return w
	}
	w.Start = pts[0].Start
	w.Span = s.Now - w.Start
	w.Bidders = make([]BidderPoint, len(s.Bidders))
	for k := range pts {
		p := &pts[k]
		w.SeriesPoint.add(p)
		for i, b := range p.Bidders {
			if i < len(w.Bidders) {
				w.Bidders[i].add(b)
			}
		}
	}
	return w
}

// RevenuePerSecond is the window's revenue per second of virtual time;
// NaN over an empty window.
func (w RecentWindow) RevenuePerSecond() float64 {
	if w.Span <= 0 {
		return math.NaN()
	}
	return w.Revenue.Float() / w.Span.Seconds()
}

// CurveAt is the point of a tmax curve at deadline t, if t is on its
// grid.
func CurveAt(curve []TmaxPoint, t Time) (TmaxPoint, bool) {
	for _, p := range curve {
		if p.Tmax == t {
			return p, true
		}
	}
	return TmaxPoint{}, false
}

// BestTmax is the index of a tmax curve's point with the most revenue
// (the shortest deadline of equal ones), or -1 when it has no revenue.
func BestTmax(curve []TmaxPoint) int {
	best := -1
	for i, p := range curve {
		if p.Revenue > 0 && (best < 0 || p.Revenue > curve[best].Revenue) {
			best = i
		}
	}
	return best
}

// TmaxCurveWindow is the tmax curve over the auctions s closed since an
// earlier snapshot of the same run whose curve was then (TmaxCurveSince),
// each point's wait p95 the recent curve's (its latest auctions): a
// percentile does not subtract, and the whole run's would lag a bidder
// that slows down. A then of another grid (or none) gives the whole
// run's curve, with the recent waits as well.
func (s *Snapshot) TmaxCurveWindow(then []TmaxPoint) []TmaxPoint {
	curve, recent := TmaxCurveSince(s.TmaxCurve, then), s.TmaxCurveRecent
	if len(recent) != len(curve) {
		return curve
	}
	// A copy: the curve may be the snapshot's own, which is shared.
	curve = slices.Clone(curve)
	for i := range curve {
		if recent[i].Tmax == curve[i].Tmax && recent[i].Auctions > 0 {
			curve[i].WaitP95 = recent[i].WaitP95
		}
	}
	return curve
}

// TmaxCurveSince is the tmax curve over the auctions closed between two
// snapshots of one run: now's points less then's, point by point. A then
// of another grid (or none), or with more auctions than now (the curve
// started afresh on the same grid since), gives now unchanged; a caller
// that keeps snapshots tells a restart apart by Snapshot.TmaxCurveFrom.
func TmaxCurveSince(now, then []TmaxPoint) []TmaxPoint {
	if len(then) != len(now) {
		return now
	}
	out := make([]TmaxPoint, len(now))
	for i, p := range now {
		q := then[i]
		if q.Tmax != p.Tmax || q.Auctions > p.Auctions {
			return now
		}
		out[i] = TmaxPoint{Tmax: p.Tmax, Auctions: p.Auctions - q.Auctions, Filled: p.Filled - q.Filled,
			Bids: p.Bids - q.Bids, Late: p.Late - q.Late, Revenue: p.Revenue - q.Revenue,
			NetRevenue: p.NetRevenue - q.NetRevenue,
			// The means are rounded to a nanosecond, so the window's is
			// within a few of the exact one; a percentile does not
			// subtract, so the window has now's.
			WaitP95: p.WaitP95,
		}
		if n := p.Auctions - q.Auctions; n > 0 {
			out[i].WaitMean = Time((float64(p.WaitMean)*float64(p.Auctions) - float64(q.WaitMean)*float64(q.Auctions)) / float64(n))
		}
	}
	return out
}
