package scenarios

import (
	"github.com/goccy/go-yaml/ast"

	"github.com/auctionsim/auctionsim/sim"
)

// The timeout lab's fields: the tmax curve's grid and Prebid Server's
// deadline chain under exchange, respects_tmax on a bidder.
var (
	tmaxCurveFields       = []string{"from", "to", "step"}
	tmaxAdjustmentsFields = []string{"request_processing", "network_buffer", "response_preparation", "bidder_response_min"}
	abandonmentFields     = []string{"per_100ms", "grace"}
)

// timeouts reads exchange.tmax_curve (default sim.DefaultTmaxCurve, which
// follows tmax; false switches it off; a mapping fills in
// sim.BaseTmaxCurve), exchange.tmax_adjustments, exchange.close_early
// (default true) and exchange.abandonment. With several slots the curve,
// which prices one item, is off unless asked for (and then refused).
func (d *decoder) timeouts(o *object, x *sim.ExchangeConfig) {
	if len(x.Slots) <= 1 {
		x.TmaxCurve = sim.DefaultTmaxCurve
	}
	if v, ok := o.get("tmax_curve"); ok {
		x.TmaxCurve = d.tmaxCurve(v)
	}
	if v, ok := o.get("tmax_adjustments"); ok {
		x.TmaxAdjustments = d.tmaxAdjustments(v)
	}
	if v, ok := o.get("close_early"); ok {
		early, _ := d.boolean(v)
		x.HoldOpen = !early
	}
	if v, ok := o.get("abandonment"); ok {
		x.Abandonment = d.abandonment(v)
	}
}

// abandonment reads exchange.abandonment: per_100ms (required) and grace
// (default 0); sim's Validate checks the ranges.
func (d *decoder) abandonment(v value) sim.Abandonment {
	var ab sim.Abandonment
	d.section(v, "a mapping with per_100ms (a probability) and optionally grace (a duration)", abandonmentFields, func(o *object) {
		ab.Per100ms = o.requiredNumber("per_100ms", "the probability of leaving per 100 ms of wait past grace, in [0, 1]", "a probability in [0, 1]")
		ab.Grace = o.duration("grace")
	})
	return ab
}

func (d *decoder) tmaxCurve(v value) sim.TmaxGrid {
	if b, ok := v.n.(*ast.BoolNode); ok && !v.str {
		if !b.Value {
			return sim.TmaxGrid{}
		}
		return sim.DefaultTmaxCurve
	}
	g := sim.BaseTmaxCurve
	o, ok := d.object(v, "a mapping with from, to and step (durations), or false", tmaxCurveFields...)
	if !ok {
		return sim.DefaultTmaxCurve
	}
	for key, dst := range map[string]*sim.Time{"from": &g.From, "to": &g.To, "step": &g.Step} {
		if fv, ok := o.get(key); ok {
			if t, ok := d.duration(fv); ok {
				if t <= 0 {
					d.errorf(fv.at, fv.path, "%s", d.asWritten(fv.path, t.Window()+" must be > 0"))
				}
				*dst = t
			}
		}
	}
	return g
}

func (d *decoder) tmaxAdjustments(v value) sim.TmaxAdjustments {
	var a sim.TmaxAdjustments
	d.section(v, "a mapping with request_processing, network_buffer, response_preparation, bidder_response_min (durations)", tmaxAdjustmentsFields, func(o *object) {
		for key, dst := range map[string]*sim.Time{
			"request_processing": &a.RequestProcessing, "network_buffer": &a.NetworkBuffer,
			"response_preparation": &a.ResponsePreparation, "bidder_response_min": &a.BidderResponseMin,
		} {
			*dst = o.duration(key) // sim's Validate checks ≥ 0
		}
	})
	return a
}

// respectsTmax reads a bidder's respects_tmax.
func (d *decoder) respectsTmax(o *object, b *sim.BidderConfig) {
	b.RespectsTmax = o.boolean("respects_tmax")
}
