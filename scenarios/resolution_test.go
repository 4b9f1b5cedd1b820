package scenarios

import (
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
)

// TestBelowResolution: a price or an amount of money above 0 as written
// but below the engine's unit (a micro-CPM, a nano-unit of currency)
// would round to 0 and run as none; it is refused at its file, line and
// field, naming the smallest, in a file, a --set and a live change alike.
func TestBelowResolution(t *testing.T) {
	const price = "is less than the smallest price, 0.000001 CPM"
	const money = "is less than the smallest amount of currency, 0.000000001"
	src := `name: tiny
stop: {auctions: 100}
traffic: {qps: 1000}
exchange: {tmax: 100ms, floor: 0.0000004, increment: 4e-7}
bidders:
  - name: a
    value: 1
    strategy: {kind: fixed, bid: 1e-7}
    budget: {total: 1e-10, daily: 4e-10}
    outcome: {ctr: 0.5, cvr: 0.5, order_value: 0.0000000001}
`
	_, err := Parse("tiny.yaml", []byte(src))
	for _, want := range []string{
		"tiny.yaml:4:32: exchange.floor: 0.0000004 " + price,
		"tiny.yaml:4:54: exchange.increment: 4e-7 " + price,
		"tiny.yaml:8:34: bidders[0].strategy.bid: 1e-7 " + price,
		"tiny.yaml:9:21: bidders[0].budget.total: 1e-10 " + money,
		"tiny.yaml:9:35: bidders[0].budget.daily: 4e-10 " + money,
		"tiny.yaml:10:48: bidders[0].outcome.order_value: 0.0000000001 " + money,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in:\n%v", want, err)
		}
	}

	// The smallest of each is kept, not refused.
	ok := strings.NewReplacer("0.0000004", "0.000001", "4e-7", "6e-7", "1e-7", "0.000001",
		"1e-10", "1e-9", "4e-10", "6e-10", "0.0000000001", "0.000000001").Replace(src)
	s, err := Parse("ok.yaml", []byte(ok))
	if err != nil {
		t.Fatal(err)
	}
	leastP, leastM := sim.PriceOf(0.000001), sim.MoneyOf(0.000000001) // the engine's least of each
	if x, b := s.Config.Exchange, s.Config.Bidders[0]; x.Floor != leastP || x.Increment != leastP || b.Strategy.Bid != leastP ||
		b.Budget.Total != leastM || b.Budget.Daily != leastM || b.Outcome.OrderValue != leastM {
		t.Errorf("smallest: %+v %+v", x, b)
	}

	for _, set := range []Set{
		{Path: "exchange.floor", Value: "0.0000004", Flag: "--set"},
		{Path: "bidders.acme-asap.budget.daily", Value: "1e-10", Flag: "--set"},
		{Path: "bidders.acme-asap.budget.total", Value: "1e-10", Flag: "--change"},
		{Path: "bidders.acme-asap.outcome.order_value", Value: "1e-10", Flag: "--set"},
	} {
		_, _, err := ResolveWith("flight-week", []Set{set})
		if err == nil || !strings.Contains(err.Error(), set.Flag+" "+set.Path+"="+set.Value+": "+set.Value+" is less than the smallest") {
			t.Errorf("%s %s=%s: %v", set.Flag, set.Path, set.Value, err)
		}
	}

	// Live changes (the dashboard's ':') take the fast route: refused too.
	for _, set := range []Set{
		{Path: "exchange.floor", Value: "4e-7"},
		{Path: "exchange.increment", Value: "4e-7"},
		{Path: "bidders.acme-asap.budget.total", Value: "1e-10"},
		{Path: "bidders.acme-asap.budget.daily", Value: "1e-10"},
	} {
		if _, err := liveOf(t, "flight-week").Set([]Set{set}); err == nil || !strings.Contains(err.Error(), "is less than the smallest") {
			t.Errorf("live %s=%s: %v", set.Path, set.Value, err)
		}
	}
}
