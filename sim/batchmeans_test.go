package sim

import (
	"math"
	"testing"
)

// TestBatchMeansCoverage checks that the batch-means interval is honest:
// over many independent runs of a world with a closed form, it covers the
// theoretical value about 95% of the time, for each metric. Each run
// changes the floor from 0 to Myerson's 1/2 a few seconds in, so the
// estimate must leave out what came before the change: intervals that mixed
// in the old world's auctions (floor 0: fill rate 1, revenue 1/3) would
// miss the new world's values far more often than 5%.
func TestBatchMeansCoverage(t *testing.T) {
	if testing.Short() {
		t.Skip("long tier (make test-long): coverage over many seeds, ~6 s under -race")
	}
	const reps = 400
	want := map[TheoryMetric]float64{
		TheoryRevenuePerAuction: 1.0/3 + 0.25 - 4*0.125/3, // R_2(1/2) = 5/12
		TheoryFillRate:          0.75,                     // 1 − r²
	}
	want[TheoryMeanPrice] = want[TheoryRevenuePerAuction] / want[TheoryFillRate]
	covered := map[TheoryMetric]int{}
	var batches int
	for seed := range uint64(reps) {
		cfg := world(2, Uniform(0, 1))
		cfg.Seed = seed + 1
		cfg.Traffic.QPS = 200
		e := mustNew(t, cfg)
		e.RunUntil(5*Second + 300*Millisecond)
		if err := e.Apply(SetFloor{Floor: PriceOf(0.5)}); err != nil {
			t.Fatal(err)
		}
		e.RunUntil(25*Second + 500*Millisecond)
		s := e.Snapshot()
		th := s.Theory()
		if !th.Applies {
			t.Fatalf("no closed form: %s", th.Why)
		}
		for _, m := range TheoryMetrics {
			if got := m.Expected(th); math.Abs(got-want[m]) > 1e-9 {
				t.Fatalf("%v: theory %v, want %v", m, got, want[m])
			}
			b := s.BatchMeans(m)
			batches = b.N
			if b.Covers(want[m]) {
				covered[m]++
			}
		}
	}
	if batches != 19 { // [6 s, 25 s): after the change and a deadline, before the interval in progress
		t.Errorf("%d batches, want 19", batches)
	}
	for _, m := range TheoryMetrics {
		// 400 runs: the coverage's standard error is about 1.1%.
		c := float64(covered[m]) / reps
		if c < 0.91 || c > 0.985 {
			t.Errorf("%v: the 95%% interval covered the theory in %.1f%% of %d runs", m, 100*c, reps)
		} else {
			t.Logf("%v: covered in %.1f%% of %d runs", m, 100*c, reps)
		}
	}
}

// TestBatchMeansWindow checks which intervals the estimate uses: whole
// intervals only, none before the last change and its deadline, not the
// interval in progress, none where the metric does not apply; and that it
// equals the plain mean and Student t interval of those intervals.
func TestBatchMeansWindow(t *testing.T) {
	cfg := world(3, Uniform(0, 1))
	e := mustNew(t, cfg)
	s := e.Snapshot()
	if b := s.BatchMeans(TheoryMeanPrice); b.N != 0 || !math.IsNaN(b.Mean) || b.Covers(0.5) {
		t.Errorf("before any auction: %+v", b)
	}
	e.RunUntil(1500 * Millisecond)
	if b := e.Snapshot().BatchMeans(TheoryMeanPrice); b.N != 1 || !math.IsNaN(b.Lo) {
		t.Errorf("one whole interval: %+v, want N 1 and no interval", b)
	}
	e.RunUntil(10*Second + 500*Millisecond)
	s = e.Snapshot()
	b := s.BatchMeans(TheoryRevenuePerAuction)
	if b.N != 10 || b.From != 0 || b.To != 10*Second {
		t.Errorf("no change: %d batches over [%v, %v), want 10 over [0s, 10s)", b.N, b.From, b.To)
	}
	var sum float64
	for _, p := range s.Series.Points[:10] {
		sum += p.RevenuePerAuction()
	}
	if mean := sum / 10; math.Abs(b.Mean-mean) > 1e-12 {
		t.Errorf("mean %v, want the intervals' mean %v", b.Mean, mean)
	}
	if !(b.Lo < b.Mean && b.Mean < b.Hi) {
		t.Errorf("interval [%v, %v] around %v", b.Lo, b.Hi, b.Mean)
	}

	// A change at 10.5 s with a deadline of 100 ms: the interval [10 s,
	// 11 s) mixes both worlds, so the first batch is [11 s, 12 s).
	if err := e.Apply(SetEnabled{Bidder: "b0", Enabled: false}); err != nil {
		t.Fatal(err)
	}
	e.RunUntil(14*Second + 10*Millisecond)
	b = e.Snapshot().BatchMeans(TheoryMeanPrice)
	if b.N != 3 || b.From != 11*Second || b.To != 14*Second {
		t.Errorf("after a change at 10.5 s: %d batches over [%v, %v), want 3 over [11s, 14s)", b.N, b.From, b.To)
	}
	// A longer deadline widens the guard: tmax 100 ms → 2 s at 14.01 s,
	// so the batches start at 16.01 s or later.
	if err := e.Apply(SetTmax{Tmax: 2 * Second}); err != nil {
		t.Fatal(err)
	}
	e.RunUntil(20*Second + 10*Millisecond)
	b = e.Snapshot().BatchMeans(TheoryFillRate)
	if b.From < 14*Second+10*Millisecond+2*Second {
		t.Errorf("after tmax 2 s at 14.01 s the first batch starts at %v", b.From)
	}

	// No sale at all: the mean price has no batch, the fill rate has.
	for _, name := range []string{"b1", "b2"} {
		if err := e.Apply(SetEnabled{Bidder: name, Enabled: false}); err != nil {
			t.Fatal(err)
		}
	}
	e.RunUntil(30 * Second)
	s = e.Snapshot()
	if b := s.BatchMeans(TheoryMeanPrice); b.N != 0 {
		t.Errorf("no sales, yet %d batches of the mean price", b.N)
	}
	if b := s.BatchMeans(TheoryFillRate); b.N < 5 || b.Mean != 0 || !b.Covers(0) {
		t.Errorf("no sales: fill rate %+v, want 0 over several batches", b)
	}
}

func TestTheoryMetricNames(t *testing.T) {
	seen := map[string]bool{}
	m := TheoryMeanPrice
	for range TheoryMetrics {
		if seen[m.String()] {
			t.Errorf("%v twice in the cycle", m)
		}
		seen[m.String()] = true
		m = m.Next()
	}
	if m != TheoryMeanPrice || len(seen) != len(TheoryMetrics) {
		t.Errorf("the cycle does not come back to the first metric through every one: %v", seen)
	}
	if TheoryFillRate.IsPrice() || !TheoryRevenuePerAuction.IsPrice() {
		t.Error("IsPrice")
	}
}

// TestBatchMeansChangeAtStart: changes made before the first event (a
// paused start) leave no old auctions behind, so every whole interval
// counts.
func TestBatchMeansChangeAtStart(t *testing.T) {
	e := mustNew(t, world(3, Uniform(0, 1)))
	if err := e.Apply(SetFloor{Floor: PriceOf(0.2)}); err != nil {
		t.Fatal(err)
	}
	e.RunUntil(5 * Second)
	if b := e.Snapshot().BatchMeans(TheoryFillRate); b.N != 5 || b.From != 0 {
		t.Errorf("a change before the first event: %d batches from %v, want 5 from 0", b.N, b.From)
	}
	if err := e.Apply(SetFloor{Floor: PriceOf(0.3)}); err != nil {
		t.Fatal(err)
	}
	e.RunUntil(10 * Second)
	if b := e.Snapshot().BatchMeans(TheoryFillRate); b.N != 4 || b.From != 6*Second {
		t.Errorf("a change at 5 s: %d batches from %v, want 4 from 6s", b.N, b.From)
	}
}

func TestSnapshotValueDist(t *testing.T) {
	cfg := world(2, Uniform(0, 1))
	cfg.Bidders[1].Value = Exponential(0.5)
	s := mustNew(t, cfg).Snapshot()
	if d, ok := s.ValueDist("b1"); !ok || d.Mean() != 0.5 || d.Kind != DistExponential {
		t.Errorf("b1: %v %v", d, ok)
	}
	if d, ok := s.ValueDist("b0"); !ok || d.Mean() != 0.5 || d.Kind != DistUniform {
		t.Errorf("b0: %v %v", d, ok)
	}
	if _, ok := s.ValueDist("nobody"); ok {
		t.Error("a value distribution for a bidder that does not exist")
	}
	if _, ok := (&Snapshot{}).ValueDist("b0"); ok {
		t.Error("a value distribution without a scenario")
	}
}

// OfAuction, averaged over every auction of a run (the mean price over
// those with a sale), is the metric over the exchange's counters.
func TestTheoryMetricOfAuction(t *testing.T) {
	cfg := world(3, Uniform(0, 1))
	cfg.Exchange.Floor = PriceOf(0.4) // some auctions sell nothing
	cfg.Recent = 5000
	e := mustNew(t, cfg)
	e.RunAuctions(4000)
	s := e.Snapshot()
	if len(s.Recent) != int(s.Exchange.Auctions) {
		t.Fatalf("%d recent records of %d auctions: the ring must hold them all", len(s.Recent), s.Exchange.Auctions)
	}
	for _, m := range TheoryMetrics {
		sum, n := 0.0, 0
		for _, r := range s.Recent {
			if x := m.OfAuction(r); !math.IsNaN(x) {
				sum, n = sum+x, n+1
			}
		}
		if got, want := sum/float64(n), m.Total(s.Exchange); math.Abs(got-want) > 1e-9*max(1, want) {
			t.Errorf("%v: mean of OfAuction %v over %d auctions, the exchange's %v", m, got, n, want)
		}
	}
}
