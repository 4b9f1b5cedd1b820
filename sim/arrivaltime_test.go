package sim

import (
	"math"
	"testing"
)

// TestArrivalTimeExact: the inverse of the cumulative expected arrivals,
// worked by hand on a day that sleeps for its first half and runs at
// twice QPS in its second: nothing arrives before noon, a day's worth ends
// at midnight (not after the next night), one more runs into the next
// afternoon; without a shape it is n / QPS.
func TestArrivalTimeExact(t *testing.T) {
	tr := Traffic{QPS: 1, Shape: []float64{0, 2}}
	for _, c := range []struct {
		n    float64
		want Time
	}{
		{1, 12*Hour + Second/2},
		{86400, 24 * Hour},
		{86401, 36*Hour + Second/2},
		{3 * 86400, 72 * Hour},
		{0, 0},
	} {
		if got := tr.ArrivalTime(c.n); got != c.want {
			t.Errorf("ArrivalTime(%g) = %v, want %v", c.n, got, c.want)
		}
	}
	if got, want := (Traffic{QPS: 4}).ArrivalTime(10), 2500*Millisecond; got != want {
		t.Errorf("no shape: ArrivalTime(10) = %v, want %v", got, want)
	}
	if got := (Traffic{QPS: 1e-9}).ArrivalTime(1e12); got != MaxRunTime {
		t.Errorf("a tiny rate: %v, want MaxRunTime", got)
	}
}

// TestArrivalTimeMatchesShapedRuns: under a strong daily shape (flight-
// week's: 0.15 at night, 1.8 in the evening), a run stopped at n
// auctions takes ArrivalTime(n) of virtual time within a few per cent, for
// n short of a day, across a night and over several days, where n /
// MeanQPS, the estimate that ignores the shape, is far off for the first
// two.
func TestArrivalTimeMatchesShapedRuns(t *testing.T) {
	shape := []float64{0.3, 0.2, 0.15, 0.15, 0.2, 0.35, 0.6, 0.9, 1.1, 1.2, 1.2, 1.2, 1.3, 1.2, 1.1, 1.1, 1.2, 1.4, 1.6, 1.8, 1.8, 1.5, 1.0, 0.6}
	tr := Traffic{QPS: 0.25, Shape: shape}
	// ~10h; ~33h, the second morning, across a night; ~3.9 days
	for _, n := range []int{5_000, 25_000, 80_000} {
		cfg := Config{
			Seed:     uint64(n),
			Traffic:  tr,
			Exchange: ExchangeConfig{Auction: SecondPrice, Tmax: 100 * Millisecond},
			Horizon:  Day,
			Bidders:  []BidderConfig{{Name: "a", Value: Uniform(0, 1)}, {Name: "b", Value: Uniform(0, 1)}},
		}
		e := mustNew(t, cfg)
		e.RunStop(Stop{Auctions: uint64(n)}, math.MaxUint64)
		took := e.Now().Seconds()
		est := tr.ArrivalTime(float64(n)).Seconds()
		if rel := math.Abs(est-took) / took; rel > 0.03 {
			t.Errorf("n=%d: estimated %.0fs, the run took %.0fs (%.1f%% off)", n, est, took, 100*rel)
		}
		flat := float64(n) / tr.MeanQPS()
		t.Logf("n=%d: took %.0fs, estimated %.0fs, n/mean rate %.0fs", n, took, est, flat)
		if n < 30_000 && math.Abs(flat-took)/took < 0.05 {
			t.Errorf("n=%d: n / MeanQPS = %.0fs is near the run's %.0fs: the world does not test the shape", n, flat, took)
		}
	}
}
