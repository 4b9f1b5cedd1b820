package sim

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// The independent form: bidders whose values are independent but not
// identically distributed (asymmetric bidders: a retargeter valuing the
// impression more than a prospector), or identically distributed by a law
// the i.i.d. closed forms do not cover (lognormal, normal, mixtures), or
// bidding different shares of their values with an increment. Bidder i
// takes part with probability p_i and then bids c_i × a value of law F_i,
// independently of the others, so with
//
//	Q_i(x) = 1 − p_i + p_i·F_i(x/c_i),
//
// the probability that it bids at most x or not at all, the top bid B is
// at most x with probability T(x) = Π Q_i(x), and the price, a function of
// B and the second bid S, has E[price] = ∫_0^∞ P(price > x) dx. With floor
// r the auction fills when B ≥ r, with probability 1 − Π Q_i(r⁻) (left
// limits: a bid at the floor sells), and the price is then at least r, so
//
//	E[price] = r·P(fill) + ∫_r^∞ P(price > x) dx.
//
// First price pays B: P(price > x) = 1 − T(x). Second price pays
// min(max(S, r) + δ, B) with increment δ: below r + δ the price passes x
// exactly when B does; from there on it also needs max(S, r) > x − δ, and
// B > x with S ≤ x − δ means exactly one bid above x and the rest at most
// x − δ:
//
//	P(price > x) = 1 − T(x) − Σ_i (1 − Q_i(x))·Π_{j≠i} Q_j(x − δ),   x ≥ r + δ.
//
// With δ = 0 that is P(S > x), the second price's usual tail. The integral
// is taken numerically, in pieces between the laws' atoms and kinks, so
// it holds for atoms (a bidder of constant value) as for densities. The
// first-price equilibrium of asymmetric bidders has no closed form
// (Maskin & Riley 2000): a bidder's bid there depends on the others' laws.

// bidLaw is one bidder's bid as the independent form sees it.
type bidLaw struct {
	v Dist    // its value's law, CPM
	c float64 // the share of its value it bids
	p float64 // the probability that it takes part: answered, on time
}

// q is P(bid ≤ x or no bid).
func (b bidLaw) q(x float64) float64 { return 1 - b.p + b.p*b.v.CDF(x/b.c) }

// qBelow is P(bid < x or no bid).
func (b bidLaw) qBelow(x float64) float64 { return 1 - b.p + b.p*b.v.below(x/b.c) }

// independentRevenue is the expected price per auction and the fill
// probability of a single item sold by auction (first or second price) to
// the bidders bs, floor r, increment inc (second price).
func independentRevenue(bs []bidLaw, auction AuctionType, r, inc float64) (rev, fill float64) {
	n := len(bs)
	r = max(r, 0)
	below := 1.0
	for _, b := range bs {
		below *= b.qBelow(r)
	}
	fill = 1 - below
	if n == 0 || fill <= 0 {
		return 0, max(fill, 0)
	}
	if auction != SecondPrice {
		inc = 0
	}
	qx, qy := make([]float64, n), make([]float64, n)
	suffix := make([]float64, n+1)
	tail := func(x float64) float64 { // P(price > x), x ≥ r
		top := 1.0
		for i, b := range bs {
			qx[i] = b.q(x)
			top *= qx[i]
		}
		g := 1 - top
		if auction != SecondPrice || x < r+inc {
			return g
		}
		y := x - inc
		for i, b := range bs {
			qy[i] = b.q(y)
		}
		// Σ_i (1 − Q_i(x))·Π_{j≠i} Q_j(y), with prefix and suffix
		// products (no division: a Q may be 0).
		suffix[n] = 1
		for i := n - 1; i >= 0; i-- {
			suffix[i] = suffix[i+1] * qy[i]
		}
		one, prefix := 0.0, 1.0
		for i := range bs {
			one += (1 - qx[i]) * prefix * suffix[i+1]
			prefix *= qy[i]
		}
		return max(g-one, 0)
	}
	hi := r
	var points []float64
	for _, b := range bs {
		if b.p <= 0 {
			continue
		}
		hi = max(hi, b.c*upperEnd(b.v))
		for _, k := range kinks(b.v) {
			points = append(points, b.c*k, b.c*k+inc)
		}
	}
	points = append(points, r+inc)
	mass := func(x float64) float64 { // P(some bid in (r, x])
		m := 0.0
		for _, b := range bs {
			m += b.q(x) - b.q(r)
		}
		return m
	}
	return r*fill + integratePieces(tail, r, hi, points, mass), fill
}

// upperEnd is a point above which d puts no mass, or less than 10⁻¹⁵.
func upperEnd(d Dist) float64 {
	switch {
	case d.Kind == DistNone:
		return 0
	case d.pointMass():
		return max(d.A, 0)
	case d.Kind == DistUniform:
		return max(d.B, 0)
	}
	x := max(d.Mean(), 1e-9)
	for i := 0; i < 200 && d.CDF(x) < 1-1e-15; i++ {
		x *= 2
	}
	return x
}

// kinks are the points where d's CDF jumps or bends: where a piecewise
// smooth integrand must be cut for Simpson's rule to stay exact to its
// order.
func kinks(d Dist) []float64 {
	switch d.Kind {
	case DistNone:
		return []float64{0}
	case DistConstant:
		return []float64{d.A}
	case DistUniform:
		return []float64{d.A, d.B}
	case DistNormal, DistExponential:
		return []float64{0} // the normal's atom at 0; the exponential's start
	case DistMixture:
		var ks []float64
		for _, p := range d.Parts {
			ks = append(ks, kinks(p.Dist)...)
		}
		return ks
	}
	return nil
}

// integratePieces integrates f over [lo, hi] by Simpson's rule in pieces:
// cut at the points inside, and at halvings of hi (cutsBetween, mass the
// laws' mass between lo and x), so that a long smooth tail (a
// lognormal's) is sampled densely where it bends and sparsely where it
// fades.
func integratePieces(f func(float64) float64, lo, hi float64, points []float64, mass func(float64) float64) float64 {
	if !(hi > lo) {
		return 0
	}
	cuts := cutsBetween(lo, hi, points, mass)
	sum := 0.0
	for i := 1; i < len(cuts); i++ {
		sum += simpsonPiece(f, cuts[i-1], cuts[i])
	}
	return sum
}

// minHalvings is how many halvings of the range's top cutsBetween adds
// at least (above lo); maxHalvings at most. Past minHalvings it halves
// only while the laws still put more than pieceMass between lo and the
// halving: one law's long tail sets hi (a lognormal's p99 a thousand
// times its median reaches 10¹⁰), and its own bulk, or a narrower
// law's, may lie far below hi/2¹⁶, where one piece of even steps would
// step over it (a first price's revenue read 758 for 83).
const (
	minHalvings = 16
	maxHalvings = 200
	pieceMass   = 1e-6
)

// cutsBetween is lo, hi and the points strictly between them, with the
// halvings of hi above lo (see minHalvings), sorted, each once. mass(x)
// is the probability that the laws integrated put between lo and x: the
// last piece, from lo, holds less than pieceMass of it.
func cutsBetween(lo, hi float64, points []float64, mass func(float64) float64) []float64 {
	cuts := []float64{lo, hi}
	for _, p := range points {
		if p > lo && p < hi {
			cuts = append(cuts, p)
		}
	}
	for x, k := hi/2, 0; x > lo && k < maxHalvings; x, k = x/2, k+1 {
		if k >= minHalvings && !(mass(x) > pieceMass) {
			break
		}
		cuts = append(cuts, x)
	}
	slices.Sort(cuts)
	return slices.Compact(cuts)
}

// simpsonPiece is Simpson's rule for f on [a, b] where f is smooth inside
// and right-continuous: at b it takes f's left limit, just below b, since
// an atom at b makes f jump there.
func simpsonPiece(f func(float64) float64, a, b float64) float64 {
	return simpsonEnds(f, a, b, 64, f(b-(b-a)*1e-9))
}

// independentTheory is the independent form for the enabled bidders on,
// each taking part with probability present[i].
func (in TheoryInput) independentTheory(on []*TheoryBidder, present []float64) Theory {
	return in.independentForm(on, present, in.independentFormula(on, present))
}

// independentForm is the independent form's theory for the enabled
// bidders on, each taking part with probability present[i], described by
// formula.
func (in TheoryInput) independentForm(on []*TheoryBidder, present []float64, formula string) Theory {
	rev, fill := in.memo.revenue(bidLaws(on, present), in.Auction, in.Floor, in.Increment)
	t := Theory{Applies: true, RevenuePerAuction: rev, FillRate: fill, MeanClearingPrice: math.NaN(), Formula: formula}
	if fill > 0 {
		t.MeanClearingPrice = rev / fill
	}
	return t
}

// bidLaws is the enabled bidders' bids as the independent form sees
// them, each taking part with probability present[i].
func bidLaws(on []*TheoryBidder, present []float64) []bidLaw {
	bs := make([]bidLaw, len(on))
	for i, b := range on {
		bs[i] = bidLaw{v: b.Value, c: shareOf(b.Strategy), p: present[i]}
	}
	return bs
}

// independentFormula describes the independent form for the dashboard
// and the JSON: who bids what, and the integral.
func (in TheoryInput) independentFormula(on []*TheoryBidder, present []float64) string {
	var sb strings.Builder
	who := make([]string, len(on))
	for i, b := range on {
		bid := "its value"
		if f := shareOf(b.Strategy); f != 1 {
			bid = fmt.Sprintf("%.4g × its value", f)
		}
		// Four figures: a lognormal given by mu and sigma has a median
		// of sixteen.
		law := b.Value.Format(func(x float64) string { return fmt.Sprintf("%.4g", x) })
		who[i] = fmt.Sprintf("%s bids %s, values %s", b.Name, bid, law)
	}
	auction := "second price"
	if in.Auction == FirstPrice {
		auction = "first price"
	}
	// What comes before the first ": " is the summary's heading: short.
	fmt.Fprintf(&sb, "%s, %d bidders with independent values, floor %g", auction, len(on), in.Floor)
	if in.Auction == FirstPrice {
		sb.WriteString(": r·(1 − ΠQ_i(r⁻)) + ∫_r^∞ (1 − ΠQ_i(x)) dx")
	} else if in.Increment == 0 {
		sb.WriteString(", increment 0: r·(1 − ΠQ_i(r⁻)) + ∫_r^∞ P(second > x) dx, the tail 1 − ΠQ_i(x) − Σ_i (1 − Q_i(x))·Π_{j≠i} Q_j(x)")
	} else {
		fmt.Fprintf(&sb, ", increment %g: r·(1 − ΠQ_i(r⁻)) + ∫_r^∞ P(min(max(second, r) + δ, top) > x) dx, the tail 1 − ΠQ_i(x) − Σ_i (1 − Q_i(x))·Π_{j≠i} Q_j(x − δ) from r + δ on", in.Increment)
	}
	sb.WriteString(", Q_i(x) = 1 − p_i + p_i·F_i(x/c_i) the probability that bidder i bids at most x or not at all (p_i its probability of taking part, c_i its share, F_i its values' law), integrated numerically; ")
	sb.WriteString(strings.Join(who, "; "))
	sb.WriteString(presence(on, present))
	return sb.String()
}
