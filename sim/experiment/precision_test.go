package experiment

import (
	"context"
	"math"
	"math/rand/v2"
	"sync/atomic"
	"testing"
)

// normalPair is a two-point experiment whose metric "m" is normal with
// sd 1 at each point, mean 10 at the baseline and 10 + delta at the
// variant: the paired difference has the known mean delta.
func normalPair(seed uint64, delta float64) *Experiment {
	return &Experiment{Points: 2, Seed: seed, Workers: 1, Paired: true,
		Run: func(_ context.Context, point int, s uint64) (Values, error) {
			r := rand.New(rand.NewPCG(s, uint64(point)))
			return Values{"m": 10 + delta*float64(point) + r.NormFloat64()}, nil
		}}
}

// TestPrecisionCoverage measures the coverage of compare --precision's
// 95% interval for a difference whose true value is known, over 2,000
// experiments: the rule stops when the estimated half-width is within the
// target, which favours underestimated spreads, so its own intervals
// cover too rarely; the fresh replications UntilFresh reports cover 95%
// (the test accepts 93–97%, about ±4 standard errors).
func TestPrecisionCoverage(t *testing.T) {
	if testing.Short() {
		t.Skip("2,000 sequential experiments: the long tier")
	}
	const (
		delta  = 0.5
		target = 0.06 // half-width within 6% of the baseline mean 10
		runs   = 2000
	)
	enough := func(a *Agg) bool {
		p := a.Pair(1, "m")
		return p.Diff.Stat().HalfWidth() <= target*math.Abs(p.A.Mean())
	}
	covers := func(a *Agg) bool {
		d := a.Pair(1, "m").Diff.Stat()
		return d.Lo <= delta && delta <= d.Hi
	}
	var rule, fresh, firstBatch, firstCovered int
	for i := range runs {
		e := normalPair(uint64(i)+1, delta)
		ruleAgg, err := e.Until(context.Background(), 3, 400, enough)
		if err != nil {
			t.Fatal(err)
		}
		agg, decided, err := e.UntilFresh(context.Background(), 3, 400, enough)
		if err != nil {
			t.Fatal(err)
		}
		if decided != ruleAgg.Reps() || agg.Reps() != decided {
			t.Fatalf("experiment %d: the rule ran %d, UntilFresh decided %d and reported %d", i, ruleAgg.Reps(), decided, agg.Reps())
		}
		if covers(ruleAgg) {
			rule++
		}
		if covers(agg) {
			fresh++
		}
		if decided == 3 {
			firstBatch++
			if covers(ruleAgg) {
				firstCovered++
			}
		}
	}
	pct := func(n int) float64 { return 100 * float64(n) / runs }
	t.Logf("coverage: the rule's own intervals %.1f%% (stopped at the first batch: %d, covered %d), fresh %.1f%%",
		pct(rule), firstBatch, firstCovered, pct(fresh))
	if pct(rule) >= 93 {
		t.Errorf("the rule's own intervals covered %.1f%%: the test no longer shows the bias that fresh replications remove", pct(rule))
	}
	if c := pct(fresh); c < 93 || c > 97 {
		t.Errorf("the reported 95%% intervals covered the true difference in %.1f%% of %d experiments, want 93–97%%", c, runs)
	}
}

// TestUntilFreshSeeds checks that UntilFresh reports exactly the
// replications a plain Replicate with the fresh seed gives, as many as the
// rule decided.
func TestUntilFreshSeeds(t *testing.T) {
	e := normalPair(7, 0.5)
	enough := func(a *Agg) bool { return a.Reps() >= 9 }
	agg, decided, err := e.UntilFresh(context.Background(), 4, 100, enough)
	if err != nil {
		t.Fatal(err)
	}
	if decided != 12 { // 4, then 4 more, then 4 more: the first ≥ 9
		t.Errorf("decided %d, want 12", decided)
	}
	f := normalPair(FreshSeed(7), 0.5)
	want, err := f.Replicate(context.Background(), decided)
	if err != nil {
		t.Fatal(err)
	}
	sameAgg(t, want, agg)
	rule, _ := e.Replicate(context.Background(), decided)
	if rule.Pair(1, "m").Diff.Mean() == agg.Pair(1, "m").Diff.Mean() {
		t.Error("the fresh replications are the rule's")
	}
}

// TestUntilFreshInterrupted checks what UntilFresh says it returns when
// ctx is done: while the rule runs, the rule's own replications with
// decided 0 (they are not fresh, and compare must not say they are);
// during the fresh ones, those so far, fewer than decided.
func TestUntilFreshInterrupted(t *testing.T) {
	for _, c := range []struct {
		name     string
		after    int64 // runs before ctx is done
		fresh    bool  // the fresh replications were reached
		decided  int
		maxAggLT int // the replications returned are fewer than this
	}{
		{"in the rule", 30, false, 0, 16},
		{"in the fresh runs", 24 + 10, true, 12, 12},
	} {
		ctx, cancel := context.WithCancel(context.Background())
		e := normalPair(7, 0.5)
		run := e.Run
		var runs atomic.Int64
		e.Run = func(ctx context.Context, point int, seed uint64) (Values, error) {
			if runs.Add(1) > c.after {
				cancel()
				<-ctx.Done()
				return nil, ctx.Err()
			}
			return run(ctx, point, seed)
		}
		// 4, 8, 12 replications, then enough: 24 runs of the rule, 24
		// fresh; never enough for the first case (30 runs in).
		enough := func(a *Agg) bool { return c.fresh && a.Reps() >= 12 }
		agg, decided, err := e.UntilFresh(ctx, 4, 100, enough)
		cancel()
		if err == nil {
			t.Fatalf("%s: no error from an interrupted rule", c.name)
		}
		if decided != c.decided || agg.Reps() == 0 || agg.Reps() >= c.maxAggLT {
			t.Errorf("%s: decided %d (want %d), %d replications returned", c.name, decided, c.decided, agg.Reps())
		}
	}
}
