package scenarios

import (
	"math"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/ast"

	"github.com/auctionsim/auctionsim/sim"
)

// quantity is what a distribution describes, which decides how its
// parameters are written.
type quantity int

const (
	prices    quantity = iota // CPM values: plain numbers
	durations                 // latencies, service times, delays: Go durations, sampled in nanoseconds
)

// maxMixtureDepth bounds mixtures of mixtures.
const maxMixtureDepth = 8

// distParams lists each family's parameters, in the README's order.
var distParams = map[string][]string{
	"constant":    {"value"},
	"uniform":     {"min", "max"},
	"normal":      {"mean", "sd"},
	"lognormal":   {"median", "p99", "mu", "sigma"},
	"exponential": {"mean"},
	"mixture":     {"parts"},
}

const distNames = "constant, uniform, normal, lognormal, exponential or mixture"

// amount reads one parameter: a number for prices, a duration (in
// nanoseconds) for durations.
func (q quantity) amount(d *decoder, v value) (float64, bool) {
	if q == durations {
		t, ok := d.duration(v)
		return float64(t), ok
	}
	return d.number(v, "a number (CPM)")
}

// format writes a parameter back the way the file does.
func (q quantity) format(x float64) string {
	if q == durations {
		return sim.Time(x).String()
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// example shows a family's parameters, in messages.
func (q quantity) example(family string) string {
	ex := map[string][2]string{
		"constant":    {"{dist: constant, value: 1.5}", "{dist: constant, value: 30ms}"},
		"uniform":     {"{dist: uniform, min: 0.5, max: 4}", "{dist: uniform, min: 10ms, max: 50ms}"},
		"normal":      {"{dist: normal, mean: 2, sd: 0.5}", "{dist: normal, mean: 40ms, sd: 10ms}"},
		"lognormal":   {"{dist: lognormal, median: 1.5, p99: 6}", "{dist: lognormal, median: 30ms, p99: 80ms}"},
		"exponential": {"{dist: exponential, mean: 1.2}", "{dist: exponential, mean: 2ms}"},
		"mixture":     {"{dist: mixture, parts: [{weight: 0.9, dist: constant, value: 1}, {weight: 0.1, dist: constant, value: 5}]}", "{dist: mixture, parts: [{weight: 0.9, dist: constant, value: 30ms}, {weight: 0.1, dist: constant, value: 400ms}]}"},
	}
	e, ok := ex[family]
	if !ok {
		e = ex["uniform"]
		if q == durations {
			e = ex["lognormal"]
		}
	}
	return e[q]
}

// dist reads a distribution: a mapping with dist and the family's
// parameters, or a bare amount meaning a constant.
func (d *decoder) dist(v value, q quantity, depth int) sim.Dist {
	dist, _ := d.distPart(v, q, depth, false)
	return dist
}

// distPart reads a distribution, and with weighted a mixture part's
// weight beside it.
func (d *decoder) distPart(v value, q quantity, depth int, weighted bool) (sim.Dist, float64) {
	if _, isMap := v.n.(*ast.MappingNode); !isMap {
		if s, isStr := v.n.(*ast.StringNode); isStr && !weighted {
			if _, family := distParams[strings.ToLower(s.Value)]; family {
				d.errorf(v.at, v.path, "%s needs its parameters, for example %s", s.Value, q.example(strings.ToLower(s.Value)))
				return sim.Dist{}, 0
			}
		}
		if _, isSeq := v.n.(*ast.SequenceNode); isSeq || weighted {
			d.errorf(v.at, v.path, "want a distribution such as %s, got %s", q.example(""), kind(v))
			return sim.Dist{}, 0
		}
		// A bare amount is a constant: "latency: 30ms", "value: 1.5".
		x, ok := q.amount(d, v)
		if ok && x < 0 {
			d.errorf(v.at, v.path, "%s must be ≥ 0", q.format(x))
			ok = false
		}
		if !ok {
			return sim.Dist{}, 0
		}
		return sim.Constant(x), 0
	}

	fs, _ := d.fields(v, 0) // v is a mapping
	family := ""
	for _, f := range fs {
		if f.key == "dist" {
			family, _ = d.text(f.v, distNames)
		}
	}
	params, known := distParams[family]
	if !known {
		if family != "" {
			dv := v
			for _, f := range fs {
				if f.key == "dist" {
					dv = f.v
				}
			}
			d.errorf(dv.at, dv.path, "%q is not a distribution (want %s)", family, distNames)
		} else if !hasKey(fs, "dist") {
			d.errorf(v.at, child(v.path, "dist"), "is required (the family: %s)", distNames)
		}
		return sim.Dist{}, 0
	}
	// weight is allowed everywhere so that a stray one gets the message
	// below rather than "unknown field".
	allowed := append([]string{"dist"}, params...)
	allowed = append(allowed, "weight")
	o := d.objectOf(v, fs, allowed)
	for _, f := range fs {
		if f.key == "weight" && !weighted {
			d.errorf(f.keyAt, f.v.path, "weight belongs to a part of a mixture")
		}
	}

	var weight float64
	if weighted {
		if wv, ok := o.require("weight", "the part's relative weight, a number ≥ 0"); ok {
			if x, ok := d.number(wv, "a weight ≥ 0"); ok {
				if x < 0 {
					d.errorf(wv.at, wv.path, "%g must be ≥ 0", x)
				}
				weight = x
			}
		}
	}
	// param reads a required parameter; ok is false when it is missing
	// or malformed (already reported).
	param := func(key, what string) (float64, value, bool) {
		pv, ok := o.require(key, what)
		if !ok {
			return 0, value{}, false
		}
		x, ok := q.amount(d, pv)
		return x, pv, ok
	}
	atLeast0 := func(x float64, pv value) bool {
		if x < 0 {
			d.errorf(pv.at, pv.path, "%s must be ≥ 0", q.format(x))
			return false
		}
		return true
	}

	var out sim.Dist
	switch family {
	case "constant":
		x, pv, ok := param("value", "the constant")
		if ok && atLeast0(x, pv) {
			out = sim.Constant(x)
		}
	case "uniform":
		lo, lv, ok1 := param("min", "the lower bound")
		hi, hv, ok2 := param("max", "the upper bound")
		ok1 = ok1 && atLeast0(lo, lv)
		if ok1 && ok2 && hi < lo {
			d.errorf(hv.at, hv.path, "%s is below the min %s", q.format(hi), q.format(lo))
			ok2 = false
		}
		if ok1 && ok2 {
			out = sim.Uniform(lo, hi)
		}
	case "normal":
		mean, mv, ok1 := param("mean", "the mean")
		sd, sv, ok2 := param("sd", "the standard deviation")
		ok2 = ok2 && atLeast0(sd, sv)
		if ok1 && ok2 && (mean <= 0 && sd == 0 || mean < -3*sd) {
			d.errorf(mv.at, mv.path, "%s is too far below 0 for the sd %s (the normal is truncated at 0)", q.format(mean), q.format(sd))
			ok1 = false
		}
		if ok1 && ok2 {
			out = sim.Normal(mean, sd)
		}
	case "lognormal":
		out = d.lognormal(o, v, q)
	case "exponential":
		mean, mv, ok := param("mean", "the mean")
		if ok && mean <= 0 {
			d.errorf(mv.at, mv.path, "%s must be > 0", q.format(mean))
			ok = false
		}
		if ok {
			out = sim.Exponential(mean)
		}
	case "mixture":
		out = d.mixture(o, q, depth)
	}
	if out.Kind != sim.DistNone {
		// The engine's check is the last word; the ones above should
		// leave it nothing to find.
		if err := out.Validate(); err != nil {
			d.errorf(v.at, v.path, "%v", err)
			out = sim.Dist{}
		}
	}
	return out, weight
}

func hasKey(fs []field, key string) bool {
	for _, f := range fs {
		if f.key == key {
			return true
		}
	}
	return false
}

// lognormal reads {median, p99} or {mu, sigma}. For durations mu is the
// mean of the natural log of the duration in seconds.
func (d *decoder) lognormal(o *object, v value, q quantity) sim.Dist {
	byQuantile := o.has("median") || o.has("p99")
	byMoments := o.has("mu") || o.has("sigma")
	switch {
	case byQuantile && byMoments:
		d.errorf(v.at, v.path, "give median and p99, or mu and sigma, not both")
		return sim.Dist{}
	case byMoments:
		muV, ok1 := o.require("mu", "the mean of the log")
		sgV, ok2 := o.require("sigma", "the standard deviation of the log, ≥ 0")
		var mu, sigma float64
		if ok1 {
			mu, ok1 = d.number(muV, "a number (the mean of the log)")
		}
		if ok2 {
			sigma, ok2 = d.number(sgV, "a number ≥ 0 (the standard deviation of the log)")
			if ok2 && sigma < 0 {
				d.errorf(sgV.at, sgV.path, "%g must be ≥ 0", sigma)
				ok2 = false
			}
		}
		if !ok1 || !ok2 {
			return sim.Dist{}
		}
		if q == durations {
			mu += math.Log(float64(sim.Second)) // log-seconds to log-nanoseconds
		}
		return sim.LogNormal(mu, sigma)
	default:
		medV, ok1 := o.require("median", "the median")
		p99V, ok2 := o.require("p99", "the 99th percentile, ≥ the median")
		var med, p99 float64
		if ok1 {
			med, ok1 = q.amount(d, medV)
			if ok1 && med <= 0 {
				d.errorf(medV.at, medV.path, "%s must be > 0", q.format(med))
				ok1 = false
			}
		}
		if ok2 {
			p99, ok2 = q.amount(d, p99V)
		}
		if ok1 && ok2 && p99 < med {
			d.errorf(p99V.at, p99V.path, "%s is below the median %s", q.format(p99), q.format(med))
			return sim.Dist{}
		}
		if !ok1 || !ok2 {
			return sim.Dist{}
		}
		return sim.LogNormalMedianP99(med, p99)
	}
}

// mixture reads parts: [{weight, dist, ...}, ...].
func (d *decoder) mixture(o *object, q quantity, depth int) sim.Dist {
	pv, ok := o.require("parts", "a list of {weight, dist, ...}")
	if !ok {
		return sim.Dist{}
	}
	if depth >= maxMixtureDepth {
		d.errorf(pv.at, pv.path, "mixtures nest more than %d deep", maxMixtureDepth)
		return sim.Dist{}
	}
	items, ok := d.list(pv, "a list of {weight, dist, ...}")
	if !ok {
		return sim.Dist{}
	}
	if len(items) == 0 {
		d.errorf(pv.at, pv.path, "needs at least one part")
		return sim.Dist{}
	}
	parts := make([]sim.Part, 0, len(items))
	total, good := 0.0, true
	for _, it := range items {
		n := len(d.errs)
		dist, w := d.distPart(it, q, depth+1, true)
		if len(d.errs) > n || dist.Kind == sim.DistNone {
			good = false
			continue
		}
		total += w
		parts = append(parts, sim.Part{Weight: w, Dist: dist})
	}
	if !good {
		return sim.Dist{}
	}
	if total <= 0 {
		d.errorf(pv.at, pv.path, "the weights add up to 0; at least one must be > 0")
		return sim.Dist{}
	}
	return sim.Mixture(parts...)
}
