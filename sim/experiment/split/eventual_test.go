package split_test

import (
	"context"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim/experiment/split"
)

// lateYAML: "late" causes 2.5 times the value per click of "early", all
// of it 50 s after the click, in a run of 60 s: by the stop only its
// first 10 s of impressions have converted, so on the matured figures it
// reads at a sixth of its worth (below early), and a search on them would
// move its budget to early, the split with fewer conversions pending.
var lateYAML = []byte(`name: split-late
seed: 9
stop: {duration: 60s}
traffic: {qps: 200}
exchange: {auction: second-price, tmax: 120ms, floor: 0.10, increment: 0.01}
bidders:
  - name: late
    group: g
    latency: {dist: constant, value: 20ms}
    value: {dist: uniform, min: 1, max: 3}
    budget: {total: 5, pacing: multiplier}
    outcome: {ctr: 0.05, cvr: 0.5, order_value: 1, baseline_cvr: 0, delay: {dist: constant, value: 50s}}
  - name: early
    group: g
    latency: {dist: constant, value: 20ms}
    value: {dist: uniform, min: 1, max: 3}
    budget: {total: 5, pacing: multiplier}
    outcome: {ctr: 0.05, cvr: 0.2, order_value: 1, baseline_cvr: 0, delay: {dist: constant, value: 0s}}
  - name: rival
    latency: {dist: constant, value: 20ms}
    value: {dist: uniform, min: 0.5, max: 2.5}
`)

// The objective counts the conversions pending at the stop: the search
// gives the budget to late, whose conversions all come after most of the
// run, not to early, which the matured figures favour.
func TestSplitCountsPendingConversions(t *testing.T) {
	sc, err := scenarios.Parse("split-late.yaml", lateYAML)
	if err != nil {
		t.Fatal(err)
	}
	s, err := split.New(pointOf(sc), "g", "incremental_value")
	if err != nil {
		t.Fatal(err)
	}
	s.Reps, s.Workers, s.NoCurves = 4, 2, true
	res, err := s.Run(context.Background(), s.Current(), 250)
	if err != nil {
		t.Fatal(err)
	}
	if res.Objective != "incremental_value" || res.Metric != "groups.g.eventual.incremental_value" {
		t.Errorf("objective %q on %q, want incremental_value on groups.g.eventual.incremental_value", res.Objective, res.Metric)
	}
	late, early := res.Recommended.Budgets["late"], res.Recommended.Budgets["early"]
	if !(late > early) {
		t.Errorf("recommended late %.2f, early %.2f: the split favours the member with fewer conversions pending", late, early)
	}
	// The matured figure, beside it, would have said the opposite: it
	// counts a sixth of late's conversions.
	m, ok := res.Metrics["groups.g.incremental_value"]
	e, ok2 := res.Metrics["groups.g.eventual.incremental_value"]
	if !ok || !ok2 || !(m.Variant.Mean < e.Variant.Mean) {
		t.Errorf("matured %+v, eventual %+v at the recommendation", m, e)
	}
}
