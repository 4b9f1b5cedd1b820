package sim_test

import (
	"slices"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// runYAML runs an accepted scenario to its stop and returns its last
// snapshot.
func runYAML(t *testing.T, src string) *sim.Snapshot {
	t.Helper()
	sc, err := scenarios.Parse("sat.yaml", []byte(src))
	if err != nil {
		t.Fatalf("the scenario is refused, but validation accepts it: %v", err)
	}
	e, err := sim.New(sc.Config)
	if err != nil {
		t.Fatal(err)
	}
	for !e.RunStop(sc.Stop, 1<<20) {
	}
	return e.Snapshot()
}

// wantNamed fails for each of names that Saturated() (got) lacks.
func wantNamed(t *testing.T, got []string, names ...string) {
	t.Helper()
	for _, name := range names {
		if !slices.Contains(got, name) {
			t.Errorf("Saturated() = %q, lacks %s", got, name)
		}
	}
}

// Order values near their maximum (10⁹ each) pass MaxMoney after about
// ten conversions: the sums stop there, which would read as a plain
// (wrong) number without Saturated naming them.
func TestSaturatedOrderValues(t *testing.T) {
	s := runYAML(t, `name: saturate
seed: 1
stop: {auctions: 200}
traffic: {qps: 100}
exchange: {tmax: 120ms}
bidders:
  - name: big
    group: g
    latency: 10ms
    value: 1000
    outcome: {ctr: 1, cvr: 1, order_value: 1000000000, delay: 1ms}
  - name: small
    group: g
    latency: 10ms
    value: 1
`)
	b := s.Bidders[0]
	if b.Conversions < 10 {
		t.Fatalf("only %d conversions: the world does not reach MaxMoney", b.Conversions)
	}
	// The true sum is Conversions × 10⁹, far above what Money holds.
	if want := float64(b.Conversions) * 1e9; b.ValueCaused.Float() >= want/2 {
		t.Fatalf("incremental value %v for %d conversions: not saturated", b.ValueCaused.Float(), b.Conversions)
	}
	if b.ValueCaused != sim.MaxMoney {
		t.Fatalf("incremental value %d, want it stopped at MaxMoney %d", b.ValueCaused, sim.MaxMoney)
	}
	got := s.Saturated()
	wantNamed(t, got, "bidders.big.attributed_value", "bidders.big.incremental_value",
		"groups.g.attributed_value", "groups.g.incremental_value")
	for _, name := range got {
		if _, ok := sim.MetricValues(s)[name]; !ok {
			t.Errorf("Saturated() names %s, not a catalogue metric", name)
		}
	}
	if slices.Contains(got, "exchange.revenue") || slices.Contains(got, "bidders.small.spend") {
		t.Errorf("Saturated() = %q names totals far from MaxMoney", got)
	}
}

// A traffic scale multiplies the engine's money: 10⁶ requests per
// simulated one at 1000 CPM pass MaxMoney within hours.
func TestSaturatedRevenueAtScale(t *testing.T) {
	s := runYAML(t, `name: saturate-scale
seed: 1
stop: {duration: 3h}
traffic: {qps: 1000000, scale: 1000000}
exchange: {tmax: 120ms, floor: 1000}
bidders:
  - name: big
    latency: 10ms
    value: 1000
`)
	// Each filled auction pays the floor, 1 unit of currency.
	if want := float64(s.Exchange.Filled); s.Exchange.Revenue.Float() >= want || s.Exchange.Revenue != sim.MaxMoney {
		t.Fatalf("revenue %v for %v filled auctions at 1 unit: not saturated", s.Exchange.Revenue.Float(), want)
	}
	got := s.Saturated()
	wantNamed(t, got, "exchange.revenue", "exchange.net_revenue", "exchange.value",
		"bidders.big.spend", "bidders.big.value")
}

// Every bundled scenario stays far from MaxMoney: nothing is named.
func TestSaturatedNoneInBundled(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every bundled scenario")
	}
	for _, name := range scenarios.Names() {
		sc, err := scenarios.Bundled(name)
		if err != nil {
			t.Fatal(err)
		}
		cfg := sc.Config
		e, err := sim.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		e.RunAuctions(20000)
		if got := e.Snapshot().Saturated(); got != nil {
			t.Errorf("%s: Saturated() = %q", name, got)
		}
	}
}

// Ten members' budgets of 10⁹ each (accepted: each is within
// MaxCurrency) add up past MaxMoney: the group's budget saturates and is
// named, where it used to wrap to a negative amount.
func TestSaturatedGroupBudget(t *testing.T) {
	src := "name: groupwrap\nseed: 1\nstop: {auctions: 100}\ntraffic: {qps: 100}\nexchange: {tmax: 120ms}\nbidders:\n"
	for i := range 10 {
		src += "  - {name: b" + string(rune('0'+i)) + ", group: g, latency: 10ms, value: 1, budget: {total: 1000000000}}\n"
	}
	s := runYAML(t, src)
	g := s.Groups[0]
	if g.Budget != sim.MaxMoney || g.Unspent != sim.MaxMoney {
		t.Fatalf("group budget %d, unspent %d: want both at MaxMoney %d (never wrapped)", g.Budget, g.Unspent, sim.MaxMoney)
	}
	got := s.Saturated()
	wantNamed(t, got, "groups.g.budget", "groups.g.unspent")
	if slices.Contains(got, "groups.g.spend") {
		t.Errorf("Saturated() = %q names the spend", got)
	}
}
