package sim

import (
	"fmt"
	"math/bits"
)

// TmaxGrid is the set of candidate deadlines at which the tmax curve
// settles every closed auction: From, From+Step, … up to To. The zero
// value switches the curve off.
type TmaxGrid struct {
	From, To, Step Time
}

// DefaultTmaxCurve is the grid scenarios use unless they say otherwise:
// 20 ms to 400 ms in steps of 20 ms.
var DefaultTmaxCurve = TmaxGrid{From: 20 * Millisecond, To: 400 * Millisecond, Step: 20 * Millisecond}

// MaxTmaxPoints bounds the grid: each point costs memory and a little
// work per auction.
const MaxTmaxPoints = 1000

// MaxTmaxCurve bounds the grid's largest deadline: no page waits an hour.
const MaxTmaxCurve = Hour

// Off reports whether the grid switches the curve off.
func (g TmaxGrid) Off() bool { return g == TmaxGrid{} }

// Len is the number of candidate deadlines (0 when off).
func (g TmaxGrid) Len() int {
	if g.Off() || g.Step <= 0 || g.To < g.From {
		return 0
	}
	return int((g.To-g.From)/g.Step) + 1
}

// At is the k-th candidate deadline.
func (g TmaxGrid) At(k int) Time { return g.From + Time(k)*g.Step }

// String reads "20ms..400ms step 20ms", or "off".
func (g TmaxGrid) String() string {
	if g.Off() {
		return "off"
	}
	return fmt.Sprintf("%v..%v step %v", g.From, g.To, g.Step)
}

// validate checks the grid; field is its path ("exchange.tmax_curve").
func (g TmaxGrid) validate(field string) []error {
	if g.Off() {
		return nil
	}
	var errs []error
	bad := func(f, format string, args ...any) {
		errs = append(errs, &FieldError{Field: field + "." + f, Err: fmt.Errorf(format, args...)})
	}
	if g.From <= 0 {
		bad("from", "%v must be > 0", g.From)
	}
	if g.Step <= 0 {
		bad("step", "%v must be > 0", g.Step)
	}
	if g.To < g.From {
		bad("to", "%v must be ≥ from (%v)", g.To, g.From)
	}
	if g.To > MaxTmaxCurve {
		bad("to", "%v must be at most %v", g.To, MaxTmaxCurve)
	}
	if len(errs) == 0 && (g.To-g.From)/g.Step >= MaxTmaxPoints {
		bad("step", "%v gives %d points from %v to %v; at most %d", g.Step, (g.To-g.From)/g.Step+1, g.From, g.To, MaxTmaxPoints)
	}
	return errs
}

// TmaxPoint is what the run would have given, to the auction, had every
// auction closed at deadline Tmax. Every closed auction is settled again
// at each candidate deadline with the responses it actually got: their
// arrival times are known at the close, so nothing new is drawn. Where
// nothing feeds back on the deadline (no budgets, pacing or bidders that
// respect tmax) a point equals a separate run with that tmax, same seed;
// otherwise the bids are held as they were.
type TmaxPoint struct {
	Tmax     Time
	Auctions uint64 // auctions settled (every closed auction)
	Filled   uint64 // auctions that would have had a winner
	Bids     uint64 // bids, whatever their arrival
	Late     uint64 // bids that would have arrived after Tmax
	Revenue  Money  // what the winners would have paid
}

// FillRate is Filled / Auctions; NaN before any auction.
func (p TmaxPoint) FillRate() float64 { return ratio(p.Filled, p.Auctions) }

// LateShare is Late / Bids, as the exchange's timeout rate; NaN without bids.
func (p TmaxPoint) LateShare() float64 { return ratio(p.Late, p.Bids) }

// RevenuePerAuction is the revenue per auction in CPM; NaN before any auction.
func (p TmaxPoint) RevenuePerAuction() float64 {
	return meanCPM(p.Revenue, p.Auctions)
}

// MeanClearingPrice is the mean price over filled auctions in CPM; NaN
// when none would have filled.
func (p TmaxPoint) MeanClearingPrice() float64 {
	return meanCPM(p.Revenue, p.Filled)
}

// tmaxCurve accumulates the curve in difference form: each array holds, at
// index k, what changes between candidate deadline k−1 and k, so settling
// an auction costs a few steps per bid, not one per point; the snapshot
// adds them up. Index len(grid) stands for "never within the grid".
type tmaxCurve struct {
	grid     TmaxGrid
	k        int
	span     Time    // To − From
	stepF    float64 // Step
	auctions uint64
	at       []curveStep // k+1 long, or maskSlots for the masked path

	// The recent curve: at as it stood at the last two marks.
	prev, last                 []curveStep
	prevAuctions, lastAuctions uint64
	nextMark                   uint64

	buf []curveBid // scratch for grids of more than maskPoints points

	// Scratch for grids of up to maskPoints points: each point's top two
	// eligible bids and their count, and a bit per point that has any.
	top  [maskSlots]curveTop
	sink int // bids never on time, or below the floor, go here
}

// Grids of up to maskPoints points are settled with a bit mask instead of
// sorting: one bit per point and one for the sink (bids never on time or
// under the floor).
const (
	maskSlots  = 64
	maskPoints = maskSlots - 1
)

// curveTop is the top two eligible bids that first arrive in time at one
// point.
type curveTop struct {
	a, b Price
	n    int
}

// curveStep is what changes at one candidate deadline.
type curveStep struct {
	onTime  uint64 // bids that arrive in time from this point on
	fills   uint64 // auctions that fill from this point on
	revenue Money  // change of revenue at this point
}

// curveBid is an eligible bid (at or above the floor) and the first point
// at which it is on time.
type curveBid struct {
	k   int
	bid Price
}

func newTmaxCurve(g TmaxGrid, bidders int) *tmaxCurve {
	k := g.Len()
	if k == 0 {
		return nil
	}
	// The masked path reads at as a fixed-size array.
	steps := k + 1
	if k <= maskPoints {
		steps = maskSlots
	}
	return &tmaxCurve{
		grid:  g,
		k:     k,
		span:  g.At(k-1) - g.From,
		stepF: float64(g.Step),
		at:    make([]curveStep, steps),
		prev:  make([]curveStep, steps),
		last:  make([]curveStep, steps),
		// The first mark comes after the first window's auctions.
		nextMark: TmaxRecentAuctions,
		buf:      make([]curveBid, 0, bidders),
		sink:     k,
	}
}

// index is the first point whose deadline t meets (t ≤ deadline), or c.k.
func (c *tmaxCurve) index(t Time) int {
	// Clamped without branches: arrival order is random, so branches
	// here would be mispredicted often.
	return ceilDiv(min(max(t-c.grid.From, 0), c.span+1), c.grid.Step, 1/c.stepF)
}

// ceilDiv is ⌈d/step⌉ for 0 ≤ d ≤ MaxTmaxPoints·step, step ≤ MaxTmaxCurve,
// inv = 1/step, without a division or a branch. The product d·inv is
// within rounding of the quotient, far less than 1/step away, so its floor
// is the ceiling or one less, and one check corrects it.
func ceilDiv(d, step Time, inv float64) int {
	k := int(float64(d) * inv)
	return k + int(uint64(Time(k)*step-d)>>63)
}

// add settles auction a, whose responses are rs, at every candidate
// deadline: the bids in order of arrival are swept once, keeping the top
// two eligible bids, and the price changes where a bid joins.
func (c *tmaxCurve) add(a *auctionState, rs []Response) {
	if c.auctions >= c.nextMark {
		c.mark()
	}
	c.auctions++
	if c.k <= maskPoints {
		c.addMasked(a, rs)
		return
	}
	c.addSorted(a, rs)
}

// addMasked puts each bid into its point's bucket and visits the points
// that have any in order, by their bits: no sort, and few branches the
// processor cannot predict (arrival order, and a paced bid against the
// floor, are coin tosses to it). Fixed-size arrays indexed by
// k&(maskSlots−1) need no bounds checks.
func (c *tmaxCurve) addMasked(a *auctionState, rs []Response) {
	const slot = maskSlots - 1
	top := &c.top
	at := (*[maskSlots]curveStep)(c.at)
	from, last, step, inv := c.grid.From, c.span+1, c.grid.Step, 1/c.stepF
	floor, sink := a.floor, c.sink
	var mask uint64
	for i := range rs {
		r := &rs[i]
		if r.Status < Late { // not a bid
			continue
		}
		// The first point at or after the arrival.
		k := ceilDiv(min(max(r.Time-from, 0), last), step, inv) & slot
		at[k].onTime++
		// A bid under the floor takes part in no point: to the sink.
		// Prices are below 2⁶², so the difference cannot overflow.
		below := int(uint64(r.Bid-floor) >> 63)
		k = (k + below*(sink-k)) & slot
		t := &top[k]
		t.a, t.b = max(t.a, r.Bid), max(t.b, min(t.a, r.Bid))
		t.n++
		mask |= 1 << k
	}
	top[sink&slot] = curveTop{}
	mask &^= 1 << (sink & slot)
	if mask == 0 {
		return
	}
	// The auction fills from its first point with a bid on. Then each
	// point's price, as clear gives it without a branch: the buckets hold
	// only bids at or above the floor, and second is 0 while one bid is
	// in, so max(second, floor) is what clear bases a second price on.
	at[bits.TrailingZeros64(mask)&slot].fills++
	first, inc := a.auction == FirstPrice, a.increment
	var best, second, prev Price
	for mask != 0 {
		k := bits.TrailingZeros64(mask) & slot
		mask &= mask - 1
		t := top[k]
		top[k] = curveTop{}
		best, second = max(best, t.a), max(min(best, t.a), second, t.b)
		price := best
		if !first {
			price = min(max(second, floor)+inc, best)
		}
		at[k].revenue += price.Cost() - prev.Cost()
		prev = price
	}
}

// addSorted is add for large grids: the eligible bids are sorted by the
// point they arrive in time for.
func (c *tmaxCurve) addSorted(a *auctionState, rs []Response) {
	buf := c.buf[:0]
	for i := range rs {
		r := &rs[i]
		if r.Status < Late { // not a bid
			continue
		}
		k := c.index(r.Time)
		c.at[k].onTime++
		if r.Bid < a.floor || k == c.k {
			continue
		}
		// Insertion sort: a handful of bids, mostly in order already.
		j := len(buf)
		buf = append(buf, curveBid{})
		for j > 0 && buf[j-1].k > k {
			buf[j] = buf[j-1]
			j--
		}
		buf[j] = curveBid{k: k, bid: r.Bid}
	}
	c.buf = buf
	var best, second, prev Price
	n := 0
	for i := 0; i < len(buf); {
		k := buf[i].k
		st := &c.at[k]
		if n == 0 {
			st.fills++
		}
		for ; i < len(buf) && buf[i].k == k; i++ {
			n++
			if bid := buf[i].bid; bid > best {
				second, best = best, bid
			} else if bid > second {
				second = bid
			}
		}
		price, _ := clear(a, best, second, n)
		st.revenue += price.Cost() - prev.Cost()
		prev = price
	}
}

// snapshot adds the differences up into the curve's points.
func (c *tmaxCurve) snapshot() []TmaxPoint {
	if c == nil {
		return nil
	}
	return c.points(c.at, nil, c.auctions)
}

// recentSnapshot is the curve over the auctions since the mark before
// last: between TmaxRecentAuctions and twice that many, the latest.
func (c *tmaxCurve) recentSnapshot() []TmaxPoint {
	if c == nil {
		return nil
	}
	return c.points(c.at, c.prev, c.auctions-c.prevAuctions)
}

// points adds the differences up into the curve's points: of steps, less
// base (nil: nothing), over auctions auctions.
func (c *tmaxCurve) points(steps, base []curveStep, auctions uint64) []TmaxPoint {
	less := func(k int) curveStep {
		st := steps[k]
		if base != nil {
			st.onTime -= base[k].onTime
			st.fills -= base[k].fills
			st.revenue -= base[k].revenue
		}
		return st
	}
	bids := uint64(0)
	for k := range steps {
		bids += less(k).onTime
	}
	out := make([]TmaxPoint, c.k)
	var onTime, filled uint64
	var revenue Money
	for k := range out {
		st := less(k)
		onTime += st.onTime
		filled += st.fills
		revenue += st.revenue
		out[k] = TmaxPoint{
			Tmax: c.grid.At(k), Auctions: auctions, Filled: filled,
			Bids: bids, Late: bids - onTime, Revenue: revenue,
		}
	}
	return out
}

// TmaxRecentAuctions is the window of the recent tmax curve: it covers the
// latest TmaxRecentAuctions to 2×TmaxRecentAuctions auctions, so that it
// follows a bidder that slows down.
const TmaxRecentAuctions = 10_000

// mark starts a new window of the recent curve: the cumulative steps are
// kept as the base of the window after next. Once per TmaxRecentAuctions
// auctions, a copy of a few dozen steps.
func (c *tmaxCurve) mark() {
	c.prev, c.last = c.last, c.prev
	copy(c.last, c.at)
	c.prevAuctions, c.lastAuctions = c.lastAuctions, c.auctions
	c.nextMark = c.auctions + TmaxRecentAuctions
}

// tmaxCurveExact reports whether each point of the curve is what a run at
// that tmax would give: nothing has fed back on the deadline. A budget
// (from the start or set live) or a bidder that respects tmax makes the
// bids depend on it; the curve then holds the bids fixed.
func (e *Engine) tmaxCurveExact() bool {
	for i := range e.bidders {
		if b := &e.bidders[i]; b.budgeted || b.respects {
			return false
		}
	}
	for _, c := range e.log {
		if b, ok := c.Change.(SetBudget); ok && !b.Unlimited {
			return false
		}
	}
	return !e.curveHeld
}

// heldBids reports whether cfg starts with a budget or a bidder that
// respects tmax.
func heldBids(cfg Config) bool {
	for _, b := range cfg.Bidders {
		if b.Budget != nil || b.RespectsTmax {
			return true
		}
	}
	return false
}

// clone is an independent copy, for Engine.Clone.
func (c *tmaxCurve) clone() *tmaxCurve {
	if c == nil {
		return nil
	}
	d := *c
	d.at = append([]curveStep(nil), c.at...)
	d.prev = append([]curveStep(nil), c.prev...)
	d.last = append([]curveStep(nil), c.last...)
	d.buf = make([]curveBid, 0, cap(c.buf))
	return &d
}
