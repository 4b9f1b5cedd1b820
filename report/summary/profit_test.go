package summary

import (
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/sim"
)

// TestProfitColumns: with outcome models, the bidders table has an
// iprofit column and the groups table an incr profit column, each value −
// spend as sim computes it; a run without outcome models has no profit
// column.
func TestProfitColumns(t *testing.T) {
	out := &sim.Outcome{CTR: 0.2, CVR: 0.3, OrderValue: sim.MoneyOf(40), Delay: sim.Constant(0)}
	cfg := sim.Config{
		Seed:     3,
		Traffic:  sim.Traffic{QPS: 500},
		Exchange: sim.ExchangeConfig{Auction: sim.SecondPrice, Tmax: 100 * sim.Millisecond},
		Bidders: []sim.BidderConfig{
			{Name: "acme-a", Group: "acme", Value: sim.Uniform(1, 3), Outcome: out},
			{Name: "acme-b", Group: "acme", Value: sim.Uniform(0.5, 2), Outcome: out},
			{Name: "rival", Value: sim.Uniform(1, 2)},
		},
	}
	e, err := sim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.RunUntil(5 * sim.Second)
	snap := e.Snapshot()
	s := Render(snap, Run{Scenario: "p"}, Options{})
	if !strings.Contains(s, "iprofit") || !strings.Contains(s, "incr profit") {
		t.Fatalf("no profit columns:\n%s", s)
	}
	a, _ := snap.FindBidder("acme-a")
	g, _ := snap.FindGroup("acme")
	if a.Spend == 0 || a.ValueCaused == 0 {
		t.Fatal("acme-a neither spent nor converted: the test proves nothing")
	}
	for _, want := range []string{format.Money((a.ValueCaused - a.Spend).Float()), format.Money((g.IncrementalValue - g.Spend).Float())} {
		if !strings.Contains(s, want) {
			t.Errorf("no profit %s in:\n%s", want, s)
		}
	}
	for i := range cfg.Bidders {
		cfg.Bidders[i].Outcome, cfg.Bidders[i].Group = nil, ""
	}
	if e, err = sim.New(cfg); err != nil {
		t.Fatal(err)
	}
	e.RunUntil(sim.Second)
	if s := Render(e.Snapshot(), Run{Scenario: "x"}, Options{}); strings.Contains(s, "iprofit") {
		t.Error("a profit column without outcome models")
	}
}
