package sim

import "math"

// incrementExtra is what an increment δ adds to the expected price of a
// second-price auction among k bidders whose bids are i.i.d. with the
// continuous law v (uniform or exponential), floor r: the winner pays
// min(max(second, r) + δ, best), so over the increment-0 price it pays
// E[min(δ, best − max(second, r)); best ≥ r]
//
//	= ∫_0^δ P(best > max(second, r) + g) dg
//	= ∫_r^∞ k·f(y)·∫_{max(y−δ, r)}^y F(x)^(k−1) dx dy,
//
// the inner integral H(y) − H(max(y−δ, r)) with H(x) = ∫_{−∞}^x F^(k−1)
// in closed form, the outer one numerically in u = F(y) (k·f(y)dy = k·du),
// split where y − δ passes r. For U[0, 1] values and no floor it is
// (1 − (1 − δ)^(k+1))/(k+1) (TestIncrementExtraClosedForm): the price
// rises by less than δ, since best − second is often smaller.
func incrementExtra(v Dist, k int, r, delta float64) float64 {
	if delta <= 0 || k < 1 {
		return 0
	}
	var q func(u float64) float64 // the quantile: y = F⁻¹(u)
	var h func(x float64) float64 // H(x), k ≥ 2
	switch v.Kind {
	case DistUniform:
		a, w := v.A, v.B-v.A
		q = func(u float64) float64 { return a + w*u }
		h = func(x float64) float64 {
			switch {
			case x <= a:
				return 0
			case x >= v.B:
				return w/float64(k) + (x - v.B)
			}
			return w * math.Pow((x-a)/w, float64(k)) / float64(k)
		}
	case DistExponential:
		// u = F(x), dx = m·du/(1 − u), and u^(k−1)/(1 − u) = Σ_{j≥k−1} u^j:
		// H(x) = m·(−ln(1 − u) − Σ_{j=1}^{k−1} u^j/j) = x − m·Σ_{j<k} u^j/j.
		m := v.A
		q = func(u float64) float64 { return -m * math.Log1p(-u) }
		h = func(x float64) float64 {
			if x <= 0 {
				return 0
			}
			u := -math.Expm1(-x / m)
			s, p := 0.0, 1.0
			for j := 1; j < k; j++ {
				p *= u
				s += p / float64(j)
			}
			return x - m*s
		}
	default:
		return math.NaN() // continuous laws only: revenueK takes point masses itself
	}
	if k == 1 {
		h = func(x float64) float64 { return x } // F⁰ = 1: the lone bid pays min(r + δ, bid)
	}
	inner := func(u float64) float64 {
		if u >= 1 && v.Kind == DistExponential {
			return delta // y → ∞: F(x) → 1 over [y − δ, y]
		}
		y := q(u)
		return h(y) - h(max(y-delta, r))
	}
	u0, u1 := v.CDF(r), v.CDF(r+delta)
	const steps = 1 << 11 // even, for Simpson's rule, on each side of u1
	return float64(k) * (simpsonRule(inner, u0, u1, steps) + simpsonRule(inner, u1, 1, steps))
}
