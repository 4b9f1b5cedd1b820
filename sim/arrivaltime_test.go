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

// TestScriptedArrivalTimeExact: with scripted rate changes the arrivals
// are piecewise, worked by hand. Flat: 10 qps, 20 from 10s, 5 from 20s
// (100, then 200 more, by 20s); shaped: the day that sleeps its first half
// and runs at twice QPS in its second, QPS 1 then 3 from 18h (43,200 by
// 18h, 129,600 more by midnight, a day's worth of 259,200 at 3 qps after).
// A script that changes the rate only after the n-th arrival, or changes
// something else, leaves ArrivalTime exactly.
func TestScriptedArrivalTimeExact(t *testing.T) {
	qps := func(at Time, q float64) Scheduled { return Scheduled{At: at, Changes: []Change{SetQPS{QPS: q}}} }
	flat := Traffic{QPS: 10}
	flatScript := []Scheduled{
		{At: 5 * Second, Changes: []Change{SetTmax{Tmax: Second}}},
		// Two in one step and another at the same instant: the last holds.
		{At: 10 * Second, Changes: []Change{SetQPS{QPS: 1}, SetFloor{}, SetQPS{QPS: 40}}},
		qps(10*Second, 20),
		qps(20*Second, 5),
	}
	shaped := Traffic{QPS: 1, Shape: []float64{0, 2}}
	shapedScript := []Scheduled{qps(18*Hour, 3)}
	for _, c := range []struct {
		tr     Traffic
		script []Scheduled
		n      float64
		want   Time
	}{
		{flat, flatScript, 50, 5 * Second},
		{flat, flatScript, 100, 10 * Second},
		{flat, flatScript, 150, 12*Second + 500*Millisecond},
		{flat, flatScript, 300, 20 * Second},
		{flat, flatScript, 350, 30 * Second},
		{flat, []Scheduled{qps(0, 20)}, 100, 5 * Second},
		{shaped, shapedScript, 43200, 18 * Hour},
		{shaped, shapedScript, 43200 + 60000, 18*Hour + 10000*Second},
		{shaped, shapedScript, 43200 + 129600, 24 * Hour},
		{shaped, shapedScript, 43200 + 129600 + 1, 36*Hour + Second/6},
		{shaped, shapedScript, 43200 + 129600 + 259200, 48 * Hour},
		{shaped, shapedScript, 0, 0},
	} {
		if got := c.tr.ScriptedArrivalTime(c.n, c.script); got != c.want {
			t.Errorf("QPS %g shape %v: ScriptedArrivalTime(%g) = %v, want %v", c.tr.QPS, c.tr.Shape, c.n, got, c.want)
		}
	}
	// Unchanged, bit for bit, where no rate change comes before the end.
	for _, tr := range []Traffic{flat, shaped, {QPS: 0.25, Shape: []float64{0.3, 0.2, 0.15, 1.8, 1.1}}} {
		for _, n := range []float64{1, 99, 100, 12345.5, 1e6, 3e7} {
			want := tr.ArrivalTime(n)
			for _, script := range [][]Scheduled{nil, {{At: Second, Changes: []Change{SetTmax{Tmax: Second}}}}, {qps(want, 1000)}, {qps(want+1, 1e-3)}} {
				if got := tr.ScriptedArrivalTime(n, script); got != want {
					t.Errorf("QPS %g shape %v, n %g, script %v: %v, want ArrivalTime's %v", tr.QPS, tr.Shape, n, script, got, want)
				}
			}
		}
	}
	if got := (Traffic{QPS: 1000}).ScriptedArrivalTime(1e15, []Scheduled{qps(Second, 1e-3)}); got != MaxRunTime {
		t.Errorf("beyond the longest run: %v, want MaxRunTime", got)
	}
}

// TestScriptedArrivalTimeMatchesRuns: a run whose script triples the rate
// and later halves the starting one, stopped at n auctions, takes
// ScriptedArrivalTime(n) within 2% (the Poisson noise is some 0.3%: 5
// standard deviations), where ArrivalTime (the starting rate throughout)
// is 25% off or more.
func TestScriptedArrivalTimeMatchesRuns(t *testing.T) {
	tr := Traffic{QPS: 1000}
	script := []Scheduled{{At: 20 * Second, Changes: []Change{SetQPS{QPS: 3000}}}, {At: 40 * Second, Changes: []Change{SetQPS{QPS: 500}}}}
	for _, c := range []struct {
		n    int
		want float64 // seconds, by hand
	}{{50_000, 30}, {180_000, 240}} {
		cfg := Config{
			Seed:     uint64(c.n),
			Traffic:  tr,
			Exchange: ExchangeConfig{Auction: SecondPrice, Tmax: 100 * Millisecond},
			Horizon:  Minute,
			Bidders:  []BidderConfig{{Name: "a", Value: Uniform(0, 1)}, {Name: "b", Value: Uniform(0, 1)}},
			Script:   script,
		}
		e := mustNew(t, cfg)
		e.RunStop(Stop{Auctions: uint64(c.n)}, math.MaxUint64)
		took := e.Now().Seconds()
		est := tr.ScriptedArrivalTime(float64(c.n), script).Seconds()
		if est != c.want {
			t.Errorf("n=%d: estimated %gs, want %gs", c.n, est, c.want)
		}
		if rel := math.Abs(est-took) / took; rel > 0.02 {
			t.Errorf("n=%d: estimated %.1fs, the run took %.1fs (%.1f%% off)", c.n, est, took, 100*rel)
		}
		if flat := tr.ArrivalTime(float64(c.n)).Seconds(); math.Abs(flat-took)/took < 0.2 {
			t.Errorf("n=%d: the starting rate's %.1fs is near the run's %.1fs: the script does not test the rate changes", c.n, flat, took)
		}
		t.Logf("n=%d: took %.2fs, estimated %.2fs, at the starting rate %.2fs", c.n, took, est, tr.ArrivalTime(float64(c.n)).Seconds())
	}
}
