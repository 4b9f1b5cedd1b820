package scenarios

import (
	"math"
	"slices"
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
		return d.durationNS(v)
	}
	return d.number(v, "a number (CPM)")
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
			lower := strings.ToLower(s.Value)
			if _, family := distParams[lower]; family {
				d.errorf(v.at, v.path, "%s needs its parameters, for example %s", s.Value, q.example(lower))
				return sim.Dist{}, 0
			}
			// The form the tool prints a law in ("uniform(0.5, 2)",
			// "lognormal(median 1, p99 4)") is not the form it reads.
			if name, _, ok := strings.Cut(lower, "("); ok {
				name = strings.TrimSpace(name)
				if _, family := distParams[name]; family {
					d.errorf(v.at, v.path, "%q: a distribution is written as a mapping, for example %s (a bare amount is a constant)", s.Value, q.example(name))
					return sim.Dist{}, 0
				}
			}
		}
		if _, isSeq := v.n.(*ast.SequenceNode); isSeq || weighted {
			d.errorf(v.at, v.path, "want a distribution such as %s, got %s", q.example(""), kind(v))
			return sim.Dist{}, 0
		}
		// A bare amount is a constant: "latency: 30ms", "value: 1.5".
		x, ok := q.amount(d, v)
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
		} else if !hasKey(fs, "dist") && !d.reported[child(v.path, "dist")] {
			d.errorf(v.at, child(v.path, "dist"), "is required (the family: %s)", distNames)
		}
		return sim.Dist{}, 0
	}
	// weight is allowed everywhere so that a stray one gets the message
	// below rather than "unknown field".
	allowed := append([]string{"dist"}, params...)
	allowed = append(allowed, "weight")
	if family == "mixture" {
		fs = d.partsOwn(fs, allowed)
	}
	o := d.objectOf(v, fs, allowed)
	for _, f := range fs {
		if f.key == "weight" && !weighted {
			d.errorf(f.keyAt, f.v.path, "weight belongs to a part of a mixture")
		}
	}

	var weight float64
	if weighted {
		if wv, ok := o.require("weight", "the part's relative weight, a number ≥ 0"); ok {
			weight, _ = d.number(wv, "a weight ≥ 0")
		}
	}
	// param reads a required parameter; ok is false when it is missing
	// or malformed (already reported).
	param := func(key, what string) (float64, bool) {
		pv, ok := o.require(key, what)
		if !ok {
			return 0, false
		}
		return q.amount(d, pv)
	}

	// The engine checks the parameters' values (sim.Config.Validate).
	var out sim.Dist
	switch family {
	case "constant":
		if x, ok := param("value", "the constant"); ok {
			out = sim.Constant(x)
		}
	case "uniform":
		lo, ok1 := param("min", "the lower bound")
		hi, ok2 := param("max", "the upper bound")
		if ok1 && ok2 {
			out = sim.Uniform(lo, hi)
		}
	case "normal":
		mean, ok1 := param("mean", "the mean")
		sd, ok2 := param("sd", "the standard deviation")
		if ok1 && ok2 {
			out = sim.Normal(mean, sd)
		}
	case "lognormal":
		out = d.lognormal(o, v, q)
	case "exponential":
		if mean, ok := param("mean", "the mean"); ok {
			out = sim.Exponential(mean)
		}
	case "mixture":
		out = d.mixture(o, q, depth)
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
		}
		if ok2 {
			p99, ok2 = q.amount(d, p99V)
		}
		if !ok1 || !ok2 {
			return sim.Dist{}
		}
		return sim.LogNormalMedianP99(med, p99)
	}
}

// partsOwn reports, of a mixture's fields fs, those that are its parts'
// parameters (median, p99, …: a --set or : path into a mixture, as
// bidders.tail.latency.median=50ms, puts one there), saying where they
// belong rather than "unknown field", and returns the others.
func (d *decoder) partsOwn(fs []field, allowed []string) []field {
	kept := fs[:0:0]
	for _, f := range fs {
		if !slices.Contains(allowed, f.key) && isParam(f.key) {
			d.errorf(f.keyAt, f.v.path, "a mixture has no %s of its own, its parts each have theirs: set parts as a whole, or the whole distribution", f.key)
			continue
		}
		kept = append(kept, f)
	}
	return kept
}

// isParam reports whether key is a parameter of some family.
func isParam(key string) bool {
	for _, ps := range distParams {
		if slices.Contains(ps, key) {
			return true
		}
	}
	return false
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
	parts := make([]sim.Part, 0, len(items))
	good := true
	for _, it := range items {
		n := len(d.errs)
		dist, w := d.distPart(it, q, depth+1, true)
		good = good && len(d.errs) == n && dist.Kind != sim.DistNone
		parts = append(parts, sim.Part{Weight: w, Dist: dist})
	}
	if !good {
		return sim.Dist{}
	}
	return sim.Mixture(parts...)
}
