package sim

import (
	"fmt"
	"math"
)

// BidderTheory is one bidder's expectation per auction where the bidders
// bid shares of their values (truthful, everyone shading alike, or one
// bidder deviating): how often it wins, what it pays and what it keeps.
type BidderTheory struct {
	Name string
	// WinRate is the probability that it wins an auction.
	WinRate float64
	// Payment is its expected price per auction, in CPM, 0 when it loses.
	Payment float64
	// Surplus is its expected value less price per auction, in CPM.
	Surplus float64
}

// BidderTheory is each enabled bidder's win rate, payment and surplus per
// auction, integrated numerically over its value: with y = c_i·v its bid
// and M(y) = Π_{j≠i} Q_j(y) the probability that no rival bids above y
// (Q_j as in mixedRevenue), it wins with probability p_i·E[M(y)·1{y ≥ r}]
// and pays y (first price) or E[max(second, r)] = y·M(y) − ∫_r^y M(x) dx
// (second price). ok is false, with why, where the exchange's closed form
// does not apply or bids are not shares of values (the first-price
// equilibrium, whose bids are not linear).
func (in TheoryInput) BidderTheory() (out []BidderTheory, why string) {
	var on []*TheoryBidder
	for i := range in.Bidders {
		if in.Bidders[i].Enabled {
			on = append(on, &in.Bidders[i])
		}
	}
	if len(on) == 0 {
		return nil, ""
	}
	if why := in.breaks(on); why != "" {
		return nil, why
	}
	if in.Auction != FirstPrice && in.Increment != 0 {
		return nil, fmt.Sprintf("the increment is %g CPM: each bidder's payment is integrated here only for increment 0 (the exchange's revenue has its form)", in.Increment)
	}
	if _, eq, _, _ := in.bidding(on); eq {
		return nil, "the bidders bid the first-price equilibrium, not shares of their values: each bidder's share is the exchange's divided by n"
	}
	v := on[0].Value
	if !continuous(v) {
		return nil, fmt.Sprintf("values are %s: each bidder's expectation is integrated here only for continuous (uniform or exponential) values", v)
	}
	n := len(on)
	c, p := make([]float64, n), make([]float64, n)
	for i, b := range on {
		c[i], p[i] = shareOf(b.Strategy), b.present(&in)
	}
	for i, b := range on {
		w, pay, val := bidderIntegrals(v, in.Auction, c, p, i, in.Floor)
		out = append(out, BidderTheory{Name: b.Name, WinRate: w, Payment: pay, Surplus: val - pay})
	}
	return out, ""
}

// bidderIntegrals are bidder i's win probability, expected payment and
// expected value won per auction (see BidderTheory), by a Stieltjes sum
// over its value's law on a grid from r/c_i, where its bid reaches the
// floor, with ∫_r^y M accumulated along the same grid.
func bidderIntegrals(v Dist, auction AuctionType, c, p []float64, i int, r float64) (win, pay, value float64) {
	M := func(y float64) float64 { // no rival bids above y
		m := 1.0
		for j := range c {
			if j != i {
				m *= 1 - p[j] + p[j]*v.CDF(y/c[j])
			}
		}
		return m
	}
	lo := max(r, 0) / c[i]
	hi := max(lo, v.Mean(), 1e-9)
	for k := 0; k < 200 && v.CDF(hi) < 1-1e-13; k++ {
		hi *= 2
	}
	if v.Kind == DistUniform {
		hi = max(lo, v.B)
	}
	const steps = 1 << 13
	h := (hi - lo) / steps
	cum := 0.0 // ∫_r^y M(x) dx at the grid point's bid y
	prevF, prevM := v.CDF(lo), M(c[i]*lo)
	for k := range steps {
		x1 := lo + float64(k+1)*h
		y1 := c[i] * x1
		m1 := M(y1)
		f1 := v.CDF(x1)
		// At the interval's midpoint.
		xm := x1 - h/2
		ym := c[i] * xm
		mm := M(ym)
		cumMid := cum + (prevM+mm)/2*(c[i]*h/2)
		dF := f1 - prevF
		win += mm * dF
		value += xm * mm * dF
		if auction == FirstPrice {
			pay += ym * mm * dF
		} else {
			pay += (ym*mm - cumMid) * dF
		}
		cum += (prevM + 4*mm + m1) / 6 * (c[i] * h) // Simpson on the interval
		prevF, prevM = f1, m1
	}
	if math.IsNaN(win) {
		return math.NaN(), math.NaN(), math.NaN()
	}
	return p[i] * win, p[i] * pay, p[i] * value
}

// BidderTheoryOf is BidderTheory for a world as cfg describes it.
func BidderTheoryOf(cfg Config) ([]BidderTheory, string) { return NewTheoryInput(cfg).BidderTheory() }
