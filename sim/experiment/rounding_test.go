package experiment_test

import (
	"math"
	"slices"
	"testing"

	"github.com/auctionsim/auctionsim/sim/experiment"
	"github.com/auctionsim/auctionsim/sim/stats"
)

// exactMetric is a metric that was a on the baseline and b on the
// variant in every one of n replications: its difference is b − a, ± 0.
func exactMetric(a, b float64, n int) experiment.ComparedMetric {
	d := b - a
	return experiment.ComparedMetric{
		Baseline: stats.Stat{Mean: a, N: n, Lo: a, Hi: a},
		Variant:  stats.Stat{Mean: b, N: n, Lo: b, Hi: b},
		Diff:     stats.Stat{Mean: d, N: n, Lo: d, Hi: d},
	}
}

// A difference that is floating-point rounding of 0 is no difference:
// first- and second-price revenue in theory, 0.6000000000000001 against
// 0.6, is the same, not lower. A real one as small as the inputs allow,
// the same in every replication, is still a difference.
func TestCompareRoundingIsNoDifference(t *testing.T) {
	for _, c := range []struct {
		name   string
		a, b   float64
		differ bool
	}{
		{"one ulp below", 0.6000000000000001, 0.6, false},
		{"one ulp above", 0.6, 0.6000000000000001, false},
		{"a few ulps of a large total", 1234.5678, math.Nextafter(math.Nextafter(1234.5678, 2000), 2000), false},
		{"a nano-unit of money on 100", 100, 100.000000001, true},
		{"a part in a trillion", 0.6, 0.6 + 0.6e-12, true},
		{"from 0", 0, 1e-300, true},
		{"to 0", 5e-324, 0, true},
		{"a changed setting", 0.5, 0.3, true},
	} {
		m := exactMetric(c.a, c.b, 30)
		if m.Differs() != c.differ {
			t.Errorf("%s (%v against %v): differs %v, want %v (%s)", c.name, c.a, c.b, m.Differs(), c.differ, m.Verdict(30))
		}
		cmp := experiment.Comparison{Replications: 30, Metrics: map[string]experiment.ComparedMetric{"m": m}}
		differ, same, constant := cmp.Rows()
		if got := slices.Contains(differ, "m"); got != c.differ || len(same) != 0 || slices.Contains(constant, "m") == c.differ {
			t.Errorf("%s (%v against %v): rows differ %v same %v constant %v", c.name, c.a, c.b, differ, same, constant)
		}
		if v := m.Verdict(30); !c.differ && v != "the same in every replication, but for floating-point rounding" {
			t.Errorf("%s: verdict %q", c.name, v)
		}
	}
}

// The brief's compare, smaller: first-price with equilibrium bids
// against second-price with truthful ones. Revenue equivalence holds in
// theory, which the table must not list as a difference (their theory
// revenues are computed along two paths and differ in the last place).
func TestCompareRevenueEquivalenceInTheory(t *testing.T) {
	res := replicate(t, compareJob(t, "first-vs-second", 2000, 6, 2,
		"exchange.auction=second-price", "bidders.*.strategy={kind: truthful}"))
	out := experiment.NewComparison(res, 0)
	differ, _, constant := out.Rows()
	for _, name := range []string{"theory.revenue_per_auction", "theory.mean_clearing_price"} {
		m, ok := out.Metrics[name]
		if !ok {
			t.Fatalf("no %s", name)
		}
		if slices.Contains(differ, name) || !slices.Contains(constant, name) || m.Differs() {
			t.Errorf("%s: %v against %v, difference %+v: %s", name, m.Baseline.Mean, m.Variant.Mean, m.Diff, m.Verdict(6))
		}
	}
}
