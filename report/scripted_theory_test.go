package report

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim/experiment"
)

// TestRepsTheoryScripted: with a script that changes the world during the
// run (timeout-story's late metro, then tmax 350ms), each replication's
// closed form is the world's after the last change, so the --reps table
// sets it beside the figures since that change (since_change), which
// agree with it, rather than beside the whole run's (theory 2.314 bare
// beside 2.205 ± 0.001). Without the script, or stopped before its first
// change, the whole run's.
func TestRepsTheoryScripted(t *testing.T) {
	for _, c := range []struct {
		script bool
		sets   []scenarios.Set
	}{
		{true, []scenarios.Set{{Path: "stop", Value: "{duration: 70s}"}}},
		{false, []scenarios.Set{{Path: "stop", Value: "{duration: 70s}"}, {Path: "script", Value: "[]"}}},
		// Stopped before the script's first change (30s): one world.
		{false, []scenarios.Set{{Path: "stop", Value: "{duration: 20s}"}}},
	} {
		res, sc := twoReps(t, "timeout-story", c.sets)
		got := RepsTheoryScripted(res, sc.Config)
		if !strings.Contains(got, "revenue_per_auction") {
			t.Fatalf("script %v: no theory rows:\n%s", c.script, got)
		}
		if strings.Contains(got, "the script changes the world") {
			t.Errorf("script %v, %v: a note where the rows are of one world:\n%s", c.script, c.sets, got)
		}
		if since := strings.Contains(got, "simulated since the change at 1m0s"); since != c.script {
			t.Errorf("script %v, %v: since the change %v:\n%s", c.script, c.sets, since, got)
		}
		// What the closed form assumes is named with the script too: the
		// world's after its changes, whose revenue the replications give,
		// not the start's, which left the label out ("theory: simulated
		// since the change at 1m0s").
		if !strings.Contains(got, "theory: second price, 5 bidders with independent values, floor 0.1") {
			t.Errorf("script %v, %v: the closed form not named:\n%s", c.script, c.sets, got)
		}
		if !c.script {
			continue
		}
		th, _ := res.Agg.Stat(0, "theory.revenue_per_auction")
		since, _ := res.Agg.Stat(0, "since_change.revenue_per_auction")
		whole, _ := res.Agg.Stat(0, "exchange.revenue_per_auction")
		if math.Abs(since.Mean-th.Mean) > 0.02 || math.Abs(whole.Mean-th.Mean) < 0.05 {
			t.Errorf("theory %.4f, since the change %.4f, the whole run %.4f: want the first two close, the last apart",
				th.Mean, since.Mean, whole.Mean)
		}
	}
}

// TestSweepTheoryScripted: a sweep showing a theory.* metric beside the
// simulated one says, as the --reps table does, that with a script they
// are of different worlds; without the script, without a theory column,
// or with runs that stopped before the script's first change (30s), it
// says nothing.
func TestSweepTheoryScripted(t *testing.T) {
	for _, c := range []struct {
		sets    []scenarios.Set
		metrics []string
		end     float64 // the runs' virtual seconds; 0: not reported
		note    bool
	}{
		{nil, []string{"exchange.revenue_per_auction", "theory.revenue_per_auction"}, 0, true},
		{nil, []string{"exchange.revenue_per_auction", "theory.revenue_per_auction"}, 120, true},
		{nil, []string{"exchange.revenue_per_auction", "theory.revenue_per_auction"}, 20, false},
		{nil, []string{"exchange.revenue_per_auction"}, 0, false},
		// Beside the figures since the change: of one world.
		{nil, []string{"since_change.revenue_per_auction", "theory.revenue_per_auction"}, 120, false},
		{[]scenarios.Set{{Path: "script", Value: "[]"}}, []string{"exchange.revenue_per_auction", "theory.revenue_per_auction"}, 0, false},
	} {
		p, _, err := resolvePoint(textOf(t, "timeout-story"), c.sets)
		if err != nil {
			t.Fatal(err)
		}
		spec := &experiment.Spec{Command: "sweep", Scenario: "timeout-story", Metrics: c.metrics,
			Vary: []experiment.Vary{{Path: "exchange.floor", Values: []string{"0.1"}}}}
		p.Values = []string{"0.1"}
		spec.Points = []experiment.PointSpec{p}
		agg := experiment.NewAgg(1, false)
		for i := range 2 {
			v := experiment.Values{"exchange.revenue_per_auction": 2.2, "theory.revenue_per_auction": 2.3}
			if c.end > 0 {
				v["virtual_seconds"] = c.end
			}
			agg.Add(experiment.Item{Index: i, Rep: i, Values: v})
		}
		table := SweepTable(&experiment.Result{Spec: spec, Agg: agg})
		if note := strings.Contains(table, "the script changes the world"); note != c.note {
			t.Errorf("sets %v, metrics %v, end %vs: note %v:\n%s", c.sets, c.metrics, c.end, note, table)
		}
	}
}

// twoReps runs two replications of the scenario name with sets, as run
// --reps 2 does, and returns them with the scenario.
func twoReps(t *testing.T, name string, sets []scenarios.Set) (*experiment.Result, *scenarios.Scenario) {
	t.Helper()
	p, sc, err := resolvePoint(textOf(t, name), sets)
	if err != nil {
		t.Fatal(err)
	}
	spec := &experiment.Spec{Command: "run", Scenario: sc.Name, Seed: sc.Config.Seed, Reps: 2, Points: []experiment.PointSpec{p}}
	res, err := RunExperiment(context.Background(), ExperimentRun{Spec: spec, Workers: 1, Note: func(string) {}})
	if err != nil {
		t.Fatal(err)
	}
	return res, sc
}
