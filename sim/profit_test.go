package sim

import (
	"math"
	"testing"
)

// TestProfitMetrics: each bidder's and group's incremental_profit and
// attributed_profit are its value that way less its spend, as the
// catalogue reports them; NaN for a bidder without an outcome model.
func TestProfitMetrics(t *testing.T) {
	out := &Outcome{CTR: 0.2, CVR: 0.3, BaselineCVR: 0.01, OrderValue: MoneyOf(40), Delay: Constant(0)}
	cfg := Config{
		Seed:     5,
		Traffic:  Traffic{QPS: 1000},
		Exchange: ExchangeConfig{Auction: SecondPrice, Tmax: 100 * Millisecond},
		Bidders: []BidderConfig{
			{Name: "a", Group: "g", Value: Uniform(1, 3), Outcome: out},
			{Name: "b", Group: "g", Value: Uniform(0.5, 2), Outcome: out},
			{Name: "rival", Value: Uniform(1, 2)},
		},
	}
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.RunUntil(5 * Second)
	s := e.Snapshot()
	v := MetricValues(s)
	for _, who := range []string{"bidders.a.", "bidders.b.", "groups.g."} {
		sp, iv, av := v[who+"spend"], v[who+"incremental_value"], v[who+"attributed_value"]
		if sp == 0 || iv == 0 || av <= iv {
			t.Fatalf("%s spend %v, values %v %v: the test proves nothing", who, sp, iv, av)
		}
		if got := v[who+"incremental_profit"]; math.Abs(got-(iv-sp)) > 1e-9 {
			t.Errorf("%sincremental_profit = %v, want %v − %v", who, got, iv, sp)
		}
		if got := v[who+"attributed_profit"]; math.Abs(got-(av-sp)) > 1e-9 {
			t.Errorf("%sattributed_profit = %v, want %v − %v", who, got, av, sp)
		}
	}
	if x := v["bidders.rival.incremental_profit"]; !math.IsNaN(x) {
		t.Errorf("rival has no outcome model, yet a profit %v", x)
	}
	for _, name := range []string{"bidders.a.incremental_profit", "groups.g.attributed_profit"} {
		m, err := MetricNamed(name)
		if err != nil || !m.Cumulative {
			t.Errorf("%s: %v, cumulative %v", name, err, m.Cumulative)
		}
	}
}
