package report

import (
	"bytes"
	"encoding/json"
	"math"
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
