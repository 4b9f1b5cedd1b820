package sim

import "testing"

// TestScaledDailyBudgetAsGiven: at a traffic scale the engine divides a
// daily budget by the scale, and a snapshot gives it back as it was set
// (in the scenario and live), not the divided amount multiplied again
// (10.01 at scale 30 read 10.01000001): the bidder's daily budget, its
// days' budgets and the series points' daily budgets; the window since
// the last change ends now, as the series' last point, with its day spend
// and budget (it had none).
func TestScaledDailyBudgetAsGiven(t *testing.T) {
	cfg := world(2, Uniform(0, 2))
	cfg.Traffic.Scale = 30
	cfg.Horizon = Day
	cfg.Bidders[0].Budget = &Budget{Daily: MoneyOf(10.01), Pacing: PacingMultiplier}
	e := mustNew(t, cfg)
	check := func(when string, want Money) {
		t.Helper()
		s := e.Snapshot()
		b := s.Bidders[0]
		if b.Daily != want {
			t.Errorf("%s: daily budget %v, want %v", when, b.Daily.Float(), want.Float())
		}
		if d := b.Days[len(b.Days)-1]; d.Budget != want {
			t.Errorf("%s: day %d's budget %v, want %v", when, d.Day, d.Budget.Float(), want.Float())
		}
		if p := s.Series.Points[len(s.Series.Points)-1].Bidders[0]; p.DailyBudget != want {
			t.Errorf("%s: the series' daily budget %v, want %v", when, p.DailyBudget.Float(), want.Float())
		}
		last := s.Series.Points[len(s.Series.Points)-1].Bidders[0]
		if p := s.SinceChange.Bidders[0]; p.DailyBudget != want || p.DaySpend != last.DaySpend || p.DaySpend == 0 {
			t.Errorf("%s: since the change, %v of a daily budget %v, want the series' last point's %v of %v", when, p.DaySpend.Float(), p.DailyBudget.Float(), last.DaySpend.Float(), want.Float())
		}
	}
	e.RunUntil(10 * Second)
	check("as set", MoneyOf(10.01))
	if err := e.Apply(SetDaily{Bidder: cfg.Bidders[0].Name, Daily: MoneyOf(7.77)}); err != nil {
		t.Fatal(err)
	}
	e.RunUntil(20 * Second)
	check("changed live", MoneyOf(7.77))
}

// TestScaledTotalBudgetAsGiven: at a traffic scale a total budget is
// reported as it was set, as a daily budget is (10.01 at scale 30 read
// 10.01000001 when the divided amount was multiplied again): in the
// scenario, set live, with a daily budget beside it, and after a move,
// which moves the two totals by exactly the amount, keeping their sum
// and the group's.
func TestScaledTotalBudgetAsGiven(t *testing.T) {
	cfg := world(3, Uniform(0, 2))
	cfg.Traffic.Scale = 30
	cfg.Horizon = Day
	cfg.Bidders[0].Budget = &Budget{Total: MoneyOf(10.01), Pacing: PacingMultiplier}
	cfg.Bidders[1].Budget = &Budget{Total: MoneyOf(20.02), Daily: MoneyOf(7.01)}
	cfg.Bidders[0].Group, cfg.Bidders[1].Group = "g", "g"
	e := mustNew(t, cfg)
	check := func(when string, want0, want1 Money) {
		t.Helper()
		s := e.Snapshot()
		if b := s.Bidders[0]; b.Budget != want0 || b.Unlimited {
			t.Errorf("%s: b0's total %v, want %v", when, b.Budget.Float(), want0.Float())
		}
		if b := s.Bidders[1]; b.Budget != want1 || b.Unlimited {
			t.Errorf("%s: b1's total %v, want %v", when, b.Budget.Float(), want1.Float())
		}
		if g := s.Groups[0]; g.Budget != want0+want1 {
			t.Errorf("%s: the group's total %v, want %v", when, g.Budget.Float(), (want0 + want1).Float())
		}
	}
	e.RunUntil(10 * Second)
	check("as set", MoneyOf(10.01), MoneyOf(20.02))
	if err := e.Apply(SetBudget{Bidder: "b0", Total: MoneyOf(7.77)}); err != nil {
		t.Fatal(err)
	}
	e.RunUntil(20 * Second)
	check("set live", MoneyOf(7.77), MoneyOf(20.02))
	if err := e.Apply(MoveBudget{From: "b1", To: "b0", Amount: MoneyOf(1.01)}); err != nil {
		t.Fatal(err)
	}
	e.RunUntil(30 * Second)
	check("moved", MoneyOf(7.77)+MoneyOf(1.01), MoneyOf(20.02)-MoneyOf(1.01))
}
