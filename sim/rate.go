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
	return clampRunTime(t.arrivalNS(n))
}

// arrivalNS is ArrivalTime in ns, unbounded (+Inf: never), for n > 0
// and QPS > 0.
func (t Traffic) arrivalNS(n float64) float64 {
	if len(t.Shape) == 0 {
		return n / t.QPS * float64(Second)
	}
	rate := t.QPS / float64(Second) // per ns at multiplier 1
	parts := len(t.Shape)
	perDay := t.perDay()
	if !(perDay > 0) {
		return math.Inf(1)
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
		return math.Inf(1)
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
	return days*float64(Day) + x
}

// perDay is Λ(Day), a day's expected arrivals under the shape.
func (t Traffic) perDay() float64 {
	rate := t.QPS / float64(Second)
	parts := len(t.Shape)
	perDay := 0.0
	for i, m := range t.Shape {
		perDay += rate * m * float64(partStartOf(i+1, parts)-partStartOf(i, parts))
	}
	return perDay
}

// arrivals is Λ(x), the expected arrivals by x ns from the start (x ≥ 0,
// finite): arrivalNS's inverse.
func (t Traffic) arrivals(x float64) float64 {
	if len(t.Shape) == 0 {
		return x * t.QPS / float64(Second)
	}
	rate := t.QPS / float64(Second)
	parts := len(t.Shape)
	days := math.Floor(x / float64(Day))
	n := days * t.perDay()
	x -= days * float64(Day)
	for i, m := range t.Shape {
		from, end := float64(partStartOf(i, parts)), float64(partStartOf(i+1, parts))
		if x <= from {
			break
		}
		n += rate * m * (min(x, end) - from)
	}
	return n
}

// ScriptedArrivalTime is ArrivalTime under the rate changes of script
// (its SetQPS, in time order, the last of a step the one that holds):
// the t that solves Λ(t) = n where the rate is piecewise, QPS until the
// first change, each change's from its instant on, the daily shape over
// them all. A script that changes the rate only once n have arrived at
// QPS (or never) leaves ArrivalTime(n) exactly. It is how long a run
// with a script, stopped at n auctions, is expected to take.
func (t Traffic) ScriptedArrivalTime(n float64, script []Scheduled) Time {
	first := t.ArrivalTime(n)
	steps := qpsSteps(script)
	if first == 0 || len(steps) == 0 || first <= steps[0].At {
		return first
	}
	cur, from, need := t, 0.0, n
	for i := 0; i <= len(steps); i++ {
		end := math.Inf(1)
		if i < len(steps) {
			end = float64(steps[i].At)
		}
		if cur.QPS > 0 {
			// The piece from from to end, at cur's rate: Λ's arrivals
			// over it, and the instant within it the need is met.
			before := cur.arrivals(from)
			if i == len(steps) || cur.arrivals(end)-before >= need {
				return clampRunTime(max(cur.arrivalNS(before+need), from))
			}
			need -= cur.arrivals(end) - before
		}
		if i < len(steps) {
			from, cur.QPS = end, steps[i].QPS
		}
	}
	return MaxRunTime // the rate ends at 0, which a valid script cannot set
}

// qpsStep is a scripted rate change: QPS from At on.
type qpsStep struct {
	At  Time
	QPS float64
}

// qpsSteps is the script's rate changes in time order, one an instant
// (the last made there).
func qpsSteps(script []Scheduled) []qpsStep {
	var out []qpsStep
	for _, st := range script {
		for _, c := range st.Changes {
			q, ok := c.(SetQPS)
			if !ok {
				continue
			}
			if k := len(out) - 1; k >= 0 && out[k].At == st.At {
				out[k].QPS = q.QPS
			} else {
				out = append(out, qpsStep{At: st.At, QPS: q.QPS})
			}
		}
	}
	return out
}

// clampRunTime is ns as a Time, rounded down, at most MaxRunTime.
func clampRunTime(ns float64) Time {
	return Time(min(ns, float64(MaxRunTime)))
}
