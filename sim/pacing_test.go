package sim

import "testing"

// TestPacing gives one of four bidders a budget that buys about half of
// what it would win unconstrained. Unpaced, it runs dry early; throttle
// and multiplier pacing spend it to within 5% by the end, evenly.
func TestPacing(t *testing.T) {
	const horizon = 100 * Second
	base := world(4, Uniform(0, 1))
	base.Horizon = horizon
	free := mustNew(t, base)
	free.RunUntil(horizon)
	budget := free.Snapshot().Bidders[0].Spend.Float() / 2

	for _, pacing := range []PacingKind{PacingNone, PacingThrottle, PacingMultiplier} {
		t.Run(pacing.String(), func(t *testing.T) {
			cfg := base
			cfg.Bidders = append([]BidderConfig(nil), base.Bidders...)
			cfg.Bidders[0].Budget = &Budget{Total: MoneyOf(budget), Pacing: pacing}
			s := snapshotAt(t, cfg, horizon)
			spent := s.Bidders[0].Spend.Float()
			if spent > budget {
				t.Fatalf("spent %.4f past the budget %.4f", spent, budget)
			}
			// Spend per tenth of the horizon, from the time series.
			const parts = 10
			var tenth [parts]float64
			exhausted := Time(-1)
			cum := 0.0
			for _, p := range s.Series.Points {
				tenth[min(int(p.Start*parts/horizon), parts-1)] += p.Bidders[0].Spend.Float()
				cum += p.Bidders[0].Spend.Float()
				if exhausted < 0 && cum >= 0.99*budget {
					exhausted = p.Start + s.Series.Width
				}
			}
			t.Logf("spent %.4f of %.4f; exhausted at %v; per tenth %.3f", spent, budget, exhausted, tenth)
			if pacing == PacingNone {
				if exhausted < 0 || exhausted > 6*horizon/10 {
					t.Errorf("unpaced budget ran out at %v, want by %v", exhausted, 6*horizon/10)
				}
				return
			}
			if spent < 0.95*budget {
				t.Errorf("spent %.4f, want within 5%% of the budget %.4f", spent, budget)
			}
			for i, x := range tenth {
				if d := x/(budget/parts) - 1; d < -0.2 || d > 0.2 {
					t.Errorf("tenth %d spent %.4f, want within 20%% of %.4f", i+1, x, budget/parts)
				}
			}
		})
	}
}
