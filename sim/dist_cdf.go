package sim

import "math"

// normalRetries is how many normal draws Sample makes before it gives up
// and returns 0; the CDF below accounts for that atom exactly.
const normalRetries = 64

// CDF is P(X ≤ x) for X drawn by d.Sample: the law the engine really
// samples, so the closed forms (a bidder's late probability, the expected
// revenue) agree with the simulation. The normal is truncated at 0 as
// Sample truncates it, including the atom at 0 that Sample returns when
// every one of its draws is negative.
func (d Dist) CDF(x float64) float64 { return d.cdf(x, false) }

// below is P(X < x): the CDF's left limit, which differs from it only at
// an atom (a constant, or a normal's fallback 0).
func (d Dist) below(x float64) float64 { return d.cdf(x, true) }

// random reports whether d is a distribution rather than a constant or
// none.
func random(d Dist) bool { return d.Kind != DistNone && d.Kind != DistConstant }

// pointMass reports whether d puts all its mass on one value, A: a
// constant, or a uniform law of no width.
func (d Dist) pointMass() bool {
	return d.Kind == DistConstant || d.Kind == DistUniform && d.B <= d.A
}

// cdf is P(X < x) when strict, else P(X ≤ x).
func (d Dist) cdf(x float64, strict bool) float64 {
	step := func(at float64) float64 { // the CDF of a point mass at at
		if x > at || !strict && x == at {
			return 1
		}
		return 0
	}
	switch d.Kind {
	case DistNone:
		return step(0)
	case DistConstant:
		return step(d.A)
	case DistUniform:
		if d.B <= d.A {
			return step(d.A)
		}
		return clamp01((x - d.A) / (d.B - d.A))
	case DistNormal:
		if d.B == 0 {
			return step(max(d.A, 0))
		}
		// One draw is negative with probability p0; Sample returns 0
		// after normalRetries negative draws, else a draw of the normal
		// truncated at 0.
		p0 := stdNormalCDF(-d.A / d.B)
		atom := math.Pow(p0, normalRetries)
		if x < 0 {
			return 0
		}
		tn := 0.0
		if p0 < 1 {
			tn = clamp01((stdNormalCDF((x-d.A)/d.B) - p0) / (1 - p0))
		}
		return atom*step(0) + (1-atom)*tn
	case DistLogNormal:
		if d.B == 0 {
			return step(math.Exp(d.A))
		}
		if x <= 0 {
			return 0
		}
		return stdNormalCDF((math.Log(x) - d.A) / d.B)
	case DistExponential:
		if x <= 0 {
			return 0
		}
		return -math.Expm1(-x / d.A)
	case DistMixture:
		total, sum := 0.0, 0.0
		for _, p := range d.Parts {
			if p.Weight > 0 {
				total += p.Weight
				sum += p.Weight * p.Dist.cdf(x, strict)
			}
		}
		if total <= 0 {
			return step(0)
		}
		return clamp01(sum / total)
	}
	return step(0)
}

// stdNormalCDF is Φ(z), accurate in both tails.
func stdNormalCDF(z float64) float64 { return 0.5 * math.Erfc(-z/math.Sqrt2) }

func clamp01(x float64) float64 { return min(max(x, 0), 1) }
