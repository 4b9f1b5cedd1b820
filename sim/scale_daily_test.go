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
