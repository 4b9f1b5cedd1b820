package experiment

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/sim"
)

func TestSeedIsSplitMix64(t *testing.T) {
	// The first outputs of SplitMix64 seeded 0 (Vigna's reference
	// implementation, splitmix64.c).
	want := []uint64{0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4, 0x06c45d188009454f}
	for i, w := range want {
		if got := Seed(0, i); got != w {
			t.Errorf("Seed(0, %d) = %#x, want %#x", i, got, w)
		}
	}
	seen := map[uint64]bool{}
	for base := range uint64(50) {
		for rep := range 50 {
			s := Seed(base, rep)
			if seen[s] {
				t.Fatalf("Seed(%d, %d) repeats an earlier seed", base, rep)
			}
			seen[s] = true
		}
	}
}

// noisy is a replication whose metrics depend only on (point, seed), with
// values of very different magnitudes so that a change in the order of
// additions would change the sums' last bits; jitter randomizes the order
// items finish in.
func noisy(jitter bool) Func {
	return func(ctx context.Context, point int, seed uint64) (Values, error) {
		r := rand.New(rand.NewPCG(seed, uint64(point)))
		if jitter {
			time.Sleep(time.Duration(rand.IntN(300)) * time.Microsecond)
		}
		common := rand.New(rand.NewPCG(seed, 99)).NormFloat64() // shared by the points of a replication
		return Values{
			"big":    1e12*r.Float64() + common,
			"small":  1e-9 * r.NormFloat64(),
			"common": common + float64(point) + 0.1*r.NormFloat64(),
			"nan":    math.NaN(),
		}, nil
	}
}

func sameAgg(t *testing.T, a, b *Agg) {
	t.Helper()
	if a.Reps() != b.Reps() || a.Points() != b.Points() {
		t.Fatalf("reps %d vs %d, points %d vs %d", a.Reps(), b.Reps(), a.Points(), b.Points())
	}
	for p := range a.Points() {
		for _, m := range a.Metrics(p) {
			sa, _ := a.Stat(p, m)
			sb, ok := b.Stat(p, m)
			if !ok || !sameStat(sa.Mean, sb.Mean) || !sameStat(sa.SD, sb.SD) || sa.N != sb.N || !sameStat(sa.Lo, sb.Lo) {
				t.Errorf("point %d %s: %+v vs %+v", p, m, sa, sb)
			}
			if pa, pb := a.Pair(p, m), b.Pair(p, m); pa != nil && (pb == nil || !sameStat(pa.Diff.Mean(), pb.Diff.Mean()) || !sameStat(pa.Diff.SD(), pb.Diff.SD())) {
				t.Errorf("point %d %s: pairs differ", p, m)
			}
		}
	}
}

// sameStat is bitwise equality, NaN equal to NaN.
func sameStat(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }

func TestIdenticalWhateverWorkers(t *testing.T) {
	var ref *Agg
	for _, w := range []int{1, 2, 3, 8} {
		e := &Experiment{Points: 3, Seed: 7, Workers: w, Run: noisy(true), Paired: true}
		agg, err := e.Replicate(context.Background(), 40)
		if err != nil {
			t.Fatal(err)
		}
		if agg.Reps() != 40 {
			t.Fatalf("reps %d", agg.Reps())
		}
		if s, _ := agg.Stat(0, "nan"); s.N != 0 || !math.IsNaN(s.Mean) {
			t.Errorf("all-NaN metric: %+v", s)
		}
		if ref == nil {
			ref = agg
			continue
		}
		sameAgg(t, ref, agg)
	}
	if ref.Pair(2, "common") == nil || ref.Pair(0, "common") != nil {
		t.Fatal("pairs missing or point 0 paired with itself")
	}
	d := ref.Pair(2, "common").Diff.Stat()
	if !(d.Lo < 2 && 2 < d.Hi) {
		t.Errorf("paired difference %+v should cover 2", d)
	}
}

func TestShardsMergeToTheWhole(t *testing.T) {
	e := &Experiment{Points: 3, Seed: 11, Workers: 3, Run: noisy(true), Paired: true}
	whole, err := e.Replicate(context.Background(), 17)
	if err != nil {
		t.Fatal(err)
	}
	const n = 4
	byIndex := map[int]Item{}
	for k := range n {
		shard := Shard{K: k, N: n}
		last := -1
		count := 0
		err := e.RunShard(context.Background(), 17, shard, func(it Item) error {
			if it.Index <= last || it.Index%n != k {
				t.Errorf("shard %v: item %d after %d", shard, it.Index, last)
			}
			last = it.Index
			count++
			byIndex[it.Index] = it
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if count != ShardSize(17*3, shard) {
			t.Errorf("shard %v: %d items, ShardSize %d", shard, count, ShardSize(17*3, shard))
		}
	}
	merged := NewAgg(3, true)
	for i := range 17 * 3 {
		it, ok := byIndex[i]
		if !ok {
			t.Fatalf("item %d in no shard", i)
		}
		merged.Add(it)
	}
	sameAgg(t, whole, merged)
}

func TestReorderWindowIsBounded(t *testing.T) {
	const workers = 3
	var started atomic.Int32
	var duringZero int32
	e := &Experiment{Points: 1, Seed: 1, Workers: workers, Run: func(ctx context.Context, point int, seed uint64) (Values, error) {
		started.Add(1)
		if seed == Seed(1, 0) {
			// Item 0 is slow: the others finish and wait for it in the
			// reorder buffer, which must not grow past the window. Wait
			// until the window is full (or 5 s), then a little more to
			// see that nothing more starts.
			for deadline := time.Now().Add(5 * time.Second); started.Load() < 2*workers && time.Now().Before(deadline); {
				time.Sleep(time.Millisecond)
			}
			time.Sleep(50 * time.Millisecond)
			duringZero = started.Load()
		}
		return Values{"x": 1}, nil
	}}
	agg, err := e.Replicate(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	if agg.Reps() != 100 {
		t.Fatalf("reps %d", agg.Reps())
	}
	if duringZero != 2*workers {
		t.Fatalf("%d items started while item 0 ran; want the window, %d", duringZero, 2*workers)
	}
}

func TestInterruptKeepsWholeReplications(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var calls atomic.Int32
	run := noisy(false)
	e := &Experiment{Points: 4, Seed: 3, Workers: 3, Paired: true, Run: func(c context.Context, point int, seed uint64) (Values, error) {
		if calls.Add(1) == 4*9+2 {
			cancel()
		}
		return run(c, point, seed)
	}}
	agg, err := e.Replicate(ctx, 1000)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if agg.Reps() < 1 || agg.Reps() >= 1000 {
		t.Fatalf("reps %d", agg.Reps())
	}
	// What completed is exactly the first Reps() replications.
	ref, err := (&Experiment{Points: 4, Seed: 3, Workers: 1, Paired: true, Run: run}).Replicate(context.Background(), agg.Reps())
	if err != nil {
		t.Fatal(err)
	}
	sameAgg(t, ref, agg)
}

func TestErrorStopsTheExperiment(t *testing.T) {
	e := &Experiment{Points: 2, Seed: 3, Workers: 2, Run: func(ctx context.Context, point int, seed uint64) (Values, error) {
		if seed == Seed(3, 5) && point == 1 {
			return nil, errors.New("boom")
		}
		return Values{"x": 1}, nil
	}}
	_, err := e.Replicate(context.Background(), 50)
	if err == nil || err.Error() != "point 1, replication 5: boom" {
		t.Fatalf("err = %v", err)
	}
}

func TestUntilReachesTheSameNWhateverWorkers(t *testing.T) {
	var ns []int
	for _, w := range []int{1, 2, 5} {
		e := &Experiment{Points: 2, Seed: 5, Workers: w, Paired: true, Run: noisy(true)}
		agg, err := e.Until(context.Background(), 10, 500, func(a *Agg) bool {
			d := a.Pair(1, "common").Diff.Stat()
			return d.HalfWidth() <= 0.02
		})
		if err != nil {
			t.Fatal(err)
		}
		ns = append(ns, agg.Reps())
	}
	if ns[0] <= 10 || ns[0] >= 500 || ns[1] != ns[0] || ns[2] != ns[0] {
		t.Fatalf("replications reached: %v; want one N strictly between the first batch and the cap", ns)
	}
	// The batches are 10, 20, 30, 45, …: the N reached is one of them.
	if !slices.Contains(Batches(10, 500), ns[0]) {
		t.Errorf("N %d is not a batch boundary", ns[0])
	}
}

// TestBatches checks the rule's batches, which the progress log reads.
func TestBatches(t *testing.T) {
	for _, c := range []struct {
		first, max int
		want       []int
	}{
		{10, 500, []int{10, 20, 30, 45, 67, 100, 150, 225, 337, 500}},
		{20, 1000, []int{20, 40, 60, 90, 135, 202, 303, 454, 681, 1000}},
		{1, 1, []int{2}},
		{20, 20, []int{20}},
		{30, 10, []int{30}},
	} {
		if got := Batches(c.first, c.max); !slices.Equal(got, c.want) {
			t.Errorf("Batches(%d, %d) = %v, want %v", c.first, c.max, got, c.want)
		}
	}
}

func TestParseShard(t *testing.T) {
	if s, err := ParseShard("3/8"); err != nil || s != (Shard{3, 8}) {
		t.Errorf("3/8: %v %v", s, err)
	}
	for _, bad := range []string{"8/8", "-1/4", "1/0", "1", "a/b", "1/2x", "1/2/3"} {
		if _, err := ParseShard(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	for k := range 5 {
		for items := range 12 {
			n := 0
			for i := range items {
				if (Shard{k, 5}).Has(i) {
					n++
				}
			}
			if ShardSize(items, Shard{k, 5}) != n {
				t.Errorf("ShardSize(%d, %d/5) = %d, want %d", items, k, ShardSize(items, Shard{k, 5}), n)
			}
		}
	}
}

// TestCoverageThroughTheRunner runs 1000 experiments through the runner
// (base seeds 0 … 999, 5 replications each, every replication the mean of
// 20 uniform draws seeded by its replication seed) and checks that 93–97%
// of the 95% intervals contain the true mean 1/2: seeds from neighbouring
// bases and replications behave as independent.
func TestCoverageThroughTheRunner(t *testing.T) {
	run := func(_ context.Context, _ int, seed uint64) (Values, error) {
		r := rand.New(rand.NewPCG(seed, 0))
		sum := 0.0
		for range 20 {
			sum += r.Float64()
		}
		return Values{"x": sum / 20}, nil
	}
	covered := 0
	for base := range uint64(1000) {
		agg, err := (&Experiment{Points: 1, Seed: base, Workers: 2, Run: run}).Replicate(context.Background(), 5)
		if err != nil {
			t.Fatal(err)
		}
		if s, _ := agg.Stat(0, "x"); !s.Excludes(0.5) {
			covered++
		}
	}
	if covered < 930 || covered > 970 {
		t.Errorf("95%% intervals covered the mean in %d of 1000 experiments, want 930–970", covered)
	}
}

// TestHorizonScale: a run of a fifth of the horizon gets a fifth of each
// budget, to the cent; a daily budget is not scaled (a bidder with one
// alone has no change), and a total beside one keeps at least a cent
// (0 would mean no total cap); an equal horizon changes nothing.
func TestHorizonScale(t *testing.T) {
	full := sim.Config{Horizon: 10 * sim.Minute, Bidders: []sim.BidderConfig{
		{Name: "a", Budget: &sim.Budget{Total: sim.MoneyOf(200)}}, {Name: "b"}, {Name: "c", Budget: &sim.Budget{Total: sim.MoneyOf(0.33), Daily: sim.MoneyOf(1)}},
		{Name: "d", Budget: &sim.Budget{Daily: sim.MoneyOf(5)}}, {Name: "e", Budget: &sim.Budget{Total: sim.MoneyOf(0.02), Daily: sim.MoneyOf(1)}}}}
	short := full
	short.Horizon = 2 * sim.Minute
	f := HorizonFactor(full, short)
	ch := ScaledBudgets(short, f)
	if f != 0.2 || len(ch) != 3 || ch[0] != [2]string{"bidders.a.budget.total", "40"} || ch[1] != [2]string{"bidders.c.budget.total", "0.07"} ||
		ch[2] != [2]string{"bidders.e.budget.total", "0.01"} {
		t.Errorf("factor %v, changes %v", f, ch)
	}
	if f := HorizonFactor(full, full); f != 1 || ScaledBudgets(full, f) != nil {
		t.Errorf("equal horizons: %v", f)
	}
}

// TestHorizonScaleKeepsGroupTotals: a group's members share its scaled
// total to the cent, so that two splits of one total are still of one
// total when a run keeps a thirtieth of the horizon (rounded alone,
// 200/200/200 gave 20.01 and 20/470/110 gave 20.00); a bidder outside a
// group is rounded alone.
func TestHorizonScaleKeepsGroupTotals(t *testing.T) {
	for _, split := range [][3]float64{{200, 200, 200}, {20, 470, 110}, {0.01, 0.01, 599.98}} {
		cfg := sim.Config{Bidders: []sim.BidderConfig{
			{Name: "a", Group: "g", Budget: &sim.Budget{Total: sim.MoneyOf(split[0])}},
			{Name: "solo", Budget: &sim.Budget{Total: sim.MoneyOf(200)}},
			{Name: "b", Group: "g", Budget: &sim.Budget{Total: sim.MoneyOf(split[1])}},
			{Name: "c", Group: "g", Budget: &sim.Budget{Total: sim.MoneyOf(split[2])}},
		}}
		ch := ScaledBudgets(cfg, 1.0/30)
		got := map[string]float64{}
		for _, c := range ch {
			x, err := strconv.ParseFloat(c[1], 64)
			if err != nil {
				t.Fatal(err)
			}
			got[strings.TrimSuffix(strings.TrimPrefix(c[0], "bidders."), ".budget.total")] = x
		}
		sum := math.Round((got["a"] + got["b"] + got["c"]) * 100)
		if len(ch) != 4 || sum != 2000 || got["solo"] != 6.67 {
			t.Errorf("%v: scaled %v (group total %v cents), want the group at 20.00 and solo 6.67", split, got, sum)
		}
		for i, name := range []string{"a", "b", "c"} {
			if d := math.Abs(got[name] - split[i]/30); d > 0.01 {
				t.Errorf("%v: %s scaled to %v, %v from its share", split, name, got[name], d)
			}
		}
	}
}
