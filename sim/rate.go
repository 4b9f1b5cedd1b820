package sim

import "math"

// Rate is the current mean ad-request rate: QPS × the daily shape's
// multiplier at the current instant (QPS without a shape). The header's
// qps figure under a daily shape.
func (e *Engine) Rate() float64 {
	if len(e.shape) == 0 {
		return e.qps * e.scale
	}
	return e.qps * e.scale * e.shapeAt(e.now)
}

// LastAuction returns the auction closed last, in full detail, as
// Snapshot's Recent holds it, without taking a snapshot: to stream
// auctions as they close, run one auction at a time and read each here.
// ok is false before any auction has closed.
func (e *Engine) LastAuction() (AuctionRecord, bool) {
	r := &e.recent
	if r.count == 0 || len(r.recs) == 0 {
		return AuctionRecord{}, false
	}
	k := (r.next - 1 + len(r.recs)) % len(r.recs)
	rec := r.recs[k]
	rec.Responses = append([]Response(nil), e.pool.responses(r.slots[k])...)
	rank(&rec, nil)
	return rec, true
}

// ArrivalTime is the virtual time by which n ad requests are expected to
// have arrived from the start of a run: the t that solves Λ(t) = n, where
// Λ(t) = ∫₀ᵗ QPS × shape(s) ds is the cumulative expected arrivals of the
// Poisson process the engine draws (QPS alone without a shape; the day
// starting at midnight, in the shape's parts). It is how long a run
// stopped at n auctions is expected to take: under a daily shape that is
// not n / MeanQPS unless n is a whole number of days' worth. It is 0
// without a positive n and rate, and at most MaxRunTime.
func (t Traffic) ArrivalTime(n float64) Time {
	if !(n > 0) || !(t.QPS > 0) {
		return 0
	}
	if len(t.Shape) == 0 {
		return clampRunTime(n / t.QPS * float64(Second))
	}
	rate := t.QPS / float64(Second) // per ns at multiplier 1
	parts := len(t.Shape)
	perDay := 0.0 // Λ(Day)
	for i, m := range t.Shape {
		perDay += rate * m * float64(partStartOf(i+1, parts)-partStartOf(i, parts))
	}
	if !(perDay > 0) {
		return MaxRunTime
	}
	// Whole days first, then the day's parts at each part's rate; a need
	// of exactly whole days ends in the last day's busy parts, not after
	// the idle ones that may close it.
	days := math.Floor(n / perDay)
	need := n - days*perDay
	if need <= 0 && days > 0 {
		days--
		need += perDay
	}
	if !(days*float64(Day) < float64(MaxRunTime)) {
		return MaxRunTime
	}
	x := 0.0 // ns into the last day
	for i, m := range t.Shape {
		r := rate * m
		end := float64(partStartOf(i+1, parts))
		if avail := (end - x) * r; r > 0 && avail >= need {
			x += need / r
			break
		} else if avail > 0 {
			need -= avail
		}
		x = end
	}
	return clampRunTime(days*float64(Day) + x)
}

// clampRunTime is ns as a Time, rounded down, at most MaxRunTime.
func clampRunTime(ns float64) Time {
	return Time(min(ns, float64(MaxRunTime)))
}
