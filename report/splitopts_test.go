package report

import (
	"errors"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
)

// TestSplitOptions checks split's refusals, each naming its flag, and
// the search it sets up: the scenario's split as the start, --step as an
// amount, the replications.
func TestSplitOptions(t *testing.T) {
	refused := func(err error, flag, want string) {
		t.Helper()
		var oe *OptionError
		if !errors.As(err, &oe) || oe.Option() != flag || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%v; want %s refused: %q", err, flag, want)
		}
	}
	refused((&SplitOptions{Objective: "incremental_value"}).Check(), "--group", "--group G is required")
	refused((&SplitOptions{Group: "acme", Objective: "nope"}).Check(), "--objective", "--objective nope: want one of incremental_value")
	good := SplitOptions{Group: "acme", Objective: "incremental_value", Step: "5%"}
	if err := good.Check(); err != nil {
		t.Fatal(err)
	}
	sc, err := scenarios.Resolve("budget-split")
	if err != nil {
		t.Fatal(err)
	}
	exp := &ExpOptions{Reps: 4, Workers: 1}
	s, err := good.Search(sc, exp)
	if err != nil || s.Reps != 4 || len(s.Start) < 2 || s.Step <= 0 || s.Capped != "" {
		t.Fatalf("search %+v, %v", s, err)
	}
	o := good
	o.Group = "nobody"
	_, err = o.Search(sc, exp)
	refused(err, "--group", "--group")
	o = good
	o.BothObjectives, o.OneObjective = true, true
	_, err = o.Search(sc, exp)
	refused(err, "--both-objectives", "--both-objectives and --one-objective: choose one")
	o = good
	o.Step = "lots"
	_, err = o.Search(sc, exp)
	refused(err, "--step", "--step ")
}

// TestSplitStepDaily: split of flight-week's acme divides daily budgets,
// and a --step it refuses is measured against the group's daily sum (20 +
// 20 a day), not called its total.
func TestSplitStepDaily(t *testing.T) {
	sc, err := scenarios.Resolve("flight-week")
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []string{"40", "lots"} {
		o := SplitOptions{Group: "acme", Objective: "incremental_value", Step: step}
		_, err = o.Search(sc, &ExpOptions{Reps: 2, Workers: 1})
		var oe *OptionError
		if !errors.As(err, &oe) || oe.Option() != "--step" || !strings.Contains(err.Error(), "the group's daily sum") || strings.Contains(err.Error(), "group's total") {
			t.Errorf("--step %s: %v; want it refused against the group's daily sum", step, err)
		}
	}
	o := SplitOptions{Group: "acme", Objective: "incremental_value", Step: "40"}
	if _, err := o.Search(sc, &ExpOptions{Reps: 2, Workers: 1}); err == nil || !strings.Contains(err.Error(), "less than the group's daily sum 40.00") {
		t.Errorf("--step 40: %v", err)
	}
}

// TestSplitStepScaled: under --duration (Scale 0.2 of budget-split's
// 600) a --step amount is the scenario's, scaled as its totals are (30
// of 600 is 6 of the runs' 120, not 30 of 120), it is refused against
// the scenario's total, and the search gives its --set flags unscaled.
func TestSplitStepScaled(t *testing.T) {
	_, sc, _, err := ResolveScaled(textOf(t, "budget-split"), nil, 0.2)
	if err != nil {
		t.Fatal(err)
	}
	o := SplitOptions{Group: "acme", Objective: "incremental_value", Step: "30", Scale: 0.2}
	s, err := o.Search(sc, &ExpOptions{Reps: 4, Workers: 1})
	if err != nil || s.Step != 600 || s.Search.SetScale != 0.2 {
		t.Fatalf("step %v (want 600 cents), set scale %v, %v", s.Step, s.Search.SetScale, err)
	}
	if got := s.Sets(s.Start); !strings.HasSuffix(got[0], ".budget.total=200") {
		t.Errorf("sets %v: want the scenario's 200 each", got)
	}
	o.Step = "600"
	if _, err := o.Search(sc, &ExpOptions{Reps: 4, Workers: 1}); err == nil || !strings.Contains(err.Error(), "less than the group's total 600.00") {
		t.Errorf("--step 600 of 600: %v", err)
	}
}
