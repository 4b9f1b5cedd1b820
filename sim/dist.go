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

	// A lognormal built from its median and 99th percentile keeps them,
	// so that validation can name the parameter the file gave.
	quantiles   bool
	median, p99 float64
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

// MedianP99 is a lognormal's median and 99th percentile as its mu and
// sigma give them: exp(mu) and exp(mu + z99·sigma), the inverse of
// LogNormalMedianP99 up to rounding. d must be a lognormal.
func (d Dist) MedianP99() (median, p99 float64) {
	return math.Exp(d.A), math.Exp(d.A + z99*d.B)
}

// LogNormalMedianP99 is the lognormal with the given median and 99th
// percentile, the way latencies are usually quoted.
func LogNormalMedianP99(median, p99 float64) Dist {
	mu := math.Log(median)
	d := LogNormal(mu, (math.Log(p99)-mu)/z99)
	d.quantiles, d.median, d.p99 = true, median, p99
	return d
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

// Validate reports parameters that cannot describe a non-negative
// quantity, written as plain numbers. Config.Validate checks each of a
// world's distributions also against the supported range of what it
// describes, with amounts in the scenario file's units.
func (d Dist) Validate() error {
	return errors.Join(d.check("", anyAmount, nil)...)
}

// anyAmount is the range of a distribution's parameters when nothing is
// known about what it describes.
var anyAmount = limit{lo: 0, hi: math.MaxFloat64, unit: plain, what: "amount"}

// check appends d's problems to errs as field errors named by the
// scenario file's parameter paths under path (value, min, p99,
// parts[1].weight …), with amounts written in r's unit and bounded by r.
func (d Dist) check(path string, r limit, errs []error) []error {
	bad := func(param string, err error) {
		errs = append(errs, &FieldError{Field: joinPath(path, param), Err: err})
	}
	f := r.unit.format
	positive := r
	positive.open = true
	// ordered checks a lower and an upper parameter: min and max, or
	// median and p99.
	ordered := func(loName string, lo float64, loRange limit, hiName string, hi float64) {
		if err := loRange.check(lo); err != nil {
			bad(loName, err)
		} else if hi < lo {
			bad(hiName, fmt.Errorf("%s is below the %s %s", f(hi), loName, f(lo)))
		} else if err := r.check(hi); err != nil {
			bad(hiName, err)
		}
	}
	switch d.Kind {
	case DistNone:
	case DistConstant:
		if err := r.check(d.A); err != nil {
			bad("value", err)
		}
	case DistUniform:
		ordered("min", d.A, r, "max", d.B)
	case DistNormal:
		if err := r.check(d.B); err != nil {
			bad("sd", err)
		} else if math.IsNaN(d.A) || d.A <= 0 && d.B == 0 || d.A < -3*d.B {
			bad("mean", fmt.Errorf("%s is too far below 0 for the sd %s (the normal is truncated at 0)", f(d.A), f(d.B)))
		} else if d.A > 0 {
			if err := r.check(d.A); err != nil {
				bad("mean", err)
			}
		}
	case DistLogNormal:
		if d.quantiles {
			ordered("median", d.median, positive, "p99", d.p99)
			break
		}
		if math.IsNaN(d.A) || math.IsInf(d.A, 0) {
			bad("mu", fmt.Errorf("%g is not a finite number", d.A))
		} else if err := anyAmount.check(d.B); err != nil {
			bad("sigma", err)
		} else if _, p99 := d.MedianP99(); p99 > r.hi {
			bad("sigma", fmt.Errorf("mu and sigma give a 99th percentile of %s, more than %s, the largest supported %s", f(p99), f(r.hi), r.what))
		}
	case DistExponential:
		if err := positive.check(d.A); err != nil {
			bad("mean", err)
		}
	case DistMixture:
		if len(d.Parts) == 0 {
			bad("parts", errors.New("needs at least one part"))
			break
		}
		total, weightsOK := 0.0, true
		for i, p := range d.Parts {
			part := joinPath(path, fmt.Sprintf("parts[%d]", i))
			if err := weightRange.check(p.Weight); err != nil {
				errs = append(errs, &FieldError{Field: part + ".weight", Err: err})
				weightsOK = false
			}
			total += p.Weight
			errs = p.Dist.check(part, r, errs)
		}
		if !weightsOK {
			break
		}
		if total <= 0 {
			bad("parts", errors.New("the weights add up to 0; at least one must be > 0"))
		} else if len(d.cum) != len(d.Parts) {
			bad("parts", errors.New("build a mixture with sim.Mixture"))
		}
	default:
		errs = append(errs, &FieldError{Field: path, Err: fmt.Errorf("unknown distribution kind %d", d.Kind)})
	}
	return errs
}

// joinPath is the path of field under parent.
func joinPath(parent, field string) string {
	if parent == "" {
		return field
	}
	return parent + "." + field
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
		d.median, d.p99 = d.median*f, d.p99*f
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
	return d.Format(func(x float64) string { return fmt.Sprintf("%g", x) })
}

// durations describes a distribution of times in nanoseconds as
// durations: "lognormal(median 80ms, p99 250ms)".
func durations(d Dist) string {
	return d.Format(func(ns float64) string { return timeOf(math.Round(ns)).String() })
}

// Format describes the distribution with its amounts written by amount:
// a latency in durations ("lognormal(median 160ms, p99 300ms)") rather
// than raw nanoseconds.
func (d Dist) Format(amount func(float64) string) string {
	switch d.Kind {
	case DistConstant, DistExponential:
		return fmt.Sprintf("%s(%s)", d.Kind, amount(d.A))
	case DistUniform, DistNormal:
		return fmt.Sprintf("%s(%s, %s)", d.Kind, amount(d.A), amount(d.B))
	case DistLogNormal:
		median, p99 := d.MedianP99()
		if d.quantiles {
			median, p99 = d.median, d.p99
		}
		return fmt.Sprintf("lognormal(median %s, p99 %s)", amount(median), amount(p99))
	case DistMixture:
		parts := make([]string, len(d.Parts))
		for i, p := range d.Parts {
			parts[i] = fmt.Sprintf("%g×%s", p.Weight, p.Dist.Format(amount))
		}
		return "mixture(" + strings.Join(parts, ", ") + ")"
	}
	return "none"
}
