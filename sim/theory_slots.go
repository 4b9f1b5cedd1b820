package sim

import (
	"fmt"
	"math"
	"strings"
)

// SlotTheory is the closed form of an auction of several slots (GSP or
// VCG) with i.i.d. values: the revenue of the two auctions, side by side.
type SlotTheory struct {
	Weights []float64 // α_1 … α_k
	// VCG is the expected revenue per auction of VCG with the bids as
	// the bidders make them (truthful: values); it is also what GSP earns
	// when every bidder bids the lowest locally envy-free equilibrium
	// (Edelman, Ostrovsky & Schwarz 2007; Varian 2007). CPM per auction.
	VCG float64
	// GSP is the expected revenue per auction of GSP with the same bids
	// (truthful: at least VCG's, as the (j+1)-th bid per click is at
	// least VCG's average of the bids below).
	GSP float64
	// Fill is, for each slot, the probability that it is sold.
	Fill []float64
	// Share is what share of their values the bids behind VCG and GSP
	// are: 1 truthful (and for the GSP equilibrium, whose revenue is
	// VCG's with truthful bids).
	Share float64
}

// slotTheory is Theory for an auction of several slots: every enabled
// bidder's value i.i.d. (breaks has checked that), each bidding c × value
// (truthful: c = 1), or, in GSP, every one bidding the envy-free
// equilibrium (eq). The number k taking part is Poisson-binomial as in
// the single-item case, and E[revenue] = Σ_k P(k)·R_k.
func (in TheoryInput) slotTheory(on []*TheoryBidder, present []float64) Theory {
	eqs := 0
	for _, b := range on {
		if b.Strategy.Kind == Equilibrium {
			eqs++
		}
	}
	eq := in.Auction == GSP && eqs == len(on)
	if in.Auction == GSP && eqs > 0 && !eq {
		return noTheory(fmt.Sprintf("%d of the %d bidders bid the GSP envy-free equilibrium and the rest do not: the closed form needs every bidder bidding alike (all the equilibrium, all truthful, or all the same share)", eqs, len(on)))
	}
	c, _, mixed, why := in.bidding(on)
	switch {
	case why != "":
		return noTheory(why)
	case mixed:
		why := "bidders bid different shares of their values: with several slots the revenue's closed form needs every bidder bidding alike (all truthful, all the same share, or in GSP all the envy-free equilibrium)"
		dev, own := in.deviator(on, present)
		t := noTheory(why + own)
		t.Deviator = dev
		return t
	}
	if eq {
		c = 1
	}
	v := on[0].Value
	w := in.Slots
	r := in.Floor
	pk := poissonBinomial(present)
	st := &SlotTheory{Weights: append([]float64(nil), w...), Fill: make([]float64, len(w)), Share: c}
	for k := 1; k <= len(on); k++ {
		if pk[k] == 0 {
			continue
		}
		o := newOrderStats(v, c, k, r)
		st.VCG += pk[k] * o.vcg(w)
		st.GSP += pk[k] * o.gsp(w)
		for j := range w {
			st.Fill[j] += pk[k] * o.atLeast(j+1)
		}
	}
	t := Theory{Applies: true, FillRate: st.Fill[0], Slots: st, MeanClearingPrice: math.NaN()}
	switch {
	case in.Auction == VCG || eq:
		t.RevenuePerAuction = st.VCG
	default:
		t.RevenuePerAuction = st.GSP
	}
	if t.FillRate > 0 {
		t.MeanClearingPrice = t.RevenuePerAuction / t.FillRate
	}
	t.Formula = in.slotFormula(on, v, c, eq, st)
	return t
}

// deviator is, when one bidder shades and the others bid truthfully, all
// taking part, with continuous values, no increment, what the lone
// deviator earns beside what truthful bidding would earn it
// (SlotDeviatorSurplus), and its name; "" otherwise.
func (in TheoryInput) deviator(on []*TheoryBidder, present []float64) (name, own string) {
	var dev *TheoryBidder
	for i, b := range on {
		if present[i] < 1 || in.Increment != 0 {
			return "", ""
		}
		if b.Strategy.Kind == Shade && b.Strategy.Factor != 1 {
			if dev != nil {
				return "", ""
			}
			dev = b
		}
	}
	if dev == nil {
		return "", ""
	}
	v := on[0].Value
	shaded, ok := SlotDeviatorSurplus(v, len(on), in.Slots, in.Auction, dev.Strategy.Factor, in.Floor)
	truthful, _ := SlotDeviatorSurplus(v, len(on), in.Slots, in.Auction, 1, in.Floor)
	if !ok {
		return "", ""
	}
	return dev.Name, fmt.Sprintf("; %s's own surplus has one: %.4f CPM per auction bidding %s against truthful rivals, %.4f bidding truthfully (integrated numerically)",
		dev.Name, shaded, dev.Strategy, truthful)
}

// slotFormula says what slotTheory computed, for whom.
func (in TheoryInput) slotFormula(on []*TheoryBidder, v Dist, c float64, eq bool, st *SlotTheory) string {
	var sb strings.Builder
	ws := make([]string, len(st.Weights))
	for i, w := range st.Weights {
		ws[i] = fmt.Sprintf("%g", w)
	}
	who := "everyone bidding its value (truthful)"
	switch {
	case eq:
		who = "everyone bidding the lowest envy-free GSP equilibrium (EOS/Varian)"
	case c != 1:
		who = fmt.Sprintf("everyone shading by %.4g (not an equilibrium)", c)
	}
	fmt.Fprintf(&sb, "%s, %d slots α = [%s], %d bidders %s, values i.i.d. %s, floor %g: ",
		in.Auction, len(st.Weights), strings.Join(ws, ", "), len(on), who, lawText(v), in.Floor)
	sb.WriteString("VCG E[revenue] = Σ_i (α_i − α_{i+1})·(i·E[b_(i+1)·1{b_(i+1) ≥ r}] + r·E[m·1{m ≤ i}]), ")
	sb.WriteString("GSP E[revenue] = Σ_j α_j·(E[b_(j+1)·1{b_(j+1) ≥ r}] + r·P(m = j)), ")
	sb.WriteString("b_(j) the j-th highest bid, m the number of bids at or above the floor r, α_{k+1} = 0")
	if v.Kind == DistUniform && in.Floor == 0 && v.A == 0 {
		sb.WriteString(" (uniform values from 0: E[v_(j)] = b·(n+1−j)/(n+1))")
	} else {
		sb.WriteString(" (order statistics integrated numerically)")
	}
	fmt.Fprintf(&sb, "; VCG %.4f, GSP %.4f with bids %g × value", st.VCG, st.GSP, c)
	if eq {
		sb.WriteString("; the lowest envy-free equilibrium (Edelman, Ostrovsky & Schwarz 2007; Varian 2007) bids b_j = Σ_{i≥j−1} (α_i − α_{i+1})·v_(i+1) / α_{j−1} in position j ≥ 2, with the bidders knowing each other's values, so that each GSP price is VCG's and it earns VCG's revenue (with values private a symmetric Bayesian equilibrium of GSP need not exist, Gomes & Sweeney 2014: no closed form for that)")
	}
	return sb.String()
}

// orderStats are the order statistics of k i.i.d. bids c × value, value
// of law v, beside a floor r.
type orderStats struct {
	k    int
	r    float64
	tail []float64 // tail[j] = E[b_(j)·1{b_(j) ≥ r}], j = 1 … k+1 (0 beyond k)
	pm   []float64 // pm[m] = P(m bids at or above r), m = 0 … k
}

func newOrderStats(v Dist, c float64, k int, r float64) orderStats {
	o := orderStats{k: k, r: r, tail: make([]float64, k+2), pm: make([]float64, k+1)}
	if v.pointMass() {
		x := c * v.A
		if x >= r {
			o.pm[k] = 1
			for j := 1; j <= k; j++ {
				o.tail[j] = x
			}
		} else {
			o.pm[0] = 1
		}
		return o
	}
	G := func(x float64) float64 { return v.below(x / c) } // P(bid < x)
	s := 1 - G(r)
	for m := 0; m <= k; m++ {
		o.pm[m] = binom(k, m) * math.Pow(s, float64(m)) * math.Pow(1-s, float64(k-m))
	}
	// P(b_(j) > x) = Σ_{m ≥ j} C(k, m)·S^m·G^(k−m), S = 1 − G.
	above := func(j int, x float64) float64 {
		g := G(x)
		p := 0.0
		for m := j; m <= k; m++ {
			p += binom(k, m) * math.Pow(1-g, float64(m)) * math.Pow(g, float64(k-m))
		}
		return p
	}
	// Where the bids' law changes form: the integrand is smooth between.
	var cuts []float64
	hi := 0.0
	switch v.Kind {
	case DistUniform:
		cuts = []float64{c * v.A}
		hi = c * v.B
	default:
		hi = max(c*v.Mean(), 1e-9)
		for i := 0; i < 200 && G(hi) < 1-1e-13; i++ {
			hi *= 2
		}
	}
	for j := 1; j <= k; j++ {
		lo := max(r, 0)
		sum := lo * above(j, lo)
		for _, cut := range append(cuts, hi) {
			if cut <= lo {
				continue
			}
			sum += simpsonRule(func(x float64) float64 { return above(j, x) }, lo, cut, 1<<11)
			lo = cut
		}
		o.tail[j] = sum
	}
	return o
}

// atLeast is P(at least j bids at or above the floor).
func (o orderStats) atLeast(j int) float64 {
	p := 0.0
	for m := j; m <= o.k; m++ {
		p += o.pm[m]
	}
	return p
}

// vcg is E[VCG revenue] with slots w: Σ_i (α_i − α_{i+1})·(i·T(i+1) +
// r·E[m·1{m ≤ i}]). Slot j pays Σ_{i ≥ j} (α_i − α_{i+1})·c_(i+1), c the
// bid or, past the m bids at or above r, r; summing over the sold slots
// j ≤ min(m, k), the term i counts min(i, m) times.
func (o orderStats) vcg(w []float64) float64 {
	rev := 0.0
	for i := 1; i <= len(w); i++ {
		d := w[i-1]
		if i < len(w) {
			d -= w[i]
		}
		low := 0.0 // E[m·1{m ≤ i}]
		for m := 1; m <= min(i, o.k); m++ {
			low += float64(m) * o.pm[m]
		}
		rev += d * (float64(i)*o.at(i+1) + o.r*low)
	}
	return rev
}

// gsp is E[GSP revenue] with slots w: slot j pays α_j × the (j+1)-th bid,
// or r when exactly j bids reach it.
func (o orderStats) gsp(w []float64) float64 {
	rev := 0.0
	for j := 1; j <= len(w); j++ {
		p := 0.0
		if j <= o.k {
			p = o.pm[j]
		}
		rev += w[j-1] * (o.at(j+1) + o.r*p)
	}
	return rev
}

// at is E[b_(j)·1{b_(j) ≥ r}], 0 past the k-th bid.
func (o orderStats) at(j int) float64 {
	if j > o.k {
		return 0
	}
	return o.tail[j]
}

// binom is the binomial coefficient C(n, k).
func binom(n, k int) float64 {
	if k < 0 || k > n {
		return 0
	}
	c := 1.0
	for i := 1; i <= k; i++ {
		c = c * float64(n-k+i) / float64(i)
	}
	return c
}

// simpsonRule integrates f over [a, b] with n (even) intervals.
func simpsonRule(f func(float64) float64, a, b float64, n int) float64 {
	return simpsonEnds(f, a, b, n, f(b))
}

// simpsonEnds is simpsonRule with fb for f's value at b: its left limit
// where f jumps there (simpsonPiece).
func simpsonEnds(f func(float64) float64, a, b float64, n int, fb float64) float64 {
	h := (b - a) / float64(n)
	s := f(a) + fb
	for i := 1; i < n; i++ {
		x := a + float64(i)*h
		if i%2 == 1 {
			s += 4 * f(x)
		} else {
			s += 2 * f(x)
		}
	}
	return s * h / 3
}

// SlotDeviatorSurplus is the expected surplus per auction (CPM) of one
// bidder bidding c × its value per click in an auction of several slots
// (GSP or VCG, weights w, floor r, increment 0) against n − 1 truthful
// rivals, all n values i.i.d. of the continuous law v, everyone taking
// part: the number m of rivals bidding above its bid b = c·v is
// binomial, it then holds slot m + 1 (if m < k and b ≥ r), and the bids
// below it are the n − 1 − m other rivals' values, i.i.d. given that they
// are below b. GSP charges per click the highest of those (or r); VCG
// Σ_{i>m} (α_i − α_{i+1})·max(b_(i−m), r) per impression. Integrated
// numerically. With c = 1 it is a truthful bidder's share of the surplus,
// (E[Σ_j α_j·v_(j)] − revenue)/n. ok is false for a law with an atom.
func SlotDeviatorSurplus(v Dist, n int, w []float64, auction AuctionType, c, r float64) (surplus float64, ok bool) {
	if !continuous(v) || n < 1 || c <= 0 || !auction.Slotted() {
		return math.NaN(), false
	}
	k := len(w)
	alpha := func(i int) float64 { // α_i from 1, 0 past k
		if i >= 1 && i <= k {
			return w[i-1]
		}
		return 0
	}
	// below(N, j, b): E[max(X_(j), r)] for the j-th highest of N i.i.d.
	// draws of v conditioned below b (r when j > N).
	below := func(N, j int, b float64) float64 {
		if j > N || b <= r {
			return r
		}
		fb := v.CDF(b)
		if fb <= 0 {
			return r
		}
		above := func(x float64) float64 { // P(X_(j) > x)
			g := v.CDF(x) / fb
			p := 0.0
			for m := j; m <= N; m++ {
				p += binom(N, m) * math.Pow(1-g, float64(m)) * math.Pow(g, float64(N-m))
			}
			return p
		}
		return r + simpsonRule(above, max(r, 0), b, 32)
	}
	given := func(x float64) float64 { // surplus at value x
		b := c * x
		if b < r {
			return 0
		}
		fb := v.CDF(b)
		s := 0.0
		for m := 0; m < k && m <= n-1; m++ {
			p := binom(n-1, m) * math.Pow(1-fb, float64(m)) * math.Pow(fb, float64(n-1-m))
			if p == 0 {
				continue
			}
			N := n - 1 - m
			slot := m + 1
			pay := 0.0
			if auction == GSP {
				pay = alpha(slot) * below(N, 1, b)
			} else {
				for i := slot; i <= k; i++ {
					pay += (alpha(i) - alpha(i+1)) * below(N, i-m, b)
				}
			}
			s += p * (alpha(slot)*x - pay)
		}
		return s
	}
	lo, hi := 0.0, 0.0
	switch v.Kind {
	case DistUniform:
		lo, hi = v.A, v.B
	default:
		hi = max(v.Mean(), 1e-9)
		for i := 0; i < 200 && v.CDF(hi) < 1-1e-12; i++ {
			hi *= 2
		}
	}
	// E over the value: ∫ given(x) dF(x), by a Stieltjes sum. Coarse
	// enough for a snapshot's theory (about 2 ms), within 1e-5 of a fine
	// grid's.
	const steps = 1 << 8
	h := (hi - lo) / steps
	prev := v.CDF(lo)
	for i := range steps {
		x := lo + float64(i+1)*h
		cur := v.CDF(x)
		surplus += given(x-h/2) * (cur - prev)
		prev = cur
	}
	return surplus, true
}
