package sim_test

import (
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// The bundled pacing-showdown scenario, as its file says: the throttle and
// multiplier bidders spend no tenth of the run above 1.2× its even share,
// the first included, and at least 95% of their budgets.
func TestPacingShowdownScenario(t *testing.T) {
	sc, err := scenarios.Bundled("pacing-showdown")
	if err != nil {
		t.Fatal(err)
	}
	cfg := sc.Config
	horizon := cfg.Horizon
	cfg.Interval = horizon / 200 // every series point inside one tenth
	e, err := sim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for !e.RunStop(sc.Stop, 1<<20) {
	}
	s := e.Snapshot()
	if s.Now != horizon {
		t.Fatalf("ran to %v, horizon %v", s.Now, horizon)
	}
	for i, b := range cfg.Bidders {
		if b.Budget == nil || b.Budget.Pacing == sim.PacingNone {
			continue
		}
		var tenths [10]float64
		total := 0.0
		for _, p := range s.Series.Points {
			x := p.Bidders[i].Spend.Float()
			tenths[min(int(p.Start*10/horizon), 9)] += x
			total += x
		}
		share := b.Budget.Total.Float() / 10
		t.Logf("%s: tenths %.2f", b.Name, tenths)
		for k, x := range tenths {
			if x > 1.2*share {
				t.Errorf("%s: tenth %d spent %.3g, %.2f× its even share", b.Name, k+1, x, x/share)
			}
		}
		if total < 0.95*b.Budget.Total.Float() {
			t.Errorf("%s: spent %.4g of %.4g", b.Name, total, b.Budget.Total.Float())
		}
	}
}
