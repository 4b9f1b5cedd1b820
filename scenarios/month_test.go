package scenarios

import (
	"math"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
)

// TestMonthFlightAtScale runs testdata/month-flight.yaml, 30 days at
// 1,000 qps, which the engine refuses without a scale, at traffic.scale
// 1000 to its stop: its totals are at full scale (about 2.59 × 10⁹ ad
// requests, a whole number of simulated ones); every day is there and
// none spends past its daily budget, which binds; the days add up to the
// spend, as the series' day spend does; no person sees more than the
// cap of 3 a day and the cap binds; and the goal bidder's realised CPA
// is within 10% of its target. How long it takes is in BENCHMARKS.md
// (under a minute by far), not here.
func TestMonthFlightAtScale(t *testing.T) {
	if testing.Short() {
		t.Skip("2.6 million auctions")
	}
	s, err := Load("testdata/month-flight.yaml")
	if err != nil {
		t.Fatal(err)
	}
	unscaled := s.Config
	unscaled.Traffic.Scale = 0
	if err := unscaled.ValidateStop(s.Stop); err == nil {
		t.Fatal("30 days at 1,000 qps accepted without a scale")
	}
	e, err := sim.New(s.Config)
	if err != nil {
		t.Fatal(err)
	}
	e.RunStop(s.Stop, math.MaxUint64)
	snap := e.Snapshot()
	x := snap.Exchange
	if snap.Now != 30*sim.Day {
		t.Fatalf("stopped at %v", snap.Now)
	}
	if want := 1000 * (30 * sim.Day).Seconds(); math.Abs(float64(x.Requests)/want-1) > 0.005 || x.Requests%1000 != 0 {
		t.Errorf("%d ad requests at full scale, want about %.4g, a multiple of 1000", x.Requests, want)
	}
	for i, b := range snap.Bidders {
		if b.Daily == 0 {
			continue
		}
		if len(b.Days) != 30 {
			t.Fatalf("%s: %d days", b.Name, len(b.Days))
		}
		var sum, series sim.Money
		for _, d := range b.Days {
			sum += d.Spend
			if d.Spend > d.Budget || d.Budget != b.Daily {
				t.Errorf("%s day %d: spent %v of %v (daily %v)", b.Name, d.Day, d.Spend, d.Budget, b.Daily)
			}
		}
		for _, p := range snap.Series.Points {
			series += p.Bidders[i].Spend
		}
		last := snap.Series.Points[len(snap.Series.Points)-1].Bidders[i]
		if sum != b.Spend || series != b.Spend || last.DaySpend != b.Days[29].Spend || last.DailyBudget != b.Daily {
			t.Errorf("%s: spend %v, days %v, series %v, the last point's day %v of %v", b.Name, b.Spend, sum, series, last.DaySpend, last.DailyBudget)
		}
	}
	flight, _ := snap.FindBidder("flight")
	if flight.Daily != sim.MoneyOf(20000) || flight.Spend.Float() < 0.9*30*20000 {
		t.Errorf("flight: spent %v at a daily budget of %v", flight.Spend, flight.Daily)
	}
	if f := flight.Frequency; f == nil || f.MaxInWindow > 3 || f.Capped == 0 || f.PeopleReached%1000 != 0 || f.PeopleReached > 10_000_000 {
		t.Errorf("flight's frequency %+v", f)
	}
	goal, _ := snap.FindBidder("goal")
	if g := goal.Goal; g != nil {
		t.Logf("goal: realised %.4f against %.4f, factor %.3f (calibration %.3f), %d repeat conversions dropped", g.Realised, g.Target, g.Multiplier, g.Calibration, goal.Frequency.RepeatConversions)
	}
	if g := goal.Goal; g == nil || math.Abs(g.Realised/g.Target-1) > 0.1 {
		t.Errorf("goal: %+v", goal.Goal)
	}
}
