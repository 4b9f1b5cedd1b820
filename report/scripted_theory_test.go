package report

import (
	"context"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim/experiment"
)

// TestRepsTheoryScripted: with a script that changes the world during the
// run (timeout-story's late metro, then tmax 350ms), each replication's
// closed form is the world's after the last change while the simulated
// figures are the whole run's; the --reps table says so rather than set
// theory 2.314 bare beside 2.205 ± 0.001. Without the script, no note.
func TestRepsTheoryScripted(t *testing.T) {
	for _, c := range []struct {
		script bool
		sets   []scenarios.Set
	}{
		{true, []scenarios.Set{{Path: "stop", Value: "{duration: 70s}"}}},
		{false, []scenarios.Set{{Path: "stop", Value: "{duration: 70s}"}, {Path: "script", Value: "[]"}}},
	} {
		p, sc, err := resolvePoint("timeout-story", c.sets)
		if err != nil {
			t.Fatal(err)
		}
		spec := &experiment.Spec{Command: "run", Scenario: sc.Name, Seed: sc.Config.Seed, Reps: 2, Points: []experiment.PointSpec{p}}
		res, err := RunExperiment(context.Background(), ExperimentRun{Spec: spec, Workers: 1, Note: func(string) {}})
		if err != nil {
			t.Fatal(err)
		}
		got := RepsTheoryScripted(res, sc.Config)
		if !strings.Contains(got, "revenue_per_auction") {
			t.Fatalf("script %v: no theory rows:\n%s", c.script, got)
		}
		if note := strings.Contains(got, "the script changes the world"); note != c.script {
			t.Errorf("script %v: note %v:\n%s", c.script, note, got)
		}
	}
}
