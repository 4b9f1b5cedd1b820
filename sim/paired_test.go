package sim

import (
	"bytes"
	"math"
	"reflect"
	"strings"
	"testing"
)

func TestMetricNamed(t *testing.T) {
	s := snapshotAt(t, groupWorld(), 5*Second)
	acme, _ := s.FindGroup("acme")
	a, _ := s.FindBidder("acme-a")
	for name, want := range map[string]float64{
		"exchange.revenue":                s.Exchange.Revenue.Float(),
		"bidders.acme-a.spend":            a.Spend.Float(),
		"bidders.acme-a.conversions":      float64(a.Conversions + a.Organic),
		"groups.acme.incremental_value":   acme.IncrementalValue.Float(),
		"groups.acme.wins":                float64(acme.Wins),
		"groups.nobody.incremental_value": 0,
	} {
		m, err := MetricNamed(name)
		if err != nil {
			t.Fatal(err)
		}
		if got := m.Of(s); got != want {
			t.Errorf("%s = %g, want %g", name, got, want)
		}
	}
	for _, bad := range []string{"exchange.roas", "bidders.acme-a", "groups..spend", "nothing", "groups.acme.attributed_roas"} {
		if _, err := MetricNamed(bad); err == nil || !strings.Contains(err.Error(), bad) {
			t.Errorf("%q: error %v", bad, err)
		}
	}
}

// pairedWorld has latencies near tmax, so that timeouts fall at random,
// a paced budget and delayed conversions: intervals that are correlated.
func pairedWorld(seed uint64) Config {
	cfg := world(4, Uniform(0, 2))
	cfg.Seed = seed
	cfg.Traffic.QPS = 200
	cfg.Horizon = 120 * Second
	for i := range cfg.Bidders {
		cfg.Bidders[i].Latency = LogNormalMedianP99(float64(60*Millisecond), float64(150*Millisecond))
		cfg.Bidders[i].Outcome = &Outcome{CTR: 0.05, CVR: 0.2, OrderValue: MoneyOf(5), BaselineCVR: 0.01, Delay: Exponential(float64(3 * Second))}
	}
	cfg.Bidders[0].Budget = &Budget{Total: MoneyOf(8), Pacing: PacingMultiplier}
	return cfg
}

const intervals = 100

var pairedMetrics = []string{"exchange.revenue", "bidders.b0.spend", "bidders.b1.conversions", "bidders.b2.incremental_value"}

func forkCoverage(t *testing.T, seeds int, variant func(seed uint64, a *Engine) *Engine) []int {
	t.Helper()
	ms := make([]Metric, len(pairedMetrics))
	for i, n := range pairedMetrics {
		ms[i], _ = MetricNamed(n)
	}
	covered := make([]int, len(ms))
	for s := range seeds {
		a := mustNew(t, pairedWorld(uint64(s)+100))
		a.RunUntil(5 * Second)
		b := variant(uint64(s)+100, a)
		p := NewPaired(a.Snapshot(), b.Snapshot(), ms...)
		for k := range intervals {
			at := 5*Second + Time(k+1)*Second
			a.RunUntil(at)
			b.RunUntil(at)
			p.Add(a.Snapshot(), b.Snapshot())
		}
		for i, d := range p.Differences() {
			if d.Batches != maxBatches || d.N != intervals {
				t.Fatalf("%d intervals in %d batches", d.N, d.Batches)
			}
			if !d.Distinguishable() {
				covered[i]++
			}
		}
	}
	return covered
}

// TestPairedCoverage: when B is the same world as A, the interval covers
// 0 in about 95% of seeds, both for an independent B (another seed) and
// for a clone whose latency draws were reshuffled (a change with no
// effect on expectations, common random numbers elsewhere).
func TestPairedCoverage(t *testing.T) {
	if testing.Short() {
		t.Skip("long tier (make test-long): 80 forked runs, over 3 minutes under -race")
	}
	const seeds = 40
	cases := map[string]func(uint64, *Engine) *Engine{
		"another seed": func(seed uint64, a *Engine) *Engine {
			b := mustNew(t, pairedWorld(seed+1_000_000))
			b.RunUntil(a.Now())
			return b
		},
		"clone, latency redrawn": func(seed uint64, a *Engine) *Engine {
			b := a.Clone()
			for _, name := range []string{"b0", "b1", "b2", "b3"} {
				if err := b.Apply(SetLatency{Bidder: name, Latency: LogNormalMedianP99(float64(60*Millisecond), float64(150*Millisecond))}); err != nil {
					t.Fatal(err)
				}
			}
			return b
		},
	}
	for name, variant := range cases {
		t.Run(name, func(t *testing.T) {
			covered := forkCoverage(t, seeds, variant)
			for i, c := range covered {
				t.Logf("%s: %d of %d intervals cover 0", pairedMetrics[i], c, seeds)
				// 95% of 40 is 38; 34 is about 2.5 standard deviations below.
				if c < 34 {
					t.Errorf("%s: only %d of %d intervals cover 0", pairedMetrics[i], c, seeds)
				}
			}
		})
	}
}

// TestForkDetectsChange: an unchanged fork's differences are exactly 0;
// a large change to B (a floor of 1.5 against values on [0, 2]) lowers
// revenue distinguishably.
func TestForkDetectsChange(t *testing.T) {
	for seed := range uint64(3) {
		e := mustNew(t, pairedWorld(seed))
		e.RunUntil(5 * Second)
		f := NewFork(e, Second, nil)
		g := NewFork(e.Clone(), Second, nil)
		if err := g.Apply(SetFloor{Floor: PriceOf(1.5)}); err != nil {
			t.Fatal(err)
		}
		f.RunUntil(45 * Second)
		g.RunUntil(45 * Second)
		for _, d := range f.Differences() {
			if d.A != d.B || d.Mean != 0 || d.Distinguishable() || d.Verdict() != "not distinguishable yet" {
				t.Fatalf("unchanged fork: %+v", d)
			}
		}
		rev := g.Differences()[0]
		if tot := rev.Total(); rev.Name != "exchange.revenue" || rev.Verdict() != "B lower" || math.Abs(tot.Mean-(rev.B-rev.A)) > 1e-9 || !(tot.Lo < tot.Mean && tot.Hi < 0) {
			t.Errorf("floor 1.5: revenue %+v, want B lower", rev)
		}
		t.Logf("floor 1.5: revenue A %.3f, B %.3f, per interval %.4f [%.4f, %.4f]", rev.A, rev.B, rev.Mean, rev.Lo, rev.Hi)
		// Common random numbers: the paired interval is narrower than
		// either run's own.
		if w, wa := rev.Hi-rev.Lo, rev.Baseline.Hi-rev.Baseline.Lo; !(w < wa) {
			t.Errorf("paired interval %.4f wide, the baseline's alone %.4f", w, wa)
		}
		if a := rev.Baseline.Mean * float64(rev.N); math.Abs(a-rev.A) > 1e-9*rev.A {
			t.Errorf("baseline mean × intervals %.6f, A added %.6f", a, rev.A)
		}
	}
}

// TestForkSlices: a fork run in slices of a few events ends exactly as one
// run in one go: the same engines, the same comparison.
func TestForkSlices(t *testing.T) {
	e := mustNew(t, pairedWorld(9))
	e.RunUntil(2 * Second)
	whole := NewFork(e, Second, nil)
	sliced := NewFork(e.Clone(), Second, nil)
	for _, f := range []*Fork{whole, sliced} {
		if err := f.Apply(MoveBudget{From: "b0", To: "b0", Amount: MoneyOf(1)}); err == nil {
			t.Fatal("a move to the same bidder was accepted")
		}
		if err := f.Apply(SetFloor{Floor: PriceOf(0.5)}); err != nil {
			t.Fatal(err)
		}
	}
	whole.RunUntil(20 * Second)
	slices := 0
	for !sliced.RunSlice(20*Second, 97) {
		slices++
	}
	if slices < 100 {
		t.Fatalf("only %d slices: the slice limit was not applied", slices)
	}
	if sliced.A.Now() != 20*Second || sliced.B.Now() != 20*Second {
		t.Fatalf("sliced fork stands at %v, %v", sliced.A.Now(), sliced.B.Now())
	}
	for _, pair := range [][2]*Engine{{whole.A, sliced.A}, {whole.B, sliced.B}} {
		if !bytes.Equal(jsonOf(t, pair[0].Snapshot()), jsonOf(t, pair[1].Snapshot())) {
			t.Fatal("a fork run in slices differs from one run in one go")
		}
	}
	dw, ds := whole.Differences(), sliced.Differences()
	if len(dw) != len(ds) || dw[0].N != 18 {
		t.Fatalf("%d and %d metrics, %d intervals", len(dw), len(ds), dw[0].N)
	}
	for i := range dw {
		if dw[i] != ds[i] && !(math.IsNaN(dw[i].Mean) && math.IsNaN(ds[i].Mean)) {
			t.Errorf("%s: %+v in one go, %+v in slices", dw[i].Name, dw[i], ds[i])
		}
	}
}

// BenchmarkFork runs the benchmark world forked, both engines in
// lock-step compared every virtual second: auctions/s is per engine, to
// set against BenchmarkEngine's single engine.
func BenchmarkFork(b *testing.B) {
	e := mustNew(b, benchConfig())
	e.RunAuctions(200_000)
	f := NewFork(e, Second, nil)
	b.ReportAllocs()
	b.ResetTimer()
	start := f.A.Auctions()
	// 1000 qps: b.N auctions take about b.N milliseconds.
	f.RunUntil(f.A.Now() + Time(b.N)*Millisecond)
	n := float64(f.A.Auctions() - start)
	b.ReportMetric(n/b.Elapsed().Seconds(), "auctions/s")
}

// TestCounters: every cumulative metric of the catalogue, which a fork
// reads from Counters, reads the same from Counters as from Snapshot, and
// MetricNamed resolves it.
func TestCounters(t *testing.T) {
	cfg := groupWorld()
	cfg.Bidders[4].Latency = LogNormalMedianP99(float64(60*Millisecond), float64(150*Millisecond))
	e := mustNew(t, cfg)
	e.RunUntil(7 * Second)
	full, light := e.Snapshot(), e.Counters()
	var names []string
	for _, m := range Catalogue(full) {
		// Tmax curve points and holdouts are not in Counters: no fork
		// compares them.
		if m.Cumulative && !strings.HasPrefix(m.Name, "tmax_curve.") && !strings.Contains(m.Name, ".holdout.") {
			names = append(names, m.Name)
		}
	}
	if len(names) < 100 {
		t.Fatalf("only %d cumulative metrics", len(names))
	}
	nonzero := 0
	for _, n := range names {
		m, err := MetricNamed(n)
		if err != nil {
			t.Fatal(err)
		}
		if x, y := m.Of(full), m.Of(light); x != y {
			t.Errorf("%s: %g from Snapshot, %g from Counters", n, x, y)
		} else if x != 0 {
			nonzero++
		}
	}
	// Errors, refusals and the like are 0 in this world: 3 in 5 not 0.
	if nonzero < len(names)*3/5 {
		t.Errorf("only %d of %d metrics are not 0: the test compares too little", nonzero, len(names))
	}
	if !reflect.DeepEqual(full.Groups, light.Groups) {
		t.Errorf("groups differ: %+v and %+v", full.Groups, light.Groups)
	}
}

// TestForkMoneyExactAndROAS: a fork's differences of money are taken in
// Money and converted once (equal spends differ by exactly 0, not by float
// noise: B − A is exactly the integer difference), and the fork compares
// attributed value and ROAS both ways, each ROAS the quotient of the
// runs' value and spend since the fork.
func TestForkMoneyExactAndROAS(t *testing.T) {
	e := mustNew(t, pairedWorld(7))
	e.RunUntil(5 * Second)
	f := NewFork(e, Second, nil)
	a0, b0 := f.A.Counters(), f.B.Counters()
	if err := f.Apply(SetFloor{Floor: PriceOf(0.7)}); err != nil {
		t.Fatal(err)
	}
	f.RunUntil(60 * Second)
	a1, b1 := f.A.Counters(), f.B.Counters()
	byName := map[string]Difference{}
	for _, d := range f.Differences() {
		byName[d.Name] = d
	}
	money := 0
	for _, d := range f.Differences() {
		m, err := MetricNamed(d.Name)
		if err != nil || m.Money == nil {
			continue
		}
		money++
		want := ((m.Money(b1) - m.Money(b0)) - (m.Money(a1) - m.Money(a0))).Float()
		if got := d.Total().Mean; got != want {
			t.Errorf("%s: B − A %v, want exactly %v", d.Name, got, want)
		}
	}
	if money < 5 {
		t.Fatalf("only %d money metrics compared", money)
	}
	for _, who := range []string{"bidders.b1", "bidders.b2"} {
		v, s := byName[who+".attributed_value"], byName[who+".spend"]
		if v.Name == "" || !(v.A > 0) {
			t.Fatalf("%s: no attributed value compared: %+v", who, v)
		}
		for _, kind := range []string{"attributed", "incremental"} {
			r, ok := byName[who+"."+kind+"_roas"]
			num := byName[who+"."+kind+"_value"]
			if !ok || !r.Ratio || r.A != num.A/s.A || r.B != num.B/s.B || r.Total().Mean != r.B-r.A || math.IsNaN(r.Lo) {
				t.Errorf("%s %s ROAS: %+v (value %v/%v, spend %v/%v)", who, kind, r, num.A, num.B, s.A, s.B)
			}
		}
	}
}

// TestForkVerdictDegenerate: the fork's verdict follows the rule of
// compare and split (stats.Stat.Degenerate): batches all alike (sd 0)
// decide nothing below stats.SignTestN of them, and from there on the
// sign test's worth of them all one sign does.
func TestForkVerdictDegenerate(t *testing.T) {
	for _, c := range []struct {
		xs   []float64
		want string
	}{
		{[]float64{1, 1, 1, 1, 1}, "not distinguishable yet"},
		{[]float64{-2, -2, -2}, "not distinguishable yet"},
		{[]float64{1, 1, 1, 1, 1, 1}, "B higher"},
		{[]float64{-2, -2, -2, -2, -2, -2, -2}, "B lower"},
		{[]float64{1, 1.1, 0.9, 1, 1.05}, "B higher"}, // a real spread: Student's interval decides
	} {
		d := Difference{BatchMean: batchMeans(c.xs, 1)}
		if got := d.Verdict(); got != c.want || d.Distinguishable() != (c.want != "not distinguishable yet") {
			t.Errorf("%v: verdict %q, distinguishable %v; want %q (batch means %+v)", c.xs, got, d.Distinguishable(), c.want, d.BatchMean)
		}
	}
}

// TestForkBatchMemory: a fork's batches are at least the world's memory,
// 12 pacing intervals once a bidder paces its budget, also when pacing is
// turned on in B after the fork; until two have passed there is no
// interval, and the verdict is "not distinguishable yet".
func TestForkBatchMemory(t *testing.T) {
	cfg := pairedWorld(5) // horizon 120 s: pacing every 600 ms
	cfg.Bidders[0].Budget.Pacing = PacingNone
	e := mustNew(t, cfg)
	if m := e.Memory(); m != 0 {
		t.Fatalf("memory %v without controllers", m)
	}
	e.RunUntil(5 * Second)
	f := NewFork(e, Second, nil)
	if b := f.Batch(); b != Second {
		t.Fatalf("batch %v without controllers, want one interval", b)
	}
	if err := f.Apply(SetFloor{Floor: PriceOf(1.5)}); err != nil {
		t.Fatal(err)
	}
	if err := f.Apply(SetPacing{Bidder: "b0", Pacing: PacingMultiplier}); err != nil {
		t.Fatal(err)
	}
	if m := f.B.Memory(); m != 12*600*Millisecond {
		t.Fatalf("B's memory %v, want 12 pacing intervals", m)
	}
	if b := f.Batch(); b != 8*Second {
		t.Fatalf("batch %v, want 8s: 7.2s in whole intervals", b)
	}
	f.RunUntil(20 * Second) // 15 intervals: one batch
	rev := f.Differences()[0]
	if rev.Batches != 1 || !math.IsNaN(rev.Lo) || rev.Verdict() != "not distinguishable yet" {
		t.Errorf("15 intervals, batches of 8: %+v", rev)
	}
	f.RunUntil(45 * Second) // 40 intervals: 5 batches of 8
	rev = f.Differences()[0]
	if rev.Batches != 5 || rev.N != 40 || rev.Verdict() != "B lower" {
		t.Errorf("40 intervals, batches of 8: %+v", rev)
	}
}

// TestCountersWithPeople: with people a bidder's incremental figures are
// caused + organic − without the ads, so Counters, which a fork reads
// every interval, must have the conversions without the ads (and the
// frequency that says the world has people) as Snapshot has them: without
// them the fork compared the caused value under incremental_value's name.
func TestCountersWithPeople(t *testing.T) {
	cfg := truthWorld(8, 0)
	cfg.Bidders[0].Group, cfg.Bidders[1].Group = "acme", "acme"
	e := mustNew(t, cfg)
	e.RunUntil(20 * Second)
	full, light := e.Snapshot(), e.Counters()
	if b := full.Bidders[0]; b.IncrementalValue() == b.ValueCaused || b.WithoutAd == 0 {
		t.Fatalf("incremental value %v, caused %v, %d without the ad: not the case meant", b.IncrementalValue(), b.ValueCaused, b.WithoutAd)
	}
	for _, m := range Catalogue(full) {
		// A frequency's figures are not a fork's (MetricNamed has none).
		if !m.Cumulative || strings.HasPrefix(m.Name, "tmax_curve.") || strings.Contains(m.Name, ".holdout.") || strings.Contains(m.Name, ".frequency.") {
			continue
		}
		c, err := MetricNamed(m.Name)
		if err != nil {
			t.Fatal(err)
		}
		if x, y := c.Of(full), c.Of(light); x != y && !(math.IsNaN(x) && math.IsNaN(y)) {
			t.Errorf("%s: %g from Snapshot, %g from Counters", m.Name, x, y)
		}
	}
	if !reflect.DeepEqual(full.Groups, light.Groups) {
		t.Errorf("groups differ: %+v and %+v", full.Groups, light.Groups)
	}
}

// TestForkIntervalCountsEveryInterval: a difference's interval is from
// every interval its point estimate counts. With whole batches only, 12
// intervals in batches of at least 5 made 2 batches of the first 10,
// all 0, and the 2 after them, where B − A was 5, counted in the
// difference since the fork but not in its interval: "+5 ± 0".
func TestForkIntervalCountsEveryInterval(t *testing.T) {
	xs := []float64{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5}
	d := Difference{Delta: 5, BatchMean: batchMeans(xs, 5)}
	if d.Batches != 2 || d.N != 12 {
		t.Fatalf("batch means %+v, want 2 batches of 12 intervals", d.BatchMean)
	}
	if d.Mean*float64(d.N) != d.Delta || !(d.SD > 0) {
		t.Errorf("mean %g per interval over %d (%g in all, the difference %g), sd %g: want every interval counted, and their spread",
			d.Mean, d.N, d.Mean*float64(d.N), d.Delta, d.SD)
	}
	if tot := d.Total(); !(tot.Lo < 0 && tot.Hi > 5) || tot.Mean != 5 {
		t.Errorf("total %+v, want 5 within an interval that covers 0", tot)
	}
	if d.Verdict() != "not distinguishable yet" {
		t.Errorf("verdict %q", d.Verdict())
	}
	// The same for the ratios' batches.
	one := []float64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}
	r, _, _ := batchRatios(one, one, xs, one, 5)
	if r.Batches != 2 || !(r.SD > 0) {
		t.Errorf("ratio batch means %+v: want the last intervals in the last batch", r)
	}
}

// TestForkIdentical: B − A that has been 0 in every interval (a fork with
// no change yet) is Identical, every metric's and ratio's; a change to B
// makes those it moves not Identical, and the others stay so.
func TestForkIdentical(t *testing.T) {
	e := mustNew(t, pairedWorld(5))
	e.RunUntil(5 * Second)
	f := NewFork(e, Second, nil)
	f.RunUntil(30 * Second)
	for _, d := range f.Differences() {
		if !d.Identical || d.Delta != 0 || d.SD != 0 && !math.IsNaN(d.SD) {
			t.Errorf("no change: %s %+v, want identical", d.Name, d)
		}
	}
	if err := f.Apply(SetFloor{Floor: PriceOf(1.5)}); err != nil {
		t.Fatal(err)
	}
	f.RunUntil(60 * Second)
	moved := 0
	for _, d := range f.Differences() {
		if d.Identical && d.Delta != 0 {
			t.Errorf("%s differs by %g, yet identical", d.Name, d.Delta)
		}
		if !d.Identical {
			moved++
		}
	}
	if moved == 0 {
		t.Error("a floor of 1.5 in B moved nothing")
	}
}

// TestMemoryGoalsAndLearners: a goal's memory is the longest delay its
// conversions feed back with (the attribution window, or the delay's 99th
// percentile without one) and its controller's horizon, at least 12
// pacing intervals and dt·√(steps/goalStep) once the cumulative ratio's
// steps make that longer; a learner's, the time since it began learning.
// Memory counted 12 pacing intervals for a goal, and nothing for a
// learner or a delay.
func TestMemoryGoalsAndLearners(t *testing.T) {
	const dt = 600 * Millisecond // pairedWorld's pacing interval
	cfg := pairedWorld(3)
	cfg.Bidders[0].Budget.Pacing = PacingNone
	cpa := Strategy{Kind: TargetCPA, CPA: MoneyOf(2)}
	cfg.Bidders[1].Strategy = cpa
	cfg.Bidders[1].Outcome.AttributionWindow = 5 * Second
	e := mustNew(t, cfg)
	e.RunUntil(60 * Second)
	g := e.bidders[1].goal
	steer := Time(float64(dt) * math.Sqrt(float64(g.steps)/goalStep))
	if steer <= memoryUpdates*dt {
		t.Fatalf("%d steps: the ratio's horizon %v is not the longer", g.steps, steer)
	}
	if m := e.Memory(); m != 5*Second+steer {
		t.Errorf("a goal with a 5s window after %d steps: memory %v, want %v", g.steps, m, 5*Second+steer)
	}

	// No window: the delay's 99th percentile, 3s·ln 100; a goal just
	// begun: 12 pacing intervals.
	if err := e.Apply(SetStrategy{Bidder: "b2", Strategy: cpa}); err != nil {
		t.Fatal(err)
	}
	q := quantileTime(Exponential(float64(3*Second)), 0.99)
	if want := Time(3 * float64(Second) * math.Log(100)); q < want-Millisecond || q > want+Millisecond {
		t.Fatalf("99th percentile of an exponential of mean 3s: %v, want %v", q, want)
	}
	if m := e.Memory(); m != q+memoryUpdates*dt {
		t.Errorf("a goal just begun without a window: memory %v, want %v", m, q+memoryUpdates*dt)
	}

	// A learner: the time since it began, from the start or its last
	// strategy change.
	cfg = pairedWorld(3)
	cfg.Bidders[0].Budget.Pacing = PacingNone
	cfg.Bidders[3].Strategy = Strategy{Kind: Learn}
	e = mustNew(t, cfg)
	e.RunUntil(30 * Second)
	if m := e.Memory(); m != 30*Second {
		t.Errorf("a learner 30s in: memory %v", m)
	}
	if err := e.Apply(SetStrategy{Bidder: "b3", Strategy: Strategy{Kind: Learn, Arms: 10}}); err != nil {
		t.Fatal(err)
	}
	e.RunUntil(40 * Second)
	if m := e.Memory(); m != 10*Second {
		t.Errorf("a learner begun afresh 10s ago: memory %v", m)
	}
	if c := e.Clone(); c.Memory() != 10*Second {
		t.Errorf("its clone's memory %v", c.Memory())
	}
}
