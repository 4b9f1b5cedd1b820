package report

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
)

func curveConfig() sim.Config {
	ms := float64(sim.Millisecond)
	return sim.Config{
		Seed:    2,
		Traffic: sim.Traffic{QPS: 100},
		Exchange: sim.ExchangeConfig{
			Auction: sim.SecondPrice, Tmax: 100 * sim.Millisecond, Floor: sim.PriceOf(0.1),
			TmaxCurve:       sim.DefaultTmaxCurve,
			TmaxAdjustments: sim.TmaxAdjustments{NetworkBuffer: 20 * sim.Millisecond},
		},
		Bidders: []sim.BidderConfig{
			{Name: "a", Latency: sim.LogNormalMedianP99(60*ms, 150*ms), Value: sim.Uniform(1, 2), RespectsTmax: true},
			{Name: "b", Latency: sim.LogNormalMedianP99(90*ms, 200*ms), Value: sim.Uniform(1, 2)},
		},
	}
}

func TestTmaxCurveJSON(t *testing.T) {
	decode := func(snap *sim.Snapshot) map[string]any {
		var buf bytes.Buffer
		if err := WriteSummary(&buf, snap, Meta{}); err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	e, err := sim.New(curveConfig())
	if err != nil {
		t.Fatal(err)
	}
	// Before any auction every ratio is undefined: null.
	m := decode(e.Snapshot())
	first := m["tmax_curve"].([]any)[0].(map[string]any)
	for _, k := range []string{"revenue_per_auction", "fill_rate", "late_share", "mean_clearing_price"} {
		if v, ok := first[k]; !ok || v != nil {
			t.Errorf("%s = %v before any auction, want null", k, v)
		}
	}
	e.RunAuctions(5000)
	snap := e.Snapshot()
	m = decode(snap)
	curve := m["tmax_curve"].([]any)
	if len(curve) != 20 {
		t.Fatalf("%d points", len(curve))
	}
	for i, p := range curve {
		p := p.(map[string]any)
		want := snap.TmaxCurve[i]
		if p["tmax_ms"] != want.Tmax.Milliseconds() || p["revenue"] != want.Revenue.Float() ||
			p["fill_rate"] != want.FillRate() || !sameRatio(p["late_share"], want.LateShare()) ||
			p["revenue_per_auction"] != want.RevenuePerAuction() || p["auctions"] != float64(5000) {
			t.Errorf("point %d: %v, want %+v", i, p, want)
		}
	}
	if p := curve[4].(map[string]any); p["tmax_ms"] != 100.0 || p["revenue"] != m["exchange"].(map[string]any)["revenue"] {
		t.Errorf("the point at the run's tmax is the run: %v vs %v", p, m["exchange"])
	}
	set := m["settings"].(map[string]any)
	if set["bidder_tmax_ms"] != 80.0 || set["tmax_ms"] != 100.0 || set["rate"] != 100.0 {
		t.Errorf("settings %v", set)
	}
	x := m["exchange"].(map[string]any)
	if x["skipped_deadline"].(float64) == 0 || x["skipped_deadline"] != m["bidders"].([]any)[0].(map[string]any)["skipped_deadline"] {
		t.Errorf("skipped_deadline: exchange %v, bidders %v", x["skipped_deadline"], m["bidders"])
	}

	cfg := curveConfig()
	cfg.Exchange.TmaxCurve = sim.TmaxGrid{}
	e, _ = sim.New(cfg)
	if m := decode(e.Snapshot()); m["tmax_curve"] != nil {
		t.Errorf("curve off: %v, want null", m["tmax_curve"])
	}
}

// sameRatio reports whether a decoded JSON ratio is f: null where f is
// undefined (NaN), as at a point where the skip rule calls no bidder.
func sameRatio(v any, f float64) bool {
	if math.IsNaN(f) {
		return v == nil
	}
	return v == f
}

// TestTmaxCurveSkipRuleJSON: bidders told 90 ms, below a
// bidder_response_min of 150 ms, get no bid request at all (Prebid
// Server's skip rule); what they would have bid at a tmax where the rule
// does not apply is unknown, so tmax_curve stops at the longest tmax of
// its grid at which the rule applies too (240 ms), tmax_curve_why names
// the skip rule, not the wire, and tmax_advice, which would name a point
// of an all-zero curve, is null with why. A run where the rule sends
// everything has none of the three fields.
func TestTmaxCurveSkipRuleJSON(t *testing.T) {
	decode := func(cfg sim.Config) map[string]any {
		e, err := sim.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		e.RunAuctions(500)
		var buf bytes.Buffer
		if err := WriteSummary(&buf, e.Snapshot(), Meta{}); err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	cfg := curveConfig()
	cfg.Exchange.Tmax = 200 * sim.Millisecond
	cfg.Exchange.TmaxAdjustments = sim.TmaxAdjustments{RequestProcessing: 20 * sim.Millisecond, NetworkBuffer: 60 * sim.Millisecond,
		ResponsePreparation: 30 * sim.Millisecond, BidderResponseMin: 150 * sim.Millisecond}
	m := decode(cfg)
	if u := m["exchange"].(map[string]any)["unsent"]; u == 0.0 {
		t.Fatal("the skip rule sent bid requests")
	}
	curve := m["tmax_curve"].([]any)
	if last := curve[len(curve)-1].(map[string]any); len(curve) != 12 || last["tmax_ms"] != 240.0 {
		t.Errorf("%d points up to %v ms, want 12 up to 240", len(curve), last["tmax_ms"])
	}
	if v := m["tmax_curve_censored_above_ms"]; v != 240.0 {
		t.Errorf("tmax_curve_censored_above_ms %v, want 240", v)
	}
	why, _ := m["tmax_curve_why"].(string)
	for _, want := range []string{"skip rule", "bidder_response_min (150ms)", "240ms", "unknown"} {
		if !strings.Contains(why, want) {
			t.Errorf("tmax_curve_why lacks %q: %q", want, why)
		}
	}
	if strings.Contains(why, "wire") {
		t.Errorf("tmax_curve_why blames the wire: %q", why)
	}
	if v, ok := m["tmax_advice"]; !ok || v != nil {
		t.Errorf("tmax_advice %v, want null", v)
	}
	adviceWhy, _ := m["tmax_advice_why"].(string)
	if !strings.Contains(adviceWhy, "skip rule") || !strings.Contains(adviceWhy, "240ms") || strings.Contains(adviceWhy, "wire") {
		t.Errorf("tmax_advice_why %q, want the skip rule's", adviceWhy)
	}

	cfg.Exchange.Tmax = 300 * sim.Millisecond
	m = decode(cfg)
	for _, k := range []string{"tmax_curve_censored_above_ms", "tmax_curve_why", "tmax_advice_why"} {
		if v, ok := m[k]; ok {
			t.Errorf("tmax 300ms, nothing unsent: %s = %v", k, v)
		}
	}
	if m["tmax_advice"] == nil || len(m["tmax_curve"].([]any)) != 30 {
		t.Errorf("tmax 300ms: advice %v over %d points", m["tmax_advice"], len(m["tmax_curve"].([]any)))
	}
}
