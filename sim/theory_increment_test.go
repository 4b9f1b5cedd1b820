package sim

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestIncrementExtraClosedForm checks the increment's share against its
// closed form for values U[0, b] and no floor: the top two of k values
// are closer than δ with probability 1 − (1 − δ/b)^k, and
// E[min(δ, top − second)] = b·(1 − (1 − δ/b)^(k+1))/(k+1).
func TestIncrementExtraClosedForm(t *testing.T) {
	for _, b := range []float64{1, 4} {
		for k := 1; k <= 6; k++ {
			for _, d := range []float64{0.001, 0.01, 0.1, 0.5} {
				delta := d * b
				want := b * (1 - math.Pow(1-d, float64(k+1))) / float64(k+1)
				if k == 1 {
					want = b * (d - d*d/2) // E[min(δ, V)], the lone bid against floor 0
				}
				if got := incrementExtra(Uniform(0, b), k, 0, delta); math.Abs(got-want) > 1e-9*b {
					t.Errorf("U[0, %g], k %d, δ %g: %.12f, want %.12f", b, k, delta, got, want)
				}
			}
		}
	}
}

// TestIncrementRevenueMatchesTheRule draws k bids and prices each auction
// with the engine's own rule (ClearPrice) at increment δ and at 0: the
// mean difference, paired on the same bids (so its noise is within δ),
// must be revenueK's with the increment less without, for uniform and
// exponential values, floors inside and below the values' range, shading,
// and point masses.
func TestIncrementRevenueMatchesTheRule(t *testing.T) {
	cases := []struct {
		v        Dist
		k        int
		c, r, dl float64
	}{
		{Uniform(0, 1), 1, 1, 0.3, 0.05},
		{Uniform(0, 1), 4, 1, 0.2, 0.05},
		{Uniform(1, 3), 3, 1, 0.5, 0.2},
		{Uniform(1, 3), 3, 1, 2, 0.2},
		{Uniform(0, 1), 5, 0.6, 0.1, 0.02},
		{Exponential(1), 1, 1, 0.4, 0.3},
		{Exponential(1), 3, 0.8, 0.3, 0.1},
		{Exponential(0.5), 6, 1, 0, 0.05},
		{Constant(1), 1, 1, 0.5, 0.2},
		{Constant(1), 3, 1, 0.5, 0.2},
	}
	r := rand.New(rand.NewPCG(7, 11))
	const n = 400_000
	for _, c := range cases {
		want0, _ := revenueK(c.v, SecondPrice, c.k, c.c, c.r, 0)
		want, _ := revenueK(c.v, SecondPrice, c.k, c.c, c.r, c.dl)
		floor, inc := PriceOf(c.r), PriceOf(c.dl)
		var sum, sumSq float64
		for range n {
			var best, second Price
			eligible := 0
			for range c.k {
				bid := PriceOf(c.c * c.v.Sample(r))
				if bid < floor {
					continue
				}
				eligible++
				best, second = max(best, bid), max(second, min(best, bid))
			}
			if eligible == 0 {
				continue
			}
			p, _ := ClearPrice(SecondPrice, floor, inc, best, second, eligible)
			p0, _ := ClearPrice(SecondPrice, floor, 0, best, second, eligible)
			d := p.CPM() - p0.CPM()
			sum += d
			sumSq += d * d
		}
		mean := sum / n
		se := math.Sqrt((sumSq/n - mean*mean) / n)
		// Bids rounded to the micro-CPM move the mean by well under 1e-6.
		if got := want - want0; math.Abs(got-mean) > 5*se+2e-6 {
			t.Errorf("%v, k %d, shading %g, floor %g, increment %g: theory adds %.6f, the rule %.6f ± %.6f", c.v, c.k, c.c, c.r, c.dl, got, mean, se)
		}
		if c.k > 1 && !c.v.pointMass() && !(want-want0 > 0 && want-want0 < c.dl) {
			t.Errorf("%v, k %d: the increment adds %.6f, want between 0 and δ = %g", c.v, c.k, want-want0, c.dl)
		}
	}
}
