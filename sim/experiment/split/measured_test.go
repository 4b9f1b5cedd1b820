package split

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/experiment"
	"github.com/auctionsim/auctionsim/sim/stats"
)

// measuredYAML: a group of two members, each with a holdout test.
const measuredYAML = `name: split-measured
seed: 9
stop: {duration: 60s}
traffic: {qps: 300}
exchange: {auction: second-price, tmax: 120ms, floor: 0.10, increment: 0.01}
bidders:
  - name: good
    group: g
    latency: {dist: constant, value: 20ms}
    value: {dist: uniform, min: 1, max: 3}
    budget: {total: 8, pacing: multiplier}
    outcome: {ctr: 0.1, cvr: 0.5, order_value: 2, baseline_cvr: 0.01, delay: {dist: constant, value: 0s}, holdout: 0.2}
  - name: weak
    group: g
    latency: {dist: constant, value: 20ms}
    value: {dist: uniform, min: 0.5, max: 2}
    budget: {total: 8, pacing: multiplier}
    outcome: {ctr: 0.02, cvr: 0.5, order_value: 2, baseline_cvr: 0.01, delay: {dist: constant, value: 0s}, holdout: 0.2}
  - name: rival
    latency: {dist: constant, value: 20ms}
    value: {dist: uniform, min: 0.5, max: 2.5}
`

// pointOf is sc's world as a search's point, as the command makes it.
func pointOf(sc *scenarios.Scenario) experiment.Point {
	return experiment.Point{Name: sc.Name, Config: sc.Config, Stop: sc.Stop}
}

func measuredPoint(t *testing.T, yaml string) experiment.Point {
	t.Helper()
	sc, err := scenarios.Parse("split-measured.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	return pointOf(sc)
}

// TestMeasuredObjective: the measured objective is, per run, the members'
// holdout lift × order value × treated impressions added up, as sim's own
// holdout statistics give them; on average it agrees with the true
// incremental value (a holdout is unbiased) within its noise; and it is
// refused for a group with a member that has no holdout.
func TestMeasuredObjective(t *testing.T) {
	p := measuredPoint(t, measuredYAML)
	s, err := New(p, "g", Measured)
	if err != nil {
		t.Fatal(err)
	}
	var truth stats.Pair
	for r := range 8 {
		seed := experiment.Seed(p.Config.Seed, r)
		v, err := experiment.Measure(context.Background(), p, seed)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.addMeasured(v); err != nil {
			t.Fatal(err)
		}
		// The same run straight from sim's snapshot.
		cfg := p.Config
		cfg.Seed = seed
		e, err := sim.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		e.RunStop(p.Stop, ^uint64(0))
		snap := e.Snapshot()
		want := 0.0
		for _, name := range []string{"good", "weak"} {
			b, _ := snap.FindBidder(name)
			want += b.Holdout.Lift().Mean * b.Holdout.OrderValue.Float() * float64(b.Holdout.TreatedWins)
		}
		got := v["groups.g."+Measured]
		if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
			t.Errorf("replication %d: measured %v, from the snapshot %v", r, got, want)
		}
		truth.Add(v["groups.g.incremental_value"], got)
	}
	d := truth.Diff.Stat()
	t.Logf("measured − true: %v [%v, %v]", d.Mean, d.Lo, d.Hi)
	if !(d.Lo <= 0 && 0 <= d.Hi) {
		t.Errorf("measured − true incremental value %v [%v, %v]: a holdout should be unbiased", d.Mean, d.Lo, d.Hi)
	}

	// A search on it runs and names its objective.
	s.Reps, s.Workers, s.NoCurves = 4, 2, true
	res, err := s.Run(context.Background(), s.Current(), 400)
	if err != nil {
		t.Fatal(err)
	}
	if res.Objective != Measured || res.Current.Objective.N == 0 {
		t.Errorf("objective %q, current %+v", res.Objective, res.Current.Objective)
	}

	// Without a holdout on every member: refused, naming the member.
	noHold := strings.Replace(measuredYAML, ", holdout: 0.2}\n  - name: rival", "}\n  - name: rival", 1)
	if _, err := New(measuredPoint(t, noHold), "g", Measured); err == nil || !strings.Contains(err.Error(), "member weak") {
		t.Errorf("a member without a holdout: %v", err)
	}
}

// searchOf is the search of group's objective in the scenario that file
// holds, yaml.
func searchOf(t *testing.T, file string, yaml []byte, group, objective string) *Search {
	t.Helper()
	sc, err := scenarios.Parse(file, yaml)
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(pointOf(sc), group, objective)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
