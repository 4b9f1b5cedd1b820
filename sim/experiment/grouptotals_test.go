package experiment

import (
	"slices"
	"testing"

	"github.com/auctionsim/auctionsim/sim/stats"
)

// TestGroupTotalsSayMembersWithoutTotal: a group whose members have no
// total (unlimited, or daily budgets alone) sums to 0 on that side; the
// note says how many, so that "from 0.00" does not read as a group with
// nothing to spend.
func TestGroupTotalsSayMembersWithoutTotal(t *testing.T) {
	st := func(x float64) stats.Stat { return stats.Of(x, 0, 3) }
	m := map[string]ComparedMetric{
		"groups.shoes.budget":            {Baseline: st(0), Variant: st(12.5)},
		"groups.shoes.unlimited_members": {Baseline: st(2), Variant: st(0)},
		"groups.hats.budget":             {Baseline: st(100), Variant: st(90)},
		"groups.hats.unlimited_members":  {Baseline: st(1), Variant: st(1)},
		"groups.acme.budget":             {Baseline: st(600), Variant: st(500)},
		// A flight's daily sum changed, its (zero) total not.
		"groups.fly.budget":        {Baseline: st(0), Variant: st(0)},
		"groups.fly.daily_budget":  {Baseline: st(40), Variant: st(50)},
		"groups.hats.daily_budget": {Baseline: st(10), Variant: st(10)},
		// A daily move to a member with a total beside its daily budget:
		// the sum of the others' daily budgets falls, the total stays.
		"groups.globex.budget":       {Baseline: st(120), Variant: st(120)},
		"groups.globex.daily_budget": {Baseline: st(30), Variant: st(19)},
		// The same move, with every member's daily sum known: kept.
		"groups.initech.budget":       {Baseline: st(120), Variant: st(120)},
		"groups.initech.daily_budget": {Baseline: st(30), Variant: st(19)},
		"groups.initech.daily_sum":    {Baseline: st(55), Variant: st(55)},
		// The other way, and a move that does change the sum.
		"groups.umbrella.budget":       {Baseline: st(120), Variant: st(120)},
		"groups.umbrella.daily_budget": {Baseline: st(19), Variant: st(30)},
		"groups.umbrella.daily_sum":    {Baseline: st(55), Variant: st(55)},
		"groups.wonka.budget":          {Baseline: st(120), Variant: st(120)},
		"groups.wonka.daily_budget":    {Baseline: st(30), Variant: st(19)},
		"groups.wonka.daily_sum":       {Baseline: st(55), Variant: st(44)},
	}
	got := GroupTotals(m)
	want := []string{"group acme's total budget changes from 600.00 to 500.00",
		"group fly's daily budget changes from 40.00/day to 50.00/day",
		"group globex's daily budget changes from 30.00/day to 19.00/day (members without a total; daily budgets beside a total are not in it)",
		"group hats's total budget changes from 100.00 (1 member without a total) to 90.00 (1 member without a total)",
		"group initech's daily budgets keep their sum, 55.00/day; 11.00/day moves to members with a total beside it (those without one: from 30.00/day to 19.00/day)",
		"group shoes's total budget changes from 0.00 (2 members without a total) to 12.50",
		"group umbrella's daily budgets keep their sum, 55.00/day; 11.00/day moves from members with a total beside it (those without one: from 19.00/day to 30.00/day)",
		"group wonka's daily budget changes from 30.00/day to 19.00/day (members without a total; daily budgets beside a total are not in it)"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}
