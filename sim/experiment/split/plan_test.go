package split_test

import (
	"context"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim/experiment/split"
)

// TestSplitFirstPlanHonest: the search's first plan of its runs, which
// the first estimate of its time is made from, is within a factor of 1.5
// of the runs it makes, at split's defaults (10 replications, moves of
// 5%). In a flight of daily budgets alone whose best split gives one
// member everything (as flight-week's acme), the plan used to count the
// round in progress twice, each size's moves as if none had run, and
// each member's curve apart from the other's and the verdict's splits:
// 95 runs for a search of about 50. A world whose best split is inside
// (split-known, its coarse moves on half runs) keeps a plan near its
// runs, and its work near the work done.
func TestSplitFirstPlanHonest(t *testing.T) {
	corner := strings.NewReplacer("daily: 4,", "daily: 2,", "daily: 16,", "daily: 2,").Replace(string(dailyKnownYAML))
	for _, tt := range []struct {
		name, yaml string
		edge       bool // the best split gives good everything
	}{{"daily-corner.yaml", corner, true}, {"split-known.yaml", string(knownYAML), false}} {
		t.Run(tt.name, func(t *testing.T) {
			sc, err := scenarios.Parse(tt.name, []byte(tt.yaml))
			if err != nil {
				t.Fatal(err)
			}
			s, err := split.New(pointOf(sc), "g", "incremental_value")
			if err != nil {
				t.Fatal(err)
			}
			s.Reps, s.Workers = 10, 2
			step, err := split.ParseStep("5%", split.Sum(s.Current()), s.Budget)
			if err != nil {
				t.Fatal(err)
			}
			var plan int
			var work, done float64
			s.Progress = func(_, total int) {
				if plan == 0 {
					plan = total
				}
			}
			s.Work = func(d, total float64) {
				if work == 0 {
					work = total
				}
				done = d
			}
			res, err := s.Run(context.Background(), s.Current(), step)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("first plan %d runs, work %.1f; made %d runs, work %.1f; %d rounds", plan, work, res.Runs, done, res.Rounds)
			if edge := res.Recommended.Budgets["idle"] == 0; edge != tt.edge {
				t.Fatalf("recommended %v: the world no longer has its best split where the test needs it", res.Recommended.Budgets)
			}
			within := func(x, of float64) bool { return x <= 1.5*of && of <= 1.5*x }
			if !within(float64(plan), float64(res.Runs)) {
				t.Errorf("first plan %d runs for %d made", plan, res.Runs)
			}
			if !within(work, done) {
				t.Errorf("first plan's work %.1f for %.1f done", work, done)
			}
		})
	}
}
