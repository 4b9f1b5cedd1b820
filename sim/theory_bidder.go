package sim

import (
	"fmt"
	"math"
	"sync"
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
// auction. Where the bidders bid shares of their values (atomless, one
// item) it is integrated numerically over each one's value: with y = c_i·v its bid
// and M(y) = Π_{j≠i} Q_j(y) the probability that no rival bids above y
// (Q_j as in the independent form, theory_independent.go), it wins with probability p_i·E[M(y)·1{y ≥ r}]
// and pays y (first price) or E[min(max(second, r) + δ, y)] (second
// price, increment δ; see bidderTable). With several slots, values with
// atoms, or the first-price equilibrium (bids not linear in values) it
// is the exchange's closed form shared equally, where the bidders are
// symmetric (symmetricBidders). why says, where out is nil, what keeps
// each bidder's form from applying.
func (in TheoryInput) BidderTheory() (out []BidderTheory, why string) {
	if in.Auction.Slotted() && len(in.Slots) <= 1 {
		in.Auction = SecondPrice // GSP and VCG of one item are second price, as Theory has it
	}
	in = in.equilibriumAsShares()
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
	present := make([]float64, len(on))
	for i, b := range on {
		present[i] = b.present(&in)
	}
	// Where the integrals below do not reach (several slots, the
	// first-price equilibrium, values with atoms), symmetric bidders
	// still share the exchange's closed form equally.
	why = ""
	if len(in.Slots) > 1 {
		// The integrals below are one item's: with several slots they
		// would price the first slot alone.
		why = fmt.Sprintf("%d slots: each bidder's expectation is integrated here only for one item, or, where the bidders are symmetric (one law of values, one strategy, one chance of taking part), is the slots' totals divided by n", len(in.Slots))
	} else if _, eq, _, _ := in.bidding(on); eq {
		why = "the bidders bid the first-price equilibrium, not shares of their values: each bidder's share is the exchange's divided by n only where they are symmetric (one law of values, one chance of taking part)"
	} else {
		for _, b := range on {
			if !atomless(b.Value) {
				why = fmt.Sprintf("%s's values are %s: each bidder's expectation is integrated here only for values without atoms (uniform of some width, exponential, lognormal, normal, or mixtures of them), where ties have no chance, or, where the bidders are symmetric, is the exchange's divided by n", b.Name, b.Value)
				break
			}
		}
	}
	if why != "" {
		if out, ok := in.symmetricBidders(on, present); ok {
			return out, ""
		}
		return nil, why
	}
	inc := in.Increment
	if in.Auction == FirstPrice {
		inc = 0 // first price has none
	}
	figs := in.memo.table(bidLaws(on, present), in.Auction, in.Floor, inc)
	for i, b := range on {
		f := figs[i]
		out = append(out, BidderTheory{Name: b.Name, WinRate: f.win, Payment: f.pay, Surplus: f.value - f.pay})
	}
	return out, ""
}

// bidderIntegrals are bidder i's win probability, expected payment and
// expected value won per auction (see BidderTheory): bidderTable's row i.
func bidderIntegrals(laws []bidLaw, auction AuctionType, i int, r float64) (win, pay, value float64) {
	f := bidderTable(laws, auction, r, 0)[i]
	return f.win, f.pay, f.value
}

// bidderFigures are one bidder's win probability, expected payment and
// expected value won per auction, CPM.
type bidderFigures struct{ win, pay, value float64 }

// bidderSteps is how many steps each piece of bidderTable's grid has: a
// multiple of 4, since the sums are taken again on every second and
// every fourth node and extrapolated twice (Romberg), which leaves an
// error of h⁶'s order on a smooth piece: 64 steps are within 10⁻⁹ of
// 1024 (16 within 10⁻⁶; TestBidderTableConverges), closer than the 2¹¹
// plain midpoint steps a bidder had on its own grid
// (TestBidderTableMatchesSlow), and exact for the polynomials of uniform
// values.
const bidderSteps = 64

// bidderTable is every bidder's figures at once, on one grid in bids
// shared by all: with G_i(y) = F_i(y/c_i) bidder i's bid's law and M_i(y)
// = Π_{j≠i} Q_j(y) the probability that no rival bids above y, bidder i
// wins p_i·∫_r^∞ M_i dG_i, bids p_i·∫_r^∞ y·M_i dG_i on what it wins
// (its payment in first price; its value won is that over c_i), and in
// second price pays p_i·[r·M_i(r)·(1 − G_i(r)) + ∫_r^∞ x·(1 − G_i(x))
// dM_i(x)]: the floor when every rival bids below it, else the top
// rival's bid x when its own is above. (Written as y·M_i(y) − ∫_r^y M_i
// against dG_i it is a difference of two near-equal integrals where a
// law's tail is heavy: 10⁻⁵ off for a lognormal of p99 a thousand times
// its median.) An increment δ makes the price min(max(second, r) + δ, y):
// max(second, r) plus E[min(δ, y − max(second, r))] = ∫_{max(y−δ, r)}^y
// M_i(u) du, which against dG_i swaps to ∫_r^∞ M_i(u)·(G_i(u + δ) −
// G_i(u)) du, added to the payment. Each law's CDF is read once at each node of
// the grid (cut at the laws' kinks and at halvings of the top, as the
// exchange's form cuts it) and the products M_i come from prefix and
// suffix products: n evaluations a node for all n bidders, where each
// bidder on its own grid cost 2n − 1. The Stieltjes sums take the
// integrand at each step's midpoint against the integrator's step.
func bidderTable(laws []bidLaw, auction AuctionType, r, inc float64) []bidderFigures {
	return bidderTableSteps(laws, auction, r, inc, bidderSteps)
}

// bidderTableSteps is bidderTable with steps (a multiple of 4) steps a
// piece.
func bidderTableSteps(laws []bidLaw, auction AuctionType, r, inc float64, steps int) []bidderFigures {
	if auction == FirstPrice {
		inc = 0
	}
	n := len(laws)
	out := make([]bidderFigures, n)
	lo := max(r, 0)
	hi := lo
	var points []float64
	for _, l := range laws {
		hi = max(hi, l.c*upperEnd(l.v))
		for _, k := range kinks(l.v) {
			points = append(points, l.c*k)
			if inc > 0 {
				points = append(points, l.c*k-inc) // where G(u + δ) bends
			}
		}
	}
	if n == 0 || !(hi > lo) {
		return out
	}
	mass := func(y float64) float64 { // the laws' mass of bids in (lo, y], whether they take part or not
		m := 0.0
		for _, l := range laws {
			m += l.v.CDF(y/l.c) - l.v.CDF(lo/l.c)
		}
		return m
	}
	cuts := cutsBetween(lo, hi, points, mass)
	nodes := 2*steps + 1      // the steps' ends and midpoints
	g := make([][]float64, n) // G_j at each node of the piece
	m := make([][]float64, n) // M_j at each node
	var gUp [][]float64       // G_j a step δ up at each node
	for j := range n {
		g[j], m[j] = make([]float64, nodes), make([]float64, nodes)
		if inc > 0 {
			gUp = append(gUp, make([]float64, nodes))
		}
	}
	y := make([]float64, nodes)
	q, suffix := make([]float64, n), make([]float64, n+1)
	win, bid, second, extra := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for j, l := range laws {
		g[j][nodes-1] = l.v.CDF(lo / l.c) // carried to the first piece's first node
	}
	for p := 1; p < len(cuts); p++ {
		a, b := cuts[p-1], cuts[p]
		dy := (b - a) / float64(nodes-1)
		for k := range nodes {
			y[k] = a + float64(k)*dy
			for j, l := range laws {
				if k == 0 {
					g[j][0] = g[j][nodes-1] // the last piece's end
				} else {
					g[j][k] = l.v.CDF(y[k] / l.c)
				}
				q[j] = 1 - l.p + l.p*g[j][k]
				if inc > 0 {
					gUp[j][k] = l.v.CDF((y[k] + inc) / l.c)
				}
			}
			suffix[n] = 1
			for j := n - 1; j >= 0; j-- {
				suffix[j] = suffix[j+1] * q[j]
			}
			prefix := 1.0
			for j := range n {
				m[j][k] = prefix * suffix[j+1]
				prefix *= q[j]
			}
		}
		for i := range n {
			gi, mi := g[i], m[i]
			if p == 1 {
				second[i] = lo * mi[0] * (1 - gi[0])
			}
			// The three sums with steps of 2, 4 and 8 node gaps
			// (midpoints at the odd nodes, at 2 mod 4, at 4 mod 8),
			// extrapolated twice (Romberg): the h² and h⁴ terms cancel.
			var sums [3][3]float64 // [step][win, bid, second]
			for l, half := range [3]int{1, 2, 4} {
				for k := half; k < nodes; k += 2 * half {
					d, dm := gi[k+half]-gi[k-half], mi[k+half]-mi[k-half]
					sums[l][0] += mi[k] * d
					sums[l][1] += y[k] * mi[k] * d
					sums[l][2] += y[k] * (1 - gi[k]) * dm
				}
			}
			var ext [3]float64
			for j := range ext {
				r1 := (4*sums[0][j] - sums[1][j]) / 3 // steps 2 and 4
				r2 := (4*sums[1][j] - sums[2][j]) / 3 // steps 4 and 8
				ext[j] = (16*r1 - r2) / 15
			}
			win[i] += ext[0]
			bid[i] += ext[1]
			second[i] += ext[2]
			if inc > 0 {
				// ∫ M_i(u)·(G_i(u + δ) − G_i(u)) du: the trapezoid rule
				// with gaps of 1, 2 and 4 nodes, extrapolated twice.
				f := func(k int) float64 { return mi[k] * (gUp[i][k] - gi[k]) }
				var trap [3]float64
				for l, gap := range [3]int{1, 2, 4} {
					t := (f(0) + f(nodes-1)) / 2
					for k := gap; k < nodes-1; k += gap {
						t += f(k)
					}
					trap[l] = t * float64(gap) * dy
				}
				r1, r2 := (4*trap[0]-trap[1])/3, (4*trap[1]-trap[2])/3
				extra[i] += (16*r1 - r2) / 15
			}
		}
	}
	for i, l := range laws {
		pay := bid[i]
		if auction != FirstPrice {
			pay = second[i] + extra[i]
		}
		if math.IsNaN(win[i]) {
			out[i] = bidderFigures{math.NaN(), math.NaN(), math.NaN()}
			continue
		}
		out[i] = bidderFigures{win: l.p * win[i], pay: l.p * pay, value: l.p * bid[i] / l.c}
	}
	return out
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

// theoryMemoSize is how many integrals a theoryMemo keeps: a student who
// toggles a bidder or the auction back and forth finds the figures kept.
const theoryMemoSize = 16

// theoryMemo keeps the numerical integrals of the independent form (the
// exchange's revenue, each bidder's figures) by their inputs, the most
// recent last. Safe for concurrent use: an engine's snapshots go to other
// goroutines.
type theoryMemo struct {
	mu      sync.Mutex
	entries []memoEntry
}

// memoEntry is one integral kept: each bidder's figures, or the
// exchange's revenue and fill rate.
type memoEntry struct {
	key       string
	figs      []bidderFigures
	rev, fill float64
}

// get is the entry of key, filled by fill the first time; m nil keeps
// nothing and fills it every time. fill runs with m unlocked, so it may
// read m itself (a form built on another); two goroutines asking for a
// new key at once may both fill it, to the same figures.
func (m *theoryMemo) get(key string, fill func(*memoEntry)) memoEntry {
	if m == nil {
		e := memoEntry{key: key}
		fill(&e)
		return e
	}
	if e, ok := m.find(key); ok {
		return e
	}
	e := memoEntry{key: key}
	fill(&e)
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.entries) == theoryMemoSize {
		m.entries = append(m.entries[:0], m.entries[1:]...)
	}
	m.entries = append(m.entries, e)
	return e
}

// find is the entry of key, if m keeps it.
func (m *theoryMemo) find(key string) (memoEntry, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, e := range m.entries {
		if e.key == key {
			return e, true
		}
	}
	return memoEntry{}, false
}

// table is bidderTable(laws, auction, r, inc), integrated once for each
// set of inputs m has kept; m nil keeps nothing.
func (m *theoryMemo) table(laws []bidLaw, auction AuctionType, r, inc float64) []bidderFigures {
	if m == nil {
		return bidderTable(laws, auction, r, inc)
	}
	// The laws printed in full: %v writes each float's shortest exact
	// form, and a mixture's parts.
	e := m.get(fmt.Sprintf("bidders %t %v %v %v", auction == FirstPrice, r, inc, laws), func(e *memoEntry) {
		e.figs = bidderTable(laws, auction, r, inc)
	})
	return append([]bidderFigures(nil), e.figs...)
}

// revenue is independentRevenue(bs, auction, r, inc), integrated once for
// each set of inputs m has kept; m nil keeps nothing.
func (m *theoryMemo) revenue(bs []bidLaw, auction AuctionType, r, inc float64) (rev, fill float64) {
	if m == nil {
		return independentRevenue(bs, auction, r, inc)
	}
	e := m.get(fmt.Sprintf("revenue %d %v %v %v", auction, r, inc, bs), func(e *memoEntry) {
		e.rev, e.fill = independentRevenue(bs, auction, r, inc)
	})
	return e.rev, e.fill
}
