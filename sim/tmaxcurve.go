package sim

import (
	"fmt"
	"math/bits"
)

// TmaxGrid is the set of candidate deadlines at which the tmax curve
// settles every closed auction: From, From+Step, … up to To. The zero
// value switches the curve off. A grid that follows tmax (Follow) has its
// points from tmax instead (FollowGrid).
type TmaxGrid struct {
	From, To, Step Time
	// Follow: the grid is FollowGrid(tmax), and moves with a live change
	// of tmax; From, To and Step are unused.
	Follow bool
}

// DefaultTmaxCurve is the grid scenarios use unless they say otherwise:
// it follows tmax (FollowGrid).
var DefaultTmaxCurve = TmaxGrid{Follow: true}

// BaseTmaxCurve is the grid a scenario's partial tmax_curve fills in:
// 20 ms to 400 ms in steps of 20 ms.
var BaseTmaxCurve = TmaxGrid{From: 20 * Millisecond, To: 400 * Millisecond, Step: 20 * Millisecond}

// MaxFollowPoints is the most points a grid that follows tmax has.
const MaxFollowPoints = 40

// FollowGrid is the grid that follows tmax: from 20 ms to max(400 ms,
// 2 × tmax) (at most MaxTmaxCurve) in at most MaxFollowPoints points.
// Where a grid from 20 ms would miss a tmax of at least 20 ms, it starts
// up to a step later (before 20 ms + step), so that tmax is always one of
// its points. Its step is the least that keeps the grid so started within
// MaxFollowPoints: 20 ms where that is few enough, else the least multiple
// of 10 ms (tmax 1 s: 50, 100, …, 2000 ms in steps of 50 ms, not 40, 100,
// … in 60, nor 20, 90, … in 70). The last point is the first at or past
// the end.
func FollowGrid(tmax Time) TmaxGrid {
	const from, unit = 20 * Millisecond, 10 * Millisecond
	end := min(max(400*Millisecond, 2*tmax), MaxTmaxCurve)
	// A grid that starts before 20 ms + step spans more than end − 20 ms
	// − step, so no step under (end − 20 ms)/(MaxFollowPoints + 1) fits
	// (one more point for the last dropped past MaxTmaxCurve): the search
	// starts there, a few steps at most from the one it finds.
	step := max(20*Millisecond, (end-from)/(MaxFollowPoints+1)/unit*unit)
	for {
		if g := followGridStep(tmax, end, step); g.Len() <= MaxFollowPoints {
			return g
		}
		step += unit
	}
}

// followGridStep is the grid in steps of step that follows tmax up to
// end: from where it puts tmax on it (20 ms to 20 ms + step), so that the
// run's own deadline is always a point (a tmax of 350 ms on a 20 ms grid
// runs 30, 50, …, 350, …), to the first point at or past end, unless
// that is past MaxTmaxCurve.
func followGridStep(tmax, end, step Time) TmaxGrid {
	start := 20 * Millisecond
	if tmax > start {
		start += (tmax - start) % step
	}
	n := (end - start + step - 1) / step
	to := start + n*step
	if to > MaxTmaxCurve {
		to -= step
	}
	return TmaxGrid{From: start, To: to, Step: step}
}

// For is the grid for tmax: g itself, or FollowGrid(tmax) when g follows.
func (g TmaxGrid) For(tmax Time) TmaxGrid {
	if g.Follow {
		return FollowGrid(tmax)
	}
	return g
}

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

// Has reports whether t is one of the grid's deadlines.
func (g TmaxGrid) Has(t Time) bool {
	return g.Len() > 0 && t >= g.From && t <= g.To && (t-g.From)%g.Step == 0
}

// At is the k-th candidate deadline.
func (g TmaxGrid) At(k int) Time { return g.From + Time(k)*g.Step }

// String reads "20ms..400ms step 20ms", "off", or "follows tmax".
func (g TmaxGrid) String() string {
	switch {
	case g.Off():
		return "off"
	case g.Follow:
		return "follows tmax"
	}
	return fmt.Sprintf("%v..%v step %v", g.From, g.To, g.Step)
}

// validate checks the grid; field is its path ("exchange.tmax_curve").
func (g TmaxGrid) validate(field string) []error {
	if g.Off() || g.Follow {
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

	// What waiting would have cost at Tmax (see waiting.go): each
	// auction's wait, its mean and 95th percentile (as ExchangeStats.Wait
	// gives them: the percentile at most the longest wait, so never
	// above Tmax), and the revenue of the impressions people would not
	// have left (Revenue without Abandonment).
	WaitMean, WaitP95 Time
	NetRevenue        Money
}

// NetRevenuePerAuction is NetRevenue per auction in CPM; NaN before any
// auction.
func (p TmaxPoint) NetRevenuePerAuction() float64 { return meanCPM(p.NetRevenue, p.Auctions) }

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
	from     Time // when it (re)started: Snapshot.TmaxCurveFrom
	ab       Abandonment
	holdOpen bool // every auction waits its deadline
	// skip is the number of leading points at which the skip rule of
	// tmax_adjustments would call no bidder (TmaxAdjustments.skips); an
	// auction there waits the exchange's own processing, lead, or its
	// deadline if that comes first.
	skip int
	lead Time
	// unsent: an auction settled here was skipped, so its bids at longer
	// deadlines are unknown (tmaxCurveExact).
	unsent bool
	// cut is 0, or on the wire the least time the wire stopped waiting
	// for a call with no answer over the auctions settled (censor): the
	// points above it are unknown.
	cut Time
	// skipCut is 0, or, once an auction the skip rule left unsent is
	// settled, the deadline up to which that is known (censorSkip): the
	// points above it are unknown.
	skipCut  Time
	k        int
	span     Time    // To − From
	stepF    float64 // Step
	inv      float64 // 1/stepF
	auctions uint64
	at       []curveStep // k+1 long, or maskSlots for the masked path

	// The recent curve: at as it stood at the last two marks.
	prev, last                 []curveStep
	prevAuctions, lastAuctions uint64
	nextMark                   uint64

	// waits counts the auctions by the time of their last answer, in
	// HdrHistogram's layout (latencies), those at or past the grid's last
	// point in that point's counter: a wait at a point is the smaller of
	// the point and the last answer, so its percentiles follow from these
	// (waitPercentile). prevWaits and lastWaits are it at the marks.
	waits, prevWaits, lastWaits []uint64
	// maxAns is the latest last answer (never for an auction held open
	// or with a call never answered) over the auctions settled, maxSince
	// and maxLast those since the last mark and between the two marks:
	// the longest wait at a point t is min(t, maxAns), exactly, which
	// caps the percentiles (points).
	maxAns, maxSince, maxLast Time
	// wt is at's wait and net revenue, kept apart so that the steps the
	// bids' sweep touches stay small; prevWt and lastWt are it at the
	// marks.
	wt, prevWt, lastWt []curveWait

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
type curveTop struct{ a, b Price }

// curveStep is what changes at one candidate deadline.
type curveStep struct {
	onTime  uint64 // bids that arrive in time from this point on
	fills   uint64 // auctions that fill from this point on
	revenue Money  // change of revenue at this point
}

// curveWait is what changes in the wait and the net revenue at one
// candidate deadline.
type curveWait struct {
	// early counts the auctions whose last answer comes in time from
	// this point on, and earlySum adds up those answers' times: at a
	// point the others wait the point's deadline.
	early    uint64
	earlySum waitSum
	net      Money // change of net revenue (with Abandonment on)
}

// curveBid is an eligible bid (at or above the floor) and the first point
// at which it is on time.
type curveBid struct {
	k   int
	bid Price
}

func newTmaxCurve(g TmaxGrid, bidders int, ab Abandonment, holdOpen bool, adj TmaxAdjustments) *tmaxCurve {
	k := g.Len()
	if k == 0 {
		return nil
	}
	skip := 0
	for skip < k && adj.skips(g.At(skip)) { // told grows with tmax
		skip++
	}
	slots := index(waitMicros(g.At(k-1))) + 1
	// The masked path reads at as a fixed-size array.
	steps := k + 1
	if k <= maskPoints {
		steps = maskSlots
	}
	return &tmaxCurve{
		grid:      g,
		ab:        ab,
		holdOpen:  holdOpen,
		skip:      skip,
		lead:      adj.RequestProcessing,
		waits:     make([]uint64, slots),
		wt:        make([]curveWait, steps),
		prevWt:    make([]curveWait, steps),
		lastWt:    make([]curveWait, steps),
		prevWaits: make([]uint64, slots),
		lastWaits: make([]uint64, slots),
		k:         k,
		span:      g.At(k-1) - g.From,
		stepF:     float64(g.Step),
		inv:       1 / float64(g.Step),
		at:        make([]curveStep, steps),
		prev:      make([]curveStep, steps),
		last:      make([]curveStep, steps),
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
	return ceilDiv(min(max(t-c.grid.From, 0), c.span+1), c.grid.Step, c.inv)
}

// ceilDiv is ⌈d/step⌉ for 0 ≤ d ≤ MaxTmaxPoints·step, step ≤ MaxTmaxCurve,
// inv = 1/step, without a division or a branch. The product d·inv is
// within rounding of the quotient, far less than 1/step away, so its floor
// is the ceiling or one less, and one check corrects it.
func ceilDiv(d, step Time, inv float64) int {
	k := int(float64(d) * inv)
	return k + int(uint64(Time(k)*step-d)>>63)
}

// start begins settling auction a at every candidate deadline: its count,
// its wait, and the first point at which its person has left (left). The
// bids in order of arrival are then swept once, keeping the top two
// eligible bids, and the price changes where a bid joins. For grids of up
// to maskPoints points (masked), the close calls bucket and then sweep;
// for larger grids it calls addSorted.
func (c *tmaxCurve) start(a *auctionState) (left int, masked bool) {
	if c.auctions >= c.nextMark {
		c.mark()
	}
	c.auctions++
	if a.unsent {
		c.unsent = true
		if a.keptBack {
			c.censorSkip(a.tmax)
		}
	}
	// The wait at a point is the smaller of its deadline and the last
	// answer: in time from point j on, the deadline before it.
	ans := a.answered
	if c.holdOpen {
		ans = never
	}
	if j := c.index(ans); j < c.k {
		st := &c.wt[j]
		st.early++
		st.earlySum.add(ans)
	}
	c.waits[min(index(waitMicros(ans)), len(c.waits)-1)]++
	c.maxAns, c.maxSince = max(c.maxAns, ans), max(c.maxSince, ans)
	left = c.k // the first point at which the person has left
	if c.ab.On() {
		left = c.leftAt(ans, a.stay)
	}
	return left, c.k <= maskPoints
}

// leftAt is the first point at which the person whose draw is u has left,
// the last answer coming at ans: waits grow with the deadline, so a
// bisection finds it (c.k: at none).
func (c *tmaxCurve) leftAt(ans Time, u float64) int {
	lo, hi := 0, c.k
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if c.ab.leaves(min(c.grid.At(mid), ans), u) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// waitMicros is a wait in whole microseconds as a latency histogram
// records it.
func waitMicros(t Time) int64 {
	return min(max(int64(t/Microsecond), histLowest), histHighest)
}

// bucket puts each bid of rs (Status ≥ Late) into the bucket of the first
// point it is on time for, or the sink's when it is under the floor,
// keeping each bucket's top two, and returns a bit per bucket with any.
// Without branches but the status: arrival order, and a paced bid
// against the floor, are coin tosses to the processor. Fixed-size arrays
// indexed by k&(maskSlots−1) need no bounds checks.
func (c *tmaxCurve) bucket(a *auctionState, rs []Response) uint64 {
	const slot = maskSlots - 1
	at := (*[maskSlots]curveStep)(c.at)
	from, span, step, inv, sink, floor := c.grid.From, c.span+1, c.grid.Step, c.inv, c.sink, a.floor
	var mask uint64
	for i := range rs {
		r := &rs[i]
		if r.Status < Late {
			continue
		}
		k := ceilDiv(min(max(r.Time-from, 0), span), step, inv) & slot
		at[k].onTime++
		below := int(uint64(r.Bid-floor) >> 63)
		k = (k + below*(sink-k)) & slot
		t := &c.top[k]
		t.a, t.b = max(t.a, r.Bid), max(t.b, min(t.a, r.Bid))
		mask |= 1 << k
	}
	return mask
}

// sweep settles an auction whose bids the close has put into their points'
// buckets (mask: a bit per bucket with any, a bid under the floor in the
// sink's): it visits the points that have any in order, by their bits: no
// sort, and few branches the processor cannot predict (arrival order, and
// a paced bid against the floor, are coin tosses to it). Fixed-size arrays
// indexed by k&(maskSlots−1) need no bounds checks.
func (c *tmaxCurve) sweep(a *auctionState, mask uint64, left int) {
	const slot = maskSlots - 1
	top := &c.top
	at := (*[maskSlots]curveStep)(c.at)
	wt := (*[maskSlots]curveWait)(c.wt)
	floor, sink := a.floor, c.sink
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
	abandon := c.ab.On()
	var best, second, prev, kept Price
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
		if abandon && k < left {
			wt[k].net += price.Cost() - kept.Cost()
			kept = price
		}
	}
	if abandon {
		wt[left&slot].net -= kept.Cost() // from here on the person has left
	}
}

// addSorted is add for large grids: the eligible bids are sorted by the
// point they arrive in time for.
func (c *tmaxCurve) addSorted(a *auctionState, rs []Response, left int) {
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
	abandon := c.ab.On()
	var best, second, prev, kept Price
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
		if abandon && k < left {
			c.wt[k].net += price.Cost() - kept.Cost()
			kept = price
		}
	}
	if abandon {
		c.wt[left].net -= kept.Cost()
	}
}

// censor says that an auction settled now had a call on the wire with no
// answer by t (from fan-out), when the wire stopped waiting for it (the
// deadline it enforced, or the end of the late grace): it is late at
// every point up to t, but when it would have arrived is unknown, so the
// curve reports only the points at or below the least such t.
func (c *tmaxCurve) censor(t Time) { c.cut = lowerCut(c.cut, t) }

// lowerCut is the censoring deadline cut lowered to t: the lesser, 0
// meaning "nothing censored" (a cut at 0 is kept as 1).
func lowerCut(cut, t Time) Time {
	if cut == 0 || t < cut {
		return max(t, 1)
	}
	return cut
}

// censorSkip says that an auction settled now, at deadline tmax, was one
// the skip rule left unsent: it drew no bids, so what it would have got
// where the rule does not apply is unknown. Where the rule applies it is
// known, and the same for every auction: none sends a bid request (the
// first c.skip points, skipped). So the curve reports only the points up
// to the last of those, or, when the grid has none, none: up to tmax,
// below the grid's first point.
func (c *tmaxCurve) censorSkip(tmax Time) {
	t := tmax
	if c.skip > 0 {
		t = c.grid.At(c.skip - 1)
	}
	c.skipCut = lowerCut(c.skipCut, t)
}

// censoredBy is the deadline above which the curve is unknown, the lower
// of the wire's and the skip rule's, and what censored it there (both
// when they are the same): 0 and 0 without a curve, or when no point of
// the grid lies above it.
func (c *tmaxCurve) censoredBy() (Time, CurveCensor) {
	if c == nil {
		return 0, 0
	}
	t, by := c.cut, CensoredOnTheWire
	switch {
	case c.skipCut == 0:
	case t == 0 || c.skipCut < t:
		t, by = c.skipCut, CensoredBySkipRule
	case c.skipCut == t:
		by |= CensoredBySkipRule
	}
	if t == 0 || c.grid.At(c.k-1) <= t {
		return 0, 0
	}
	return t, by
}

// censoredAbove is the deadline above which the curve is unknown: 0
// without a curve, or when no point of the grid lies above it.
func (c *tmaxCurve) censoredAbove() Time {
	t, _ := c.censoredBy()
	return t
}

// CurveCensor is what left a tmax curve settled only up to a deadline
// (Snapshot.TmaxCurveCensoredBy); its bits combine when both stop it at
// the same deadline.
type CurveCensor uint8

const (
	// CensoredOnTheWire: a call on the wire got no answer by the time the
	// wire stopped waiting for it, and when it would have arrived is
	// unknown.
	CensoredOnTheWire CurveCensor = 1 << iota
	// CensoredBySkipRule: the skip rule of tmax_adjustments sent no bid
	// request (the told deadline below bidder_response_min), so what the
	// auction would have got at a tmax where the rule does not apply is
	// unknown.
	CensoredBySkipRule
)

// settled is pts without the points above the censored deadline (pts
// itself when nothing is censored): not nil, so that a curve with every
// point unknown reads as one that is on.
func (c *tmaxCurve) settled(pts []TmaxPoint) []TmaxPoint {
	above := c.censoredAbove()
	if above == 0 {
		return pts
	}
	n := 0
	for n < len(pts) && pts[n].Tmax <= above {
		n++
	}
	return pts[:n:n]
}

// snapshot adds the differences up into the curve's points.
func (c *tmaxCurve) snapshot() []TmaxPoint {
	if c == nil {
		return nil
	}
	return c.settled(c.points(c.at, nil, c.wt, nil, c.waits, nil, c.auctions, c.maxAns))
}

// recentSnapshot is the curve over the auctions since the mark before
// last: between TmaxRecentAuctions and twice that many, the latest.
func (c *tmaxCurve) recentSnapshot() []TmaxPoint {
	if c == nil {
		return nil
	}
	return c.settled(c.points(c.at, c.prev, c.wt, c.prevWt, c.waits, c.prevWaits, c.auctions-c.prevAuctions, max(c.maxLast, c.maxSince)))
}

// points adds the differences up into the curve's points: of steps and
// wt and waits, less base, baseWt and baseWaits (nil: nothing), over
// auctions auctions whose latest last answer came at maxAns.
func (c *tmaxCurve) points(steps, base []curveStep, wt, baseWt []curveWait, waits, baseWaits []uint64, auctions uint64, maxAns Time) []TmaxPoint {
	less := func(k int) curveStep {
		st := steps[k]
		if base != nil {
			b := &base[k]
			st.onTime -= b.onTime
			st.fills -= b.fills
			st.revenue -= b.revenue
		}
		return st
	}
	lessWait := func(k int) curveWait {
		st := wt[k]
		if baseWt != nil {
			b := &baseWt[k]
			st.net -= b.net
			st.early -= b.early
			st.earlySum.sub(b.earlySum)
		}
		return st
	}
	q := waitQuantile(waits, baseWaits, auctions, 95)
	bids := uint64(0)
	for k := range steps {
		bids += less(k).onTime
	}
	out := make([]TmaxPoint, c.k)
	var onTime, filled, early uint64
	var revenue, net Money
	var sum waitSum
	for k := range out {
		st := less(k)
		onTime += st.onTime
		filled += st.fills
		revenue += st.revenue
		sw := lessWait(k)
		net += sw.net
		early += sw.early
		sum.addSum(sw.earlySum)
		t := c.grid.At(k)
		w := sum
		w.addMul(t, auctions-early) // the rest wait the deadline
		p := &out[k]
		*p = TmaxPoint{
			Tmax: t, Auctions: auctions, Filled: filled,
			Bids: bids, Late: bids - onTime, Revenue: revenue, NetRevenue: net,
			WaitMean: w.mean(auctions),
		}
		if !c.ab.On() {
			p.NetRevenue = revenue
		}
		if auctions > 0 {
			// No wait at t is longer than min(t, maxAns), which the
			// top of the percentile's bucket can pass: a run at t
			// caps its figures at that longest wait too.
			p.WaitP95 = min(percentileTime(min(q, index(waitMicros(t)))), t, maxAns)
		}
		if k < c.skip {
			c.skipped(p)
		}
	}
	return out
}

// skipped makes p what a run at its tmax gives when the skip rule calls
// no bidder: no bids, and every auction closes once the exchange has done
// its own processing (at the deadline if that comes first, or always when
// auctions are held open).
func (c *tmaxCurve) skipped(p *TmaxPoint) {
	w := c.lead
	if c.holdOpen || w >= p.Tmax {
		w = p.Tmax
	}
	*p = TmaxPoint{Tmax: p.Tmax, Auctions: p.Auctions}
	if p.Auctions > 0 {
		p.WaitMean = w
		// Every auction waits w: capped there, as a run at p.Tmax caps
		// its figures at its longest wait.
		p.WaitP95 = min(percentileTime(index(waitMicros(w))), w)
	}
}

// waitQuantile is the counter index at which HdrHistogram's
// ValueAtQuantile(q) stops over counts less base (nil: nothing), n in
// all: the first whose running count reaches q% of n, rounded.
func waitQuantile(counts, base []uint64, n uint64, q float64) int {
	need := uint64(int64(((q / 100) * float64(n)) + 0.5))
	var run uint64
	for i, c := range counts {
		if base != nil {
			c -= base[i]
		}
		run += c
		if run >= need {
			return i
		}
	}
	return len(counts) - 1
}

// percentileTime is the time HdrHistogram reports for a percentile that
// stops at counter i: the highest value the counter holds, as
// summarise converts it.
func percentileTime(i int) Time {
	return Time(min(value(i+1)-1, histHighest)) * Microsecond
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
	c.prevWaits, c.lastWaits = c.lastWaits, c.prevWaits
	copy(c.lastWaits, c.waits)
	c.prevWt, c.lastWt = c.lastWt, c.prevWt
	copy(c.lastWt, c.wt)
	c.prevAuctions, c.lastAuctions = c.lastAuctions, c.auctions
	c.maxLast, c.maxSince = c.maxSince, 0
	c.nextMark = c.auctions + TmaxRecentAuctions
}

// tmaxCurveExact reports whether each point of the curve is what a run at
// that tmax would give: nothing has fed back on the deadline. A budget
// (from the start or set live) or a bidder that respects tmax makes the
// bids depend on it; the curve then holds the bids fixed. An auction the
// skip rule left unsent drew no bids, so the curve cannot know what it
// would have got at a longer deadline (and stops where the rule does:
// censorSkip).
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
	return !e.curveHeld && (e.curve == nil || !e.curve.unsent)
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
	d.waits = append([]uint64(nil), c.waits...)
	d.wt = append([]curveWait(nil), c.wt...)
	d.prevWt = append([]curveWait(nil), c.prevWt...)
	d.lastWt = append([]curveWait(nil), c.lastWt...)
	d.prevWaits = append([]uint64(nil), c.prevWaits...)
	d.lastWaits = append([]uint64(nil), c.lastWaits...)
	d.buf = make([]curveBid, 0, cap(c.buf))
	return &d
}
