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
// (Q_j as in the independent form, theory_independent.go), it wins with probability p_i·E[M(y)·1{y ≥ r}]
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
	if len(in.Slots) > 1 {
		// The integrals below are one item's: with several slots they
		// would price the first slot alone.
		return nil, fmt.Sprintf("%d slots: each bidder's expectation is integrated here only for one item (the exchange's revenue has the slots' form)", len(in.Slots))
	}
	if in.Auction != FirstPrice && in.Increment != 0 {
		return nil, fmt.Sprintf("the increment is %g CPM: each bidder's payment is integrated here only for increment 0 (the exchange's revenue has its form)", in.Increment)
	}
	if _, eq, _, _ := in.bidding(on); eq {
		return nil, "the bidders bid the first-price equilibrium, not shares of their values: each bidder's share is the exchange's divided by n"
	}
	present := make([]float64, len(on))
	for i, b := range on {
		if !atomless(b.Value) {
			return nil, fmt.Sprintf("%s's values are %s: each bidder's expectation is integrated here only for values without atoms (uniform of some width, exponential, lognormal, normal, or mixtures of them), where ties have no chance", b.Name, b.Value)
		}
		present[i] = b.present(&in)
	}
	laws := bidLaws(on, present)
	for i, b := range on {
		w, pay, val := bidderIntegrals(laws, in.Auction, i, in.Floor)
		out = append(out, BidderTheory{Name: b.Name, WinRate: w, Payment: pay, Surplus: val - pay})
	}
	return out, ""
}

// bidderIntegrals are bidder i's win probability, expected payment and
// expected value won per auction (see BidderTheory), by a Stieltjes sum
// over its value's law on a grid from r/c_i, where its bid reaches the
// floor, with ∫_r^y M accumulated along the same grid.
func bidderIntegrals(laws []bidLaw, auction AuctionType, i int, r float64) (win, pay, value float64) {
	M := func(y float64) float64 { // no rival bids above y
		m := 1.0
		for j, l := range laws {
			if j != i {
				m *= l.q(y)
			}
		}
		return m
	}
	v, ci := laws[i].v, laws[i].c
	lo := max(r, 0) / ci
	hi := max(lo, upperEnd(v))
	// The grid in i's value: cut where its law or a rival's bends (a
	// rival's kink at bid y is at value y/c_i) and at halvings of hi, then
	// even steps within each piece, so a long tail is not sampled coarsely
	// where the mass is.
	points := kinks(v)
	for j, l := range laws {
		if j != i {
			for _, k := range kinks(l.v) {
				points = append(points, l.c*k/ci)
			}
		}
	}
	mass := func(x float64) float64 { // i's and its rivals' mass between lo and x, in i's value
		m := laws[i].v.CDF(x) - laws[i].v.CDF(lo)
		for j, l := range laws {
			if j != i {
				m += l.q(ci*x) - l.q(ci*lo)
			}
		}
		return m
	}
	cuts := cutsBetween(lo, hi, points, mass)
	const per = 1 << 11 // steps a piece
	cum := 0.0          // ∫_r^y M(x) dx at the grid point's bid y
	prevF, prevM := v.CDF(lo), M(ci*lo)
	for p := 1; p < len(cuts); p++ {
		a, h := cuts[p-1], (cuts[p]-cuts[p-1])/per
		for k := range per {
			x1 := a + float64(k+1)*h
			y1 := ci * x1
			m1 := M(y1)
			f1 := v.CDF(x1)
			// At the interval's midpoint.
			xm := x1 - h/2
			ym := ci * xm
			mm := M(ym)
			cumMid := cum + (prevM+mm)/2*(ci*h/2)
			dF := f1 - prevF
			win += mm * dF
			value += xm * mm * dF
			if auction == FirstPrice {
				pay += ym * mm * dF
			} else {
				pay += (ym*mm - cumMid) * dF
			}
			cum += (prevM + 4*mm + m1) / 6 * (ci * h) // Simpson on the interval
			prevF, prevM = f1, m1
		}
	}
	if math.IsNaN(win) {
		return math.NaN(), math.NaN(), math.NaN()
	}
	p := laws[i].p
	return p * win, p * pay, p * value
}

// atomless reports whether d puts no mass on any single value (a normal's
// fallback atom at 0, of at most Φ(−mean/sd)^64, counted as none when
// below 10⁻¹²).
func atomless(d Dist) bool {
	switch d.Kind {
	case DistUniform:
		return d.B > d.A
	case DistExponential:
		return d.A > 0
	case DistLogNormal:
		return d.B > 0
	case DistNormal:
		return d.B > 0 && math.Pow(stdNormalCDF(-d.A/d.B), normalRetries) < 1e-12
	case DistMixture:
		some := false
		for _, p := range d.Parts {
			if p.Weight > 0 {
				if !atomless(p.Dist) {
					return false
				}
				some = true
			}
		}
		return some
	}
	return false
}

// BidderTheoryOf is BidderTheory for a world as cfg describes it.
func BidderTheoryOf(cfg Config) ([]BidderTheory, string) { return NewTheoryInput(cfg).BidderTheory() }
