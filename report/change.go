package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"

	"github.com/auctionsim/auctionsim/sim"
)

// EncodeChangeValue is the value a change sets, in the scenario file's
// units, as the change log's `value`:
//
//	tmax           milliseconds (a number)
//	floor          CPM
//	increment      CPM
//	auction        "first-price" | "second-price"
//	qps            ad requests per second
//	latency_scale  the factor the network latency was multiplied by
//	latency        a distribution: {"dist": "lognormal", "median_ms", "p99_ms",
//	               "mu_log_ns", "sigma"}, {"dist": "constant", "value_ms"},
//	               uniform {min_ms, max_ms}, normal {mean_ms, sd_ms},
//	               exponential {mean_ms}, mixture {parts: [{weight, ...}]}
//	budget         currency, or "unlimited"
//	strategy       {"kind": "truthful"} | {"kind": "shade", "factor"} |
//	               {"kind": "fixed", "bid"} (bid in CPM)
//	pacing         "none" | "throttle" | "multiplier"
//	enabled        true | false
//
// DecodeChange reads it back to the same change.
func EncodeChangeValue(c sim.Change) any {
	switch c := c.(type) {
	case sim.SetTmax:
		return c.Tmax.Milliseconds()
	case sim.SetFloor:
		return c.Floor
	case sim.SetIncrement:
		return c.Increment
	case sim.SetAuction:
		return c.Auction.String()
	case sim.SetQPS:
		return c.QPS
	case sim.ScaleLatency:
		return c.Factor
	case sim.SetLatency:
		return encodeDist(c.Latency)
	case sim.SetBudget:
		if c.Unlimited {
			return "unlimited"
		}
		return c.Total
	case sim.SetStrategy:
		v := strategyValue{Kind: c.Strategy.Kind.String()}
		switch c.Strategy.Kind {
		case sim.Shade:
			v.Factor = &c.Strategy.Factor
		case sim.Fixed:
			v.Bid = &c.Strategy.Bid
		}
		return v
	case sim.SetPacing:
		return c.Pacing.String()
	case sim.SetEnabled:
		return c.Enabled
	}
	return nil
}

type strategyValue struct {
	Kind   string   `json:"kind"`
	Factor *float64 `json:"factor,omitempty"`
	Bid    *float64 `json:"bid,omitempty"`
}

// distValue is a latency distribution in milliseconds. A lognormal's
// exact parameters are those of the log of nanoseconds (mu_log_ns,
// sigma); its median and p99 are there to read.
type distValue struct {
	Dist    string      `json:"dist"`
	Weight  *float64    `json:"weight,omitempty"` // mixture parts only
	ValueMS *float64    `json:"value_ms,omitempty"`
	MinMS   *float64    `json:"min_ms,omitempty"`
	MaxMS   *float64    `json:"max_ms,omitempty"`
	MeanMS  *float64    `json:"mean_ms,omitempty"`
	SdMS    *float64    `json:"sd_ms,omitempty"`
	Median  *float64    `json:"median_ms,omitempty"`
	P99     *float64    `json:"p99_ms,omitempty"`
	MuLogNS *float64    `json:"mu_log_ns,omitempty"`
	Sigma   *float64    `json:"sigma,omitempty"`
	Parts   []distValue `json:"parts,omitempty"`
}

const nsPerMS = float64(sim.Millisecond)

func ptr(x float64) *float64 { return &x }

func encodeDist(d sim.Dist) distValue {
	v := distValue{Dist: d.Kind.String()}
	switch d.Kind {
	case sim.DistConstant:
		v.ValueMS = ptr(d.A / nsPerMS)
	case sim.DistUniform:
		v.MinMS, v.MaxMS = ptr(d.A/nsPerMS), ptr(d.B/nsPerMS)
	case sim.DistNormal:
		v.MeanMS, v.SdMS = ptr(d.A/nsPerMS), ptr(d.B/nsPerMS)
	case sim.DistExponential:
		v.MeanMS = ptr(d.A / nsPerMS)
	case sim.DistLogNormal:
		const z99 = 2.3263478740408408
		v.Median, v.P99 = ptr(math.Exp(d.A)/nsPerMS), ptr(math.Exp(d.A+z99*d.B)/nsPerMS)
		v.MuLogNS, v.Sigma = ptr(d.A), ptr(d.B)
	case sim.DistMixture:
		for _, p := range d.Parts {
			pv := encodeDist(p.Dist)
			pv.Weight = ptr(p.Weight)
			v.Parts = append(v.Parts, pv)
		}
	}
	return v
}

func decodeDist(v distValue, depth int) (sim.Dist, error) {
	if depth > 8 {
		return sim.Dist{}, errors.New("mixtures nested too deep")
	}
	need := func(xs ...*float64) error {
		for _, x := range xs {
			if x == nil {
				return fmt.Errorf("%s: a parameter is missing", v.Dist)
			}
		}
		return nil
	}
	// ms converts milliseconds to the engine's nanoseconds.
	ms := func(x *float64) float64 { return *x * nsPerMS }
	switch v.Dist {
	case "none":
		return sim.Dist{}, nil
	case "constant":
		if err := need(v.ValueMS); err != nil {
			return sim.Dist{}, err
		}
		return sim.Constant(ms(v.ValueMS)), nil
	case "uniform":
		if err := need(v.MinMS, v.MaxMS); err != nil {
			return sim.Dist{}, err
		}
		return sim.Uniform(ms(v.MinMS), ms(v.MaxMS)), nil
	case "normal":
		if err := need(v.MeanMS, v.SdMS); err != nil {
			return sim.Dist{}, err
		}
		return sim.Normal(ms(v.MeanMS), ms(v.SdMS)), nil
	case "exponential":
		if err := need(v.MeanMS); err != nil {
			return sim.Dist{}, err
		}
		return sim.Exponential(ms(v.MeanMS)), nil
	case "lognormal":
		if err := need(v.MuLogNS, v.Sigma); err != nil {
			return sim.Dist{}, err
		}
		return sim.LogNormal(*v.MuLogNS, *v.Sigma), nil
	case "mixture":
		parts := make([]sim.Part, len(v.Parts))
		for i, pv := range v.Parts {
			if pv.Weight == nil {
				return sim.Dist{}, fmt.Errorf("mixture part %d: no weight", i)
			}
			d, err := decodeDist(pv, depth+1)
			if err != nil {
				return sim.Dist{}, fmt.Errorf("mixture part %d: %w", i, err)
			}
			parts[i] = sim.Part{Weight: *pv.Weight, Dist: d}
		}
		return sim.Mixture(parts...), nil
	}
	return sim.Dist{}, fmt.Errorf("unknown distribution %q", v.Dist)
}

// DecodeChange reads a change log entry's kind, bidder and value back into
// the change EncodeChangeValue wrote.
func DecodeChange(kind, bidder string, value json.RawMessage) (sim.Change, error) {
	var (
		f   float64
		s   string
		err error
	)
	number := func() float64 {
		if err == nil {
			err = json.Unmarshal(value, &f)
		}
		return f
	}
	text := func() string {
		if err == nil {
			err = json.Unmarshal(value, &s)
		}
		return s
	}
	needBidder := func() {
		if err == nil && bidder == "" {
			err = errors.New("no bidder")
		}
	}
	var c sim.Change
	switch kind {
	case sim.KindTmax:
		c = sim.SetTmax{Tmax: sim.Time(math.Round(number() * nsPerMS))}
	case sim.KindFloor:
		c = sim.SetFloor{Floor: number()}
	case sim.KindIncrement:
		c = sim.SetIncrement{Increment: number()}
	case sim.KindQPS:
		c = sim.SetQPS{QPS: number()}
	case sim.KindAuction:
		var a sim.AuctionType
		if t := text(); err == nil {
			a, err = sim.ParseAuctionType(t)
		}
		c = sim.SetAuction{Auction: a}
	case sim.KindLatencyScale:
		needBidder()
		c = sim.ScaleLatency{Bidder: bidder, Factor: number()}
	case sim.KindLatency:
		needBidder()
		var v distValue
		var d sim.Dist
		if err == nil {
			err = json.Unmarshal(value, &v)
		}
		if err == nil {
			d, err = decodeDist(v, 0)
		}
		c = sim.SetLatency{Bidder: bidder, Latency: d}
	case sim.KindBudget:
		needBidder()
		if string(value) == `"unlimited"` {
			c = sim.SetBudget{Bidder: bidder, Unlimited: true}
		} else {
			c = sim.SetBudget{Bidder: bidder, Total: number()}
		}
	case sim.KindStrategy:
		needBidder()
		var v strategyValue
		var st sim.Strategy
		if err == nil {
			err = json.Unmarshal(value, &v)
		}
		if err == nil {
			st.Kind, err = sim.ParseStrategyKind(v.Kind)
		}
		switch {
		case err != nil:
		case st.Kind == sim.Shade && v.Factor == nil:
			err = errors.New("shade needs a factor")
		case st.Kind == sim.Shade:
			st.Factor = *v.Factor
		case st.Kind == sim.Fixed && v.Bid == nil:
			err = errors.New("fixed needs a bid")
		case st.Kind == sim.Fixed:
			st.Bid = *v.Bid
		}
		c = sim.SetStrategy{Bidder: bidder, Strategy: st}
	case sim.KindPacing:
		needBidder()
		var p sim.PacingKind
		if t := text(); err == nil {
			p, err = sim.ParsePacingKind(t)
		}
		c = sim.SetPacing{Bidder: bidder, Pacing: p}
	case sim.KindEnabled:
		needBidder()
		var on bool
		if err == nil {
			err = json.Unmarshal(value, &on)
		}
		c = sim.SetEnabled{Bidder: bidder, Enabled: on}
	default:
		return nil, fmt.Errorf("unknown change kind %q", kind)
	}
	if err != nil {
		return nil, fmt.Errorf("%s change: value %s: %w", kind, value, err)
	}
	return c, nil
}
