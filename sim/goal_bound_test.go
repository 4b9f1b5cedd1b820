package sim

import "testing"

// TestGoalBudgetBoundNeedsBudgetDue: a budget a hundred times what the
// goal bidder's target lets it spend never binds, early in the run
// included, where the schedule has due less than unspentShare of the
// budget, so that no spend at all is "behind" it: BudgetBound stays
// false at every check while the target holds the bidder.
func TestGoalBudgetBoundNeedsBudgetDue(t *testing.T) {
	const q = 0.2 * 0.25
	horizon := 1000 * Second
	cfg := goalWorld(3, 3, 2, SecondPrice, horizon)
	cpa := 1.2 / 1000 / q
	cfg.Bidders[0].Strategy = Strategy{Kind: TargetCPA, CPA: MoneyOf(cpa)}
	cfg.Bidders[0].Budget = &Budget{Total: MoneyOf(1000), Pacing: PacingMultiplier}
	e := mustNew(t, cfg)
	ahead := 0
	for k := 1; k <= 10; k++ {
		e.RunUntil(Time(k) * horizon / 200)
		b := e.Snapshot().Bidders[0]
		if b.Goal == nil {
			t.Fatal("no goal")
		}
		if b.Goal.Realised < b.Goal.Target {
			ahead++
		}
		if b.Goal.BudgetBound {
			t.Errorf("at %v: spent %.3f of a budget of %.0f, realised %.4f (target %.4f): budget bound, want not", e.Snapshot().Now, b.Spend.Float(), 1000.0, b.Goal.Realised, b.Goal.Target)
		}
	}
	if ahead == 0 {
		t.Error("never ahead of its target: the check decides nothing")
	}
}
