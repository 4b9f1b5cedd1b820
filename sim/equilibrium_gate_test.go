package sim

import (
	"math"
	"reflect"
	"testing"
)

// TestApplyRefreshesEquilibriumWhenItCanMove applies every kind of change
// to two engines alike, one of which brings its equilibrium bid functions
// up to date after every change whatever it was: their outputs are
// identical, and after each change every equilibrium bidder's function is
// the one for the engine as it stands.
func TestApplyRefreshesEquilibriumWhenItCanMove(t *testing.T) {
	cfg := world(4, LogNormalMedianP99(1, 3)) // tabulated, not closed form
	cfg.Exchange.Auction = FirstPrice
	cfg.Horizon = 20 * Second
	for i := range cfg.Bidders[:3] {
		cfg.Bidders[i].Strategy = Strategy{Kind: Equilibrium}
	}
	cfg.Bidders[0].Budget = &Budget{Total: MoneyOf(500)}
	cfg.Bidders[1].Budget = &Budget{Total: MoneyOf(500)}
	changes := []Change{
		SetTmax{Tmax: 80 * Millisecond},
		SetFloor{Floor: PriceOf(0.5)},
		SetIncrement{Increment: PriceOf(0.01)},
		SetQPS{QPS: 800},
		ScaleLatency{Bidder: "b1", Factor: 2},
		SetLatency{Bidder: "b2", Latency: Constant(float64(5 * Millisecond))},
		SetBudget{Bidder: "b0", Total: MoneyOf(400)},
		SetPacing{Bidder: "b0", Pacing: PacingMultiplier},
		SetAbandonment{Abandonment: Abandonment{Per100ms: 0.1}},
		MoveBudget{From: "b0", To: "b1", Amount: MoneyOf(100)},
		SetEnabled{Bidder: "b3", Enabled: false},
		SetStrategy{Bidder: "b3", Strategy: Strategy{Kind: Equilibrium}},
		SetEnabled{Bidder: "b3", Enabled: true},
		SetAuction{Auction: SecondPrice},
		SetAuction{Auction: FirstPrice},
		SetFloor{Floor: PriceOf(0.2)},
		SetStrategy{Bidder: "b1", Strategy: Strategy{Kind: Shade, Factor: 0.7}},
	}
	gated, always := mustNew(t, cfg), mustNew(t, cfg)
	for i, c := range changes {
		at := Time(i+1) * Second
		gated.RunUntil(at)
		always.RunUntil(at)
		if err := gated.Apply(c); err != nil {
			t.Fatalf("%v: %v", c, err)
		}
		if err := always.Apply(c); err != nil {
			t.Fatalf("%v: %v", c, err)
		}
		always.refreshEquilibrium()
		n := 0
		for _, b := range gated.bidders {
			if b.enabled {
				n++
			}
		}
		for _, b := range gated.bidders {
			q := b.eq
			if b.strategy.Kind == Equilibrium && (!q.set || !sameDist(q.value, b.value) || q.n != n ||
				q.floor != gated.floor.CPM() || q.first != (gated.auction == FirstPrice)) {
				t.Fatalf("after %v, %s bids the equilibrium of n %d, floor %g, first %v", c, b.name, q.n, q.floor, q.first)
			}
		}
	}
	gated.RunUntil(Time(len(changes)+2) * Second)
	always.RunUntil(Time(len(changes)+2) * Second)
	a, b := MetricValues(gated.Snapshot()), MetricValues(always.Snapshot())
	for name, x := range b {
		if y, ok := a[name]; !ok || y != x && !(math.IsNaN(x) && math.IsNaN(y)) {
			t.Errorf("%s: %v, refreshed every time %v", name, y, x)
		}
	}
	if len(a) != len(b) || !reflect.DeepEqual(gated.Snapshot().Recent, always.Snapshot().Recent) {
		t.Error("the runs differ")
	}
}
