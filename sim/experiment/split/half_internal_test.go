package split

import (
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/experiment"
)

// TestHalvable: budget-split's coarse moves may race on half-length runs
// (its conversion delays, 30 s on average, are a tenth of the half run);
// not with a stop by auctions, a script, longer delays, a learning
// bidder, a daily budget or a pacing interval.
func TestHalvable(t *testing.T) {
	sc, err := scenarios.Bundled("budget-split")
	if err != nil {
		t.Fatal(err)
	}
	p := pointOf(sc)
	if !Halvable(p) {
		t.Fatal("budget-split is not halvable")
	}
	refusedBy(t, p, Halvable, "halvable", map[string]func(q *experiment.Point){
		"a stop by auctions": func(q *experiment.Point) { q.Stop.Auctions = 1000 },
		"a script":           func(q *experiment.Point) { q.Config.Script = []sim.Scheduled{{}} },
		"a horizon apart":    func(q *experiment.Point) { q.Config.Horizon /= 2 },
		"delays of 40 s": func(q *experiment.Point) {
			q.Config.Bidders[1].Outcome.Delay = sim.Exponential(float64(40 * sim.Second))
		},
		"a learning bidder": func(q *experiment.Point) { q.Config.Bidders[3].Strategy = sim.Strategy{Kind: sim.Learn} },
		"a daily shape":     func(q *experiment.Point) { q.Config.Traffic.Shape = []float64{1, 2} },
		// A flight of days: its daily budgets bind per day, which half
		// the horizon does not keep, nor pacing in intervals of a fixed
		// length.
		"a daily budget": func(q *experiment.Point) {
			b := *q.Config.Bidders[1].Budget
			b.Daily = sim.MoneyOf(100)
			q.Config.Bidders[1].Budget = &b
		},
		"a pacing interval": func(q *experiment.Point) { q.Config.Pacing.Interval = sim.Minute },
	})
}

// TestHalfRun: a half-length run of a split keeps half the horizon and
// half of every budget, exactly (the members' and a bidder's outside the
// group), and its runs are kept apart from the whole ones.
func TestHalfRun(t *testing.T) {
	sc, err := scenarios.Bundled("budget-split")
	if err != nil {
		t.Fatal(err)
	}
	p := pointOf(sc)
	p.Config.Bidders = append([]sim.BidderConfig(nil), p.Config.Bidders...)
	p.Config.Bidders[3].Budget = &sim.Budget{Total: sim.MoneyOf(33.33), Pacing: sim.PacingMultiplier}
	s, err := New(p, "acme", "incremental_value")
	if err != nil {
		t.Fatal(err)
	}
	split := []Cents{2001, 47000, 10999}
	whole := s.with(split)
	wholeKey := s.key(7, split)
	s.mode = halved
	h := s.with(split)
	if h.Stop.Duration != 5*sim.Minute || h.Config.Horizon != 5*sim.Minute || whole.Stop.Duration != 10*sim.Minute || whole.Config.Horizon != 10*sim.Minute {
		t.Errorf("half: stop %v horizon %v; whole: stop %v horizon %v", h.Stop.Duration, h.Config.Horizon, whole.Stop.Duration, whole.Config.Horizon)
	}
	for i, b := range h.Config.Bidders {
		w := whole.Config.Bidders[i].Budget
		if (b.Budget == nil) != (w == nil) {
			t.Fatalf("%s: budget %v, whole %v", b.Name, b.Budget, w)
		}
		if b.Budget != nil && b.Budget.Total*2 != w.Total {
			t.Errorf("%s: half budget %v, whole %v", b.Name, b.Budget.Total, w.Total)
		}
	}
	if whole.Config.Bidders[0].Budget.Total != sim.MoneyOf(20.01) || p.Config.Bidders[3].Budget.Total != sim.MoneyOf(33.33) {
		t.Errorf("whole budget %v; the base's %v changed", whole.Config.Bidders[0].Budget.Total, p.Config.Bidders[3].Budget.Total)
	}
	if s.key(7, split) == wholeKey {
		t.Errorf("half and whole runs share the key %q", wholeKey)
	}
}

// refusedBy checks that allows refuses p with each change made (what:
// the word in the error): each change on a copy of p whose bidders, and
// bidder 1's outcome, are its own.
func refusedBy(t *testing.T, p experiment.Point, allows func(experiment.Point) bool, what string, changes map[string]func(q *experiment.Point)) {
	t.Helper()
	for name, change := range changes {
		q := p
		q.Config.Bidders = append([]sim.BidderConfig(nil), p.Config.Bidders...)
		o := *q.Config.Bidders[1].Outcome
		q.Config.Bidders[1].Outcome = &o
		change(&q)
		if allows(q) {
			t.Errorf("%s with %s", what, name)
		}
	}
}
