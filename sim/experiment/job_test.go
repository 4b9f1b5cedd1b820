package experiment_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/experiment"
)

// pointT resolves a bundled scenario with overrides (PATH=VALUE) into a
// point, as the commands do; auctions > 0 sets its stop.
func pointT(t testing.TB, name string, auctions int, sets ...string) (experiment.PointSpec, experiment.Point) {
	t.Helper()
	var list []scenarios.Set
	if auctions > 0 {
		sets = append(sets, fmt.Sprintf("stop={auctions: %d}", auctions))
	}
	for _, s := range sets {
		set, err := scenarios.ParseSet("--set", s)
		if err != nil {
			t.Fatal(err)
		}
		list = append(list, set)
	}
	sc, text, err := scenarios.ResolveWith(name, list)
	if err != nil {
		t.Fatal(err)
	}
	return experiment.PointSpec{Name: sc.Name, YAML: string(text)},
		experiment.Point{Name: sc.Name, Config: sc.Config, Stop: sc.Stop}
}

// compareJob compares name with and without the changes over reps
// paired replications of auctions each.
func compareJob(t testing.TB, name string, auctions, reps, workers int, changes ...string) *experiment.Job {
	t.Helper()
	bs, bp := pointT(t, name, auctions)
	vs, vp := pointT(t, name, auctions, changes...)
	return &experiment.Job{
		Spec: &experiment.Spec{Command: "compare", Scenario: name, Seed: bp.Config.Seed, Reps: reps,
			Changes: changes, Metrics: []string{"exchange.revenue"}, Points: []experiment.PointSpec{bs, vs}},
		Points: []experiment.Point{bp, vp}, Workers: workers,
	}
}

// sweepJob sweeps path of name over values.
func sweepJob(t testing.TB, name string, auctions, reps, workers int, path string, values []string, metrics ...string) *experiment.Job {
	t.Helper()
	j := &experiment.Job{Spec: &experiment.Spec{Command: "sweep", Scenario: name, Reps: reps,
		Vary: []experiment.Vary{{Path: path, Values: values}}, Metrics: metrics}, Workers: workers}
	for _, v := range values {
		ps, p := pointT(t, name, auctions, path+"="+v)
		ps.Values = []string{v}
		j.Spec.Points = append(j.Spec.Points, ps)
		j.Points = append(j.Points, p)
		j.Spec.Seed = p.Config.Seed
	}
	return j
}

func replicate(t testing.TB, j *experiment.Job) *experiment.Result {
	t.Helper()
	res, err := experiment.Replicate(context.Background(), j)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestMeasureNamesGroups: a replication's metrics name a group's figures
// groups.NAME.METRIC, as bidders' are bidders.NAME.METRIC, so that compare
// and sweep can address them.
func TestMeasureNamesGroups(t *testing.T) {
	_, p := pointT(t, "budget-split", 0, "stop={duration: 20s}")
	vals, err := experiment.Measure(context.Background(), p, p.Config.Seed)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"groups.acme.incremental_value", "groups.acme.attributed_value", "groups.acme.spend",
		"groups.acme.budget", "groups.acme.attributed_roas", "bidders.acme-prospect.spend", "exchange.revenue"} {
		if x, ok := vals[name]; !ok || !(x > 0) {
			t.Errorf("%s: %v (present %v), want > 0", name, x, ok)
		}
	}
	for _, name := range []string{"seed", "wall_seconds", "partial"} {
		if _, ok := vals[name]; ok {
			t.Errorf("%s is not an outcome of a replication", name)
		}
	}
	if err := experiment.CheckMetrics(p, "exchange.revenue", "groups.acme.spend"); err != nil {
		t.Error(err)
	}
	err = experiment.CheckMetrics(p, "exchange.revenu")
	if err == nil || !strings.Contains(err.Error(), `"exchange.revenu" is not a metric of budget-split; did you mean exchange.revenue?`) {
		t.Errorf("error %v", err)
	}
	// The figures since a change: a metric of a world whose script
	// changes it after the start, refused saying why in one that does not.
	err = experiment.CheckMetrics(p, "since_change.revenue_per_auction")
	if err == nil || !strings.Contains(err.Error(), "budget-split's script makes none after the start") {
		t.Errorf("since_change in a world without a script: error %v", err)
	}
	_, story := pointT(t, "timeout-story", 0)
	if err := experiment.CheckMetrics(story, "since_change.revenue_per_auction", "since_change.start_seconds"); err != nil {
		t.Errorf("since_change in timeout-story, whose script changes the world: %v", err)
	}
	// Nothing near: no guess ("foo" is 6 edits from "events").
	err = experiment.CheckMetrics(p, "foo")
	if err == nil || strings.Contains(err.Error(), "did you mean") ||
		!strings.Contains(err.Error(), `"foo" is not a metric of budget-split (metrics are`) {
		t.Errorf("error %v, want no far suggestion", err)
	}
}

// TestComparePairing: common random numbers pay. A change to one
// bidder's latency in timeout-demo gives a paired interval at least three
// times narrower than the unpaired one, and the median's shift of 45 ms
// is found.
func TestComparePairing(t *testing.T) {
	res := replicate(t, compareJob(t, "timeout-demo", 10000, 10, 2, "bidders.metro.latency.median=90ms"))
	out := experiment.NewComparison(res, 0)
	if out.Replications != 10 || out.Seed != 42 || out.Variant.Changes[0] != "bidders.metro.latency.median=90ms" || out.Precision != nil {
		t.Errorf("header %+v", out)
	}
	for _, name := range []string{"exchange.revenue", "exchange.timeouts", "bidders.metro.spend"} {
		m, ok := out.Metrics[name]
		if !ok {
			t.Fatalf("no metric %s", name)
		}
		if m.UnpairedHalfWidth == nil || !(*m.UnpairedHalfWidth >= 3*m.Diff.HalfWidth()) {
			t.Errorf("%s: paired ± %v, unpaired ± %v: want at least 3× narrower", name, m.Diff.HalfWidth(), m.UnpairedHalfWidth)
		}
		if d := m.Variant.Mean - m.Baseline.Mean; math.Abs(d-m.Diff.Mean) > 1e-9*math.Max(1, math.Abs(d)) {
			t.Errorf("%s: diff mean %v, variant − baseline %v", name, m.Diff.Mean, d)
		}
	}
	p50 := out.Metrics["bidders.metro.latency_ms.p50"]
	if !(p50.Diff.Lo > 40 && p50.Diff.Hi < 50) || p50.Verdict(10) != "higher in the variant" {
		t.Errorf("metro p50 difference %+v (%s), want about +45 ms", p50.Diff, p50.Verdict(10))
	}
	differ, same, constant := out.Rows()
	if len(differ) == 0 || len(same) == 0 || len(constant) == 0 || len(differ)+len(same)+len(constant) != len(out.Metrics) {
		t.Errorf("rows: %d differ, %d same, %d constant of %d", len(differ), len(same), len(constant), len(out.Metrics))
	}
	// The largest relative change the replications vouch for first.
	for i := 1; i < len(differ); i++ {
		a, b := out.Metrics[differ[i-1]].RelativeFloor(), out.Metrics[differ[i]].RelativeFloor()
		if a < b {
			t.Errorf("differences out of order: %s (%v) before %s (%v)", differ[i-1], a, differ[i], b)
		}
	}
}

// TestCompareSelfAndSettings: a scenario compared with itself differs in
// nothing; a changed setting is a difference (constant, ± 0), not "the
// same".
func TestCompareSelfAndSettings(t *testing.T) {
	self := replicate(t, compareJob(t, "reserve-price", 2000, 5, 2))
	out := experiment.NewComparison(self, 0)
	if differ, _, _ := out.Rows(); len(differ) != 0 {
		t.Errorf("a self-comparison differs in %v", differ)
	}
	floor := experiment.NewComparison(replicate(t, compareJob(t, "reserve-price", 2000, 3, 2, "exchange.floor=0.3")), 0)
	differ, _, _ := floor.Rows()
	if m := floor.Metrics["settings.floor"]; !strings.Contains(strings.Join(differ, ","), "settings.floor") || m.Diff.Mean != -0.2 || m.Diff.SD != 0 {
		t.Errorf("the changed floor: %+v, differences %v", m, differ)
	}
}

// TestCompareMoveWithinGroup is budget-split's advice checked: moving 100
// of budget from retarget to prospect (the group's total unchanged)
// raises acme's incremental value with an interval above 0 and lowers its
// attributed ROAS.
func TestCompareMoveWithinGroup(t *testing.T) {
	if testing.Short() {
		t.Skip("long tier (make test-long): 12 runs of budget-split's 10 minutes: seconds alone, minutes under -race")
	}
	res := replicate(t, compareJob(t, "budget-split", 0, 6, 2,
		"bidders.acme-retarget.budget.total=100", "bidders.acme-prospect.budget.total=300"))
	out := experiment.NewComparison(res, 0)
	if iv := out.Metrics["groups.acme.incremental_value"].Diff; !(iv.Lo > 0) {
		t.Errorf("groups.acme.incremental_value: %+v", iv)
	}
	if roas := out.Metrics["groups.acme.attributed_roas"].Diff; !(roas.Hi < 0) {
		t.Errorf("groups.acme.attributed_roas: %+v", roas)
	}
	if b := out.Metrics["groups.acme.budget"].Diff; b.Mean != 0 {
		t.Errorf("the group's budget changed: %+v", b)
	}
}

// TestReplicateUntilPrecision: sequential precision adds batches until
// the difference is known within the target, before the cap here, and
// stops at the same number of replications whatever the workers.
func TestReplicateUntilPrecision(t *testing.T) {
	var ns []int
	for _, w := range []int{1, 2} {
		j := compareJob(t, "reserve-price", 500, 5, w, "exchange.floor=0.45")
		res, err := experiment.ReplicateUntil(context.Background(), j, "exchange.revenue", 0.002, 200)
		if err != nil {
			t.Fatal(err)
		}
		out := experiment.NewComparison(res, 0.002)
		m := out.Metrics["exchange.revenue"]
		if out.Replications >= 200 || !out.PrecisionMet(m) {
			t.Errorf("stopped at %d replications with ± %v against 0.2%% of %v", out.Replications, m.Diff.HalfWidth(), m.Baseline.Mean)
		}
		if res.Spec.Reps != out.Replications {
			t.Errorf("spec says %d replications, the aggregate %d", res.Spec.Reps, out.Replications)
		}
		ns = append(ns, out.Replications)
	}
	if ns[0] != ns[1] || ns[0] <= 5 {
		t.Errorf("replications reached %v: want the same N > the first batch whatever the workers", ns)
	}
}

// TestReplicateUntilZeroBaseline: a metric that is 0 in every baseline
// replication (no timeouts without latency) has no share to reach, so
// the rule stops at the first batch instead of running to the cap, and
// the comparison says the target was out of reach.
func TestReplicateUntilZeroBaseline(t *testing.T) {
	j := compareJob(t, "reserve-price", 2000, 5, 2, "bidders.ada.latency={dist: lognormal, median: 90ms, p99: 200ms}")
	res, err := experiment.ReplicateUntil(context.Background(), j, "exchange.timeouts", 0.05, 200)
	if err != nil {
		t.Fatal(err)
	}
	out := experiment.NewComparison(res, 0.05)
	m := out.Metrics["exchange.timeouts"]
	if m.Baseline.Mean != 0 || !(m.Variant.Mean > 0) || !(m.Diff.HalfWidth() > 0) {
		t.Fatalf("baseline %v, variant %v, diff %v: want a zero baseline and a variant that varies", m.Baseline, m.Variant, m.Diff)
	}
	if out.Replications != 5 || out.PrecisionMet(m) || !out.PrecisionUnreachable(m) {
		t.Errorf("stopped at %d replications (met %v, unreachable %v): want the first batch, 5, and the target out of reach",
			out.Replications, out.PrecisionMet(m), out.PrecisionUnreachable(m))
	}
}

// TestSweepReservePriceTheory sweeps the floor of reserve-price (two
// uniform bidders, second price) and checks the revenue per auction
// against R_2(r) = 1/3 + r² − 4r³/3 at every point.
func TestSweepReservePriceTheory(t *testing.T) {
	const auctions = 5000
	values, err := experiment.VaryValues("0..0.9:0.1")
	if err != nil {
		t.Fatal(err)
	}
	res := replicate(t, sweepJob(t, "reserve-price", auctions, 10, 2, "exchange.floor", values, "exchange.revenue", "exchange.fill_rate"))
	out := experiment.NewSweepResult(res)
	if len(out.Points) != 10 || len(out.Vary) != 1 || out.Vary[0].Path != "exchange.floor" || out.Replications != 10 {
		t.Fatalf("sweep shape: %d points, vary %+v", len(out.Points), out.Vary)
	}
	// A sweep keeps only the metrics it reports.
	if got := res.Agg.Metrics(3); !reflect.DeepEqual(got, []string{"exchange.fill_rate", "exchange.revenue"}) {
		t.Errorf("metrics kept %v", got)
	}
	covered := 0
	for i, p := range out.Points {
		floor := p.Values["exchange.floor"].(float64)
		if math.Abs(floor-0.1*float64(i)) > 1e-12 {
			t.Errorf("point %d: floor %v", i, floor)
		}
		theory := 1.0/3 + floor*floor - 4*floor*floor*floor/3
		// Revenue is in currency: auctions × price in CPM / 1000.
		s := p.Metrics["exchange.revenue"]
		scale := 1000.0 / auctions
		mean, lo, hi := s.Mean*scale, s.Lo*scale, s.Hi*scale
		se := s.SD * scale / math.Sqrt(float64(s.N))
		if math.Abs(mean-theory) > 4*se {
			t.Errorf("floor %.1f: revenue per auction %.4f, theory %.4f (%.1f standard errors)", floor, mean, theory, (mean-theory)/se)
		}
		if lo <= theory && theory <= hi {
			covered++
		}
		if fill := p.Metrics["exchange.fill_rate"].Mean; math.Abs(fill-(1-floor*floor)) > 0.02 {
			t.Errorf("floor %.1f: fill rate %.4f, theory %.4f", floor, fill, 1-floor*floor)
		}
	}
	// Ten 95% bands: missing more than two would be improbable (p < 0.012).
	if covered < 8 {
		t.Errorf("the theoretical curve lies inside %d of 10 bands", covered)
	}
	xs, ss, ok := experiment.FirstSeries(res)
	if !ok || len(xs) != 10 || xs[9] != 0.9 || ss[9] != out.Points[9].Metrics["exchange.revenue"] {
		t.Errorf("first series %v %v %v", xs, ss, ok)
	}
}

// TestReplicateWhateverWorkers: the aggregate does not depend on the
// number of workers, to the bit.
func TestReplicateWhateverWorkers(t *testing.T) {
	var aggs []*experiment.Agg
	for _, w := range []int{1, 3} {
		_, p := pointT(t, "budget-split", 4000)
		ps, _ := pointT(t, "budget-split", 4000)
		j := &experiment.Job{Spec: &experiment.Spec{Command: "run", Seed: p.Config.Seed, Reps: 5, Points: []experiment.PointSpec{ps}},
			Points: []experiment.Point{p}, Workers: w}
		aggs = append(aggs, replicate(t, j).Agg)
	}
	names := aggs[0].Metrics(0)
	if len(names) < 200 || !reflect.DeepEqual(names, aggs[1].Metrics(0)) {
		t.Fatalf("%d metrics", len(names))
	}
	for _, n := range names {
		a, _ := aggs[0].Stat(0, n)
		b, _ := aggs[1].Stat(0, n)
		if fmt.Sprint(a) != fmt.Sprint(b) {
			t.Errorf("%s: %+v with 1 worker, %+v with 3", n, a, b)
		}
	}
}

// TestShardsMergeToTheWhole: an experiment written in shards, merged in
// any order, is the unsharded experiment to the bit.
func TestShardsMergeToTheWhole(t *testing.T) {
	j := compareJob(t, "timeout-demo", 2000, 5, 2, "exchange.tmax=80ms")
	whole := experiment.NewComparison(replicate(t, j), 0)
	const n = 3
	var inputs []experiment.ShardInput
	for _, k := range []int{2, 0, 1} {
		var buf bytes.Buffer
		interrupted, err := experiment.WriteShard(context.Background(), j, experiment.Shard{K: k, N: n}, &buf)
		if err != nil || interrupted {
			t.Fatalf("shard %d: %v (interrupted %v)", k, err, interrupted)
		}
		inputs = append(inputs, experiment.ShardInput{Name: fmt.Sprintf("s%d", k), R: &buf})
	}
	var checked *experiment.Spec
	res, err := experiment.MergeShards(inputs, func(s *experiment.Spec) error { checked = s; return nil })
	if err != nil {
		t.Fatal(err)
	}
	if checked == nil || checked.Command != "compare" || !reflect.DeepEqual(checked.Changes, j.Spec.Changes) {
		t.Errorf("check saw %+v", checked)
	}
	a, err := json.Marshal(experiment.NewComparison(res, 0))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(whole)
	if !bytes.Equal(a, b) || len(whole.Metrics) < 200 {
		t.Errorf("the merged comparison differs from the whole (%d metrics)", len(whole.Metrics))
	}
	// A command merge does not know, and a refusal by check, stop it.
	var buf bytes.Buffer
	j.Spec.Command = "frobnicate"
	if _, err := experiment.WriteShard(context.Background(), j, experiment.Shard{K: 0, N: 1}, &buf); err != nil {
		t.Fatal(err)
	}
	_, err = experiment.MergeShards([]experiment.ShardInput{{Name: "x.jsonl", R: &buf}}, nil)
	if err == nil || !strings.Contains(err.Error(), `x.jsonl: a shard of "frobnicate"`) {
		t.Errorf("unknown command: %v", err)
	}
	j.Spec.Command = "compare"
	buf.Reset()
	if _, err := experiment.WriteShard(context.Background(), j, experiment.Shard{K: 0, N: 1}, &buf); err != nil {
		t.Fatal(err)
	}
	refused := errors.New("refused")
	if _, err := experiment.MergeShards([]experiment.ShardInput{{Name: "x.jsonl", R: &buf}}, func(*experiment.Spec) error { return refused }); !errors.Is(err, refused) {
		t.Errorf("check's refusal: %v", err)
	}
}

// TestReplicateInterrupted: a cancelled experiment returns the whole
// replications it completed, marked partial, with the context's error.
func TestReplicateInterrupted(t *testing.T) {
	_, p := pointT(t, "reserve-price", 2000)
	ctx, cancel := context.WithCancel(context.Background())
	j := &experiment.Job{Spec: &experiment.Spec{Command: "run", Reps: 1000}, Points: []experiment.Point{p}, Workers: 2,
		Progress: func(done, _ int) {
			if done == 3 {
				cancel()
			}
		}}
	res, err := experiment.Replicate(ctx, j)
	if err == nil || res == nil || !res.Partial || res.Agg.Reps() < 3 || res.Spec.Reps != res.Agg.Reps() {
		t.Fatalf("err %v, result %+v", err, res)
	}
}

// TestGrid: every combination, the first parameter slowest; a grid too
// large is refused.
func TestGrid(t *testing.T) {
	g, err := experiment.Grid([]experiment.Vary{{Path: "a", Values: []string{"1", "2"}}, {Path: "b", Values: []string{"x", "y", "z"}}})
	if err != nil || fmt.Sprint(g) != "[[1 x] [1 y] [1 z] [2 x] [2 y] [2 z]]" {
		t.Errorf("grid %v %v", g, err)
	}
	big := experiment.Vary{Path: "a", Values: make([]string, 200)}
	if _, err := experiment.Grid([]experiment.Vary{big, big}); err == nil {
		t.Error("a grid of 40 000 points accepted")
	}
	for text, want := range map[string]string{
		"0..0.9:0.3": "[0.0 0.3 0.6 0.9]",
		// A number in exponent form has the decimals its exponent
		// gives: these were [0 0 0 1 1] and [0 0 0].
		"0..1:2.5e-1":         "[0.00 0.25 0.50 0.75 1.00]",
		"1e-9..3e-9:1e-9":     "[0.000000001 0.000000002 0.000000003]",
		"1e3..3e3:1E3":        "[1000 2000 3000]",
		"0.5..1:2.5E-01":      "[0.50 0.75 1.00]",
		"60ms..100ms:20ms":    "[60ms 80ms 100ms]",
		"{a: 1, b: 2},{a: 3}": "[{a: 1, b: 2} {a: 3}]",
		"1, 2":                "[1 2]",
	} {
		if got, err := experiment.VaryValues(text); err != nil || fmt.Sprint(got) != want {
			t.Errorf("%s: %v %v, want %s", text, got, err, want)
		}
	}
	for _, bad := range []string{"0..1", "1..0:0.1", "0,,1", "0..1ms:1", "0..100:0.001", "1,1", "{a: 1}, {a: 1}",
		// Past float64's whole numbers, 1e16+1 is 1e16: two points of
		// one value.
		"1e16..1.0000000000000002e16:1"} {
		if _, err := experiment.VaryValues(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

// TestHasBudget checks that a world with a budgeted bidder has a budget
// to scale, and one without has none.
func TestHasBudget(t *testing.T) {
	var cfg sim.Config
	cfg.Bidders = []sim.BidderConfig{{Name: "a"}}
	if experiment.HasBudget(cfg) {
		t.Error("no budget, but HasBudget")
	}
	cfg.Bidders = append(cfg.Bidders, sim.BidderConfig{Name: "b", Budget: &sim.Budget{Total: sim.MoneyOf(1)}})
	if !experiment.HasBudget(cfg) {
		t.Error("a budget, but not HasBudget")
	}
}
