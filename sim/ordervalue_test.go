package sim

import "testing"

// TestOrderValueSumsExact: order values are summed as Money, so three
// conversions of 12.34 are worth exactly 37.02 (float addition gives
// 37.019999999999996), in the snapshot, the bidder's and the group's
// catalogue metrics alike.
func TestOrderValueSumsExact(t *testing.T) {
	orderValue := 12.34 // a variable: constant arithmetic would be exact
	if f := orderValue + orderValue + orderValue; f == 37.02 {
		t.Fatalf("float sum %v is exact already: the test proves nothing", f)
	}
	cfg := world(1, Constant(1))
	cfg.Exchange.Floor = PriceOf(0.5)
	cfg.Bidders[0].Group = "g"
	cfg.Bidders[0].Outcome = &Outcome{CTR: 1, CVR: 1, OrderValue: MoneyOf(orderValue), Delay: Constant(0)}
	e := mustNew(t, cfg)
	e.RunAuctions(3)
	if err := e.Apply(SetEnabled{Bidder: "b0", Enabled: false}); err != nil {
		t.Fatal(err)
	}
	e.RunUntil(e.Now() + Second) // the last conversions mature
	s := e.Snapshot()
	b := s.Bidders[0]
	if b.Wins != 3 || b.Conversions != 3 || b.Organic != 0 || b.Pending != 0 {
		t.Fatalf("%d wins, %d caused + %d organic + %d pending conversions, want 3 caused", b.Wins, b.Conversions, b.Organic, b.Pending)
	}
	if b.ValueCaused != MoneyOf(37.02) || b.AttributedValue() != MoneyOf(37.02) {
		t.Errorf("value caused %d, attributed %d, want %d", b.ValueCaused, b.AttributedValue(), MoneyOf(37.02))
	}
	v := MetricValues(s)
	for _, name := range []string{"bidders.b0.incremental_value", "bidders.b0.attributed_value", "groups.g.incremental_value", "groups.g.attributed_value"} {
		if got := v[name]; got != 37.02 {
			t.Errorf("%s = %v, want exactly 37.02", name, got)
		}
	}
	if got, want := v["bidders.b0.incremental_profit"], (MoneyOf(37.02) - b.Spend).Float(); got != want {
		t.Errorf("incremental_profit = %v, want %v", got, want)
	}
}

// TestOrderValueSumsMany: over many conversions of the bundled scenarios'
// fractional order value (1.2), caused, organic and unattributed alike,
// every value sum is its count times the order value, exactly.
func TestOrderValueSumsMany(t *testing.T) {
	cfg := world(2, Uniform(0, 2))
	cfg.Bidders[0].Outcome = &Outcome{CTR: 0.3, CVR: 0.5, BaselineCVR: 0.2, OrderValue: MoneyOf(1.2),
		Delay: Exponential(float64(Second)), AttributionWindow: Second}
	b := snapshotAt(t, cfg, 20*Second).Bidders[0]
	if b.Conversions < 100 || b.Organic < 100 || b.Unattributed < 100 {
		t.Fatalf("%d caused, %d organic, %d unattributed conversions: too few to prove anything", b.Conversions, b.Organic, b.Unattributed)
	}
	unit := MoneyOf(1.2)
	for _, c := range []struct {
		what  string
		n     uint64
		value Money
	}{{"caused", b.Conversions, b.ValueCaused}, {"organic", b.Organic, b.ValueOrgan}, {"unattributed", b.Unattributed, b.ValueUnattributed},
		{"attributed", b.AttributedConversions(), b.AttributedValue()}} {
		if want := Money(c.n) * unit; c.value != want {
			t.Errorf("%s: %d conversions worth %d, want %d", c.what, c.n, c.value, want)
		}
	}
}
