package split

import (
	"context"
	"os"
	"testing"

	"github.com/auctionsim/auctionsim/sim/experiment"
)

// TestDailyVerdictCoverage: the verdict of a daily split is honest. Its
// interval (recommended − current, paired, over Reps fresh replications)
// is measured again on 150 disjoint blocks of fresh seeds of the flight
// of daily budgets alone (testdata/daily-known.yaml, good given 12 of
// the 20 a day against 4): the 95% intervals cover the difference, as
// all the blocks together estimate it (each block a 150th of that), in
// 89–99.5% of the blocks (95% ± about 3 binomial sd).
func TestDailyVerdictCoverage(t *testing.T) {
	if testing.Short() {
		t.Skip("long tier: 1,200 runs of a two-day flight (about 8 s of CPU, more on a busy machine)")
	}
	data, err := os.ReadFile("testdata/daily-known.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := searchOf(t, "daily-known.yaml", data, "g", "incremental_value")
	const blocks, reps = 150, 4
	s.Reps, s.Workers = reps, 2
	cur, rec := s.Current(), []Cents{1200, 800}
	var lo, hi []float64
	total := 0.0
	for k := range blocks {
		base := experiment.Seed(s.Seed, 1<<31+k)
		if err := s.ensure(context.Background(), base, [][]Cents{cur, rec}, reps); err != nil {
			t.Fatal(err)
		}
		d, err := s.diff(base, cur, rec, reps)
		if err != nil {
			t.Fatal(err)
		}
		lo, hi = append(lo, d.Lo), append(hi, d.Hi)
		total += d.Mean
	}
	truth := total / blocks
	covered := 0
	for k := range blocks {
		if lo[k] <= truth && truth <= hi[k] {
			covered++
		}
	}
	share := float64(covered) / blocks
	t.Logf("difference %.2f; %d of %d intervals cover it (%.1f%%)", truth, covered, blocks, 100*share)
	if !(truth > 0) || share < 0.89 || share > 0.995 {
		t.Errorf("%d of %d intervals cover the difference %.2f, want 89–99.5%%", covered, blocks, truth)
	}
}
