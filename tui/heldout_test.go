package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// heldYAML is a world whose budgeted bidder's incrementality test holds
// back every bid request (outcome.holdout: 1), so it spends nothing.
const heldYAML = `name: held-demo
seed: 5
stop: {duration: 20s}
traffic: {qps: 200}
exchange: {auction: second-price, tmax: 120ms}
bidders:
  - name: held
    value: {dist: uniform, min: 1, max: 2}
    budget: {total: 50, pacing: multiplier}
    outcome: {ctr: 0.05, cvr: 0.4, order_value: 1, holdout: 1}
  - name: rival
    value: {dist: uniform, min: 0.5, max: 1.5}
`

// TestHeldOutReason: a bidder whose holdout of 1 held back all of its
// bid requests is said to be held out of all of them, not of "more than
// half", in the bidders table's title and in the budget form; the
// reason's name stays held_out.
func TestHeldOutReason(t *testing.T) {
	sc, err := scenarios.Parse("held-demo.yaml", []byte(heldYAML))
	if err != nil {
		t.Fatal(err)
	}
	eng, err := sim.New(sc.Config)
	if err != nil {
		t.Fatal(err)
	}
	eng.RunUntil(9900 * sim.Millisecond)
	first := eng.Snapshot()
	eng.RunUntil(10 * sim.Second)
	second := eng.Snapshot()
	if b := second.Bidders[0]; b.Unspent != sim.UnspentHeldOut || b.Unspent.String() != "held_out" {
		t.Fatalf("held's flag %q: the test shows nothing", b.Unspent)
	}
	m, _, _ := recordingModel(t, sc, 240, 40, frameOf(sc, first, t0, 0), frameOf(sc, second, t0.Add(100*time.Millisecond), 0))
	const want = "held back all of its bid requests"
	if v := m.View(); !strings.Contains(v, "held unspent: held out: its incrementality test "+want) {
		t.Errorf("the bidders' title lacks %q:\n%s", want, v)
	}
	press(m, "=")
	if _, ok := m.ctx.top().(*budgetForm); !ok {
		t.Fatalf("= opened %T", m.ctx.top())
	}
	if v := m.View(); !strings.Contains(v, "! held out: its incrementality test "+want) {
		t.Errorf("the budget form lacks %q:\n%s", want, v)
	}
}
