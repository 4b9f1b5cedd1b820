package sim

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
)

// DistKind names a family of distributions.
type DistKind uint8

// The distribution families. The zero Dist (DistNone) always samples 0.
const (
	DistNone DistKind = iota
	DistConstant
	DistUniform
	DistNormal
	DistLogNormal
	DistExponential
	DistMixture
)

var distNames = [...]string{"none", "constant", "uniform", "normal", "lognormal", "exponential", "mixture"}

// String returns the family's name as the scenario format spells it.
func (k DistKind) String() string {
	if int(k) < len(distNames) {
		return distNames[k]
	}
	return fmt.Sprintf("DistKind(%d)", k)
}

// z99 is the standard normal 99th percentile, used to turn a lognormal's
// median and p99 into (mu, sigma).
const z99 = 2.3263478740408408

// Dist is one distribution of a non-negative quantity: a latency or service
// time (sampled in nanoseconds of virtual time), a value (CPM) or a delay.
// Build it with the constructors; the zero Dist samples 0. A Dist is
// immutable once built and safe to share.
type Dist struct {
	Kind DistKind
	// A and B are the canonical parameters: constant {A value}, uniform
	// {A min, B max}, normal {A mean, B sd}, lognormal {A mu, B sigma of
	// the log}, exponential {A mean}.
	A, B  float64
	Parts []Part // mixture components
	cum   []float64
}

// Part is one weighted component of a mixture.
type Part struct {
	Weight float64
	Dist   Dist
}

// Constant always samples v.
func Constant(v float64) Dist { return Dist{Kind: DistConstant, A: v} }

// Uniform samples uniformly on [min, max).
func Uniform(min, max float64) Dist { return Dist{Kind: DistUniform, A: min, B: max} }

// Normal samples a normal distribution truncated at 0 (negative draws are
// drawn again), as latencies and values cannot be negative.
func Normal(mean, sd float64) Dist { return Dist{Kind: DistNormal, A: mean, B: sd} }

// LogNormal samples exp(N(mu, sigma²)).
func LogNormal(mu, sigma float64) Dist { return Dist{Kind: DistLogNormal, A: mu, B: sigma} }

// LogNormalMedianP99 is the lognormal with the given median and 99th
// percentile, the way latencies are usually quoted.
func LogNormalMedianP99(median, p99 float64) Dist {
	mu := math.Log(median)
	return LogNormal(mu, (math.Log(p99)-mu)/z99)
}

// Exponential samples an exponential distribution with the given mean.
func Exponential(mean float64) Dist { return Dist{Kind: DistExponential, A: mean} }

// Mixture samples part i with probability weight_i / Σ weights.
func Mixture(parts ...Part) Dist {
	d := Dist{Kind: DistMixture, Parts: append([]Part(nil), parts...)}
	d.cum = make([]float64, len(parts))
	// Weights are divided by the largest first, so that huge weights add
	// up without overflowing to infinity.
	w := normalWeights(parts)
	total := 0.0
	for _, x := range w {
		total += x
	}
	acc := 0.0
	for i, x := range w {
		acc += x
		d.cum[i] = acc / total
	}
	if len(parts) > 0 {
		d.cum[len(parts)-1] = 1 // guard against rounding
	}
	return d
}

// normalWeights is the parts' weights divided by the largest, with
// weights that are not > 0 (or NaN) as 0: the same proportions, each at
// most 1, so that sums of them cannot overflow.
func normalWeights(parts []Part) []float64 {
	top := 0.0
	for _, p := range parts {
		top = max(top, p.Weight)
	}
	w := make([]float64, len(parts))
	if !(top > 0) || math.IsInf(top, 1) {
		return w
	}
	for i, p := range parts {
		if p.Weight > 0 {
			w[i] = p.Weight / top
		}
	}
	return w
}

// Validate reports parameters that cannot describe a non-negative quantity.
func (d Dist) Validate() error {
	finite := func(xs ...float64) bool {
		for _, x := range xs {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return false
			}
		}
		return true
	}
	switch d.Kind {
	case DistNone:
		return nil
	case DistConstant:
		if !finite(d.A) || d.A < 0 {
			return fmt.Errorf("constant: value %g must be a finite number ≥ 0", d.A)
		}
	case DistUniform:
		if !finite(d.A, d.B) || d.A < 0 || d.B < d.A {
			return fmt.Errorf("uniform: need 0 ≤ min ≤ max, got min %g, max %g", d.A, d.B)
		}
	case DistNormal:
		if !finite(d.A, d.B) || d.B < 0 {
			return fmt.Errorf("normal: sd %g must be ≥ 0", d.B)
		}
		if d.A <= 0 && d.B == 0 || d.A < -3*d.B {
			return fmt.Errorf("normal: mean %g is too far below 0 for sd %g (truncated at 0)", d.A, d.B)
		}
	case DistLogNormal:
		if !finite(d.A, d.B) || d.B < 0 {
			return fmt.Errorf("lognormal: need p99 ≥ median > 0 (sigma %g)", d.B)
		}
	case DistExponential:
		if !finite(d.A) || d.A <= 0 {
			return fmt.Errorf("exponential: mean %g must be > 0", d.A)
		}
	case DistMixture:
		if len(d.Parts) == 0 {
			return errors.New("mixture: needs at least one part")
		}
		total := 0.0
		for i, p := range d.Parts {
			if !finite(p.Weight) || p.Weight < 0 {
				return fmt.Errorf("mixture: part %d: weight %g must be ≥ 0", i+1, p.Weight)
			}
			total += p.Weight
			if err := p.Dist.Validate(); err != nil {
				return fmt.Errorf("mixture: part %d: %w", i+1, err)
			}
		}
		if total <= 0 {
			return errors.New("mixture: weights must add up to more than 0")
		}
		if len(d.cum) != len(d.Parts) {
			return errors.New("mixture: build it with sim.Mixture")
		}
	default:
		return fmt.Errorf("unknown distribution kind %d", d.Kind)
	}
	return nil
}

// Sample draws one value from r. It is never negative.
func (d *Dist) Sample(r *rand.Rand) float64 {
	switch d.Kind {
	case DistConstant:
		return d.A
	case DistUniform:
		return d.A + (d.B-d.A)*r.Float64()
	case DistNormal:
		for range 64 {
			if x := d.A + d.B*r.NormFloat64(); x >= 0 {
				return x
			}
		}
		return 0 // only for means far below 0, which Validate rejects
	case DistLogNormal:
		return math.Exp(d.A + d.B*r.NormFloat64())
	case DistExponential:
		return d.A * r.ExpFloat64()
	case DistMixture:
		u := r.Float64()
		for i, c := range d.cum {
			if u < c {
				return d.Parts[i].Dist.Sample(r)
			}
		}
		return d.Parts[len(d.Parts)-1].Dist.Sample(r)
	}
	return 0
}

// fill draws len(xs) values into xs, as that many calls of Sample would.
// The lognormal, the usual latency, gets a loop of its own: with no
// branch between draws, their exp chains overlap best.
func (d *Dist) fill(xs []float64, r *rand.Rand) {
	if d.Kind == DistLogNormal {
		for k := range xs {
			xs[k] = math.Exp(d.A + d.B*r.NormFloat64())
		}
		return
	}
	for k := range xs {
		xs[k] = d.Sample(r)
	}
}

// Mean is the distribution's expected value.
func (d Dist) Mean() float64 {
	switch d.Kind {
	case DistConstant:
		return d.A
	case DistUniform:
		return (d.A + d.B) / 2
	case DistNormal:
		if d.B == 0 {
			return math.Max(d.A, 0)
		}
		// Mean of a normal truncated below at 0.
		alpha := -d.A / d.B
		phi := math.Exp(-alpha*alpha/2) / math.Sqrt(2*math.Pi)
		tail := 0.5 * math.Erfc(alpha/math.Sqrt2) // 1 − Φ(α)
		return d.A + d.B*phi/tail
	case DistLogNormal:
		return math.Exp(d.A + d.B*d.B/2)
	case DistExponential:
		return d.A
	case DistMixture:
		total, sum := 0.0, 0.0
		for i, w := range normalWeights(d.Parts) {
			total += w
			sum += w * d.Parts[i].Dist.Mean()
		}
		return sum / total
	}
	return 0
}

// Scale returns the distribution of f·X, f > 0: how a link gets slower or
// faster by a factor.
func (d Dist) Scale(f float64) Dist {
	switch d.Kind {
	case DistConstant, DistExponential:
		d.A *= f
	case DistUniform, DistNormal:
		d.A, d.B = d.A*f, d.B*f
	case DistLogNormal:
		d.A += math.Log(f)
	case DistMixture:
		parts := make([]Part, len(d.Parts))
		for i, p := range d.Parts {
			parts[i] = Part{Weight: p.Weight, Dist: p.Dist.Scale(f)}
		}
		return Mixture(parts...)
	}
	return d
}

// String describes the distribution with its canonical parameters.
func (d Dist) String() string {
	switch d.Kind {
	case DistConstant, DistExponential:
		return fmt.Sprintf("%s(%g)", d.Kind, d.A)
	case DistUniform, DistNormal:
		return fmt.Sprintf("%s(%g, %g)", d.Kind, d.A, d.B)
	case DistLogNormal:
		return fmt.Sprintf("lognormal(median %g, p99 %g)", math.Exp(d.A), math.Exp(d.A+z99*d.B))
	case DistMixture:
		parts := make([]string, len(d.Parts))
		for i, p := range d.Parts {
			parts[i] = fmt.Sprintf("%g×%s", p.Weight, p.Dist)
		}
		return "mixture(" + strings.Join(parts, ", ") + ")"
	}
	return "none"
}
