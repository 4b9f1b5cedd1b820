package experiment_test

import (
	"math"
	"testing"

	"github.com/auctionsim/auctionsim/sim/experiment"
	"github.com/auctionsim/auctionsim/sim/stats"
)

// pairedMetric is a compared metric from each replication's baseline
// and variant values, as a comparison makes it.
func pairedMetric(base, variant []float64) experiment.ComparedMetric {
	var p stats.Pair
	for i := range base {
		p.Add(base[i], variant[i])
	}
	return experiment.ComparedOf(&p)
}

// TestRelativeFloor: the least relative change the replications vouch
// for is the near end of the delta method's 95% interval for d/b. With
// sides uncorrelated across the replications it is the textbook
// |ρ| − t·√(var v̄ + (v̄/b̄)² var b̄)/|b̄|; the same ratio in every
// replication vouches for all of it, however the sides vary; an exact
// change vouches for all of it; and a ratio of tiny counts, 0.17 → 5.5
// a run, whose difference excludes 0, vouches for nothing.
func TestRelativeFloor(t *testing.T) {
	// Sample covariance 0: b − b̄ = (−1.5, −.5, .5, 1.5), v − v̄ = (−1, 1, 1, −1).
	base, variant := []float64{10, 11, 12, 13}, []float64{20, 22, 22, 20}
	m := pairedMetric(base, variant)
	n := float64(len(base))
	b, v := m.Baseline.Mean, m.Variant.Mean
	se := math.Sqrt(m.Variant.SD*m.Variant.SD/n+(v/b)*(v/b)*m.Baseline.SD*m.Baseline.SD/n) / math.Abs(b)
	want := math.Abs(v/b-1) - stats.TQuantile(0.975, n-1)*se
	if got := m.RelativeFloor(); !(want > 0) || math.Abs(got-want) > 1e-12 {
		t.Errorf("uncorrelated sides: floor %v, want %v", got, want)
	}

	// The variant twice the baseline in each replication: +100% exactly.
	if got := pairedMetric([]float64{1, 3, 2, 5}, []float64{2, 6, 4, 10}).RelativeFloor(); math.Abs(got-1) > 1e-12 {
		t.Errorf("the same ratio in every replication: floor %v, want 1", got)
	}
	exact := exactMetric(120, 80, 4)
	exact.Relative = experiment.NumPtr(-40.0 / 120)
	if got := exact.RelativeFloor(); math.Abs(got-1.0/3) > 1e-15 {
		t.Errorf("exact 120 → 80: floor %v, want 1/3", got)
	}

	tiny := pairedMetric([]float64{0, 0, 1, 0, 0, 0}, []float64{5, 6, 4, 7, 5, 6})
	if !tiny.Higher() || *tiny.Relative < 30 {
		t.Fatalf("the tiny count's difference %+v, relative %v: want one that excludes 0, about +3100%%", tiny.Diff, *tiny.Relative)
	}
	if got := tiny.RelativeFloor(); got != 0 {
		t.Errorf("0.17 → 5.5 a run: floor %v, want 0", got)
	}
	// Undefined: no baseline, or no relative change.
	if got := pairedMetric([]float64{0, 0, 0}, []float64{1, 2, 3}).RelativeFloor(); got != 0 {
		t.Errorf("from 0: floor %v", got)
	}
}
