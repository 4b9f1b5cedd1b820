package sim

import "testing"

// TestCloneLearner: a clone of a world with a learning bidder learns on
// its own: run alike, the clone and the original stay identical, and
// both match the run never cloned (the learner's arms and its stream are
// the clone's own, not shared).
func TestCloneLearner(t *testing.T) {
	cfg := cfWorld(9, 3, FirstPrice, 0, Strategy{Kind: Learn, Arms: 8}, Strategy{Kind: Equilibrium})
	e := mustNew(t, cfg)
	e.RunAuctions(5_000)
	c := e.Clone()
	c.RunAuctions(20_000) // the clone first: it must not move the original's learner
	e.RunAuctions(20_000)
	ref := mustNew(t, cfg)
	ref.RunAuctions(25_000)
	for name, s := range map[string]*Snapshot{"clone": c.Snapshot(), "original": e.Snapshot()} {
		got, want := s.Bidders[0], ref.Snapshot().Bidders[0]
		if *got.Learn != *want.Learn || got.Surplus() != want.Surplus() || got.Counterfactual != want.Counterfactual {
			t.Errorf("%s: learner %+v surplus %v, the run never cloned %+v surplus %v", name, *got.Learn, got.Surplus(), *want.Learn, want.Surplus())
		}
	}
}
