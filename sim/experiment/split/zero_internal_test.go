package split

import (
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// TestZeroBesideDaily: a member whose split gives it no total spends
// nothing, even beside a daily budget, where sim reads a Total of 0 as
// no total cap: the response curve's budget 0 was the member spending its
// daily budget every day (budget-0 points above the recommendation).
func TestZeroBesideDaily(t *testing.T) {
	sc, err := scenarios.Parse("z.yaml", []byte(`name: z
stop: {duration: 30h}
traffic: {qps: 1}
exchange: {tmax: 100ms}
bidders:
  - {name: a, group: g, value: 1, budget: {total: 20, daily: 5, pacing: multiplier}}
  - {name: b, group: g, value: 0.5, budget: {total: 10}}
  - {name: c, value: 0.2}
`))
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(pointOf(sc), "g", "incremental_value")
	if err != nil {
		t.Fatal(err)
	}
	p := s.with([]Cents{0, 3000})
	e, err := sim.New(p.Config)
	if err != nil {
		t.Fatal(err)
	}
	e.RunStop(p.Stop, ^uint64(0))
	snap := e.Snapshot()
	a, _ := snap.FindBidder("a")
	b, _ := snap.FindBidder("b")
	if a.Spend != 0 || b.Spend == 0 {
		t.Errorf("a given 0 of the total spent %v (b %v), want 0", a.Spend.Float(), b.Spend.Float())
	}
	if s.Base.Config.Bidders[0].Budget.Daily == 0 {
		t.Error("the search changed its scenario's daily budget")
	}
}
