package sim

import "testing"

// TestPacingReopensWhenBudgetReturns gives a paced bidder budget mid-run
// after it had none left (a total of 0 raised by a script, a budget moved
// to a bidder that ran dry): its controller had parked (multiplier
// pacing's μ at its maximum, throttle pacing's probability at its least)
// and must open again at once, as at a daily budget's midnight, and pace
// the new budget evenly over the rest of the horizon. Before, multiplier
// pacing came down from μ = 100 by at most ε = 0.5 an update: some 200
// updates of bidding nothing, the whole rest of this run.
func TestPacingReopensWhenBudgetReturns(t *testing.T) {
	const horizon, at = 100 * Second, 40 * Second
	base := world(4, Uniform(0, 1))
	base.Horizon = horizon
	free := mustNew(t, base)
	free.RunUntil(horizon)
	// What it would win unconstrained over the rest of the run; the new
	// budget buys half of it.
	budget := free.Snapshot().Bidders[0].Spend.Float() * float64(horizon-at) / float64(horizon) / 2

	for _, pacing := range []PacingKind{PacingThrottle, PacingMultiplier} {
		for _, how := range []string{"total 0 raised", "moved to one run dry"} {
			t.Run(pacing.String()+"/"+how, func(t *testing.T) {
				cfg := base
				cfg.Bidders = append([]BidderConfig(nil), base.Bidders...)
				first := 0.0
				if how == "moved to one run dry" {
					first = budget
					cfg.Bidders[1].Budget = &Budget{Total: MoneyOf(10 * budget), Pacing: PacingNone}
				}
				cfg.Bidders[0].Budget = &Budget{Total: MoneyOf(first), Pacing: pacing}
				e := mustNew(t, cfg)
				var err error
				if how == "moved to one run dry" {
					// A planner moves all it has left away, then, later,
					// budget back.
					e.RunUntil(at / 2)
					left, _ := e.Uncommitted("b0")
					if err := e.Apply(MoveBudget{From: "b0", To: "b1", Amount: left}); err != nil {
						t.Fatal(err)
					}
					e.RunUntil(at)
					err = e.Apply(MoveBudget{From: "b1", To: "b0", Amount: MoneyOf(budget)})
				} else {
					e.RunUntil(at)
					err = e.Apply(SetBudget{Bidder: "b0", Total: MoneyOf(budget)})
				}
				if err != nil {
					t.Fatal(err)
				}
				// Spent evenly: each third of the rest of the run about a
				// third of it.
				const parts = 3
				var third [parts]float64
				prev := e.Snapshot().Bidders[0].Spend.Float()
				for i := range parts {
					e.RunUntil(at + Time(i+1)*(horizon-at)/parts)
					now := e.Snapshot().Bidders[0].Spend.Float()
					third[i], prev = now-prev, now
				}
				spent := third[0] + third[1] + third[2]
				t.Logf("spent %.4f of the %.4f given at %v; per third %.3f", spent, budget, at, third)
				if spent < 0.9*budget {
					t.Errorf("spent %.4f of the %.4f given at %v, want within 10%%", spent, budget, at)
				}
				for i, x := range third {
					if d := x/(budget/parts) - 1; d < -0.25 || d > 0.25 {
						t.Errorf("third %d spent %.4f, want within 25%% of %.4f", i+1, x, budget/parts)
					}
				}
			})
		}
	}
}
