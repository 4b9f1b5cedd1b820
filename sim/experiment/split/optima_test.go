package split_test

import (
	"context"
	"math"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim/experiment/split"
)

// TestSplitOptimaBoth: with Optima the result sets both objectives' optima
// beside the current split: the searched objective's is the
// recommendation, with the verdict's very difference; every optimum keeps
// the total; incremental profit is incremental value − spend.
func TestSplitOptimaBoth(t *testing.T) {
	_, s := knownSplitter(t)
	s.Reps, s.Workers, s.NoCurves, s.Optima = 4, 2, true, true
	res, err := s.Run(context.Background(), s.Current(), 200)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Variants) != 2 || res.Variants[0].Name != "optimum_incremental_value" || res.Variants[1].Name != "optimum_attributed_value" ||
		res.Variants[1].Objective != "attributed_value" {
		t.Fatalf("variants %+v", res.Variants)
	}
	// The second search changes nothing of the first's answer: the same
	// recommendation, rounds and verdict as without it.
	_, one := knownSplitter(t)
	one.Reps, one.Workers, one.NoCurves = 4, 2, true
	alone, err := one.Run(context.Background(), one.Current(), 200)
	if err != nil {
		t.Fatal(err)
	}
	if alone.Rounds != res.Rounds || alone.Diff != res.Diff || len(alone.Variants) != 0 || res.Runs < alone.Runs {
		t.Errorf("without Optima: rounds %d diff %+v runs %d; with: rounds %d diff %+v runs %d",
			alone.Rounds, alone.Diff, alone.Runs, res.Rounds, res.Diff, res.Runs)
	}
	mine := res.Variants[0]
	for m, b := range res.Recommended.Budgets {
		if mine.Budgets[m] != b {
			t.Errorf("optimum_incremental_value %v, recommended %v", mine.Budgets, res.Recommended.Budgets)
		}
	}
	if d := mine.Metrics["groups.g.incremental_value"].Diff; d != res.Diff {
		t.Errorf("the optimum's incremental value difference %+v, the verdict's %+v", d, res.Diff)
	}
	for _, v := range res.Variants {
		total := 0.0
		for _, b := range v.Budgets {
			total += b
		}
		if math.Abs(total-res.Total) > 1e-9 {
			t.Errorf("%s: budgets %v add up to %v, not %v", v.Name, v.Budgets, total, res.Total)
		}
		for _, f := range split.OptimaFields {
			if _, ok := v.Metrics["groups.g."+f]; !ok {
				t.Errorf("%s: no %s", v.Name, f)
			}
		}
		p, iv, sp := v.Metrics["groups.g.incremental_profit"], v.Metrics["groups.g.incremental_value"], v.Metrics["groups.g.spend"]
		for _, c := range []struct{ got, want float64 }{
			{p.Variant.Mean, iv.Variant.Mean - sp.Variant.Mean},
			{p.Baseline.Mean, iv.Baseline.Mean - sp.Baseline.Mean},
			{p.Diff.Mean, iv.Diff.Mean - sp.Diff.Mean},
		} {
			if math.Abs(c.got-c.want) > 1e-9*math.Max(1, math.Abs(c.want)) {
				t.Errorf("%s: incremental profit %v, value − spend %v", v.Name, c.got, c.want)
			}
		}
	}
}

// TestSplitOptimaDisagree: on budget-split the attributed optimum loses
// incremental value against the current split, the incremental one gains
// it: the trap the pair of variants shows.
func TestSplitOptimaDisagree(t *testing.T) {
	if testing.Short() {
		t.Skip("long tier (make test-long): runs budget-split a few hundred times")
	}
	sc, err := scenarios.Bundled("budget-split")
	if err != nil {
		t.Fatal(err)
	}
	s, err := split.New(pointOf(sc), "acme", "incremental_value")
	if err != nil {
		t.Fatal(err)
	}
	s.Reps, s.Workers, s.NoCurves, s.Optima = 3, 2, true, true
	res, err := s.Run(context.Background(), s.Current(), 10000)
	if err != nil {
		t.Fatal(err)
	}
	inc, att := res.Variants[0].Metrics["groups.acme.incremental_value"].Diff, res.Variants[1].Metrics["groups.acme.incremental_value"].Diff
	if !(inc.Lo > 0) || !(att.Hi < 0) {
		t.Errorf("incremental value against the current split: incremental optimum %+v, attributed optimum %+v", inc, att)
	}
	if a := res.Variants[1].Metrics["groups.acme.attributed_value"].Diff; !(a.Lo > 0) {
		t.Errorf("the attributed optimum does not raise attributed value: %+v", a)
	}
}
