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
