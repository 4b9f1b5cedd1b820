package main

import (
	"encoding/json"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// TestGroupMetricsByName: a replication's metrics name a group's figures
// groups.NAME.METRIC, as bidders' are bidders.NAME.METRIC, so compare and
// sweep can address them.
func TestGroupMetricsByName(t *testing.T) {
	sc, err := scenarios.Bundled("budget-split")
	if err != nil {
		t.Fatal(err)
	}
	e, err := sim.New(sc.Config)
	if err != nil {
		t.Fatal(err)
	}
	e.RunUntil(20 * sim.Second)
	snap := e.Snapshot()
	vals, err := metricsOf(sc, snap)
	if err != nil {
		t.Fatal(err)
	}
	g, _ := snap.FindGroup("acme")
	for name, want := range map[string]float64{
		"groups.acme.incremental_value": g.IncrementalValue,
		"groups.acme.attributed_value":  g.AttributedValue,
		"groups.acme.spend":             g.Spend.Float(),
		"groups.acme.budget":            g.Budget.Float(),
		"groups.acme.attributed_roas":   g.AttributedROAS(),
	} {
		if got, ok := vals[name]; !ok || got != want {
			t.Errorf("%s: %v (present %v), want %v", name, got, ok, want)
		}
	}
}

// TestCompareMoveWithinGroup is the scenario's advice checked with
// compare: moving 100 of budget from retarget to prospect (the group's
// total unchanged) raises acme's incremental value with an interval above
// 0 and lowers its attributed ROAS.
func TestCompareMoveWithinGroup(t *testing.T) {
	r := run(t, "", "compare", "budget-split", "--change", "bidders.acme-retarget.budget.total=100",
		"--change", "bidders.acme-prospect.budget.total=300", "--reps", "6", "--json")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var out struct {
		Metrics map[string]struct {
			Diff struct{ Mean, Lo, Hi *float64 }
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatal(err)
	}
	iv, ok := out.Metrics["groups.acme.incremental_value"]
	if !ok || iv.Diff.Lo == nil || !(*iv.Diff.Lo > 0) {
		t.Errorf("groups.acme.incremental_value: %+v (present %v)", iv.Diff, ok)
	}
	roas, ok := out.Metrics["groups.acme.attributed_roas"]
	if !ok || roas.Diff.Hi == nil || !(*roas.Diff.Hi < 0) {
		t.Errorf("groups.acme.attributed_roas: %+v (present %v)", roas.Diff, ok)
	}
	if b := out.Metrics["groups.acme.budget"]; b.Diff.Mean == nil || *b.Diff.Mean != 0 {
		t.Errorf("the group's budget changed: %+v", b.Diff)
	}
}
