package sim

import "math"

// eqGrid is how many points tabulate a numeric equilibrium bid function:
// linear interpolation between them is well inside a micro-CPM's rounding
// for smooth value laws.
const eqGrid = 8192

// eqGridCoarse is the grid of a counterfactual's bid function
// (counterfactual.go): every bidder of a large world may need one, and it
// prices a comparison, not bids.
const eqGridCoarse = 512

// eqBids is a bidder's symmetric first-price equilibrium bid function for
// its value law F, n bidders and floor r (CPM):
// β(v) = v − ∫ᵣᵛ F(x)ⁿ⁻¹dx / F(v)ⁿ⁻¹ for v ≥ r. It is computed when one of
// them changes, never per auction: uniform values in closed form, every
// other law tabulated once per change.
type eqBids struct {
	set   bool
	value Dist
	n     int
	floor float64
	first bool

	lo, step float64   // the table's first point and spacing
	table    []float64 // β at lo + i·step; nil: closed form or truthful
	// coarse tabulates on eqGridCoarse points: for a counterfactual, which
	// every bidder may need, rather than for bids.
	coarse bool
}

// update brings the bid function up to date; it does nothing when value,
// n, floor and the auction are what it was computed for.
func (q *eqBids) update(value Dist, n int, floor float64, first bool) {
	if q.set && sameDist(q.value, value) && q.n == n && q.floor == floor && q.first == first {
		return
	}
	q.set, q.value, q.n, q.floor, q.first = true, value, n, floor, first
	// A fresh table, never the old one's array: a forked engine's
	// bidders share it until one of them changes.
	q.table = nil
	if !first || n <= 1 || eqClosedForm(value) {
		return
	}
	// ∫ F^(n−1) from r by the trapezoid rule on [lo, hi], hi where F is
	// 1 to within 1e-7 (beyond it β is flat: the integrand is 1).
	lo := max(floor, 0)
	hi := max(lo, value.Mean(), 1e-9)
	for i := 0; i < 200 && value.CDF(hi) < 1-1e-7; i++ {
		hi *= 2
	}
	grid := eqGrid
	if q.coarse {
		grid = eqGridCoarse
	}
	q.lo, q.step = lo, (hi-lo)/float64(grid-1)
	q.table = make([]float64, 0, grid)
	pow := func(x float64) float64 { return math.Pow(value.CDF(x), float64(n-1)) }
	integral, prev := 0.0, pow(lo)
	for i := range grid {
		x := lo + float64(i)*q.step
		g := pow(x)
		if i > 0 {
			integral += (prev + g) / 2 * q.step
		}
		prev = g
		b := x // F(x) = 0: nobody else bids, the floor (x at the floor) wins
		if g > 0 {
			b = x - integral/g
		}
		q.table = append(q.table, max(b, lo))
	}
}

// eqClosedForm reports whether β has a closed form for values of law v.
func eqClosedForm(v Dist) bool { return v.Kind == DistUniform || v.Kind == DistConstant }

// bid is β(v) in CPM. A value below the floor bids itself, a bid the floor
// rejects (the equilibrium places none). In second price it is v: truthful.
func (q *eqBids) bid(v float64) float64 {
	r := q.floor
	if !q.first || v < r {
		return v
	}
	if q.n <= 1 {
		return r // alone, the lowest bid that wins
	}
	val := q.value
	switch {
	case val.pointMass():
		// Every rival has the same value: competition bids it away.
		return v
	case val.Kind == DistUniform:
		// t = F(x) = (x − a)/w: ∫ᵣᵛ F^(n−1) dx = w·(t_vⁿ − t_rⁿ)/n.
		a, w := val.A, val.B-val.A
		fn := float64(q.n)
		tv, tr := clamp01((v-a)/w), clamp01((r-a)/w)
		if tv <= 0 {
			return v
		}
		return max(v-w*(math.Pow(tv, fn)-math.Pow(tr, fn))/(fn*math.Pow(tv, fn-1)), r)
	}
	if len(q.table) == 0 {
		return v
	}
	pos := (v - q.lo) / q.step
	if pos >= float64(len(q.table)-1) {
		return q.table[len(q.table)-1]
	}
	i := int(pos)
	f := pos - float64(i)
	return q.table[i]*(1-f) + q.table[i+1]*f
}

// EquilibriumBid is the symmetric first-price equilibrium bid (CPM) for a
// value v when n bidders draw their values from value and the floor is
// floor (CPM); in second price it is v. Programs that run auctions of
// their own call it so that their equilibrium bidders bid as the engine's.
func EquilibriumBid(value Dist, n int, floor float64, first bool, v float64) float64 {
	var q eqBids
	q.update(value, n, floor, first)
	return q.bid(v)
}

// movesEquilibrium reports whether c can move an equilibrium bid
// function: what it depends on is the value laws, the number of enabled
// bidders, the floor, the auction type and which bidders bid it. A change
// not known to leave them alone counts as moving them.
func movesEquilibrium(c Change) bool {
	switch c.(type) {
	case SetTmax, SetIncrement, SetQPS, ScaleLatency, SetLatency, SetBudget, SetDaily, SetPacing, SetAbandonment, MoveBudget:
		return false
	}
	return true
}

// refreshEquilibrium brings every equilibrium bidder's bid function up to
// date with the enabled bidders, the floor and the auction type: after
// each change, not per auction.
func (e *Engine) refreshEquilibrium() {
	n := 0
	for i := range e.bidders {
		if e.bidders[i].enabled {
			n++
		}
	}
	e.enabledN = n // the counterfactual's β (counterfactual.go) is brought up to date when needed
	for i := range e.bidders {
		if b := &e.bidders[i]; b.strategy.Kind == Equilibrium {
			b.eq.update(b.value, n, e.floor.CPM(), e.auction == FirstPrice)
		}
	}
}
