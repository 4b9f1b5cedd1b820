package sim

import "testing"

// TestLearnFactorSeries: the series carries a learning bidder's factor
// per interval, the last one where it stands now, and nothing for the
// others; merging intervals (halving) keeps the later one's.
func TestLearnFactorSeries(t *testing.T) {
	cfg := cfWorld(5, 3, FirstPrice, 0, Strategy{Kind: Learn, Arms: 10}, Strategy{Kind: Equilibrium})
	cfg.Interval = 100 * Millisecond
	e := mustNew(t, cfg)
	e.RunAuctions(300_000) // 300 s: past seriesCap intervals of 100ms, so they have halved
	s := e.Snapshot()
	if s.Series.Width == cfg.Interval {
		t.Fatalf("the series never halved (width %v): the merge goes untested", s.Series.Width)
	}
	var last float64
	seen := map[float64]bool{}
	for _, p := range s.Series.Points {
		if f := p.Bidders[0].LearnFactor; f != 0 {
			last = f
			seen[f] = true
		}
		for _, b := range p.Bidders[1:] {
			if b.LearnFactor != 0 {
				t.Fatalf("an equilibrium bidder has a learned factor %v", b.LearnFactor)
			}
		}
	}
	if last != s.Bidders[0].Learn.Factor {
		t.Errorf("the series ends at factor %v, the learner stands at %v", last, s.Bidders[0].Learn.Factor)
	}
	if len(seen) < 2 {
		t.Errorf("the factor never moved over the run: %v", seen)
	}
}
