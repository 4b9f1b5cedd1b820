package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// EncodeChangeValue is the value a change sets as version 1 of the change
// log wrote it, in the scenario file's units, the change log's `value`,
// kept for the readers of that version (a replay reads `set`, the change
// as a path assignment; it reads `value` only for a named kind, a budget
// move, and for version 1's files):
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
//	budget         currency, "unlimited" (no budget), or "no_total" (a daily
//	               budget's total cap removed: budget.total=null)
//	strategy       {"kind": "truthful"} | {"kind": "shade", "factor"} |
//	               {"kind": "fixed", "bid"} (bid in CPM) | {"kind": "equilibrium"} |
//	               {"kind": "learn", "arms", "epsilon"} (both omitted at 0, the default)
//	pacing         "none" | "throttle" | "multiplier"
//	enabled        true | false
//	abandonment    {"per_100ms", "grace_ms"}
//
// DecodeChange reads it back to the same change, a distribution through
// the scenario's own decoder.
func EncodeChangeValue(c sim.Change) any {
	switch c := c.(type) {
	case sim.SetTmax:
		return msOfTime(c.Tmax)
	case sim.SetFloor:
		return c.Floor.CPM()
	case sim.SetIncrement:
		return c.Increment.CPM()
	case sim.SetAuction:
		return c.Auction.String()
	case sim.SetQPS:
		return c.QPS
	case sim.ScaleLatency:
		return c.Factor
	case sim.SetLatency:
		return encodeDist(c.Latency)
	case sim.SetBudget:
		if c.Unlimited && c.KeepDaily {
			return "no_total"
		}
		if c.Unlimited {
			return "unlimited"
		}
		return c.Total.Float()
	case sim.SetStrategy:
		v := strategyValue{Kind: c.Strategy.Kind.String()}
		switch c.Strategy.Kind {
		case sim.Shade:
			v.Factor = &c.Strategy.Factor
		case sim.Fixed:
			bid := c.Strategy.Bid.CPM()
			v.Bid = &bid
		case sim.Learn:
			v.Arms, v.Epsilon = c.Strategy.Arms, c.Strategy.Epsilon
		case sim.TargetCPA:
			cpa := c.Strategy.CPA.Float()
			v.CPA = &cpa
		case sim.TargetROAS:
			v.ROAS = &c.Strategy.ROAS
			if c.Strategy.On != sim.OnAttributed {
				v.On = c.Strategy.On.String()
			}
		}
		return v
	case sim.SetPacing:
		return c.Pacing.String()
	case sim.SetEnabled:
		return c.Enabled
	case sim.MoveBudget:
		return moveValue{From: c.From, To: c.To, Amount: c.Amount.Float()}
	case sim.SetAbandonment:
		return abandonmentValue{Per100ms: c.Abandonment.Per100ms, GraceMS: msOfTime(c.Abandonment.Grace)}
	case sim.SetDaily:
		return c.Daily.Float()
	case sim.SetFrequencyCap:
		if c.Cap == nil {
			return nil
		}
		return frequencyCapValue{Impressions: c.Cap.Impressions, PerMS: msOfTime(c.Cap.Per)}
	}
	return nil
}

// frequencyCapValue is a frequency cap, as a change's value (null: none).
type frequencyCapValue struct {
	Impressions int         `json:"impressions"`
	PerMS       json.Number `json:"per_ms"`
}

// abandonmentValue is what waiting costs, as a change's value.
type abandonmentValue struct {
	Per100ms float64     `json:"per_100ms"`
	GraceMS  json.Number `json:"grace_ms"`
}

// moveValue is a budget move's value: {"from", "to", "amount"}.
type moveValue struct {
	From   string  `json:"from"`
	To     string  `json:"to"`
	Amount float64 `json:"amount"`
}

type strategyValue struct {
	Kind   string   `json:"kind"`
	Factor *float64 `json:"factor,omitempty"`
	Bid    *float64 `json:"bid,omitempty"`
	// Arms and Epsilon are a learning bidder's; 0 (omitted): the default.
	Arms    int     `json:"arms,omitempty"`
	Epsilon float64 `json:"epsilon,omitempty"`
	// CPA and ROAS are a goal bidder's target, On its base (omitted:
	// attributed).
	CPA  *float64 `json:"cpa,omitempty"`
	ROAS *float64 `json:"roas,omitempty"`
	On   string   `json:"on,omitempty"`
}

// distValue is a latency distribution in milliseconds. A lognormal's
// exact parameters are those of the log of nanoseconds (mu_log_ns,
// sigma); its median and p99 are there to read.
type distValue struct {
	Dist    string       `json:"dist"`
	Weight  *float64     `json:"weight,omitempty"` // mixture parts only
	ValueMS *json.Number `json:"value_ms,omitempty"`
	MinMS   *json.Number `json:"min_ms,omitempty"`
	MaxMS   *json.Number `json:"max_ms,omitempty"`
	MeanMS  *json.Number `json:"mean_ms,omitempty"`
	SdMS    *json.Number `json:"sd_ms,omitempty"`
	Median  *json.Number `json:"median_ms,omitempty"` // to read; not read back
	P99     *json.Number `json:"p99_ms,omitempty"`    // to read; not read back
	MuLogNS *float64     `json:"mu_log_ns,omitempty"`
	Sigma   *float64     `json:"sigma,omitempty"`
	Parts   []distValue  `json:"parts,omitempty"`
}

func ptr(x float64) *float64 { return &x }

// msPtr is ns nanoseconds as exact milliseconds.
func msPtr(ns float64) *json.Number {
	n := msNumber(ns)
	return &n
}

func encodeDist(d sim.Dist) distValue {
	v := distValue{Dist: d.Kind.String()}
	switch d.Kind {
	case sim.DistConstant:
		v.ValueMS = msPtr(d.A)
	case sim.DistUniform:
		v.MinMS, v.MaxMS = msPtr(d.A), msPtr(d.B)
	case sim.DistNormal:
		v.MeanMS, v.SdMS = msPtr(d.A), msPtr(d.B)
	case sim.DistExponential:
		v.MeanMS = msPtr(d.A)
	case sim.DistLogNormal:
		// Milliseconds to three decimals are enough to read.
		round := func(ns float64) *json.Number { return msPtr(math.Round(ns/1e3) * 1e3) }
		median, p99 := d.MedianP99()
		v.Median, v.P99 = round(median), round(p99)
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

// latencyYAML writes version 1's distribution value as the scenario file
// writes a latency, so that the scenario's own decoder reads it (its
// families, rules and nesting limit), to the same distribution: the
// milliseconds are exact decimals, read back exactly; a lognormal is
// written as its median and p99 where they give back its mu and sigma.
func latencyYAML(v distValue) (string, error) {
	// dur writes milliseconds as a duration the file reads exactly.
	dur := func(x *json.Number) (string, error) {
		if x == nil {
			return "", fmt.Errorf("%s: a parameter is missing", v.Dist)
		}
		ns, err := nsOf(*x)
		if err != nil {
			return "", fmt.Errorf("%s: %w", v.Dist, err)
		}
		return strconv.FormatFloat(ns, 'f', -1, 64) + "ns", nil
	}
	params := func(names []string, xs ...*json.Number) (string, error) {
		out := "{dist: " + v.Dist
		for i, x := range xs {
			d, err := dur(x)
			if err != nil {
				return "", err
			}
			out += ", " + names[i] + ": " + d
		}
		return out + "}", nil
	}
	switch v.Dist {
	case "constant":
		return params([]string{"value"}, v.ValueMS)
	case "uniform":
		return params([]string{"min", "max"}, v.MinMS, v.MaxMS)
	case "normal":
		return params([]string{"mean", "sd"}, v.MeanMS, v.SdMS)
	case "exponential":
		return params([]string{"mean"}, v.MeanMS)
	case "lognormal":
		if v.MuLogNS == nil || v.Sigma == nil {
			return "", errors.New("lognormal: mu_log_ns and sigma are needed")
		}
		// Written as median and p99, it reads back as one, so that
		// errors about it can name those fields.
		if v.Median != nil && v.P99 != nil {
			med, err1 := nsOf(*v.Median)
			p99, err2 := nsOf(*v.P99)
			if d := sim.LogNormalMedianP99(med, p99); err1 == nil && err2 == nil && d.A == *v.MuLogNS && d.B == *v.Sigma {
				return params([]string{"median", "p99"}, v.Median, v.P99)
			}
		}
		p, ok := scenarios.LogNormalLatency(*v.MuLogNS, *v.Sigma)
		if !ok {
			return "", errNoText
		}
		return "{dist: lognormal" + p + "}", nil
	case "mixture":
		parts := make([]string, len(v.Parts))
		for i, pv := range v.Parts {
			if pv.Weight == nil {
				return "", fmt.Errorf("mixture part %d: no weight", i)
			}
			text, err := latencyYAML(pv)
			if err != nil {
				return "", fmt.Errorf("mixture part %d: %w", i, err)
			}
			parts[i] = "{weight: " + strconv.FormatFloat(*pv.Weight, 'g', -1, 64) + ", " + strings.TrimPrefix(text, "{")
		}
		return "{dist: mixture, parts: [" + strings.Join(parts, ", ") + "]}", nil
	}
	return "", fmt.Errorf("unknown distribution %q", v.Dist)
}

// errNoText says a lognormal's mu no file's mu gives back exactly.
var errNoText = errors.New("no file's lognormal gives back its mu_log_ns exactly")

// decodeLatency reads version 1's distribution value through the
// scenario's decoder. A lognormal whose median is below a few
// microseconds may have a mu no file's mu gives back; it is taken as its
// mu_log_ns and sigma, exactly, as the change log wrote them.
func decodeLatency(v distValue) (sim.Dist, error) {
	if v.Dist == "none" {
		return sim.Dist{}, nil // no latency; sim refuses it where it matters
	}
	text, err := latencyYAML(v)
	if errors.Is(err, errNoText) && v.Dist == "lognormal" {
		return sim.LogNormal(*v.MuLogNS, *v.Sigma), nil
	}
	if err != nil {
		return sim.Dist{}, err
	}
	return scenarios.ParseLatency(text)
}

// convert reads a change's value as a V and converts it to a T, unless
// *err is already set (then, or when either step fails, it returns the
// zero T with *err set).
func convert[V, T any](unmarshal func(any) bool, err *error, conv func(V) (T, error)) T {
	var v V
	var t T
	if unmarshal(&v) {
		t, *err = conv(v)
	}
	return t
}

// decodeAbandonment reads version 1's abandonment value.
func decodeAbandonment(v abandonmentValue) (sim.Abandonment, error) {
	ab := sim.Abandonment{Per100ms: v.Per100ms}
	if v.GraceMS == "" {
		return ab, nil
	}
	var err error
	ab.Grace, err = timeOf(v.GraceMS)
	return ab, err
}

// decodeStrategy reads version 1's strategy value: a kind, with the
// factor or bid that kind needs.
func decodeStrategy(v strategyValue) (sim.Strategy, error) {
	var st sim.Strategy
	var err error
	st.Kind, err = sim.ParseStrategyKind(v.Kind)
	switch {
	case err != nil:
	case st.Kind == sim.Shade && v.Factor == nil:
		err = errors.New("shade needs a factor")
	case st.Kind == sim.Shade:
		st.Factor = *v.Factor
	case st.Kind == sim.Fixed && v.Bid == nil:
		err = errors.New("fixed needs a bid")
	case st.Kind == sim.Fixed:
		err = inRange("bid", *v.Bid, sim.CheckCPM)
		st.Bid = sim.PriceOf(*v.Bid)
	case st.Kind == sim.Learn:
		st.Arms, st.Epsilon = v.Arms, v.Epsilon
	case st.Kind == sim.TargetCPA && v.CPA == nil:
		err = errors.New("target_cpa needs a cpa")
	case st.Kind == sim.TargetCPA:
		err = inRange("cpa", *v.CPA, sim.CheckTarget)
		st.CPA = sim.MoneyOf(*v.CPA)
	case st.Kind == sim.TargetROAS && v.ROAS == nil:
		err = errors.New("target_roas needs a roas")
	case st.Kind == sim.TargetROAS:
		st.ROAS = *v.ROAS
		if v.On != "" {
			st.On, err = sim.ParseGoalBase(v.On)
		}
	}
	return st, err
}

// inRange refuses a bid or CPA its type cannot hold (NaN, huge,
// negative) as written, in the engine's words, naming field.
func inRange(field string, x float64, check func(float64) error) error {
	if err := check(x); err != nil {
		return fmt.Errorf("%s: %w", field, err)
	}
	return nil
}

// namesBidder reports whether a change of kind is made to one bidder,
// named in the entry's bidder (a budget move names its own in its value).
func namesBidder(kind string) bool {
	switch kind {
	case sim.KindLatencyScale, sim.KindLatency, sim.KindFrequencyCap, sim.KindBudget,
		sim.KindDaily, sim.KindStrategy, sim.KindPacing, sim.KindEnabled:
		return true
	}
	return false
}

// DecodeChange reads a change log entry's kind, bidder and value back into
// the change EncodeChangeValue wrote.
func DecodeChange(kind, bidder string, value json.RawMessage) (sim.Change, error) {
	var (
		f   float64
		err error
	)
	// unmarshal reads value into v unless an error came first; true if
	// all is well.
	unmarshal := func(v any) bool {
		if err == nil {
			err = json.Unmarshal(value, v)
		}
		return err == nil
	}
	number := func() float64 { unmarshal(&f); return f }
	// A Price or Money cannot hold every wrong number: the range is
	// checked before converting, in the engine's words.
	checked := func(check func(float64) error) float64 {
		x := number()
		if err == nil {
			err = check(x)
		}
		return x
	}
	price := func() sim.Price { return sim.PriceOf(checked(sim.CheckCPM)) }
	money := func() sim.Money { return sim.MoneyOf(checked(sim.CheckCurrency)) }
	if bidder == "" && namesBidder(kind) {
		err = errors.New("no bidder")
	}
	var c sim.Change
	switch kind {
	case sim.KindTmax:
		c = sim.SetTmax{Tmax: convert(unmarshal, &err, timeOf)}
	case sim.KindFloor:
		c = sim.SetFloor{Floor: price()}
	case sim.KindIncrement:
		c = sim.SetIncrement{Increment: price()}
	case sim.KindQPS:
		c = sim.SetQPS{QPS: number()}
	case sim.KindAuction:
		c = sim.SetAuction{Auction: convert(unmarshal, &err, sim.ParseAuctionType)}
	case sim.KindLatencyScale:
		c = sim.ScaleLatency{Bidder: bidder, Factor: number()}
	case sim.KindLatency:
		c = sim.SetLatency{Bidder: bidder, Latency: convert(unmarshal, &err, decodeLatency)}
	case sim.KindAbandonment:
		c = sim.SetAbandonment{Abandonment: convert(unmarshal, &err, decodeAbandonment)}
	case sim.KindFrequencyCap:
		fc := sim.SetFrequencyCap{Bidder: bidder}
		if string(value) != "null" {
			fc.Cap = convert(unmarshal, &err, func(v frequencyCapValue) (*sim.FrequencyCap, error) {
				per, err := timeOf(v.PerMS)
				return &sim.FrequencyCap{Impressions: v.Impressions, Per: per}, err
			})
		}
		c = fc
	case sim.KindMoveBudget:
		var v moveValue
		if unmarshal(&v) && (v.From == "" || v.To == "") {
			err = errors.New("a budget move needs from and to")
		}
		var m sim.Money
		if err == nil {
			m, err = sim.MoveAmount(v.Amount)
		}
		c = sim.MoveBudget{From: v.From, To: v.To, Amount: m}
	case sim.KindBudget:
		switch string(value) {
		case `"unlimited"`:
			c = sim.SetBudget{Bidder: bidder, Unlimited: true}
		case `"no_total"`:
			c = sim.SetBudget{Bidder: bidder, Unlimited: true, KeepDaily: true}
		default:
			c = sim.SetBudget{Bidder: bidder, Total: money()}
		}
	case sim.KindDaily:
		c = sim.SetDaily{Bidder: bidder, Daily: money()}
	case sim.KindStrategy:
		c = sim.SetStrategy{Bidder: bidder, Strategy: convert(unmarshal, &err, decodeStrategy)}
	case sim.KindPacing:
		c = sim.SetPacing{Bidder: bidder, Pacing: convert(unmarshal, &err, sim.ParsePacingKind)}
	case sim.KindEnabled:
		var on bool
		unmarshal(&on)
		c = sim.SetEnabled{Bidder: bidder, Enabled: on}
	default:
		return nil, fmt.Errorf("unknown change kind %q", kind)
	}
	if err != nil {
		return nil, fmt.Errorf("%s change: value %s: %w", kind, value, err)
	}
	return c, nil
}
