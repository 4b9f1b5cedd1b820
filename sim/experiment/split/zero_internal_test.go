package split

import (
	"testing"

	"github.com/auctionsim/auctionsim/sim"
)

// TestZeroBesideDaily: a member whose split gives it no total spends
// nothing, even beside a daily budget, where sim reads a Total of 0 as
// no total cap: the response curve's budget 0 was the member spending its
// daily budget every day (budget-0 points above the recommendation).
func TestZeroBesideDaily(t *testing.T) {
	s := searchOf(t, "z.yaml", []byte(`name: z
stop: {duration: 30h}
traffic: {qps: 1}
exchange: {tmax: 100ms}
bidders:
  - {name: a, group: g, value: 1, budget: {total: 20, daily: 5, pacing: multiplier}}
  - {name: b, group: g, value: 0.5, budget: {total: 10}}
  - {name: c, value: 0.2}
`), "g", "incremental_value")
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

// TestDailySplitWorld: a daily split sets each member's daily budget and
// keeps its total, which caps it as in the flight; a member given none
// of the daily sum spends nothing, even with a total (a daily budget of
// 0 is none, which would leave it its total).
func TestDailySplitWorld(t *testing.T) {
	s := searchOf(t, "d.yaml", []byte(`name: d
stop: {duration: 48h}
traffic: {qps: 0.2}
exchange: {tmax: 100ms}
bidders:
  - {name: a, group: g, value: 1, budget: {daily: 5, pacing: multiplier}}
  - {name: b, group: g, value: 1, budget: {total: 3, daily: 2}}
  - {name: c, value: 0.2}
`), "g", "incremental_value")
	spend := func(split []Cents) (a, b sim.Money) {
		t.Helper()
		p := s.with(split)
		e, err := sim.New(p.Config)
		if err != nil {
			t.Fatal(err)
		}
		e.RunStop(p.Stop, ^uint64(0))
		snap := e.Snapshot()
		sa, _ := snap.FindBidder("a")
		sb, _ := snap.FindBidder("b")
		return sa.Spend, sb.Spend
	}
	p := s.with([]Cents{100, 600})
	if a, b := p.Config.Bidders[0].Budget, p.Config.Bidders[1].Budget; a.Daily != sim.MoneyOf(1) || a.Total != 0 || a.Pacing != sim.PacingMultiplier ||
		b.Daily != sim.MoneyOf(6) || b.Total != sim.MoneyOf(3) {
		t.Errorf("budgets a %+v, b %+v", a, b)
	}
	// b's total of 3 caps its two days at 6 a day; a spends about its 1 a
	// day (at most its daily budget each day).
	if a, b := spend([]Cents{100, 600}); b > sim.MoneyOf(3) || b < sim.MoneyOf(2.9) || a > sim.MoneyOf(2) || a < sim.MoneyOf(1) {
		t.Errorf("a given 1 a day spent %v, b given 6 a day with a total of 3 spent %v", a.Float(), b.Float())
	}
	if a, b := spend([]Cents{700, 0}); b != 0 || a == 0 {
		t.Errorf("b given none of the daily sum spent %v (a %v), want 0", b.Float(), a.Float())
	}
	if s.Base.Config.Bidders[1].Budget.Daily != sim.MoneyOf(2) {
		t.Error("the search changed its scenario's daily budget")
	}
}
