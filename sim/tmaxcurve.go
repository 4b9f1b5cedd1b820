package sim

import (
	"fmt"
	"math"
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
func (p TmaxPoint) FillRate() float64 { return nanRatio(float64(p.Filled), p.Auctions) }

// LateShare is Late / Bids, as the exchange's timeout rate; NaN without bids.
func (p TmaxPoint) LateShare() float64 { return nanRatio(float64(p.Late), p.Bids) }

// RevenuePerAuction is the revenue per auction in CPM; NaN before any auction.
func (p TmaxPoint) RevenuePerAuction() float64 {
	return nanRatio(float64(p.Revenue)/float64(PriceUnit), p.Auctions)
}

// MeanClearingPrice is the mean price over filled auctions in CPM; NaN
// when none would have filled.
func (p TmaxPoint) MeanClearingPrice() float64 {
	return nanRatio(float64(p.Revenue)/float64(PriceUnit), p.Filled)
}

func nanRatio(a float64, n uint64) float64 {
	if n == 0 {
		return math.NaN()
	}
	return a / float64(n)
}

// tmaxCurve accumulates the curve in difference form: each array holds, at
// index k, what changes between candidate deadline k−1 and k, so settling
// an auction costs a few steps per bid, not one per point; the snapshot
// adds them up. Index len(grid) stands for "never within the grid".
type tmaxCurve struct {
	grid     TmaxGrid
	k        int
	auctions uint64
	bids     uint64
	onTime   []uint64 // bids that arrive in time from point k on
	fills    []uint64 // auctions that fill from point k on
	revenue  []Money  // change of revenue at point k
	buf      []curveBid
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
	return &tmaxCurve{
		grid:    g,
		k:       k,
		onTime:  make([]uint64, k+1),
		fills:   make([]uint64, k+1),
		revenue: make([]Money, k+1),
		buf:     make([]curveBid, 0, bidders),
	}
}

// index is the first point whose deadline t meets (t ≤ deadline), or c.k.
func (c *tmaxCurve) index(t Time) int {
	d := t - c.grid.From
	if d <= 0 {
		return 0
	}
	k := int((d + c.grid.Step - 1) / c.grid.Step)
	return min(k, c.k)
}

// add settles auction a, whose responses are rs, at every candidate
// deadline: the bids sorted by arrival are swept once, keeping the top two
// eligible bids, and the price changes where a bid joins.
func (c *tmaxCurve) add(a *auctionState, rs []Response) {
	c.auctions++
	buf := c.buf[:0]
	for i := range rs {
		r := &rs[i]
		if r.Status < Late { // not a bid
			continue
		}
		k := c.index(r.Time)
		c.onTime[k]++
		c.bids++
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
		if n == 0 {
			c.fills[k]++
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
		c.revenue[k] += price.Cost() - prev.Cost()
		prev = price
	}
}

// snapshot adds the differences up into the curve's points.
func (c *tmaxCurve) snapshot() []TmaxPoint {
	if c == nil {
		return nil
	}
	out := make([]TmaxPoint, c.k)
	var onTime, filled uint64
	var revenue Money
	for k := range out {
		onTime += c.onTime[k]
		filled += c.fills[k]
		revenue += c.revenue[k]
		out[k] = TmaxPoint{
			Tmax: c.grid.At(k), Auctions: c.auctions, Filled: filled,
			Bids: c.bids, Late: c.bids - onTime, Revenue: revenue,
		}
	}
	return out
}

// clone is an independent copy, for Engine.Clone.
func (c *tmaxCurve) clone() *tmaxCurve {
	if c == nil {
		return nil
	}
	d := *c
	d.onTime = append([]uint64(nil), c.onTime...)
	d.fills = append([]uint64(nil), c.fills...)
	d.revenue = append([]Money(nil), c.revenue...)
	d.buf = make([]curveBid, 0, cap(c.buf))
	return &d
}
